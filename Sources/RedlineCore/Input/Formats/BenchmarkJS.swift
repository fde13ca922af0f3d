import FoundationEssentials
import Glibc

/// benchmark.js text: `NAME x 1,431,759 ops/sec ±0.74% (93 runs sampled)`, in ops/s (higher-is-better).
enum BenchmarkJS: MetricsFormat {
    static let name = "benchmarkjs"
    static let syntax = FormatSyntax.text

    /// Name and value of a result line, or nil for any other line.
    static func result(_ text: Substring) -> (name: String, value: Double)? {
        guard let marker = text.ranges(of: " x ").last,
              text[marker.upperBound...].contains(" ops/sec"),
              text.contains(" runs sampled)") || text.contains(" run sampled)") else { return nil }
        let number = text[marker.upperBound...].prefix { $0 != " " }
        guard let value = ToolNumber.parse(number) else { return nil }
        return (String(text[..<marker.lowerBound]).trimmingSpaces, value)
    }

    static func match(_ input: FormatInput) -> FormatMatch {
        input.lines?.lines.contains { result($0.text) != nil } == true ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        var collector = MetricCollector(source: source)
        for line in lines.lines {
            guard let found = result(line.text) else { continue }
            try collector.add(found.name, value: found.value, unit: Unit("ops/s"), at: line.offset)
        }
        if collector.entries.isEmpty {
            throw RedlineError(source, at: 0, "no `NAME x N ops/sec ±P% (R runs sampled)` lines in this benchmark.js output")
        }
        return collector.result(Self.name)
    }
}
