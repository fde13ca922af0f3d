import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// How `baseline update` tells of the steps it found: a sentence per step for the log, and a
/// markdown section for the job summary.
public enum StepReport {
    /// `api latency: 12.3 ms → 13.8 ms (+12.20%, worse) from run 17 (commit 3f2c9e1, 2026-11-20T10:00:00Z), 4 runs at the new level, p=0.0004`.
    public static func sentence(_ found: BaselineChanges.FoundStep, escape: (String) -> String) -> String {
        var text =
            escape(found.name) + ": " + escape(Formatting.value(found.before, unit: found.unit)) + " → "
            + escape(Formatting.value(found.after, unit: found.unit)) + " ("
            + Formatting.percentChange(found.step.change)
            + ", " + (found.isWorse ? "worse" : "better") + ") from run \(found.step.run)"
        let facts = [found.commit.map { "commit " + escape($0) }, found.time.map(escape)].compactMap { $0 }
        if !facts.isEmpty { text += " (" + facts.joined(separator: ", ") + ")" }
        return text + ", \(found.runs) runs at the new level, p=" + Formatting.number(found.step.p)
    }

    /// The job-summary section: a heading and one line per step, worse ones first.
    public static func markdown(_ steps: [BaselineChanges.FoundStep], baseline: String) -> String {
        let ordered = steps.filter(\.isWorse) + steps.filter { !$0.isWorse }
        var lines = [
            "## redline: \(steps.count) step\(steps.count == 1 ? "" : "s") in " + Escape.markdownText(baseline), "",
        ]
        lines += ordered.map { "- " + ($0.isWorse ? "⚠️ " : "✅ ") + sentence($0, escape: Escape.markdownText) }
        lines += [
            "",
            "A step is a metric's newest runs settling at another level (at least 5% away, beyond the runs' noise). "
                + "The judge now compares with the runs since it; if the change was not intended, look at the commit where it began.",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
