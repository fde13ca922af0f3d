import RedlineModel

/// A JSON document to write: object keys keep the order they are given in,
/// so every writer decides its key order once and the bytes are deterministic.
public indirect enum JSONOutput: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// An array; `inline` writes it on one line (`[1, 2, 3]`), as for samples.
    case array([JSONOutput], inline: Bool = false)
    /// An object; `inline` writes it on one line (`{"a": 1, "b": 2}`), as for per-metric results.
    case object([JSONOutputMember], inline: Bool = false)

    /// A string, or null when absent.
    public static func optional(_ text: String?) -> JSONOutput { text.map(JSONOutput.string) ?? .null }
    /// A number, or null when absent.
    public static func optional(_ value: Double?) -> JSONOutput { value.map(JSONOutput.number) ?? .null }
}

/// One key and value of a `JSONOutput.object`.
public struct JSONOutputMember: Sendable, Equatable {
    /// The key.
    public var key: String
    /// The value.
    public var value: JSONOutput

    /// Creates a member.
    public init(_ key: String, _ value: JSONOutput) {
        self.key = key
        self.value = value
    }
}

/// Writes `JSONOutput` as text: two-space indent, shortest round-trip numbers, trailing newline.
public enum JSONWriter {
    /// The whole document, ending in a newline.
    public static func write(_ value: JSONOutput) -> String {
        var text = ""
        text.reserveCapacity(1024)
        write(value, indent: 0, into: &text)
        text += "\n"
        return text
    }

    /// The value appended to `text`, without the final newline: a row of a larger document.
    public static func append(_ value: JSONOutput, to text: inout String) {
        write(value, indent: 0, into: &text)
    }

    /// The shortest text that reads back as exactly `value`: integers without a fraction, others
    /// as Swift's shortest round-trip form. Only finite values reach here (input rejects the rest).
    @inlinable public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return NumberText.shortest(value)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, and
    /// invisible format characters (bidi overrides among them) as `\u` escapes so a reviewer sees them.
    public static func quote(_ text: String) -> String {
        // Most names are printable ASCII without quotes or backslashes: nothing to escape.
        if isPlain(text) { return "\"" + text + "\"" }
        var out = "\""
        var previous: (Unicode.Scalar?, Unicode.Scalar?) = (nil, nil)
        for scalar in text.unicodeScalars {
            defer { previous = (previous.1, scalar) }
            switch scalar {
            // `##[` is a workflow command to GitHub's runner wherever it appears in a log line:
            // written as `##\u005b`, the JSON means the same and no runner reads a command.
            case "[" where previous.0 == "#" && previous.1 == "#": out += "\\u005b"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || MetricRules.isForbidden(scalar) {
                    if scalar.value > 0xFFFF {
                        let bits = scalar.value - 0x10000
                        out += hex4(0xD800 + (bits >> 10)) + hex4(0xDC00 + (bits & 0x3FF))
                    } else {
                        out += hex4(scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `quote(string)` appended to `bytes`, without a string in between for the common plain case.
    static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        guard isPlain(string) else { return bytes.append(contentsOf: quote(string).utf8) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: string.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `quote(string)` appended to `text`, without a string in between for the common plain case.
    private static func appendQuoted(_ string: String, to text: inout String) {
        guard isPlain(string) else {
            text += quote(string)
            return
        }
        text += "\""
        text += string
        text += "\""
    }

    /// Whether `text` is printable ASCII without a quote, a backslash or `##[`: written as it is.
    /// One pass over the bytes, no Foundation search: a large result quotes millions of strings.
    private static func isPlain(_ text: String) -> Bool {
        var hashes = 0
        for byte in text.utf8 {
            guard byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C else { return false }
            if byte == UInt8(ascii: "[") && hashes >= 2 { return false }
            hashes = byte == UInt8(ascii: "#") ? hashes + 1 : 0
        }
        return true
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    private static func write(_ value: JSONOutput, indent: Int, into text: inout String) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let figure): text += number(figure)
        case .string(let string): appendQuoted(string, to: &text)
        case .array(let elements, let inline):
            writeContainer(elements.count, brackets: ("[", "]"), inline: inline, indent: indent, into: &text) {
                position, inner, text in
                write(elements[position], indent: inner, into: &text)
            }
        case .object(let members, let inline):
            writeContainer(members.count, brackets: ("{", "}"), inline: inline, indent: indent, into: &text) {
                position, inner, text in
                appendQuoted(members[position].key, to: &text)
                text += ": "
                write(members[position].value, indent: inner, into: &text)
            }
        }
    }

    /// A container's `count` entries between its brackets: on one line (`[1, 2]`), or one per line,
    /// indented two spaces more than the container; `entry` writes one at the indent it is given.
    @inline(__always)
    private static func writeContainer(
        _ count: Int, brackets: (open: String, close: String), inline: Bool, indent: Int,
        into text: inout String, entry: (Int, Int, inout String) -> Void
    ) {
        guard count > 0 else {
            text += brackets.open + brackets.close
            return
        }
        text += inline ? brackets.open : brackets.open + "\n"
        for position in 0..<count {
            if inline {
                if position > 0 { text += ", " }
                entry(position, indent, &text)
            } else {
                text += String(repeating: " ", count: indent + 2)
                entry(position, indent + 2, &text)
                text += position + 1 < count ? ",\n" : "\n"
            }
        }
        text += inline ? brackets.close : String(repeating: " ", count: indent) + brackets.close
    }
}

/// One JSON object written on one line straight into bytes, member by member, exactly as
/// `JSONWriter` writes an inline object (`{"key": value, "other": value}`): for the rows of a large
/// document, where building a tree (or strings) per row would cost more than writing it.
package struct InlineObject {
    private var opened = false

    /// Starts an object; the members follow, then `close`.
    package init() {}

    private mutating func key(_ key: StaticString, into bytes: inout [UInt8]) {
        bytes.append(opened ? UInt8(ascii: ",") : UInt8(ascii: "{"))
        if opened { bytes.append(UInt8(ascii: " ")) }
        opened = true
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(contentsOf: "\": ".utf8)
    }

    /// A number, or null.
    package mutating func member(_ name: StaticString, _ value: Double?, into bytes: inout [UInt8]) {
        key(name, into: &bytes)
        guard let value else { return bytes.append(contentsOf: "null".utf8) }
        bytes.append(contentsOf: JSONWriter.number(value).utf8)
    }

    /// A string, or null.
    package mutating func member(_ name: StaticString, string: String?, into bytes: inout [UInt8]) {
        key(name, into: &bytes)
        guard let string else { return bytes.append(contentsOf: "null".utf8) }
        JSONWriter.appendQuoted(string, to: &bytes)
    }

    /// A boolean.
    package mutating func member(_ name: StaticString, _ flag: Bool, into bytes: inout [UInt8]) {
        key(name, into: &bytes)
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    /// An array of numbers on one line, null for one that is not finite.
    package mutating func member(_ name: StaticString, numbers: [Double], into bytes: inout [UInt8]) {
        key(name, into: &bytes)
        bytes.append(UInt8(ascii: "["))
        for (position, number) in numbers.enumerated() {
            if position > 0 { bytes.append(contentsOf: ", ".utf8) }
            bytes.append(contentsOf: (number.isFinite ? JSONWriter.number(number) : "null").utf8)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of strings on one line.
    package mutating func member(_ name: StaticString, strings: [String], into bytes: inout [UInt8]) {
        key(name, into: &bytes)
        bytes.append(UInt8(ascii: "["))
        for (position, string) in strings.enumerated() {
            if position > 0 { bytes.append(contentsOf: ", ".utf8) }
            JSONWriter.appendQuoted(string, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object on one line that `body` writes, or null when `present` is false.
    package mutating func member(
        _ name: StaticString, present: Bool = true, into bytes: inout [UInt8],
        object body: (inout InlineObject, inout [UInt8]) -> Void
    ) {
        key(name, into: &bytes)
        guard present else { return bytes.append(contentsOf: "null".utf8) }
        var inner = InlineObject()
        body(&inner, &bytes)
        inner.close(into: &bytes)
    }

    /// Ends the object (`{}` when it has no members).
    package mutating func close(into bytes: inout [UInt8]) {
        if !opened { bytes.append(UInt8(ascii: "{")) }
        bytes.append(UInt8(ascii: "}"))
    }
}
