import RedlineModel
import RedlineJSON

/// `cargo bench` text: libtest's `test NAME ... bench: 1,234 ns/iter (+/- 56)` lines (also
/// what Criterion prints with `--output-format bencher`) and Criterion's own
/// `NAME  time: [low estimate high]` lines, whose middle value is the metric. A Criterion
/// `thrpt: [...]` line adds `NAME [thrpt]` (higher-is-better). The relative changes Criterion
/// prints after `change:` (on the same line, or in a block of `time:` and `thrpt:` lines below
/// it) are not measurements and are skipped.
enum Cargo: MetricsFormat {
    static let name = "cargo"
    static let syntax = FormatSyntax.text

    static func match(_ input: FormatInput) -> FormatMatch {
        input.lines?.lines.contains { benchLine($0.text) != nil || $0.text.contains("time:   [") } == true
            ? .strong : .none
    }

    /// Name and the text after `bench:` of a libtest line, or nil.
    static func benchLine(_ text: Substring) -> (name: Substring, rest: Substring)? {
        guard text.hasPrefix("test ") else { return nil }
        // Look for the marker after the prefix: in `test ... bench:` they overlap (found by fuzzing).
        let afterPrefix = text.dropFirst(5)
        guard let marker = afterPrefix.firstRange(of: " ... bench:") else { return nil }
        return (afterPrefix[..<marker.lowerBound], afterPrefix[marker.upperBound...])
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        var collector = MetricCollector(source: source)
        var previous: Substring = ""
        var lastTimeName: String?
        var inChangeBlock = false
        for line in lines.lines {
            defer {
                if !line.text.trimmingSpaces.isEmpty { previous = line.text }
            }
            // With throughput, Criterion prints `change:` on a line of its own, then `time:` and
            // `thrpt:` lines of relative changes: those are no measurements.
            let trimmed = line.text.trimmingSpaces
            if trimmed == "change:" {
                inChangeBlock = true
                continue
            }
            if inChangeBlock {
                if trimmed.hasPrefix("time:") || trimmed.hasPrefix("thrpt:") { continue }
                inChangeBlock = false
            }
            if let bench = benchLine(line.text) {
                let fields = bench.rest.split(separator: " ")
                guard fields.count >= 2, let value = ToolNumber.parse(fields[0]) else {
                    throw RedlineError(
                        source, at: line.offset, "libtest bench line for \"\(bench.name)\" has no value and unit",
                        hint: "expected `bench: 1,234 ns/iter (+/- 56)`")
                }
                var unitText = String(fields[1])
                if unitText.hasSuffix("/iter") { unitText.removeLast(5) }
                try collector.add(
                    String(bench.name).trimmingSpaces, value: value, unit: Unit(unitText), at: line.offset,
                    repeatsAreSamples: true)
                continue
            }
            for (label, suffix) in [("time:", ""), ("thrpt:", " [thrpt]")] {
                guard let range = line.text.firstRange(of: label + " "),
                    line.text[range.upperBound...].trimmingSpaces.hasPrefix("[")
                else {
                    continue
                }
                var name = line.text[..<range.lowerBound].trimmingSpaces
                if name.isEmpty {
                    // `thrpt:` belongs to the benchmark of the `time:` line above it; Criterion puts
                    // a long name on a line of its own, before `time:`.
                    name = suffix.isEmpty ? previous.trimmingSpaces : lastTimeName ?? ""
                }
                if name.isEmpty || name.hasPrefix("Benchmarking ") {
                    throw RedlineError(source, at: line.offset, "Criterion `\(label)` line without a benchmark name")
                }
                if suffix.isEmpty { lastTimeName = name }
                let estimate = try middleEstimate(line.text[range.upperBound...], source: source, at: line.offset)
                try collector.add(
                    name + suffix, value: estimate.value, unit: estimate.unit,
                    direction: suffix.isEmpty ? nil : .higher, at: line.offset, repeatsAreSamples: true)
            }
        }
        if collector.entries.isEmpty {
            throw RedlineError(
                source, at: 0, "no benchmark results in this cargo bench output",
                hint: "the run may have failed or been filtered to no benchmarks")
        }
        // Logs appended one after the other hold a benchmark once per run: repetitions.
        let repeated = collector.entries.filter { $0.values.count > 1 }
        if let first = repeated.first {
            collector.note(
                "the log holds \(first.values.count) runs of \"\(first.name)\""
                    + (repeated.count > 1
                        ? " and of \(repeated.count - 1) other benchmark\(repeated.count == 2 ? "" : "s")" : "")
                    + ": each is the median of its runs, with each run's figure as a sample")
        }
        return collector.result(Self.name)
    }

    /// The middle of `[low unit estimate unit high unit]`.
    static func middleEstimate(_ text: Substring, source: SourceText, at offset: Int) throws -> (
        value: Double, unit: Unit
    ) {
        let inside = text.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
        let fields = inside.split(separator: " ")
        guard fields.count == 6, let value = ToolNumber.parse(fields[2]) else {
            throw RedlineError(
                source, at: offset, "Criterion estimate \"[\(inside)]\" is not three values with units",
                hint: "the output may be truncated")
        }
        return (value, Unit(String(fields[3])))
    }
}
