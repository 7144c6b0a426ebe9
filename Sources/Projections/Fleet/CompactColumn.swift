/// A column of non-negative integers stored in a narrow unsigned type while every value fits, and
/// widened for good (for its block only) when one does not: metric ids below 2³², token counts
/// below 2³², costs below $4.29 (in nano-dollars) and operation indices below 2¹⁶ take half the
/// bytes or less. Reads pay one branch.
public struct CompactColumn<Narrow: FixedWidthInteger & UnsignedInteger & Sendable, Wide: FixedWidthInteger & Sendable>:
    Sendable
{
    private var narrow: [Narrow] = []
    private var wide: [Wide] = []
    /// Whether the values are in `wide` (one did not fit in `Narrow`).
    public private(set) var isWide = false

    public init() {}

    /// The column of `values` (narrow when they all fit).
    public init(_ values: [Wide]) {
        var column = CompactColumn()
        column.reserveCapacity(values.count)
        for v in values { column.append(v) }
        self = column
    }

    public var count: Int { isWide ? wide.count : narrow.count }
    public var capacity: Int { isWide ? wide.capacity : narrow.capacity }
    /// The bytes a value takes.
    public var stride: Int { isWide ? MemoryLayout<Wide>.stride : MemoryLayout<Narrow>.stride }

    /// Every value, in order (for checks and snapshots, not reads).
    public var all: [Wide] { isWide ? wide : narrow.map { Wide($0) } }

    @inline(__always)
    public subscript(i: Int) -> Wide {
        get { isWide ? wide[i] : Wide(truncatingIfNeeded: narrow[i]) }
        set {
            if isWide {
                wide[i] = newValue
            } else if let n = Narrow(exactly: newValue) {
                narrow[i] = n
            } else {
                widen()
                wide[i] = newValue
            }
        }
    }

    private mutating func widen() {
        var values: [Wide] = []
        values.reserveCapacity(narrow.capacity)
        for n in narrow { values.append(Wide(truncatingIfNeeded: n)) }
        wide = values
        narrow = []
        isWide = true
    }

    @inline(__always)
    public mutating func append(_ v: Wide) {
        if !isWide, let n = Narrow(exactly: v) {
            narrow.append(n)
        } else {
            if !isWide { widen() }
            wide.append(v)
        }
    }

    mutating func insert(_ v: Wide, at i: Int) {
        if !isWide, let n = Narrow(exactly: v) {
            narrow.insert(n, at: i)
        } else {
            if !isWide { widen() }
            wide.insert(v, at: i)
        }
    }

    mutating func reserveCapacity(_ n: Int) {
        if isWide { wide.reserveCapacity(n) } else { narrow.reserveCapacity(n) }
    }

    /// Appends `other`'s values at `range`.
    mutating func append(contentsOf other: CompactColumn, _ range: Range<Int>) {
        if !isWide && !other.isWide {
            narrow.append(contentsOf: other.narrow[range])
        } else if isWide && other.isWide {
            wide.append(contentsOf: other.wide[range])
        } else {
            // Value by value: a narrow column takes a wide one's values while they fit (a block
            // split from a snapshot's wide column stays narrow unless its own values need 64 bits).
            for i in range { append(other[i]) }
        }
    }

    /// Appends `k` zeros (room that `shift` and the subscript then fill).
    mutating func grow(by k: Int) {
        if isWide {
            wide.append(contentsOf: repeatElement(0, count: k))
        } else {
            narrow.append(contentsOf: repeatElement(0, count: k))
        }
    }

    /// Moves the values at `start..<end` right by `offset` (the ranges may overlap).
    mutating func shift(_ start: Int, _ end: Int, by offset: Int) {
        guard end > start else { return }
        if isWide {
            ColumnShift.shift(&wide, start, end, by: offset)
        } else {
            ColumnShift.shift(&narrow, start, end, by: offset)
        }
    }
}

/// Moving a run of plain values inside an array with one byte copy.
enum ColumnShift {
    /// Moves `column[start..<end]` right by `offset` (the destination may overlap the source).
    /// The columns hold plain values (integers, doubles, booleans), so a byte copy moves them.
    static func shift<T>(_ column: inout [T], _ start: Int, _ end: Int, by offset: Int) {
        guard end > start else { return }
        column.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            let stride = MemoryLayout<T>.stride
            (base + (start + offset) * stride).copyMemory(
                from: base + start * stride, byteCount: (end - start) * stride)
        }
    }
}
