import CZlib
import Foundation
import SwiftProtobuf
import Utilities

/// One span of an OTLP export, as the mapping needs it: the same for the protobuf and the JSON
/// encodings.
public struct TraceSpan: Sendable, Equatable {
    public var traceID: [UInt8]
    public var spanID: [UInt8]
    public var name: String
    public var startTimeUnixNano: UInt64
    public var endTimeUnixNano: UInt64
    public var attributes: [String: AttributeValue]
    /// 0 unset, 1 ok, 2 error.
    public var statusCode: Int
    public var statusMessage: String
    /// The attributes of the span's resource (`service.name`, …).
    public var resource: [String: AttributeValue]

    public init(
        traceID: [UInt8], spanID: [UInt8], name: String, startTimeUnixNano: UInt64, endTimeUnixNano: UInt64,
        attributes: [String: AttributeValue], statusCode: Int = 0, statusMessage: String = "",
        resource: [String: AttributeValue] = [:]
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.name = name
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.statusCode = statusCode
        self.statusMessage = statusMessage
        self.resource = resource
    }
}

/// An attribute's value; arrays, maps and bytes are kept only as "present" (no mapping reads them).
public enum AttributeValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case other
}

/// Why an export request could not be read at all (answered 400, or 413 for `tooLarge`).
public enum TraceDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .malformed(let message), .tooLarge(let message): return message
        }
    }
}

/// Reads OTLP/HTTP export requests into `TraceSpan`s, within bounds named with their unit.
public enum TraceDecoding {
    /// Spans one request may carry.
    public static let maximumSpansPerRequest = 10_000
    /// Attributes one span (or one resource) may carry.
    public static let maximumAttributesPerSpan = 256

    /// The binary protobuf encoding (`application/x-protobuf`).
    public static func protobuf(_ bytes: [UInt8]) throws(TraceDecodingError) -> [TraceSpan] {
        let request: Otlp_ExportTraceServiceRequest
        do {
            request = try Otlp_ExportTraceServiceRequest(serializedBytes: bytes)
        } catch {
            throw .malformed("the body is not an OTLP ExportTraceServiceRequest in protobuf (\(error))")
        }
        var spans: [TraceSpan] = []
        for resourceSpans in request.resourceSpans {
            let resource = try attributes(resourceSpans.resource.attributes, of: "a resource")
            for scope in resourceSpans.scopeSpans {
                for span in scope.spans {
                    guard spans.count < maximumSpansPerRequest else {
                        throw .tooLarge("a request carries at most \(maximumSpansPerRequest) spans")
                    }
                    spans.append(
                        TraceSpan(
                            traceID: Array(span.traceID), spanID: Array(span.spanID), name: span.name,
                            startTimeUnixNano: span.startTimeUnixNano, endTimeUnixNano: span.endTimeUnixNano,
                            attributes: try attributes(span.attributes, of: "a span"),
                            statusCode: span.status.code.rawValue, statusMessage: span.status.message,
                            resource: resource))
                }
            }
        }
        return spans
    }

    private static func attributes(_ list: [Otlp_KeyValue], of owner: String) throws(TraceDecodingError)
        -> [String: AttributeValue]
    {
        guard list.count <= maximumAttributesPerSpan else {
            throw .tooLarge("\(owner) carries \(list.count) attributes, more than \(maximumAttributesPerSpan)")
        }
        var result: [String: AttributeValue] = [:]
        for pair in list {
            switch pair.value.value {
            case .stringValue(let s)?: result[pair.key] = .string(s)
            case .boolValue(let b)?: result[pair.key] = .bool(b)
            case .intValue(let i)?: result[pair.key] = .int(i)
            case .doubleValue(let d)?: result[pair.key] = .double(d)
            case nil: continue
            default: result[pair.key] = .other
            }
        }
        return result
    }

    /// OTLP's JSON encoding (`application/json`): lowerCamelCase names, trace and span ids in hex,
    /// 64-bit integers as strings or numbers, enums as integers.
    public static func json(_ bytes: [UInt8]) throws(TraceDecodingError) -> [TraceSpan] {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .malformed("the body is not JSON: \(error)")
        }
        guard let object = root.objectValue else { throw .malformed("the body must be a JSON object") }
        var spans: [TraceSpan] = []
        for resourceSpans in try array(object["resourceSpans"], "resourceSpans") {
            let resourceObject = resourceSpans.objectValue?["resource"]?.objectValue
            let resource = try jsonAttributes(resourceObject?["attributes"], of: "a resource")
            for scope in try array(resourceSpans.objectValue?["scopeSpans"], "scopeSpans") {
                for raw in try array(scope.objectValue?["spans"], "spans") {
                    guard spans.count < maximumSpansPerRequest else {
                        throw .tooLarge("a request carries at most \(maximumSpansPerRequest) spans")
                    }
                    guard let span = raw.objectValue else { throw .malformed("a span must be a JSON object") }
                    let status = span["status"]?.objectValue
                    spans.append(
                        TraceSpan(
                            traceID: try hex(span["traceId"], "traceId"), spanID: try hex(span["spanId"], "spanId"),
                            name: span["name"]?.stringValue ?? "",
                            startTimeUnixNano: try unsigned(span["startTimeUnixNano"], "startTimeUnixNano"),
                            endTimeUnixNano: try unsigned(span["endTimeUnixNano"], "endTimeUnixNano"),
                            attributes: try jsonAttributes(span["attributes"], of: "a span"),
                            statusCode: try statusCode(status?["code"]),
                            statusMessage: status?["message"]?.stringValue ?? "", resource: resource))
                }
            }
        }
        return spans
    }

    private static func array(_ value: JSONValue?, _ field: String) throws(TraceDecodingError) -> [JSONValue] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw .malformed("\(field) must be an array") }
        return items
    }

    private static func integer(_ value: JSONValue?, _ field: String) throws(TraceDecodingError) -> Int64? {
        guard let value, !value.isNull else { return nil }
        if let text = value.stringValue {
            guard let parsed = Int64(text) else { throw .malformed("\(field) must be an integer") }
            return parsed
        }
        if case .bool = value { throw .malformed("\(field) must be an integer") }
        guard let parsed = value.int64Value else { throw .malformed("\(field) must be an integer") }
        return parsed
    }

    /// OTLP's JSON encodes enums as integers; the names protobuf's JSON mapping writes are taken too.
    private static func statusCode(_ value: JSONValue?) throws(TraceDecodingError) -> Int {
        switch value?.stringValue {
        case "STATUS_CODE_UNSET"?: return 0
        case "STATUS_CODE_OK"?: return 1
        case "STATUS_CODE_ERROR"?: return 2
        default: return Int(try integer(value, "status.code") ?? 0)
        }
    }

    private static func unsigned(_ value: JSONValue?, _ field: String) throws(TraceDecodingError) -> UInt64 {
        guard let value, !value.isNull else { return 0 }
        if let text = value.stringValue {
            guard let parsed = UInt64(text) else { throw .malformed("\(field) must be an unsigned integer") }
            return parsed
        }
        guard let parsed = value.int64Value, parsed >= 0 else {
            throw .malformed("\(field) must be an unsigned integer")
        }
        return UInt64(parsed)
    }

    private static func hex(_ value: JSONValue?, _ field: String) throws(TraceDecodingError) -> [UInt8] {
        guard let value, !value.isNull else { return [] }
        guard let text = value.stringValue, text.utf8.count % 2 == 0, text.utf8.count <= 64 else {
            throw .malformed("\(field) must be a hex string")
        }
        var bytes: [UInt8] = []
        var high: UInt8?
        for c in text.utf8 {
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw .malformed("\(field) must be a hex string")
            }
            if let h = high {
                bytes.append(h << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return bytes
    }

    private static func jsonAttributes(_ value: JSONValue?, of owner: String) throws(TraceDecodingError)
        -> [String: AttributeValue]
    {
        let list = try array(value, "attributes")
        guard list.count <= maximumAttributesPerSpan else {
            throw .tooLarge("\(owner) carries \(list.count) attributes, more than \(maximumAttributesPerSpan)")
        }
        var result: [String: AttributeValue] = [:]
        for item in list {
            guard let pair = item.objectValue, let key = pair["key"]?.stringValue else {
                throw .malformed("an attribute must be an object with a string key")
            }
            guard let any = pair["value"]?.objectValue else { continue }
            if let s = any["stringValue"]?.stringValue {
                result[key] = .string(s)
            } else if case .bool(let b)? = any["boolValue"] {
                result[key] = .bool(b)
            } else if let raw = any["intValue"] {
                result[key] = .int(try integer(raw, "intValue of \(key)") ?? 0)
            } else if let d = any["doubleValue"]?.doubleValue {
                result[key] = .double(d)
            } else if !any.isEmpty {
                result[key] = .other
            }
        }
        return result
    }

    /// Decompresses a gzip body, refusing output beyond `limit` bytes as soon as it gets there
    /// (a small body that inflates to gigabytes stops at the limit).
    public static func gunzip(_ bytes: [UInt8], limit: Int) throws(TraceDecodingError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("the gzip decoder could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes
        var outcome: TraceDecodingError?
        input.withUnsafeMutableBytes { raw in
            stream.next_in = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(raw.count)
            while true {
                let (rc, produced) = chunk.withUnsafeMutableBytes { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(out.count)
                    let rc = inflate(&stream, Z_NO_FLUSH)
                    return (rc, out.count - Int(stream.avail_out))
                }
                guard rc == Z_OK || rc == Z_STREAM_END || (rc == Z_BUF_ERROR && produced > 0) else {
                    outcome = .malformed("the body is not valid gzip (inflate \(rc))")
                    return
                }
                guard output.count + produced <= limit else {
                    outcome = .tooLarge("the body inflates to more than \(limit) bytes")
                    return
                }
                output.append(contentsOf: chunk[0..<produced])
                if rc == Z_STREAM_END { return }
                if produced == 0 && stream.avail_in == 0 {
                    outcome = .malformed("the gzip body ends before its stream does")
                    return
                }
            }
        }
        if let outcome { throw outcome }
        return output
    }
}
