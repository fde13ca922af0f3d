import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// Renders a `Judgement` as a compact aligned table for a terminal or a CI log.
public enum TerminalReport {
    /// Up to this many metrics every row is shown; past it only the ones that need attention.
    public static let fullTableLimit = 50
    /// At most this many rows that need attention are listed.
    public static let attentionLimit = 200
    /// Names longer than this many characters are shortened with `…` (the reports keep them whole).
    public static let nameWidth = 60

    /// The table and a closing verdict line; `colour` adds ANSI colours (the caller decides: TTY, NO_COLOR).
    public static func render(_ judgement: Judgement, colour: Bool) -> String {
        var shown = judgement.metrics.count <= fullTableLimit ? judgement.worstFirst : judgement.findings
        let hiddenAttention = max(0, shown.count - attentionLimit)
        shown = Array(shown.prefix(attentionLimit))
        let withTrend = judgement.metrics.contains { $0.trend != nil }
        var rows: [[String]] = [
            ["", "metric", "baseline", "current", "change"] + (withTrend ? ["trend"] : []) + ["budget", "verdict"]
        ]
        for metric in shown {
            var row = [
                label(metric.severity),
                shorten(Escape.terminal(metric.name + (metric.source.map { " ← " + $0 } ?? ""))),
                Escape.terminal(Formatting.optional(metric.baseline, unit: metric.unit)),
                Escape.terminal(Formatting.optional(metric.current, unit: metric.unit)),
                Formatting.change(of: metric),
            ]
            if withTrend { row.append(metric.trend.map { Sparkline.line($0) } ?? "") }
            row += [metric.budgetLevel?.rawValue ?? "–", Escape.terminal(Formatting.verdictWithNotes(of: metric))]
            rows.append(row)
        }
        var lines: [String] = []
        if let notice = Formatting.baselineNotice(judgement) {
            let line = "redline: " + notice
            lines.append(colour ? paint(line, .warning) : line)
        }
        if !shown.isEmpty {
            lines += TextTable(rows, rightAligned: [2, 3, 4]).lines { row, column, padded in
                colour && row > 0 && column == 0 ? paint(padded, shown[row - 1].severity) : padded
            }
        }
        let hiddenOK = judgement.metrics.count - shown.count - hiddenAttention
        if hiddenAttention > 0 {
            lines.append("… and \(hiddenAttention) more that need attention (see --report)")
        }
        if hiddenOK > 0 {
            lines.append("… and \(hiddenOK) more metric\(hiddenOK == 1 ? "" : "s") without findings (see --report)")
        }
        lines.append("")
        if let shift = judgement.runShift {
            lines.append("Run-wide shift: " + Formatting.runShift(shift) + "; " + Formatting.runShiftCause(shift))
        }
        if let reruns = judgement.reruns {
            lines.append("Reruns: " + Formatting.reruns(reruns, escape: Escape.terminal))
        }
        for status in judgement.acceptances where status.state == .spent || status.state == .expired {
            lines.append("Acceptance: " + Escape.terminal(status.sentence(file: judgement.budgetsFile)))
        }
        let verdict = closingLine(judgement)
        lines.append(colour ? paint(verdict, judgement.outcome == .failed ? .failure : .ok) : verdict)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `redline: FAILED (2 regressed, 1 budget error; 12 metrics)` and the like.
    public static func closingLine(_ judgement: Judgement) -> String {
        "redline: " + (judgement.outcome == .failed ? "FAILED" : "passed") + " ("
            + judgement.counts.sentence(separator: ", ") + ")"
    }

    static func label(_ severity: Severity) -> String {
        switch severity {
        case .failure: return "FAIL"
        case .warning: return "WARN"
        case .notice: return "note"
        case .ok: return "ok"
        }
    }

    static func paint(_ text: String, _ severity: Severity) -> String {
        let code: String
        switch severity {
        case .failure: code = "31"
        case .warning: code = "33"
        case .notice: code = "36"
        case .ok: code = "32"
        }
        return "\u{1B}[" + code + "m" + text + "\u{1B}[0m"
    }

    static func shorten(_ name: String) -> String {
        name.count <= nameWidth ? name : String(name.prefix(nameWidth - 1)) + "…"
    }
}
