import Foundation
import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput
@testable import RedlinePolicy
@testable import RedlineHistory
@testable import RedlineVerdict
@testable import RedlineBaseline
@testable import RedlineReport

/// Parses text and returns the error it raises, or nil if it parsed.
func jsonError(_ text: String, file: String = "m.json") -> RedlineError? {
    jsonError(bytes: Array(text.utf8), file: file)
}

func jsonError(bytes: [UInt8], file: String = "m.json") -> RedlineError? {
    do {
        _ = try JSONReader.parse(SourceText(name: file, bytes: bytes))
        return nil
    } catch {
        return error.redlineErrors.first
    }
}

@Suite("Strict JSON reader")
struct JSONReaderTests {
    @Test("reads every JSON value type with the offsets of its nodes")
    func readsValues() throws {
        let node = try JSONReader.parse(
            SourceText(name: "a", text: #"{"a": [1, -2.5e3, true, false, null, "x\u00e9\n"]}"#))
        guard case .object(let members) = node.value, case .array(let items) = members[0].node.value else {
            Issue.record("expected an object holding an array")
            return
        }
        #expect(members[0].key == "a")
        #expect(items.count == 6)
        if case .number(let value) = items[1].value { #expect(value == -2500) } else { Issue.record("not a number") }
        if case .string(let text) = items[5].value { #expect(text == "xé\n") } else { Issue.record("not a string") }
        #expect(items[0].offset == 7)
    }

    @Test(
        "rejects what Foundation's JSONSerialization would let through",
        arguments: [
            (#"{"a": 1, "a": 2}"#, "duplicate key \"a\""),
            (#"{"x": {"b": 1, "b": 1}}"#, "duplicate key \"b\""),
            (#"[{"m": [{"k": 1, "k": 1}]}]"#, "duplicate key \"k\""),
            (#"{"a": 1,}"#, "trailing comma before '}'"),
            ("[1, 2,]", "trailing comma before ']'"),
            ("// note\n{}", "comments are not allowed"),
            (#"{"a": NaN}"#, "NaN and Infinity are not JSON numbers"),
            (#"{"a": Infinity}"#, "NaN and Infinity are not JSON numbers"),
            (#"{"a": -Infinity}"#, "NaN and Infinity are not JSON numbers"),
            (#"{"a": 1e400}"#, "is out of range"),
            (#"{"a": -1e400}"#, "is out of range"),
            (#"{"a": 01}"#, "leading zeros"),
            (#"{"a": 9007199254740993}"#, "beyond 2^53"),
            (#"[-123456789012345678901234567890]"#, "beyond 2^53"),
            (#"{"a": 1.}"#, "expected a digit after '.'"),
            (#"{"a": .5}"#, "unexpected '.'"),
            (#"{'a': 1}"#, "unexpected '''"),
            (#"{"a": "\ud800"}"#, "lone UTF-16 surrogate"),
            (#"{"a": "\x"}"#, "invalid escape"),
            ("{\"a\": \"tab\there\"}", "unescaped control character U+0009"),
            (#"{"a": 1} {"#, "after the end of the JSON document"),
            (#"{"a": [1, 2"#, "unexpected end of file inside an array"),
            (#"{"a": "unterminated"#, "unterminated string"),
            ("", "the file is empty"),
            ("   ", "unexpected end of file"),
        ])
    func rejects(text: String, expected: String) {
        let error = jsonError(text)
        #expect(error != nil, "accepted: \(text)")
        #expect(error?.message.contains(expected) == true, "message was: \(error?.description ?? "none")")
    }

    @Test("every error names the file, line and column of the problem")
    func positions() throws {
        let error = try #require(jsonError("{\n  \"a\": 1,\n  \"a\": 2\n}", file: "current.json"))
        #expect(error.file == "current.json")
        #expect(error.line == 3)
        #expect(error.column == 3)
        #expect(error.message.contains("first at line 2, column 3"))
        #expect(error.description.hasPrefix("current.json:3:3: duplicate key"))
    }

    @Test("columns count characters, not bytes")
    func columnsCountCharacters() throws {
        let error = try #require(jsonError("{\"é\": NaN}"))
        #expect(error.column == 7)
    }

    @Test(
        "a UTF-8 byte-order mark is skipped, with positions counted after it; UTF-16, UTF-32 and invalid UTF-8 are refused naming the encoding"
    )
    func encodings() throws {
        #expect(jsonError(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == nil)
        let afterMark = try #require(jsonError(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\": x}".utf8)))
        #expect(afterMark.line == 1 && afterMark.column == 7)
        #expect(
            jsonError(bytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00])?.message
                == "the file is UTF-16 little-endian, not UTF-8")
        #expect(jsonError(bytes: [0x7B, 0x00, 0x7D, 0x00])?.message == "the file is UTF-16 little-endian, not UTF-8")
        #expect(jsonError(bytes: [0x00, 0x7B, 0x00, 0x7D])?.message == "the file is UTF-16 big-endian, not UTF-8")
        #expect(
            jsonError(bytes: [0xFF, 0xFE, 0, 0, 0x7B, 0, 0, 0])?.message
                == "the file is UTF-32 little-endian, not UTF-8")
        #expect(
            jsonError(bytes: [0, 0, 0xFE, 0xFF, 0, 0, 0, 0x7B])?.message == "the file is UTF-32 big-endian, not UTF-8")
        let invalid = try #require(jsonError(bytes: Array("{\"a\": \"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)))
        #expect(invalid.message.contains("invalid UTF-8"))
        #expect(invalid.column == 9)
        // Overlong encodings and encoded surrogates are invalid UTF-8 too.
        #expect(jsonError(bytes: Array("[\"".utf8) + [0xC0, 0xAF] + Array("\"]".utf8)) != nil)
        #expect(jsonError(bytes: Array("[\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"]".utf8)) != nil)
        #expect(jsonError(bytes: Array("[\"".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\"]".utf8)) != nil)
        #expect(jsonError(bytes: Array("[\"".utf8) + [0xF0, 0x9F, 0x98, 0x80] + Array("\"]".utf8)) == nil)
        #expect(jsonError(bytes: [0x5B, 0x00, 0x5D]) != nil)
    }

    @Test("nesting past the depth limit is an error, not a stack overflow")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(jsonError(deep)?.message.contains("nest deeper than 512") == true)
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(jsonError(fine) == nil)
    }

    @Test("surrogate pairs decode to one character")
    func surrogatePair() throws {
        let node = try JSONReader.parse(SourceText(name: "a", text: #"["\ud83d\ude00"]"#))
        guard case .array(let items) = node.value, case .string(let text) = items[0].value else {
            Issue.record("expected a string")
            return
        }
        #expect(text == "😀")
    }

    @Test("numbers read exactly as the shortest round-trip text says (seeded random check)")
    func numbersRoundTrip() throws {
        var generator = SeededGenerator(seed: 20_261_124)
        for _ in 0..<5_000 {
            let value: Double
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: value = Double.random(in: -1e6...1e6, using: &generator)
            case 1: value = Double(Int.random(in: -1_000_000_000...1_000_000_000, using: &generator)) / 1000
            default: value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            }
            guard value.isFinite else { continue }
            let text = JSONWriter.number(value)
            let node = try JSONReader.parse(SourceText(name: "n", text: "[\(text)]"))
            guard case .array(let items) = node.value, case .number(let read) = items[0].value else {
                Issue.record("not a number: \(text)")
                return
            }
            #expect(read == value, "\(text) read back as \(read)")
        }
        // Long mantissas and extreme exponents take the slow path and still round correctly.
        let cases = [
            "1.23456789012345678901234567890e29", "0.1000000000000000055511151231257827", "9007199254740992",
            "2.2250738585072014e-308", "1.7976931348623157e308", "4.9e-324", "1e-400",
        ]
        for text in cases {
            let node = try JSONReader.parse(SourceText(name: "n", text: "[\(text)]"))
            guard case .array(let items) = node.value, case .number(let read) = items[0].value else { continue }
            #expect(read == Double(text), "\(text)")
        }
    }
}

/// A small seeded generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
