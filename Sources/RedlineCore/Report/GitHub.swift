import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// What redline tells GitHub Actions: annotations and step outputs.
public enum GitHub {
    /// At most this many annotations per severity; one more line says how many were left out.
    public static let annotationsPerSeverity = 10

    /// Workflow-command data, escaped exactly as GitHub's toolkit does: `%` first, then CR and LF.
    public static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25")
            .replacing("\r", with: "%0D")
            .replacing("\n", with: "%0A")
    }

    /// Workflow-command property values: the data escapes plus `:` and `,`.
    public static func escapeProperty(_ text: String) -> String {
        escapeData(text)
            .replacing(":", with: "%3A")
            .replacing(",", with: "%2C")
    }

    /// `::error`, `::warning` and `::notice` lines for the metrics that need attention, worst
    /// first (failures as errors, warnings and inconclusive results as warnings, notices as
    /// notices), at most `annotationsPerSeverity` of each, then one line per severity saying
    /// how many more the summary holds. Every failing metric has its own line whatever findings
    /// there are; a missing baseline and a run-wide shift get one line each after them.
    public static func annotations(_ judgement: Judgement) -> [String] {
        var lines: [String] = []
        let findings = judgement.findings
        for (severity, command) in [(Severity.failure, "error"), (.warning, "warning"), (.notice, "notice")] {
            let matching = findings.filter { $0.severity == severity }
            for metric in matching.prefix(annotationsPerSeverity) {
                let title = Escape.neutraliseLegacyCommands("redline: " + Escape.terminal(metric.name))
                let text = Escape.neutraliseLegacyCommands(message(metric))
                lines.append("::\(command) title=\(escapeProperty(title))::\(escapeData(text))")
            }
            if matching.count > annotationsPerSeverity {
                let more = matching.count - annotationsPerSeverity
                lines.append(
                    "::\(command) title=redline::\(more) more \(command == "error" ? "failure" : command)\(more == 1 ? "" : "s") in the job summary"
                )
            }
        }
        if let notice = Formatting.baselineNotice(judgement) {
            let title =
                judgement.pairs != nil
                ? "redline: A/B" : judgement.hasBaseline ? "redline: young baseline" : "redline: no baseline"
            lines.append(
                "::\(judgement.pairs != nil ? "notice" : "warning") title=\(escapeProperty(title))::"
                    + escapeData(MarkdownReport.capitalised(notice)))
        }
        if let shift = judgement.runShift {
            // A finding beside the verdicts: a warning when the failures may be the machine's.
            let command = shift.cause == .machine && !shift.explained.isEmpty ? "warning" : "notice"
            lines.append(
                "::\(command) title=\(escapeProperty("redline: run-wide shift"))::"
                    + escapeData(
                        "The " + Formatting.runShift(shift).dropFirst(4) + "; " + Formatting.runShiftCause(shift) + ".")
            )
        }
        return lines
    }

    /// One sentence about a metric: its verdict, figures and budget level.
    static func message(_ metric: MetricJudgement) -> String {
        var parts = [
            Escape.terminal(metric.name + (metric.source.map { " (" + $0 + ")" } ?? "")) + ": "
                + Formatting.verdictWithNotes(of: metric)
        ]
        if metric.baseline != nil || metric.current != nil {
            parts.append(
                Formatting.optional(metric.baseline, unit: metric.unit) + " → "
                    + Formatting.optional(metric.current, unit: metric.unit) + " (" + Formatting.change(of: metric)
                    + ")")
        }
        if let level = metric.budgetLevel, level != .withinTarget {
            parts.append("budget " + level.rawValue + " (" + Formatting.levels(of: metric) + ")")
        }
        return Escape.terminal(parts.joined(separator: "; "))
    }

    /// The step outputs in `$GITHUB_OUTPUT`'s heredoc form (`name<<DELIMITER`), so that no value
    /// can end its own entry and forge another. `delimiter` must not occur in any value: the
    /// caller passes a random one, and this function checks.
    public static func outputs(_ judgement: Judgement, reportPath: String, delimiter: String) -> String? {
        let counts = judgement.counts
        // Gated verdicts only: a reported-only metric that moved is counted apart.
        let values: [(String, String)] = [
            ("verdict", judgement.outcome.rawValue),
            ("regressions", String(counts.regressed)),
            ("budget-errors", String(counts.budgetErrors)),
            ("warnings", String(counts.warnings)),
            ("missing-required", String(counts.missingRequired)),
            ("reported-only-changes", String(counts.reportedOnlyChanges)),
            ("baseline", judgement.hasBaseline ? (judgement.isYoungBaseline ? "young" : "present") : "none"),
            ("report", reportPath),
        ]
        guard !values.contains(where: { $0.1.contains(delimiter) || $0.1.contains("\n") || $0.1.contains("\r") }) else {
            return nil
        }
        return values.map { "\($0.0)<<\(delimiter)\n\($0.1)\n\(delimiter)\n" }.joined()
    }
}

extension Escape {
    /// A line safe to print where GitHub Actions reads workflow commands: a line whose first
    /// non-blank characters are `::` gets a word joiner (U+2060) between the colons, and every
    /// `##[` (which the runner's legacy parser matches anywhere) one between `##` and `[`.
    /// Every line redline prints passes here, except its own annotations.
    public static func workflowLine(_ line: String) -> String {
        var text = neutraliseLegacyCommands(line)
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("::") {
            let start = trimmed.startIndex
            text.replaceSubrange(start..<text.index(after: start), with: ":\u{2060}")
        }
        return text
    }

    /// `##[` with a word joiner between `##` and `[`, so the runner's legacy parser sees no command.
    public static func neutraliseLegacyCommands(_ text: String) -> String {
        text.replacing("##[", with: "##\u{2060}[")
    }
}
