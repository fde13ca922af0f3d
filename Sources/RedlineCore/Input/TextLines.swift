/// A text file split into lines, each with the byte offset where it starts (for positions in errors).
struct TextLines: Sendable {
    struct Line: Sendable {
        var text: Substring
        var offset: Int
    }

    let lines: [Line]

    /// Splits UTF-8 text on LF, dropping a CR before it; invalid UTF-8 is an error.
    init(_ source: SourceText) throws {
        if let bad = JSONReader.firstInvalidUTF8(source.bytes) {
            throw RedlineError(source, at: bad, "invalid UTF-8 byte 0x\(JSONReader.hex(source.bytes[bad]))",
                               hint: "save the file as UTF-8")
        }
        // On the buffer, not through the collection: a JSON Lines file of k6 points has millions of lines.
        let split: (nul: Int?, lines: [Line]) = source.bytes.withUnsafeBufferPointer { bytes in
            if let nul = bytes.firstIndex(of: 0) { return (nul, []) }
            // Split on bytes: in a Swift String "\r\n" is one Character, so splitting on "\n" would miss it.
            var lines: [Line] = []
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
                var end = index
                if end > start && bytes[end - 1] == 0x0D { end -= 1 }
                lines.append(Line(text: Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)), offset: start))
                start = index + 1
            }
            return (nil, lines)
        }
        if let nul = split.nul {
            throw RedlineError(source, at: nul, "the file contains a NUL byte", hint: "this is not a text report")
        }
        self.lines = split.lines
    }
}

/// Parses numbers as tools print them: `1,234.5`, `1_000`, with an optional sign.
enum ToolNumber {
    /// The value of `text` with thousands separators removed, or nil.
    static func parse<S: StringProtocol>(_ text: S) -> Double? {
        let cleaned = String(text.filter { $0 != "," && $0 != "_" })
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }
}

extension ToolNumber {
    /// A number and the unit right after it, as tools print them: `4.15ms`, `0.92k`, `482.15KB`,
    /// `1.08s ` (spaces around are dropped); nil when the text does not start with a number.
    static func withSuffix<S: StringProtocol>(_ text: S) -> (value: Double, suffix: String)? {
        let trimmed = text.trimmingSpaces
        let digits = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "," || $0 == "-" || $0 == "+") }
        guard let value = parse(digits) else { return nil }
        return (value, String(trimmed.dropFirst(digits.count)).trimmingSpaces)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
