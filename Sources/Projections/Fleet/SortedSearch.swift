extension Array where Element == Int64 {
    /// In an ascending array: the first index whose value is ≥ `value` (`count` when none is).
    @inline(__always)
    func lowerBound(_ value: Int64) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
