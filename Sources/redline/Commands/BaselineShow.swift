import RedlineCore

/// `redline baseline show`: print what a baseline holds.
struct BaselineShow: Command {
    static let spec = CommandSpec(
        words: ["baseline", "show"],
        summary: "print the metrics and provenance of a baseline",
        details: "Prints the baseline's provenance and one line per metric: name, value in a readable unit, samples.",
        options: [SharedOptions.baseline] + SharedOptions.limits)

    let input: InputOptions

    init(_ options: ParsedOptions) throws {
        input = try InputOptions(options, currentRequired: false)
    }

    func run(_ environment: Environment) throws -> Int32 {
        let path = input.baselinePath
        guard let baseline = try input.baseline() else {
            throw RedlineError(file: path, message: "no baseline here", hint: "record one with `redline baseline update --current FILE`")
        }
        var lines: [String] = ["baseline: " + path]
        if let provenance = baseline.provenance {
            let facts: [(String, String?)] = [
                ("commit", provenance.commit), ("branch", provenance.branch), ("updated", provenance.updatedAt),
                ("redline", provenance.redlineVersion), ("reason", provenance.reason),
                ("sources", provenance.sources.isEmpty ? nil
                    : provenance.sources.map { "\($0.file) (\($0.format))" }.joined(separator: ", ")),
            ]
            for (label, value) in facts {
                if let value { lines.append("\(label): " + Escape.terminal(value)) }
            }
        }
        lines.append("")
        let rows = baseline.metrics.metrics.map { metric in
            [Escape.terminal(metric.name),
             Escape.terminal(Formatting.value(metric.value, unit: metric.unit)),
             metric.effectiveDirection == .higher ? "higher is better" : "lower is better",
             metric.samples.map { "\($0.count) samples" } ?? ""]
        }
        lines += TextTable([["metric", "value", "direction", "samples"]] + rows).lines()
        lines.append("")
        lines.append("\(baseline.metrics.metrics.count) metric\(baseline.metrics.metrics.count == 1 ? "" : "s")")
        Terminal.out(lines.joined(separator: "\n") + "\n")
        return 0
    }
}
