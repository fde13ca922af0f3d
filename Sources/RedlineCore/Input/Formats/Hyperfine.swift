import RedlineModel
import RedlineJSON

/// hyperfine's `--export-json`: one metric per command, its median in seconds, with `times` as
/// samples. The metric is named by the command (or its `-n` name) with runs of blanks and line
/// breaks made one space; a command longer than a name may be is shortened to a readable, unique
/// name, and a note gives the whole command.
enum Hyperfine: MetricsFormat {
    static let name = "hyperfine"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let results = input.root?["results"]?.elements else { return .none }
        return results.first.map { $0["command"] != nil } ?? true ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let results = try input.array(
            "results", needed: "a hyperfine export needs a `results` array",
            hint: "write it with hyperfine --export-json FILE")
        var collector = MetricCollector(source: source)
        if results.isEmpty {
            collector.note("the hyperfine export has no results (no command was run)")
        }
        for result in results {
            guard let written = result["command"]?.string else {
                throw RedlineError(source, at: result.offset, "a hyperfine result has no `command`")
            }
            let (command, shortened) = metricName(written)
            if shortened {
                collector.note("the command \"\(command)\" stands for: \(written)")
            }
            let fields = ToolObject(result, "hyperfine result \"\(command)\"", source: source)
            let times = try fields.optionalNumbers("times", each: "a time of \"\(command)\"")
            guard
                let value = try fields.optionalNumber("median") ?? times.flatMap(Metric.median)
                    ?? fields.optionalNumber("mean")
            else {
                throw RedlineError(
                    source, at: result.offset, "hyperfine result \"\(command)\" has no median, mean or times",
                    hint: "the file may be truncated")
            }
            try collector.add(
                command, value: value, unit: Unit("s"), samples: times?.isEmpty == false ? times : nil,
                at: result.offset)
        }
        return collector.result(Self.name)
    }

    /// The longest name a command keeps whole; a longer one is cut and given a hash of the whole.
    static let longestName = MetricRules.longestKeptName

    /// A metric name for a command: blanks and line breaks as single spaces, and a long command
    /// cut at a word with `…` and an 8-digit hash of the whole command, so that two long commands
    /// that start alike still get two names.
    static func metricName(_ command: String) -> (name: String, shortened: Bool) {
        var name = ""
        var pendingSpace = false
        for scalar in command.unicodeScalars {
            if scalar.properties.isWhitespace || MetricRules.isForbidden(scalar) {
                pendingSpace = !name.isEmpty
                continue
            }
            if pendingSpace { name.unicodeScalars.append(" ") }
            pendingSpace = false
            name.unicodeScalars.append(scalar)
        }
        guard name.unicodeScalars.count > longestName else { return (name, false) }
        return (MetricRules.cut(name, hashing: command), true)
    }
}
