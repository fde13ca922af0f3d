import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// Renders a `Judgement` as GitHub-flavoured markdown: headline, the metrics that need
/// attention, everything else folded, then the baseline's provenance and the thresholds.
public enum MarkdownReport {
    /// The whole report, ending in a newline.
    public static func render(_ judgement: Judgement) -> String {
        render(judgement, limit: Int.max)
    }

    /// How the tables are laid out.
    public enum Layout: Sendable {
        /// Every column in every table: the report and the job summary, read at a page's width.
        case full
        /// A pull-request comment (about 780 px wide): the metrics that need attention with the
        /// few columns that explain them, then every metric in the full table, folded.
        case comment
    }

    /// The report in at most `limit` bytes (UTF-8): when the whole report does not fit, table rows
    /// are left out from the end (the metrics that need attention come first, so they are the last
    /// to go) and a line says how many, with `whereToLook` (where the full figures are).
    /// `preamble` lines come first (a PR comment's hidden marker). Empty when not even the headline fits.
    public static func render(
        _ judgement: Judgement, limit: Int, preamble: [String] = [], layout: Layout = .full,
        whereToLook: String = "the JSON result (--json) has every metric"
    ) -> String {
        let sections = judgement.sections
        let withTrend = judgement.metrics.contains { $0.trend != nil }
        var head = preamble
        if let notice = Formatting.baselineNotice(judgement) {
            head += ["**⚠️ " + capitalised(notice) + ".**", ""]
        }
        head += ["## " + headline(judgement), "", summary(judgement), ""]
        if let shift = judgement.runShift {
            head += [
                "**Run-wide shift:** " + Formatting.runShift(shift) + "; " + Formatting.runShiftCause(shift) + ".", "",
            ]
        }
        if let reruns = judgement.reruns {
            head += ["**Reruns:** " + Formatting.reruns(reruns, escape: Escape.markdownText) + ".", ""]
        }
        let toDelete = judgement.acceptances.filter { $0.state == .spent || $0.state == .expired }
        if !toDelete.isEmpty {
            head += [
                "**Acceptances to delete:** "
                    + toDelete.map {
                        Escape.markdownText($0.sentence(file: judgement.budgetsFile))
                    }.joined(separator: "; ") + ".", "",
            ]
        }
        let foot = footer(judgement)
        var budget = limit - bytes(head) - bytes(foot) - 400 - whereToLook.utf8.count
        var lines = head
        var omitted = 0

        /// Appends `opening`, a table of as many rows of `metrics` as the budget allows, and `closing`.
        func section(_ metrics: [MetricJudgement], compact: Bool = false, opening: [String], closing: [String]) {
            guard !metrics.isEmpty else { return }
            let tableHead =
                compact ? [compactHeader, compactSeparator] : [header(trend: withTrend), separator(trend: withTrend)]
            let frame = opening + tableHead + closing
            guard budget >= bytes(frame) else {
                omitted += metrics.count
                return
            }
            budget -= bytes(frame)
            var rows: [String] = []
            for metric in metrics {
                let line = compact ? compactRow(metric) : row(metric, trend: withTrend)
                let cost = line.utf8.count + 1
                guard cost <= budget else { break }
                budget -= cost
                rows.append(line)
            }
            omitted += metrics.count - rows.count
            guard !rows.isEmpty else { return }
            lines.append(contentsOf: opening + tableHead + rows + closing)
        }

        let attention = sections.attention
        switch layout {
        case .full:
            section(attention, opening: ["### Needs attention", ""], closing: [""])
            section(sections.accepted, opening: ["### Accepted regressions", ""], closing: [""])
            let moved = sections.movedWithShift
            section(
                moved,
                opening: [
                    "<details><summary>\(moved.count) without findings that moved with the run-wide shift</summary>",
                    "",
                ],
                closing: ["", "</details>", ""])
            let rest = sections.rest
            let noun = rest.count == 1 ? "metric" : "metrics"
            let label =
                attention.isEmpty && sections.accepted.isEmpty && moved.isEmpty
                ? "All \(rest.count) \(noun)" : "\(rest.count) other \(noun)"
            section(rest, opening: ["<details><summary>\(label)</summary>", ""], closing: ["", "</details>", ""])
        case .comment:
            section(attention, compact: true, opening: ["### Needs attention", ""], closing: [""])
            section(sections.accepted, compact: true, opening: ["### Accepted regressions", ""], closing: [""])
            let all = judgement.worstFirst
            let noun = all.count == 1 ? "metric" : "metrics"
            section(
                all, opening: ["<details><summary>All \(all.count) \(noun), every column</summary>", ""],
                closing: ["", "</details>", ""])
        }
        if omitted > 0 {
            lines.append(
                "_\(omitted) more row\(omitted == 1 ? " is" : "s are") left out to keep this report under "
                    + "\(limit / 1024) KiB; \(whereToLook)._")
            lines.append("")
        }
        lines.append(contentsOf: foot)
        let text = lines.joined(separator: "\n") + "\n"
        return text.utf8.count <= limit ? text : ""
    }

    /// `text` with its first letter in capitals.
    static func capitalised(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    /// The comment's table of what needs attention: the metric, the figures and why.
    static let compactHeader = "| | Metric | Baseline → Current | Change | Why |"
    static let compactSeparator = "|---|---|--:|--:|---|"

    /// A row of the comment's table: five columns, the verdict with its limits and the budget
    /// level that was crossed, so the row explains itself at a comment's width.
    static func compactRow(_ metric: MetricJudgement) -> String {
        var why = Formatting.verdictWithNotes(of: metric)
        if let level = metric.budgetLevel, level != .withinTarget {
            why += "; budget " + level.rawValue + " (" + Formatting.levels(of: metric) + ")"
        }
        let cells = [
            icon(metric.severity),
            Escape.markdownCell(metric.name) + (metric.source.map { " ← " + Escape.markdownCell($0) } ?? ""),
            plainCell(
                Formatting.optional(metric.baseline, unit: metric.unit) + " → "
                    + Formatting.optional(metric.current, unit: metric.unit)),
            plainCell(Formatting.change(of: metric)),
            plainCell(why),
        ]
        return "| " + cells.joined(separator: " | ") + " |"
    }

    static func bytes(_ lines: [String]) -> Int {
        lines.reduce(0) { $0 + $1.utf8.count + 1 }
    }

    /// `✅ redline: passed` or `❌ redline: failed`, with the reason in a few words.
    public static func headline(_ judgement: Judgement) -> String {
        switch judgement.outcome {
        case .passed:
            let warnings = judgement.counts.warnings
            return warnings == 0
                ? "✅ redline: passed" : "⚠️ redline: passed with \(warnings) warning\(warnings == 1 ? "" : "s")"
        case .failed:
            return "❌ redline: failed"
        }
    }

    /// One line of counts: `12 metrics · 1 regressed · 1 budget error · …`, zero counts left out.
    public static func summary(_ judgement: Judgement) -> String {
        judgement.counts.sentence(separator: " · ") { "**\($0)**" }
    }

    /// The table's header: with a Trend column when any metric has recent runs to draw.
    static func header(trend: Bool) -> String {
        "| | Metric | Baseline | Current | Change |" + (trend ? " Trend |" : "")
            + " Budget | Levels (target / warning / error) | Verdict | Rule |"
    }

    static func separator(trend: Bool) -> String {
        "|---|---|--:|--:|--:|" + (trend ? "---|" : "") + "---|--:|---|---|"
    }

    /// The table rows for `metrics`, header included; every row has the header's cell count.
    public static func table(_ metrics: [MetricJudgement]) -> [String] {
        let trend = metrics.contains { $0.trend != nil }
        return [header(trend: trend), separator(trend: trend)] + metrics.map { row($0, trend: trend) }
    }

    static func row(_ metric: MetricJudgement, trend: Bool = false) -> String {
        let cells = [
            icon(metric.severity),
            Escape.markdownCell(metric.name) + (metric.source.map { " ← " + Escape.markdownCell($0) } ?? ""),
            Formatting.optional(metric.baseline, unit: metric.unit)
                + (metric.window.map { " (\($0.runs) runs)" } ?? ""),
            Formatting.optional(metric.current, unit: metric.unit),
            Formatting.change(of: metric),
            metric.budgetLevel?.rawValue ?? "–",
            Formatting.levels(of: metric),
            Formatting.verdictWithNotes(of: metric),
            metric.rule.key.map(Escape.markdownCell) ?? "defaults",
        ]
        // Units come from input too: escape the formatted figures as well.
        var safe = cells.enumerated().map { index, cell in
            (index == 1 || index == 8) ? cell : plainCell(cell)
        }
        // The trend is redline's own blocks and arrow: nothing to escape.
        if trend {
            safe.insert(metric.trend.map { Sparkline.line($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "–", at: 5)
        }
        return "| " + safe.joined(separator: " | ") + " |"
    }

    /// A cell of redline's own words and formatted figures: units inside come from input, so
    /// anything markdown could act on is neutralised while the common case stays plain text.
    static func plainCell(_ text: String) -> String {
        if text.unicodeScalars.contains(where: { riskyScalars.contains($0) || MetricRules.isForbidden($0) }) {
            return Escape.markdownCell(text)
        }
        return text
    }

    /// Characters that markdown, HTML or GitHub's autolinker could act on.
    static let riskyScalars: Set<Unicode.Scalar> = [
        "|", "`", "<", ">", "[", "]", "*", "_", "@", "#", "\\", "&", "!", "~", ":",
    ]

    static func icon(_ severity: Severity) -> String {
        switch severity {
        case .failure: return "❌"
        case .warning: return "⚠️"
        case .notice: return "🔔"
        case .ok: return "✅"
        }
    }

    static func footer(_ judgement: Judgement) -> [String] {
        var lines: [String] = []
        if !judgement.hasBaseline {
            lines.append(
                "**Baseline:** none yet, so every metric is new; budgets still apply. Record one with `redline baseline update`."
            )
        } else if let provenance = judgement.provenance {
            var facts: [String] = []
            if let commit = provenance.commit { facts.append("commit " + Escape.markdownText(commit)) }
            if let branch = provenance.branch { facts.append("branch " + Escape.markdownText(branch)) }
            if let time = provenance.updatedAt { facts.append("updated " + Escape.markdownText(time)) }
            if let version = provenance.redlineVersion { facts.append("by redline " + Escape.markdownText(version)) }
            if !provenance.sources.isEmpty {
                facts.append(
                    "from "
                        + provenance.sources.map {
                            Escape.markdownText($0.file) + " (" + Escape.markdownText($0.format) + ")"
                        }.joined(separator: ", "))
            }
            if let reason = provenance.reason { facts.append("reason: " + Escape.markdownText(reason)) }
            lines.append("**Baseline:** " + (facts.isEmpty ? "no provenance recorded" : facts.joined(separator: ", ")))
        } else {
            lines.append("**Baseline:** no provenance recorded")
        }
        if !judgement.context.isEmpty {
            lines.append("")
            lines.append(
                "**Current run:** "
                    + judgement.context.map {
                        Escape.markdownText($0.key) + ": " + Escape.markdownText($0.value)
                    }.joined(separator: ", "))
        }
        lines.append("")
        let defaults = judgement.defaults
        var thresholds = "**Thresholds:** maxRegression " + Percentage.text(defaults.maxRegression)
        thresholds += ", minDelta " + (defaults.minDelta.map { Escape.markdownText($0.text) } ?? "none")
        thresholds += ", missing " + defaults.missing.rawValue
        thresholds += ", fail on " + (judgement.failOn == .warning ? "warning" : "error")
        thresholds += ". Rules from budgets.json override these per metric (see the Rule column)."
        lines.append(thresholds)
        if judgement.metrics.contains(where: { $0.statistics != nil }) {
            lines.append("")
            lines.append(
                "**Samples:** metrics with at least \(Judge.minimumSamples) samples on both sides are judged on them: "
                    + "the change is the Hodges-Lehmann estimate with its \(Formatting.number(100 * (1 - 2 * defaults.alpha)))% interval "
                    + "(low … high), and a worsening beyond the threshold is a regression only if a one-sided Mann-Whitney U test "
                    + "gives p < α (α = \(Formatting.number(defaults.alpha)) unless a rule sets `alpha`); otherwise it is inconclusive, a warning."
            )
        }
        if let pairs = judgement.pairs {
            lines.append("")
            lines.append(
                "**A/B on this runner:** the base and the head ran one after the other, \(pairs) pairs, starting with a "
                    + "random side; each metric is judged by the ratio head/base of each pair, in which the machine's state cancels: "
                    + "the change is the Hodges-Lehmann estimate of the ratio with its one-sided bounds (low … high), and a worsening "
                    + "beyond the threshold is a regression only if a one-sided Wilcoxon signed-rank test gives p < α; budgets are "
                    + "judged on the head's median.")
        }
        if let window = judgement.metrics.first(where: { $0.window != nil })?.window {
            lines.append("")
            lines.append(
                "**Window:** a metric whose baseline remembers at least \(HistoryLimits.minimumRuns) runs is judged "
                    + "against them (Baseline shows their centre and how many): a worsening beyond the threshold is a regression "
                    + "only if the current figure lies outside the runs' spread, one-sided p < α (α = \(Formatting.number(window.alpha)) "
                    + "unless a rule sets `alpha`) by Student's t on the runs kept; runs far from the rest are set aside first."
            )
        }
        return lines
    }
}
