import RedlineCore

/// `redline baseline show`: print what a baseline holds.
enum BaselineShow {
    static let spec = CommandSpec(
        words: ["baseline", "show"],
        summary: "print the metrics and provenance of a baseline",
        details: "Prints the baseline's provenance and one line per metric: name, value in a readable unit, samples.",
        options: [Commands.baselineOption] + Commands.limitOptions)

    static func run(_ options: ParsedOptions) throws -> Int32 {
        let path = options.value("baseline") ?? Commands.defaultBaseline
        guard let baseline = try Reader(options).baseline(path) else {
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
        let header = ["metric", "value", "direction", "samples"]
        let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            var line = zip(row, widths).map { cell, width in cell + String(repeating: " ", count: width - cell.count) }
                .joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        lines.append("")
        lines.append("\(baseline.metrics.metrics.count) metric\(baseline.metrics.metrics.count == 1 ? "" : "s")")
        Terminal.out(lines.joined(separator: "\n") + "\n")
        return 0
    }
}
