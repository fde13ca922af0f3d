import RedlineModel
import RedlineJSON

/// The lines of Prometheus's text exposition format (0.0.4) and OpenMetrics: `# TYPE`, `# UNIT`
/// and samples `name{label="value",…} value [timestamp] [# exemplar]`, each sample with where it
/// is. Label values are unescaped (`\\`, `\"`, `\n`); Prometheus 3's quoted names
/// (`{"my.metric", a="b"}`) are read too.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [(name: String, value: String)]
        var value: Double
        /// Where the line and the value start.
        var offset: Int
        var valueOffset: Int
    }

    /// `# TYPE` of each family, in the order they appear.
    private(set) var types: [String: String] = [:]
    /// `# UNIT` of each family (OpenMetrics).
    private(set) var units: [String: String] = [:]
    private(set) var samples: [Sample] = []

    init(_ lines: TextLines, source: SourceText) throws {
        for line in lines.lines {
            let text = line.text
            if text.hasPrefix("#") {
                let words = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
                if words.count >= 4 && words[1] == "TYPE" { types[String(words[2])] = words[3].trimmingSpaces }
                if words.count >= 4 && words[1] == "UNIT" { units[String(words[2])] = words[3].trimmingSpaces }
                continue
            }
            if text.trimmingSpaces.isEmpty { continue }
            var scanner = Scanner(bytes: Array(text.utf8), offset: line.offset, source: source)
            samples.append(try scanner.sample())
        }
    }

    /// Whether the line is a sample line Prometheus would accept.
    static func isSample(_ text: Substring) -> Bool {
        var scanner = Scanner(bytes: Array(text.utf8), offset: 0, source: SourceText(name: "", text: ""))
        return (try? scanner.sample()) != nil
    }

    /// Reads one sample line.
    private struct Scanner {
        let bytes: [UInt8]
        let offset: Int
        let source: SourceText
        var index = 0

        func fail(_ message: String, hint: String? = nil) -> RedlineError {
            RedlineError(source, at: offset + index, "Prometheus sample: " + message, hint: hint)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipBlanks() {
            while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
        }

        static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ":")
                || (!first && byte >= 0x30 && byte <= 0x39)
        }

        mutating func plainName() -> String? {
            let start = index
            while let byte = current, Self.isNameByte(byte, first: index == start) { index += 1 }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }

        /// A quoted string with Prometheus's escapes; the index is at the opening quote.
        mutating func quoted() throws -> String {
            index += 1
            var text: [UInt8] = []
            while let byte = current {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: text, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { throw fail("a label value ends in a backslash") }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): text.append(0x0A)
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): text.append(escaped)
                    default: text += [UInt8(ascii: "\\"), escaped]
                    }
                default:
                    text.append(byte)
                }
            }
            throw fail("a quoted label value is not closed", hint: "the line may be cut short")
        }

        mutating func sample() throws -> Sample {
            var name = plainName()
            var labels: [(name: String, value: String)] = []
            if current == UInt8(ascii: "{") {
                index += 1
                while true {
                    skipBlanks()
                    if current == UInt8(ascii: "}") {
                        index += 1
                        break
                    }
                    let label: String
                    if current == UInt8(ascii: "\"") {
                        label = try quoted()
                        skipBlanks()
                        // Prometheus 3: a quoted string alone in the braces is the metric's name.
                        if current != UInt8(ascii: "=") {
                            guard name == nil else { throw fail("the metric has two names") }
                            name = label
                            if current == UInt8(ascii: ",") { index += 1 }
                            continue
                        }
                    } else {
                        guard let plain = plainName() else { throw fail("expected a label name or `}`") }
                        label = plain
                    }
                    skipBlanks()
                    guard current == UInt8(ascii: "=") else { throw fail("expected `=` after label \"\(label)\"") }
                    index += 1
                    skipBlanks()
                    guard current == UInt8(ascii: "\"") else {
                        throw fail("expected a quoted value for label \"\(label)\"")
                    }
                    labels.append((label, try quoted()))
                    skipBlanks()
                    if current == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard current == UInt8(ascii: "}") else {
                        throw fail("expected `,` or `}` after label \"\(label)\"", hint: "the line may be cut short")
                    }
                    index += 1
                    break
                }
            }
            guard let name else { throw fail("expected a metric name") }
            guard current == 0x20 || current == 0x09 else {
                throw fail("expected a space and a value after \(name)", hint: "the line may be cut short")
            }
            skipBlanks()
            let valueOffset = offset + index
            let start = index
            while let byte = current, byte != 0x20, byte != 0x09 { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = PrometheusText.number(word) else {
                index = start
                throw fail(
                    "\"\(word.prefix(40))\" is not a number", hint: "a value is a float such as 1.5, 1e+06, NaN or +Inf"
                )
            }
            skipBlanks()
            // An optional timestamp, then an optional exemplar (`# {…} value`), neither read.
            if let byte = current, byte != UInt8(ascii: "#") {
                let timestamp = index
                while let byte = current, byte != 0x20, byte != 0x09 { index += 1 }
                guard PrometheusText.number(String(decoding: bytes[timestamp..<index], as: UTF8.self)) != nil else {
                    index = timestamp
                    throw fail("expected a timestamp or the end of the line")
                }
                skipBlanks()
                if let byte = current, byte != UInt8(ascii: "#") { throw fail("unexpected text after the timestamp") }
            }
            return Sample(name: name, labels: labels, value: value, offset: offset, valueOffset: valueOffset)
        }
    }

    /// A float as Go's ParseFloat reads it, `NaN` and `±Inf` included.
    static func number(_ word: String) -> Double? {
        switch word.lowercased() {
        case "nan": return .nan
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default:
            guard !word.isEmpty, word.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || "+-.eE_".utf8.contains($0) })
            else { return nil }
            return Double(word.replacing("_", with: ""))
        }
    }
}
