import CCRC32C

/// The on-disk layout of one event record (the value stored under its big-endian sequence key).
///
///     offset  size  field
///     0       4     CRC-32C of the 8 key bytes followed by bytes 4..<end (little endian)
///     4       1     record format (1)
///     5       1     flags (bit 0: has a client event id)
///     6       2     type
///     8       2     schema version
///     10      8     recorded_at (µs since the epoch)
///     18      8     occurred_at (µs since the epoch)
///     26      2     client event id length n (only when flag bit 0)
///     28      n     client event id, UTF-8
///     …             payload
///
/// All integers are little endian. The checksum covers the key, so a record stored under the
/// wrong sequence is detected as well as flipped bits.
enum RecordCodec {
    static let format: UInt8 = 1
    static let headerSize = 26

    static func encodeKey(_ sequence: UInt64) -> UInt64 { sequence.bigEndian }

    static func decodeKey(_ raw: UnsafeRawBufferPointer) -> UInt64? {
        guard raw.count == 8 else { return nil }
        return UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
    }

    static func encode(_ event: NewEvent, sequence: UInt64, recordedAt: Int64, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        let idBytes = event.eventID.map { Array($0.utf8) } ?? []
        buffer.reserveCapacity(headerSize + 2 + idBytes.count + event.payload.count)
        buffer.append(contentsOf: [0, 0, 0, 0])
        buffer.append(format)
        buffer.append(event.eventID == nil ? 0 : 1)
        appendLE(event.type, to: &buffer)
        appendLE(event.schemaVersion, to: &buffer)
        appendLE(recordedAt, to: &buffer)
        appendLE(event.occurredAt, to: &buffer)
        if event.eventID != nil {
            appendLE(UInt16(idBytes.count), to: &buffer)
            buffer.append(contentsOf: idBytes)
        }
        buffer.append(contentsOf: event.payload)
        let crc = checksum(sequence: sequence, body: buffer)
        withUnsafeBytes(of: crc.littleEndian) { crcBytes in
            for i in 0..<4 { buffer[i] = crcBytes[i] }
        }
    }

    static func checksum(sequence: UInt64, body: [UInt8]) -> UInt32 {
        body.withUnsafeBytes { checksum(sequence: sequence, record: $0) }
    }

    /// CRC-32C over the key bytes and the record after its checksum field.
    static func checksum(sequence: UInt64, record: UnsafeRawBufferPointer) -> UInt32 {
        var key = encodeKey(sequence)
        let crc = withUnsafeBytes(of: &key) { ms_crc32c(0, $0.baseAddress, 8) }
        return ms_crc32c(crc, record.baseAddress! + 4, record.count - 4)
    }

    /// Parses and verifies a record; throws `corruptRecord` when it does not check out.
    static func decode(
        sequence: UInt64, record: UnsafeRawBufferPointer, verify: Bool
    ) throws(EventLogError) -> EventRecordView {
        guard record.count >= headerSize else {
            throw .corruptRecord(
                sequence: sequence, reason: "record of \(record.count) bytes is shorter than its header")
        }
        if verify {
            let stored = UInt32(littleEndian: record.loadUnaligned(as: UInt32.self))
            let computed = checksum(sequence: sequence, record: record)
            guard stored == computed else {
                throw .corruptRecord(sequence: sequence, reason: "checksum mismatch")
            }
        }
        guard record[4] == format else {
            throw .corruptRecord(sequence: sequence, reason: "unknown record format \(record[4])")
        }
        let flags = record[5]
        var offset = headerSize
        var idBytes = UnsafeRawBufferPointer(start: nil, count: 0)
        if flags & 1 != 0 {
            guard record.count >= offset + 2 else {
                throw .corruptRecord(sequence: sequence, reason: "truncated event id")
            }
            let length = Int(UInt16(littleEndian: record.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            offset += 2
            guard record.count >= offset + length else {
                throw .corruptRecord(sequence: sequence, reason: "truncated event id")
            }
            idBytes = UnsafeRawBufferPointer(rebasing: record[offset..<offset + length])
            offset += length
        }
        return EventRecordView(
            sequence: sequence,
            type: UInt16(littleEndian: record.loadUnaligned(fromByteOffset: 6, as: UInt16.self)),
            schemaVersion: UInt16(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: UInt16.self)),
            recordedAt: Int64(littleEndian: record.loadUnaligned(fromByteOffset: 10, as: Int64.self)),
            occurredAt: Int64(littleEndian: record.loadUnaligned(fromByteOffset: 18, as: Int64.self)),
            clientEventIDBytes: idBytes,
            payload: UnsafeRawBufferPointer(rebasing: record[offset...]))
    }

    @inline(__always)
    static func appendLE<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }
}
