import CCRC32C
import CZlib
import Foundation

/// A gzip file written in a stream (zlib's deflate with a gzip header), with the CRC-32C of the
/// compressed bytes it wrote. `finish()` flushes, fsyncs and closes the file.
final class GzipFileWriter {
    private var stream = z_stream()
    private let handle: FileHandle
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    private var finished = false
    /// CRC-32C of every byte written to the file.
    private(set) var checksum: UInt32 = 0
    private(set) var compressedBytes = 0

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw RetentionError.archive("cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        // windowBits 15 + 16: a gzip wrapper; memLevel 8 (zlib's default).
        let rc = deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw RetentionError.archive("deflateInit2 failed (\(rc))") }
    }

    deinit {
        if !finished { deflateEnd(&stream) }
    }

    /// Compresses `bytes` into the file.
    package func write(_ bytes: [UInt8]) throws {
        var input = bytes
        try input.withUnsafeMutableBytes { raw in
            stream.next_in = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(raw.count)
            try pump(flush: Z_NO_FLUSH)
        }
    }

    /// Ends the gzip stream, syncs the file to disk and closes it.
    func finish() throws {
        stream.next_in = nil
        stream.avail_in = 0
        try pump(flush: Z_FINISH)
        deflateEnd(&stream)
        finished = true
        try handle.synchronize()
        try handle.close()
    }

    private func pump(flush: Int32) throws {
        while true {
            let (rc, produced) = output.withUnsafeMutableBytes { out -> (Int32, Int) in
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                let rc = deflate(&stream, flush)
                return (rc, out.count - Int(stream.avail_out))
            }
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw RetentionError.archive("deflate failed (\(rc))")
            }
            if produced > 0 {
                let chunk = Array(output[0..<produced])
                checksum = chunk.withUnsafeBytes { ms_crc32c(checksum, $0.baseAddress, $0.count) }
                compressedBytes += produced
                try handle.write(contentsOf: chunk)
            }
            if flush == Z_FINISH {
                if rc == Z_STREAM_END { return }
            } else if stream.avail_in == 0 && produced < output.count {
                return
            }
        }
    }
}

/// Reads a gzip file back: its CRC-32C, and its lines (decompressed in a stream).
enum GzipFileReader {
    /// CRC-32C of the file's bytes.
    static func checksum(path: String) throws -> UInt32 {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RetentionError.archive("cannot open \(path)")
        }
        defer { try? handle.close() }
        var crc: UInt32 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            crc = chunk.withUnsafeBytes { ms_crc32c(crc, $0.baseAddress, $0.count) }
        }
        return crc
    }

    /// Calls `body` with each line (without its newline) of the decompressed file.
    static func forEachLine(path: String, _ body: ([UInt8]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RetentionError.archive("cannot open \(path)")
        }
        defer { try? handle.close() }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw RetentionError.archive("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        var ended = false
        while !ended, let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            var input = [UInt8](chunk)
            try input.withUnsafeMutableBytes { raw in
                stream.next_in = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(raw.count)
                var more = true
                while more && !ended {
                    let (rc, produced) = output.withUnsafeMutableBytes { out -> (Int32, Int) in
                        stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                        stream.avail_out = uInt(out.count)
                        let rc = inflate(&stream, Z_NO_FLUSH)
                        return (rc, out.count - Int(stream.avail_out))
                    }
                    guard rc == Z_OK || rc == Z_STREAM_END else {
                        throw RetentionError.archive("\(path) is not a valid gzip file (inflate \(rc))")
                    }
                    pending.append(contentsOf: output[0..<produced])
                    if rc == Z_STREAM_END { ended = true }
                    var start = 0
                    while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                        try body(Array(pending[start..<newline]))
                        start = newline + 1
                    }
                    pending.removeFirst(start)
                    // More to do while input is left or the output buffer came back full.
                    more = stream.avail_in > 0 || produced == output.count
                }
            }
        }
        guard ended else { throw RetentionError.archive("\(path) ends before its gzip stream does") }
        if !pending.isEmpty { try body(pending) }
    }
}
