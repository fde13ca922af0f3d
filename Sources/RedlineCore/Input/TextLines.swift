import RedlineModel
import RedlineJSON

/// A text file split into lines, each with the byte offset where it starts (for positions in errors).
struct TextLines: Sendable {
    struct Line: Sendable {
        var text: Substring
        var offset: Int
    }

    let lines: [Line]

    /// Some lines of a file (one run of several in it).
    init(lines: [Line]) {
        self.lines = lines
    }

    /// Splits UTF-8 text on LF, dropping a CR before it; invalid UTF-8 is an error.
    init(_ source: SourceText) throws {
        if let encoding = JSONReader.wideEncoding(source.bytes) {
            throw RedlineError(source, at: 0, "the file is \(encoding), not UTF-8", hint: "save it as UTF-8")
        }
        if let bad = JSONReader.firstInvalidUTF8(source.bytes) {
            throw RedlineError(
                source, at: bad, "invalid UTF-8 byte 0x\(JSONReader.hex(source.bytes[bad]))",
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
                lines.append(
                    Line(
                        text: Substring(
                            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)),
                        offset: start))
                start = index + 1
            }
            return (nil, lines)
        }
        if let nul = split.nul {
            throw RedlineError(source, at: nul, "the file contains a NUL byte", hint: "this is not a text report")
        }
        self.lines = Self.withoutTimestamps(split.lines)
    }

    /// The lines without the time a log put in front of each (`[21:16:43] ` of gulp, the ISO 8601
    /// time of a downloaded GitHub Actions log), when every line that is not blank has one of the
    /// same kind; else the lines as they are. A tool's names then never carry a time of day, and
    /// positions still point into the file.
    static func withoutTimestamps(_ lines: [Line]) -> [Line] {
        // Most files have no times: one look at the first line that is not blank settles it.
        guard let first = lines.first(where: { !$0.text.allSatisfy({ $0 == " " || $0 == "\t" }) }),
            let head = first.text.utf8.first,
            head == UInt8(ascii: "[") || (head >= UInt8(ascii: "0") && head <= UInt8(ascii: "9")),
            TimestampKind.prefix(of: first.text) != nil
        else { return lines }
        var kind: TimestampKind?
        var lengths: [Int] = []
        lengths.reserveCapacity(lines.count)
        for line in lines {
            if line.text.allSatisfy({ $0 == " " || $0 == "\t" }) {
                lengths.append(0)
                continue
            }
            guard let (found, length) = TimestampKind.prefix(of: line.text), kind == nil || kind == found else {
                return lines
            }
            kind = found
            lengths.append(length)
        }
        guard kind != nil else { return lines }
        return zip(lines, lengths).map { line, length in
            Line(text: line.text.dropFirst(length), offset: line.offset + line.text.prefix(length).utf8.count)
        }
    }

    /// The times logs put at the start of a line.
    enum TimestampKind: Equatable {
        /// `[HH:MM:SS]` or `[HH:MM:SS.fff]` (gulp, many task runners).
        case bracketedTime
        /// `2024-05-01T12:00:00.1234567Z` (GitHub Actions), also with an offset, or in brackets.
        case iso8601

        /// The kind of time at the start of `text` and how many characters it and the spaces
        /// after it take; nil when the line does not start with one.
        static func prefix(of text: Substring) -> (TimestampKind, Int)? {
            let characters = Array(text.prefix(48))
            var index = 0
            func digits(_ count: Int) -> Bool {
                guard index + count <= characters.count,
                    characters[index..<index + count].allSatisfy({ $0.isASCII && $0.isNumber })
                else { return false }
                index += count
                return true
            }
            func literal(_ character: Character) -> Bool {
                guard index < characters.count, characters[index] == character else { return false }
                index += 1
                return true
            }
            func fraction() {
                if index < characters.count, characters[index] == "." || characters[index] == "," {
                    let start = index
                    index += 1
                    if !digits(1) {
                        index = start
                        return
                    }
                    while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                }
            }
            func time() -> Bool { digits(2) && literal(":") && digits(2) && literal(":") && digits(2) }
            func spaces() -> Int? {
                let start = index
                while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
                return index > start ? index : nil
            }
            let bracketed = literal("[")
            if bracketed, time() {
                fraction()
                guard literal("]"), let end = spaces() else { return nil }
                return (.bracketedTime, end)
            }
            index = bracketed ? 1 : 0
            guard digits(4), literal("-"), digits(2), literal("-"), digits(2), literal("T"), time() else { return nil }
            fraction()
            if !literal("Z"), index < characters.count, characters[index] == "+" || characters[index] == "-" {
                index += 1
                guard digits(2) else { return nil }
                _ = literal(":")
                guard digits(2) else { return nil }
            }
            if bracketed, !literal("]") { return nil }
            guard let end = spaces() else { return nil }
            return (.iso8601, end)
        }
    }
}

/// Parses numbers as tools print them: `1,234.5`, `1_000`, with an optional sign.
enum ToolNumber {
    /// The value of `text` with thousands separators removed, or nil.
    static func parse<S: StringProtocol>(_ text: S) -> Double? {
        let cleaned = String(text.filter { $0 != "," && $0 != "_" })
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
            let value = Double(cleaned), value.isFinite
        else { return nil }
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
