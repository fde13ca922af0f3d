import RedlineModel
import RedlineJSON

/// siege's text summary (stderr with `json_output = false`), or stdout with siege's first-run
/// notice before the JSON summary: see `Siege`.
enum SiegeText: MetricsFormat {
    static let name = "siege-text"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let lines = input.lines?.lines else { return .none }
        if lines.contains(where: { $0.text.hasPrefix("Transactions:") })
            && lines.contains(where: { $0.text.hasPrefix("Availability:") })
        {
            return .strong
        }
        return lines.contains { $0.text.hasPrefix("New configuration template added to") }
            && lines.contains { $0.text.hasPrefix("{") }
            ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        if let json = lines.lines.first(where: { $0.text.hasPrefix("{") }) {
            let root = try JSONReader.parse(source, in: json.offset..<source.bytes.count)
            var result = try Siege.read(FormatInput(source: source, root: root, lines: nil), companions: companions)
            result.format = Self.name
            return result
        }
        var collector = MetricCollector(source: source)
        for figure in Siege.figures {
            // `Transaction rate:	      829.06 trans/sec`
            guard let line = lines.lines.first(where: { $0.text.hasPrefix(figure.label + ":") }) else {
                throw RedlineError(
                    source, at: lines.lines.last?.offset ?? 0, "siege's summary has no `\(figure.label):` line",
                    hint: "the output may be cut short")
            }
            guard let value = ToolNumber.withSuffix(line.text.dropFirst(figure.label.count + 1))?.value else {
                throw RedlineError(source, at: line.offset, "siege's `\(figure.label):` line has no number")
            }
            try collector.add(figure.metric, value, unit: figure.unit, at: line.offset)
        }
        Siege.noteCoarseTimes(&collector)
        return collector.result(Self.name)
    }
}
