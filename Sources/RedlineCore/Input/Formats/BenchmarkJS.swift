import RedlineModel
import RedlineJSON

/// benchmark.js text: `NAME x 1,431,759 ops/sec ±0.74% (93 runs sampled)`, in ops/s (higher-is-better).
/// One file may run several suites that reuse benchmark names: the line before a suite's first
/// result (its header, such as `Testing format: json`) names the suite, and a name used in several
/// suites is qualified with it, `parse (Testing format: json)`, as Catch2's test cases are.
enum BenchmarkJS: MetricsFormat {
    static let name = "benchmarkjs"
    static let syntax = FormatSyntax.text

    struct Result {
        var name: String
        var value: Double
        var suite: String?
        var offset: Int
    }

    /// Name and value of a result line, or nil for any other line.
    static func result(_ text: Substring) -> (name: String, value: Double)? {
        guard let marker = text.ranges(of: " x ").last,
            text[marker.upperBound...].contains(" ops/sec"),
            text.contains(" runs sampled)") || text.contains(" run sampled)")
        else { return nil }
        let number = text[marker.upperBound...].prefix { $0 != " " }
        guard let value = ToolNumber.parse(number) else { return nil }
        return (String(text[..<marker.lowerBound]).trimmingSpaces, value)
    }

    /// What gulp and grunt print around a task (`Using gulpfile …`, `Starting 'bench'...`,
    /// `Finished 'bench' after 19 s`, `Running "bench" task`): never a suite's header.
    static func isTaskRunnerLine(_ text: String) -> Bool {
        text.hasPrefix("Using gulpfile ") || text.hasPrefix("Starting '") || text.hasPrefix("Finished '")
            || (text.hasPrefix("Running \"") && text.hasSuffix(" task"))
    }

    static func match(_ input: FormatInput) -> FormatMatch {
        input.lines?.lines.contains { result($0.text) != nil } == true ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        var results: [Result] = []
        // A suite runs from its header to its `Fastest is` line (or to the next line that is no
        // result after results): the header is its first line that is no result.
        var suite: String?
        var suiteHasResults = false
        for line in lines.lines {
            let text = line.text.trimmingSpaces
            if let found = result(line.text) {
                results.append(Result(name: found.name, value: found.value, suite: suite, offset: line.offset))
                suiteHasResults = true
            } else if text.hasPrefix("Fastest is ") || text.hasPrefix("Slowest is ") {
                suite = nil
                suiteHasResults = false
            } else if !text.isEmpty && (suite == nil || suiteHasResults) && !isTaskRunnerLine(text) {
                suite = text
                suiteHasResults = false
            }
        }
        var suites: [String: Set<String>] = [:]
        for result in results { suites[result.name, default: []].insert(result.suite ?? "") }
        var collector = MetricCollector(source: source)
        for result in results {
            let qualified =
                suites[result.name, default: []].count > 1
                ? "\(result.name) (\(result.suite ?? "no suite"))" : result.name
            try collector.add(qualified, value: result.value, unit: Unit("ops/s"), at: result.offset)
        }
        if collector.entries.isEmpty {
            throw RedlineError(
                source, at: 0, "no `NAME x N ops/sec ±P% (R runs sampled)` lines in this benchmark.js output")
        }
        return collector.result(Self.name)
    }
}
