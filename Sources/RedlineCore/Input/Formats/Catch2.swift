import RedlineModel
import RedlineJSON

/// Catch2 benchmark output: the console reporter's table (`benchmark name  samples ...`) and
/// the XML reporter's `<BenchmarkResults>` elements. The metric is the mean, in the printed
/// unit (console) or in nanoseconds (XML). A benchmark name used in several test cases is
/// qualified with its test case and sections: `Fibonacci 20 (More Fibonacci / With a long name)`.
enum Catch2: MetricsFormat {
    static let name = "catch2"
    static let syntax = FormatSyntax.text

    /// Strong for the console table's header line, or for XML whose start names Catch's reporter
    /// (`<Catch2TestRun`, `<Catch` before version 3); weak for other XML: Catch2 is the one format
    /// redline reads as XML, so its reader says what is wrong with the file.
    static func match(_ input: FormatInput) -> FormatMatch {
        if input.isXML {
            let head = String(decoding: input.source.bytes.prefix(1024), as: UTF8.self)
            return head.contains("<Catch") ? .strong : .weak
        }
        return input.lines?.lines.contains { $0.text.hasPrefix("benchmark name") && $0.text.contains("samples") }
            == true ? .strong : .none
    }

    /// The console reporter's table, or the XML reporter's document.
    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        if input.isXML { return try readXML(input.source) }
        return try read(try input.textLines(), input.source)
    }

    /// The three `(value, unit)` pairs that end a mean line, and the text before them (the rest
    /// of a long name that Catch2 wrapped), or nil.
    static func means(_ text: Substring) -> (prefix: String, values: [(Double, Unit)])? {
        let fields = text.split(separator: " ")
        guard fields.count >= 6 else { return nil }
        var result: [(Double, Unit)] = []
        for index in stride(from: fields.count - 6, to: fields.count, by: 2) {
            guard let value = ToolNumber.parse(fields[index]) else { return nil }
            let unit = Unit(String(fields[index + 1]))
            guard unit.dimension == .time else { return nil }
            result.append((value, unit))
        }
        return (fields.dropLast(6).joined(separator: " "), result)
    }

    struct Result {
        var name: String
        var testCase: String
        var value: Double
        var unit: Unit
        var offset: Int
    }

    static func isRule(_ text: Substring, of character: Character) -> Bool {
        text.count >= 20 && text.allSatisfy { $0 == character }
    }

    static func read(_ lines: TextLines, _ source: SourceText) throws -> ReadResult {
        var results: [Result] = []
        let all = lines.lines
        var index = 0
        var previous: Substring = ""
        var dashLines: [Int] = []
        var testCase = ""
        while index < all.count {
            let line = all[index]
            if isRule(line.text, of: "-") { dashLines.append(index) }
            // The test case header: its title lines stand between two dashed rules, before a dotted one.
            if isRule(line.text, of: "."), dashLines.count >= 2 {
                let titles = all[(dashLines[dashLines.count - 2] + 1)..<dashLines[dashLines.count - 1]]
                testCase = titles.map { $0.text.trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: " / ")
            }
            let fields = line.text.split(separator: " ")
            // NAME SAMPLES ITERATIONS ESTIMATED UNIT, then a line of mean / low mean / high mean.
            if fields.count >= 4, fields[fields.count - 4].allSatisfy(\.isNumber),
                fields[fields.count - 3].allSatisfy(\.isNumber),
                ToolNumber.parse(fields[fields.count - 2]) != nil,
                Unit(String(fields[fields.count - 1])).dimension == .time
            {
                guard index + 1 < all.count, let mean = means(all[index + 1].text) else {
                    throw RedlineError(
                        source, at: line.offset, "Catch2 benchmark line without its mean line",
                        hint: "the output may be truncated")
                }
                var name = fields.dropLast(4).joined(separator: " ")
                if name.isEmpty { name = previous.trimmingSpaces }
                if !mean.prefix.isEmpty { name += " " + mean.prefix }
                results.append(
                    Result(
                        name: name, testCase: testCase, value: mean.values[0].0, unit: mean.values[0].1,
                        offset: line.offset))
                index += 2
                continue
            }
            if !line.text.trimmingSpaces.isEmpty { previous = line.text }
            index += 1
        }
        var testCases: [String: Set<String>] = [:]
        for result in results { testCases[result.name, default: []].insert(result.testCase) }
        var collector = MetricCollector(source: source)
        for result in results {
            let name =
                testCases[result.name, default: []].count > 1 ? "\(result.name) (\(result.testCase))" : result.name
            try collector.add(name, value: result.value, unit: result.unit, at: result.offset)
        }
        if collector.entries.isEmpty {
            throw RedlineError(
                source, at: 0, "no benchmark results in this Catch2 output", hint: "the output may be truncated")
        }
        return collector.result(Self.name)
    }

    /// Reads the XML reporter's output: `<BenchmarkResults name="...">` with `<mean value="..."/>` in ns.
    static func readXML(_ source: SourceText) throws -> ReadResult {
        if let bad = JSONReader.firstInvalidUTF8(source.bytes) {
            throw RedlineError(source, at: bad, "invalid UTF-8 byte 0x\(JSONReader.hex(source.bytes[bad]))")
        }
        let text = String(decoding: source.bytes, as: UTF8.self)
        guard text.contains("<Catch") else {
            throw RedlineError(
                source, at: 0, "this XML is not a Catch2 report (no <Catch2TestRun> or <Catch> element)",
                hint: "formats tried: catch2 XML; name another with --format")
        }
        var collector = MetricCollector(source: source)
        var cursor = text.startIndex
        while let open = text[cursor..<text.endIndex].firstRange(of: "<BenchmarkResults") {
            let offset = text.utf8.distance(from: text.startIndex, to: open.lowerBound)
            guard let tagEnd = text[open.upperBound..<text.endIndex].firstRange(of: ">"),
                let close = text[tagEnd.upperBound..<text.endIndex].firstRange(of: "</BenchmarkResults>")
            else {
                throw RedlineError(
                    source, at: offset, "a <BenchmarkResults> element is not closed", hint: "the file may be truncated")
            }
            let attributes = text[open.upperBound..<tagEnd.lowerBound]
            guard let name = attribute("name", in: attributes) else {
                throw RedlineError(source, at: offset, "a <BenchmarkResults> element has no name")
            }
            let body = text[tagEnd.upperBound..<close.lowerBound]
            guard let meanTag = body.firstRange(of: "<mean "),
                let meanEnd = body[meanTag.upperBound..<body.endIndex].firstRange(of: ">"),
                let valueText = attribute("value", in: body[meanTag.upperBound..<meanEnd.lowerBound]),
                let value = ToolNumber.parse(valueText)
            else {
                throw RedlineError(source, at: offset, "benchmark \"\(name)\" has no <mean value=...>")
            }
            try collector.add(name, value: value, unit: Unit("ns"), at: offset)
            cursor = close.upperBound
        }
        if collector.entries.isEmpty {
            throw RedlineError(
                source, at: 0, "no <BenchmarkResults> in this Catch2 XML report",
                hint: "run the benchmarks with the XML reporter (-r xml)")
        }
        return collector.result(Self.name)
    }

    /// The unescaped value of `name="..."` in a tag's attribute text.
    static func attribute(_ name: String, in attributes: Substring) -> String? {
        guard
            let start = attributes.firstRange(of: " " + name + "=\"")
                ?? (attributes.hasPrefix(name + "=\"") ? attributes.firstRange(of: name + "=\"") : nil),
            let end = attributes[start.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return unescapeXML(attributes[start.upperBound..<end])
    }

    /// XML's predefined entities.
    static let xmlEntities = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]

    static func unescapeXML(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semicolon]
            if let named = xmlEntities[String(entity)] {
                out += named
            } else {
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "&\(entity);"
                }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return out + rest
    }
}
