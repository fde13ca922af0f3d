import RedlineCore

/// `redline baseline show`: print what a baseline holds.
struct BaselineShow: Command {
    static let spec = CommandSpec(
        words: ["baseline", "show"],
        summary: "print the metrics and provenance of a baseline",
        details: """
            Prints the baseline's provenance and one line per metric: name, value in a readable unit,
            samples, and the window of recent runs as a trend (one block per run, lowest to highest;
            a gap where a run lacked the metric) with its spread between runs.
            """,
        options: [SharedOptions.baseline, html] + SharedOptions.limits)

    static let html = OptionSpec.text(
        "html", "FILE", "also write the history as a self-contained HTML page to FILE")

    let input: InputOptions
    let htmlPath: String?

    init(_ options: ParsedOptions) throws {
        input = try InputOptions(options, currentRequired: false)
        htmlPath = options.text(Self.html)
    }

    func run(_ environment: Environment) throws -> Int32 {
        let path = input.baselinePath
        guard let baseline = try input.baseline() else {
            throw RedlineError(
                file: path, message: "no baseline here",
                hint: "record one with `redline baseline update --current FILE`")
        }
        var lines: [String] = ["baseline: " + path]
        if let provenance = baseline.provenance {
            let facts: [(String, String?)] = [
                ("commit", provenance.commit), ("branch", provenance.branch), ("updated", provenance.updatedAt),
                ("redline", provenance.redlineVersion), ("reason", provenance.reason),
                (
                    "sources",
                    provenance.sources.isEmpty
                        ? nil
                        : provenance.sources.map { "\($0.file) (\($0.format))" }.joined(separator: ", ")
                ),
            ]
            for (label, value) in facts {
                if let value { lines.append("\(label): " + Escape.terminal(value)) }
            }
        }
        lines.append("")
        let rows = baseline.metrics.metrics.map { metric in
            let history = baseline.history[metric.name]
            return [
                Escape.terminal(metric.name),
                Escape.terminal(Formatting.value(metric.value, unit: metric.unit)),
                metric.effectiveDirection == .higher ? "higher is better" : "lower is better",
                metric.samples.map { "\($0.count) samples" } ?? "",
                history.map { Sparkline.line($0.values) } ?? "",
                history.map(Self.spread) ?? "",
            ]
        }
        if !baseline.runs.isEmpty {
            let first = baseline.runs.first!
            let last = baseline.runs.last!
            lines.insert(
                "history: \(baseline.runs.count) run\(baseline.runs.count == 1 ? "" : "s") (\(first.id)…\(last.id))"
                    + (first.time.map { ", since " + Escape.terminal($0) } ?? ""), at: lines.count - 1)
        }
        lines += TextTable([["metric", "value", "direction", "samples", "trend (oldest → newest)", "spread"]] + rows)
            .lines()
        lines.append("")
        lines.append("\(baseline.metrics.metrics.count) metric\(baseline.metrics.metrics.count == 1 ? "" : "s")")
        if let htmlPath {
            let plan = try OutputPlan(outputs: [("html", htmlPath)], inputs: [path], appended: [])
            try plan.write("html", text: HTMLReport.render(history: baseline, name: path))
        }
        Terminal.out(lines.joined(separator: "\n") + "\n")
        return 0
    }

    /// The spread between the window's runs relative to their centre (`± 3.2% of 20 runs`), with
    /// the step the window starts at, if any.
    static func spread(_ history: MetricHistory) -> String {
        let values = history.values.compactMap { $0 }
        let summary = WindowStatistics.summary(values)
        var text =
            summary.centre != 0 ? "± " + CFormat.string("%.1f", 100 * summary.spread / abs(summary.centre)) + "%" : "–"
        text += " of \(values.count) run\(values.count == 1 ? "" : "s")"
        if let step = history.steps.last {
            text += ", step at run \(step.run) (" + Formatting.percentChange(step.change) + ")"
        }
        return text
    }
}
