import Projections
import TestSupport
import Testing
import Utilities

// `doubleTable` pairs each double's bit pattern with Python's `json.dumps` output (generated once
// with Python 3; every text was checked to `json.loads` back to the identical double).

private func parse(_ text: String, limits: JSONParser.Limits = .default) throws(JSONParseError) -> JSONValue {
    try JSONParser.parse(Array(text.utf8), limits: limits)
}

/// The parse error for `bytes`, or `nil` if they parse.
private func parseError(_ bytes: [UInt8], limits: JSONParser.Limits = .default) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

private func randomValue(depth: Int, using rng: inout SplitMix64) -> JSONValue {
    let pick = Int.random(in: 0..<(depth > 4 ? 6 : 8), using: &rng)
    switch pick {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2: return .int(Int64.random(in: .min ... .max, using: &rng))
    case 3:
        var d: Double
        repeat { d = Double(bitPattern: rng.next()) } while !d.isFinite
        return .double(d)
    case 4: return .double(Double(Int.random(in: -1000...1000, using: &rng)) / 8)
    case 5: return .string(randomString(using: &rng))
    case 6:
        return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in randomValue(depth: depth + 1, using: &rng) })
    default:
        var object = JSONObject()
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            object[randomString(using: &rng)] = randomValue(depth: depth + 1, using: &rng)
        }
        return .object(object)
    }
}

private func randomString(using rng: inout SplitMix64) -> String {
    let alphabet: [Unicode.Scalar] = [
        "a", "b", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "中", "😀", "\u{2028}",
        "\u{FFFF}", "\u{10FFFF}",
    ]
    var s = String.UnicodeScalarView()
    for _ in 0..<Int.random(in: 0...8, using: &rng) {
        s.append(alphabet.randomElement(using: &rng)!)
    }
    return String(s)
}

@Suite("JSON")
struct JSONTests {
    // MARK: Serializer

    @Test func serializerExactOutput() {
        let value: JSONValue = ["a": 1, "b": [true, nil, 2.5, 3.0, "x\n"]]
        #expect(value.jsonString == #"{"a":1,"b":[true,null,2.5,3.0,"x\n"]}"#)
        #expect(value.serialized() == Array(#"{"a":1,"b":[true,null,2.5,3.0,"x\n"]}"#.utf8))
        let ordered: JSONValue = ["z": 1, "a": 2, "m": ["y": [], "b": [:]]]
        #expect(ordered.jsonString == #"{"z":1,"a":2,"m":{"y":[],"b":{}}}"#)
        #expect(JSONValue.int(.max).jsonString == "9223372036854775807")
        #expect(JSONValue.int(.min).jsonString == "-9223372036854775808")
        #expect(JSONValue.int(0).jsonString == "0")
        #expect(JSONValue.int(-7).jsonString == "-7")
        #expect(JSONValue.bool(false).jsonString == "false")
        #expect(JSONValue.null.jsonString == "null")
        #expect(JSONValue.string("").jsonString == #""""#)
    }

    @Test func serializerDoubles() {
        #expect(JSONValue.double(0.1).jsonString == "0.1")
        #expect(JSONValue.double(100.0).jsonString == "100.0")
        #expect(JSONValue.double(3.0).jsonString == "3.0")
        #expect(JSONValue.double(1e-07).jsonString == "1e-07")
        #expect(JSONValue.double(5e20).jsonString == "5e+20")
        #expect(JSONValue.double(-0.0).jsonString == "-0.0")
        #expect(JSONValue.double(.infinity).jsonString == "null")
        #expect(JSONValue.double(-.infinity).jsonString == "null")
        #expect(JSONValue.double(.nan).jsonString == "null")
        #expect(JSONValue.array([.double(.nan), .double(1)]).jsonString == "[null,1.0]")
    }

    @Test("Doubles serialize like Python json.dumps and parse back bit-exactly", arguments: doubleTable)
    func doublesMatchPython(bits: UInt64, python: String) throws {
        let d = Double(bitPattern: bits)
        #expect(JSONValue.double(d).jsonString == python)
        let parsed = try parse(python)
        #expect(parsed.doubleValue?.bitPattern == bits)
        if case .int = parsed { Issue.record("\(python) parsed as int") }
    }

    @Test func serializerEscapes() {
        #expect(JSONValue.string("\"\\/").jsonString == #""\"\\/""#)
        #expect(JSONValue.string("\u{8}\u{C}\n\r\t").jsonString == #""\b\f\n\r\t""#)
        #expect(JSONValue.string("\u{0}\u{1}\u{1F}\u{7F}").jsonString == "\"\\u0000\\u0001\\u001f\u{7F}\"")
        #expect(JSONValue.string("héllo 中文 😀 \u{2028}").jsonString == "\"héllo 中文 😀 \u{2028}\"")
        #expect(JSONValue.string("héllo").serialized() == [0x22, 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F, 0x22])
        // Every control character, checked individually.
        for byte in UInt8(0)..<0x20 {
            let text = JSONValue.string(String(decoding: [byte], as: UTF8.self)).jsonString
            #expect(text.utf8.count == 4 || text.utf8.count == 8, "\(byte)")
            #expect((try? parse(text))?.stringValue?.utf8.first == byte)
        }
    }

    @Test func serializeIntoExistingBuffer() {
        var buffer = Array("prefix:".utf8)
        JSONValue.array([1, "a"]).serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:[1,"a"]"#)
    }

    // MARK: Parser: accepted input

    @Test func parsesDocument() throws {
        let text = #" { "a" : 1 , "b" : [ true , null , 2.5 , -3e2 , "x\n" ] , "c" : { } , "d" : [ ] }"#
        let value = try parse(text + "\r\n\t ")
        #expect(value == ["a": 1, "b": [true, nil, 2.5, -300.0, "x\n"], "c": [:], "d": []])
        #expect(value.objectValue?.keys == ["a", "b", "c", "d"])
        #expect(value.jsonString == #"{"a":1,"b":[true,null,2.5,-300.0,"x\n"],"c":{},"d":[]}"#)
    }

    @Test func scalarsAtTopLevel() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse(" false ") == .bool(false))
        #expect(try parse("42") == .int(42))
        #expect(try parse("-0") == .int(0))
        #expect(try parse(#""s""#) == .string("s"))
        let negativeZero = try parse("-0.0")
        #expect(negativeZero.doubleValue == 0 && negativeZero.doubleValue?.sign == .minus)
    }

    @Test func compactTextRoundTripsExactly() throws {
        let texts = [
            #"{"a":1,"b":[true,null,2.5,3.0,"x\n"]}"#,
            #"[{"z":{"y":{"x":[[],{}]}}},-1,0.5,1e-07,5e+20,"\u0000\"\\é😀"]"#,
            #"{"k9":9,"k8":8,"k7":7,"k6":6,"k5":5,"k4":4,"k3":3,"k2":2,"k1":1,"k0":0}"#,
            #"[9223372036854775807,-9223372036854775808,9.223372036854776e+18]"#,
        ]
        for text in texts {
            #expect(try parse(text).jsonString == text)
        }
    }

    @Test func generatedDocumentsRoundTrip() throws {
        var rng = SplitMix64(state: 2025)
        for _ in 0..<300 {
            let value = randomValue(depth: 0, using: &rng)
            let bytes = value.serialized()
            let parsed = try JSONParser.parse(bytes)
            #expect(parsed == value)
            #expect(parsed.serialized() == bytes)
        }
    }

    @Test func stringEscapesAndUnicode() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u20AC\u0000""#) == .string("Aé€\u{0}"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\uD83D\uDE00 and \uDBFF\uDFFF""#) == .string("😀 and \u{10FFFF}"))
        #expect(try parse(#""a\ud83d\ude00b""#).stringValue?.unicodeScalars.count == 3)
        #expect(try parse("\"héllo 中文 😀\"") == .string("héllo 中文 😀"))
        #expect(try parse("\"\u{7F}\u{FFFF}\"") == .string("\u{7F}\u{FFFF}"))
        #expect(try parse("\"tail é\\n\"") == .string("tail é\n"))
    }

    @Test func numbers() throws {
        #expect(try parse("9223372036854775807") == .int(.max))
        #expect(try parse("-9223372036854775808") == .int(.min))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse("-9223372036854775809") == .double(-9_223_372_036_854_775_808.0))
        #expect(try parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(try parse("5.0") == .double(5))
        #expect(try parse("5.0").int64Value == 5)
        #expect(try parse("5E0") == .double(5))
        #expect(try parse("1e2") == .double(100))
        #expect(try parse("1E+2") == .double(100))
        #expect(try parse("-2.5e-3") == .double(-0.0025))
        #expect(try parse("0.1") == .double(0.1))
        #expect(try parse("1e999") == .double(.infinity))
        #expect(try parse("-1e999") == .double(-.infinity))
        #expect(try parse("1e-999") == .double(0))
        #expect(try parse("1" + String(repeating: "0", count: 400)) == .double(.infinity))
        #expect(try parse("0." + String(repeating: "0", count: 400) + "1") == .double(0))
        #expect(try parse("2.2250738585072011e-308") == .double(Double.leastNormalMagnitude.nextDown))
        #expect(try parse("9007199254740993") == .int(9_007_199_254_740_993))
        #expect(try parse("9007199254740993.0") == .double(9_007_199_254_740_992))
        #expect(try parse("1e00000000000000000000000002") == .double(100))
    }

    @Test func acceptsAnyInputRepresentation() throws {
        let text = #"{"a":[1,2]}"#
        let expected: JSONValue = ["a": [1, 2]]
        let bytes = Array(text.utf8)
        #expect(try JSONParser.parse(text) == expected)
        #expect(try JSONParser.parse(text[...]) == expected)
        #expect(try JSONParser.parse(bytes) == expected)
        #expect(try JSONParser.parse(bytes[...]) == expected)
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == expected)  // non-contiguous
        #expect(try bytes.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.parse(raw) } == expected)
        #expect(
            try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try JSONParser.parse(buffer) }
                == expected)
    }

    // MARK: Parser: rejections

    static let rejections: [(String, JSONParseError.Kind, Int)] = [
        ("", .unexpectedEndOfInput, 0),
        ("  \n", .unexpectedEndOfInput, 3),
        ("[1,]", .unexpectedCharacter(UInt8(ascii: "]")), 3),
        (#"{"a":1,}"#, .unexpectedCharacter(UInt8(ascii: "}")), 7),
        ("[,1]", .unexpectedCharacter(UInt8(ascii: ",")), 1),
        ("[1 2]", .unexpectedCharacter(UInt8(ascii: "2")), 3),
        (#"{"a" 1}"#, .unexpectedCharacter(UInt8(ascii: "1")), 5),
        ("{1:2}", .unexpectedCharacter(UInt8(ascii: "1")), 1),
        (#"{"a":1 "b":2}"#, .unexpectedCharacter(UInt8(ascii: "\"")), 7),
        ("// c\n1", .unexpectedCharacter(UInt8(ascii: "/")), 0),
        ("/* c */ 1", .unexpectedCharacter(UInt8(ascii: "/")), 0),
        ("[1 /* c */]", .unexpectedCharacter(UInt8(ascii: "/")), 3),
        ("# c\n1", .unexpectedCharacter(UInt8(ascii: "#")), 0),
        ("NaN", .unexpectedCharacter(UInt8(ascii: "N")), 0),
        ("Infinity", .unexpectedCharacter(UInt8(ascii: "I")), 0),
        ("-Infinity", .invalidNumber, 1),
        ("[nan]", .unexpectedCharacter(UInt8(ascii: "a")), 2),
        ("01", .invalidNumber, 1),
        ("-01", .invalidNumber, 2),
        ("00.5", .invalidNumber, 1),
        ("1.", .invalidNumber, 2),
        ("1.e5", .invalidNumber, 2),
        ("1e", .invalidNumber, 2),
        ("1e+", .invalidNumber, 3),
        ("-", .invalidNumber, 1),
        ("- 1", .invalidNumber, 1),
        (".5", .unexpectedCharacter(UInt8(ascii: ".")), 0),
        ("+1", .unexpectedCharacter(UInt8(ascii: "+")), 0),
        ("0x10", .trailingData, 1),
        ("1 2", .trailingData, 2),
        ("{} {}", .trailingData, 3),
        ("nulll", .trailingData, 4),
        ("'a'", .unexpectedCharacter(UInt8(ascii: "'")), 0),
        ("{'a':1}", .unexpectedCharacter(UInt8(ascii: "'")), 1),
        ("True", .unexpectedCharacter(UInt8(ascii: "T")), 0),
        ("nul", .unexpectedEndOfInput, 3),
        ("nulx", .unexpectedCharacter(UInt8(ascii: "x")), 3),
        ("undefined", .unexpectedCharacter(UInt8(ascii: "u")), 0),
        ("\u{C}1", .unexpectedCharacter(0x0C), 0),
        ("\u{B}1", .unexpectedCharacter(0x0B), 0),
        ("\u{A0}1", .unexpectedCharacter(0xC2), 0),
        ("\u{FEFF}1", .unexpectedCharacter(0xEF), 0),
        ("[", .unexpectedEndOfInput, 1),
        ("{", .unexpectedEndOfInput, 1),
        (#"{"a":"#, .unexpectedEndOfInput, 5),
        (#"{"a""#, .unexpectedEndOfInput, 4),
        ("[1", .unexpectedEndOfInput, 2),
        (#""abc"#, .unexpectedEndOfInput, 4),
        (#""ab\"#, .unexpectedEndOfInput, 4),
        ("\"a\tb\"", .controlCharacterInString, 2),
        ("\"a\nb\"", .controlCharacterInString, 2),
        ("\"\u{0}\"", .controlCharacterInString, 1),
        ("\"\\n\u{1F}\"", .controlCharacterInString, 3),
        (#""\x""#, .invalidEscape, 1),
        (#""\'""#, .invalidEscape, 1),
        (#""\U0041""#, .invalidEscape, 1),
        (#""\u12""#, .invalidUnicodeEscape, 5),
        (#""\u12G4""#, .invalidUnicodeEscape, 5),
        (#""\u004"#, .unexpectedEndOfInput, 6),
        (#""\ud800""#, .loneSurrogate, 1),
        (#""\ud800x""#, .loneSurrogate, 1),
        (#""\ud800\u0041""#, .loneSurrogate, 1),
        (#""\ud800\ud800""#, .loneSurrogate, 1),
        (#""\ud800\n""#, .loneSurrogate, 1),
        (#""\udc00""#, .loneSurrogate, 1),
        (#""\ude00\ud83d""#, .loneSurrogate, 1),
        (#""ok\uDFFF""#, .loneSurrogate, 3),
        (#"{"a":1,"a":2}"#, .duplicateKey("a"), 7),
        (#"{"a":1,"\u0061":2}"#, .duplicateKey("a"), 7),
        (#"[{"x":{"y":1,"y":[]}}]"#, .duplicateKey("y"), 13),
    ]

    @Test("Rejects invalid JSON with the right kind and offset", arguments: rejections)
    func rejects(text: String, kind: JSONParseError.Kind, offset: Int) {
        #expect(parseError(Array(text.utf8)) == JSONParseError(kind, offset: offset))
    }

    @Test(
        "Rejects invalid UTF-8 inside strings",
        arguments: [
            [0xFF], [0xFE], [0x80], [0xBF],  // invalid lead / lone continuation
            [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF],  // overlong
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],  // encoded surrogates
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],  // above U+10FFFF
            [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3],  // truncated before the closing quote
            [0xE2, 0x28, 0xA1], [0xF0, 0x9F, 0x28, 0x80],  // bad continuation
        ] as [[UInt8]])
    func rejectsInvalidUTF8(sequence: [UInt8]) {
        #expect(parseError([0x22, 0x61] + sequence + [0x22]) == JSONParseError(.invalidUTF8, offset: 2))
        // Same inside a string that also needs unescaping.
        #expect(parseError([0x22, 0x5C, 0x6E] + sequence + [0x22]) == JSONParseError(.invalidUTF8, offset: 3))
    }

    @Test func acceptsValidUTF8Boundaries() throws {
        let samples: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for sample in samples {
            let value = try JSONParser.parse([0x22] + sample + [0x22])
            #expect(value.stringValue.map { Array($0.utf8) } == sample)
        }
    }

    @Test func duplicateKeysInLargeObjects() {
        let members = (0..<20).map { #""k\#($0)":\#($0)"# }
        let text = "{" + members.joined(separator: ",") + #","k13":0}"#
        let error = parseError(Array(text.utf8))
        #expect(error?.kind == .duplicateKey("k13"))
        #expect(error?.offset == text.utf8.count - 8)
        #expect((try? parse("{" + members.joined(separator: ",") + "}"))?.objectValue?.count == 20)
    }

    @Test func nestingDepthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try parse(ok).jsonString == ok)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(Array(tooDeep.utf8)) == JSONParseError(.depthLimitExceeded(64), offset: 64))
        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(parseError(Array(objects.utf8))?.kind == .depthLimitExceeded(64))
        let shallow = JSONParser.Limits(maxDepth: 2)
        #expect(try parse("[[1]]", limits: shallow) == [[1]])
        #expect(
            parseError(Array("[{\"a\":[]}]".utf8), limits: shallow) == JSONParseError(.depthLimitExceeded(2), offset: 6)
        )
        #expect(try parse("1", limits: JSONParser.Limits(maxDepth: 0)) == 1)
        // Huge nesting fails fast instead of overflowing the stack.
        let hostile = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(parseError(hostile)?.kind == .depthLimitExceeded(64))
    }

    @Test func stringLengthLimit() throws {
        let limits = JSONParser.Limits(maxStringBytes: 5)
        #expect(try parse(#""abcde""#, limits: limits) == "abcde")
        #expect(try parse(#""\n\n\n\n\n""#, limits: limits) == "\n\n\n\n\n")
        #expect(try parse("\"hél\"", limits: limits) == "hél")
        #expect(parseError(Array(#""abcdef""#.utf8), limits: limits) == JSONParseError(.stringTooLong(5), offset: 0))
        #expect(
            parseError(Array(#"[1,"a\nbcde"]"#.utf8), limits: limits) == JSONParseError(.stringTooLong(5), offset: 3))
        #expect(
            parseError(Array(#"{"keykey":1}"#.utf8), limits: limits) == JSONParseError(.stringTooLong(5), offset: 1))
        #expect(JSONParser.Limits.default == JSONParser.Limits(maxDepth: 64, maxStringBytes: 1_048_576))
        let big = "\"" + String(repeating: "x", count: 1 << 20) + "\""
        #expect(try parse(big).stringValue?.utf8.count == 1 << 20)
        #expect(parseError(Array(("\"x" + big.dropFirst()).utf8))?.kind == .stringTooLong(1 << 20))
    }

    @Test func errorDescriptions() {
        let error = parseError(Array("{\"abc\": [1, x]}".utf8))
        #expect(error == JSONParseError(.unexpectedCharacter(UInt8(ascii: "x")), offset: 12))
        #expect(error?.description == "unexpected character 'x' at byte 12")
        #expect(
            JSONParseError(.unexpectedCharacter(0x0C), offset: 0).description == "unexpected character 0x0C at byte 0")
        #expect(JSONParseError(.duplicateKey("id"), offset: 9).description == #"duplicate key "id" at byte 9"#)
        #expect(JSONParseError(.unexpectedEndOfInput, offset: 3).description == "unexpected end of input at byte 3")
        #expect(
            JSONParseError(.depthLimitExceeded(64), offset: 64).description
                == "nesting deeper than 64 levels at byte 64")
    }

    // MARK: Values and objects

    @Test func accessors() {
        #expect(JSONValue.double(5.0).int64Value == 5)
        #expect(JSONValue.double(-0.0).int64Value == 0)
        #expect(JSONValue.double(5.5).int64Value == nil)
        #expect(JSONValue.double(1e300).int64Value == nil)
        #expect(JSONValue.double(9.3e18).int64Value == nil)
        #expect(JSONValue.double(-9_223_372_036_854_775_808.0).int64Value == .min)
        #expect(JSONValue.double(9_223_372_036_854_775_808.0).int64Value == nil)
        #expect(JSONValue.double(.nan).int64Value == nil)
        #expect(JSONValue.double(.infinity).int64Value == nil)
        #expect(JSONValue.int(7).int64Value == 7)
        #expect(JSONValue.string("7").int64Value == nil)
        #expect(JSONValue.int(7).doubleValue == 7.0)
        #expect(JSONValue.double(2.5).doubleValue == 2.5)
        #expect(JSONValue.bool(true).doubleValue == nil)
        #expect(JSONValue.string("s").stringValue == "s")
        #expect(JSONValue.int(1).stringValue == nil)
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.null.boolValue == nil)
        #expect(JSONValue.null.isNull && !JSONValue.int(0).isNull)
        #expect(JSONValue.array([1]).arrayValue == [1])
        #expect(JSONValue.object(["a": 1]).objectValue == ["a": 1])
        #expect(JSONValue.int(1).arrayValue == nil && JSONValue.int(1).objectValue == nil)
        let doc: JSONValue = ["list": [10, 20], "nested": ["k": "v"]]
        #expect(doc["list"]?[1] == 20)
        #expect(doc["list"]?[2] == nil)
        #expect(doc["list"]?[-1] == nil)
        #expect(doc["nested"]?["k"] == "v")
        #expect(doc["missing"] == nil)
        #expect(JSONValue.int(1)["k"] == nil)
    }

    @Test func optionalHelpersAndLiterals() {
        #expect(JSONValue.optional(2.5 as Double?) == .double(2.5))
        #expect(JSONValue.optional(nil as Double?) == .null)
        #expect(JSONValue.optional(3 as Int64?) == .int(3))
        #expect(JSONValue.optional(nil as Int64?) == .null)
        #expect(JSONValue.optional("x" as String?) == .string("x"))
        #expect(JSONValue.optional(nil as String?) == .null)
        #expect(JSONValue.optional(true as Bool?) == .bool(true))
        #expect(JSONValue.optional(nil as Bool?) == .null)
        let literal: JSONValue = ["n": nil, "b": true, "i": -3, "d": 0.5, "s": "x", "a": [1, "two"], "o": ["k": [:]]]
        #expect(literal.jsonString == #"{"n":null,"b":true,"i":-3,"d":0.5,"s":"x","a":[1,"two"],"o":{"k":{}}}"#)
        #expect(JSONValue.int(1) != JSONValue.double(1))
        #expect(literal.description == literal.jsonString)
    }

    @Test func objectPreservesInsertionOrder() {
        var object: JSONObject = ["b": 1, "a": 2, "c": 3]
        #expect(object.keys == ["b", "a", "c"])
        #expect(object.values == [1, 2, 3])
        object["a"] = 20
        object.append(4, forKey: "d")
        #expect(object.keys == ["b", "a", "c", "d"])
        #expect(object["a"] == 20)
        #expect(object.updateValue(30, forKey: "c") == 3)
        #expect(object.updateValue(5, forKey: "e") == nil)
        object["b"] = nil
        #expect(object.removeValue(forKey: "zzz") == nil)
        #expect(object.keys == ["a", "c", "d", "e"])
        #expect(object.count == 4)
        #expect(object.contains(key: "c") && !object.contains(key: "b"))
        #expect(object.map(\.key) == ["a", "c", "d", "e"])
        #expect(object.first?.value == 20)
        #expect(object.description == #"{"a":20,"c":30,"d":4,"e":5}"#)
        #expect(JSONObject(["x": 1, "y": 2] as KeyValuePairs).keys == ["x", "y"])
        #expect(JSONObject([("q", 1), ("p", 2), ("q", 3)]).map(\.value) == [3, 2])
        #expect(JSONObject().isEmpty)
    }

    @Test func largeObjectsUseIndexConsistently() {
        var object = JSONObject()
        for i in 0..<50 { object["k\(i)"] = .int(Int64(i)) }
        #expect(object.count == 50)
        #expect((0..<50).allSatisfy { object["k\($0)"] == .int(Int64($0)) })
        #expect(object.removeValue(forKey: "k10") == 10)
        #expect(object["k10"] == nil)
        #expect(object["k11"] == 11 && object["k49"] == 49 && object["k0"] == 0)
        object["k10"] = 100
        #expect(object.keys.last == "k10")
        for i in 0..<45 { object["k\(i)"] = nil }
        #expect(object.keys == ["k45", "k46", "k47", "k48", "k49"])
        #expect(object["k47"] == 47)
        object["new"] = true
        #expect(object["new"] == true && object.count == 6)
    }

    @Test func objectEqualityIgnoresOrder() {
        let a: JSONObject = ["x": 1, "y": [1, 2]]
        let b: JSONObject = ["y": [1, 2], "x": 1]
        #expect(a == b)
        #expect(a != ["x": 1, "y": [2, 1]])
        #expect(a != ["x": 1])
        #expect(a != ["x": 1, "z": [1, 2]])
        #expect(JSONValue.object(a) == .object(b))
        #expect(JSONValue.object(a).jsonString != JSONValue.object(b).jsonString)
    }
}
let doubleTable: [(UInt64, String)] = [
    (0x3fb999999999999a, "0.1"),
    (0x3fc999999999999a, "0.2"),
    (0x3fd3333333333334, "0.30000000000000004"),
    (0x3e7ad7f29abcaf48, "1e-07"),
    (0x4059000000000000, "100.0"),
    (0x4008000000000000, "3.0"),
    (0x4004000000000000, "2.5"),
    (0x8000000000000000, "-0.0"),
    (0x443b1ae4d6e2ef50, "5e+20"),
    (0x4341c37937e08000, "1e+16"),
    (0x430c6bf526340000, "1000000000000000.0"),
    (0x419d6f3454800000, "123456789.125"),
    (0x3fd5555555555555, "0.3333333333333333"),
    (0x4340000000000000, "9007199254740992.0"),
    (0x4340000000000001, "9007199254740994.0"),
    (0x4341c37937e07fff, "9999999999999998.0"),
    (0xc340000000000001, "-9007199254740994.0"),
    (0x43118b54f22aeb03, "1234567890123456.8"),
    (0x3f1a36e2eb1c432c, "9.999999999999999e-05"),
    (0x7fefffffffffffff, "1.7976931348623157e+308"),
    (0x0000000000000001, "5e-324"),
    (0x0010000000000000, "2.2250738585072014e-308"),
    (0x3f1a36e2eb1c432d, "0.0001"),
    (0x3ee4f8b588e368f1, "1e-05"),
    (0x444b1ae4d6e2ef50, "1e+21"),
    (0x4480f0cf064dd592, "1e+22"),
    (0x01a56e1fc2f8f359, "1e-300"),
    (0xbde49da7e361ce4c, "-1.5e-10"),
    (0x4340000000000000, "9007199254740992.0"),
    (0x426a11b6c438440b, "895730721218.1263"),
    (0x5178dcb96ffb9ec4, "3.0186894607970755e+84"),
    (0x0d067696f9077b84, "6.425485839826166e-246"),
    (0x9183e2d46a622fea, "-2.68622166174829e-224"),
    (0x09f020597fed9eb2, "8.194081262862045e-261"),
    (0xab29e5b4e858c1e9, "-9.250086831160303e-101"),
    (0xd9b8c1b7a0fcc3cf, "-1.6365569725848095e+124"),
    (0xb0c283383300f7d1, "-8.185739733122698e-74"),
    (0xd7cca529c24da3ab, "-8.817789878420218e+114"),
    (0xf5e392f39fb8ae18, "-7.523960777007089e+259"),
    (0x2ceb3f61ae2ced77, "2.612518314634741e-92"),
    (0x797029fe16167814, "8.954178849140113e+276"),
    (0x7809e83db4e3cb8e, "1.7108284528077357e+270"),
    (0x081420d42ad75742, "9.525102111858403e-270"),
    (0x07439e62eaa59fe7, "1.133297958741853e-273"),
    (0x99dc9b6b30ce315e, "-4.2078142733664756e-184"),
    (0x1c0019bef8b80c37, "8.1371771064285e-174"),
    (0xf6de69178b20043c, "-3.8303635179613134e+264"),
    (0xa41714c6cb72d5ab, "-7.938885751128173e-135"),
    (0x76d60ebe7dbf70a8, "2.7782693785236816e+264"),
    (0xccc90d4d09c85784, "-8.051388480105332e+61"),
    (0x0aceed80d0a94996, "1.287365862667734e-256"),
    (0xa8db97cde5cda4cc, "-7.171009773016479e-112"),
    (0xee7909ff77402b36, "-1.4481538866119425e+224"),
    (0xc01b84bce5719dcc, "-6.879626832065195"),
    (0xddec60a12af072b7, "-2.7683528811086732e+144"),
    (0x3263d754cea137cb, "5.887589630449824e-66"),
    (0xb162784f0c2fa208, "-8.362899784084603e-71"),
    (0x3d2c5e65d456ba6f, "5.0393007622902887e-14"),
    (0x4682199c581aed35, "4.588905788784352e+31"),
    (0x3a9afa1929cd28ce, "2.1791803807280718e-26"),
    (0x8d0ab45c6591e455, "-7.638684434900758e-246"),
    (0xd686d3435b231b2e, "-6.700757927128536e+108"),
    (0xc655f67e3a9ee89b, "-6.960309306789904e+30"),
    (0xe55827582053228e, "-1.5660329104651147e+180"),
    (0x0e0c3a024e118b0c, "5.2914173242562614e-241"),
    (0x7751ee6d68aff607, "5.781883429807097e+266"),
    (0xc03ff9bc2c9e1c14, "-31.9755275617609"),
    (0x47e1bfbe8ab6f2c4, "1.887397542100368e+38"),
    (0x78c5f3d1b83180a3, "5.937839516431886e+273"),
    (0xd70820fe119a72d1, "-1.813366227079492e+111"),
    (0xf1d69ed617f5e837, "-2.3567736845445426e+240"),
    (0x795e8229451abd81, "4.2250910258184893e+276"),
    (0xaa05e11ab2715945, "-2.981159638324064e-106"),
    (0x0f88080b10a3d6b2, "7.558102728675875e-234"),
    (0xb394fb36bb2d420f, "-3.2641743650562687e-60"),
    (0xa5aa3c814f426dcb, "-3.027995513626958e-127"),
    (0xfe3b890b93f448b3, "-1.1525135242434574e+300"),
    (0xd269a9a5ae658f33, "-1.0210119386754281e+89"),
    (0x48db40af72158370, "9.49617199559166e+42"),
    (0x62c33a4fb774eb52, "5.669133984602297e+167"),
    (0xab2cd31ee3151288, "-1.0295705401073516e-100"),
    (0x05c6af0758d5563d, "7.81030621256862e-281"),
    (0x7631a992f0ce5835, "2.1725307391616573e+261"),
    (0x2b0537e65affb229, "1.8947122228584578e-101"),
    (0x1df9fd789c653938, "2.8207895627764684e-164"),
    (0x0f17a3007e62aa0a, "5.807787720339311e-236"),
    (0xc4aaeac137dc76fb, "-6.355599475351771e+22"),
    (0x211c70cf49952399, "3.47537661855496e-149"),
    (0x3f63af83bd0561e6, "0.0024030278220090627"),
]
