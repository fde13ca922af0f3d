import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// Turns numbers into text for people: the one place that decides units, precision and signs.
public enum Formatting {
    /// A value in a readable unit: `1.23 ms` rather than `1230000 ns`, `1.5 GB/s` rather than `1500 MB/s`.
    public static func value(_ value: Double, unit: Unit?) -> String {
        guard value.isFinite else { return "–" }
        guard let unit else { return number(value) }
        switch unit.dimension {
        case .time:
            return scaled(value * unit.factor, steps: [("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1)])
        case .size:
            return scaled(value * unit.factor, steps: sizeSteps(for: unit.symbol))
        case .percent:
            return number(value) + "%"
        case .count:
            return number(value)
        case .rate(.size):
            let slash = unit.symbol.lastIndex(of: "/")!
            let per = String(unit.symbol[unit.symbol.index(after: slash)...])
            let perSecond = Unit(per).factor
            let steps = sizeSteps(for: String(unit.symbol[..<slash])).map { ($0.0 + "/" + per, $0.1 / perSecond) }
            return scaled(value * unit.factor, steps: steps)
        case .rate, .opaque:
            return number(value) + " " + unit.symbol
        }
    }

    private static func sizeSteps(for symbol: String) -> [(String, Double)] {
        symbol.contains("i")
            ? [("B", 1), ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776)]
            : [("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12)]
    }

    /// `base` (in the steps' base unit) in the largest step it is at least one of.
    private static func scaled(_ base: Double, steps: [(String, Double)]) -> String {
        var chosen = steps[0]
        for step in steps where abs(base) >= step.1 * (1 - 1e-12) { chosen = step }
        return number(base / chosen.1) + " " + chosen.0
    }

    /// A plain number: three significant digits below 1000, whole numbers above, no exponent
    /// between 1e-4 and 1e15. Never `nan` or `inf`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e15 || magnitude < 1e-4 {
            return CFormat.string("%.3g", value)
        }
        if magnitude >= 1000 {
            return CFormat.string("%.0f", value)
        }
        let decimals = max(0, 2 - Int(CLibrary.decimalLogarithm(magnitude).rounded(.down)))
        var text = CFormat.string("%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A relative change of the value (not of "worse"): `+12.34%`, `-5.00%`, `+0.00%`.
    public static func percentChange(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "–" }
        let percent = fraction * 100
        let text = CFormat.string("%.2f", abs(percent))
        if text == "0.00" { return "+0.00%" }
        return (percent < 0 ? "-" : "+") + text + "%"
    }

    /// The change column for one metric: the signed change of the value, `from 0`, or `–`.
    public static func change(of metric: MetricJudgement) -> String {
        switch metric.shownChange {
        case .unknown: return "–"
        case .fromZero: return "from 0"
        case .relative(let change): return percentChange(change)
        case .interval(let change, let low, let high):
            return percentChange(change) + " (" + percentChange(low) + " … " + percentChange(high) + ")"
        }
    }

    /// The budget levels as `target / warning / error`, `–` for each one not set.
    public static func levels(of metric: MetricJudgement) -> String {
        let rule = metric.rule
        guard rule.target != nil || rule.warning != nil || rule.error != nil else { return "–" }
        return [rule.target, rule.warning, rule.error]
            .map { $0.map { value($0, unit: metric.unit) } ?? "–" }
            .joined(separator: " / ")
    }

    /// The verdict for a reader: `regressed`, `improved`, `missing (fail)`, with the threshold where
    /// one applied and, for metrics judged on samples, the test's p-value and the sample counts.
    public static func verdict(of metric: MetricJudgement) -> String {
        switch metric.verdict {
        case .regressed, .improved, .inconclusive:
            var text = metric.verdict.rawValue + " (limit " + Percentage.text(metric.rule.maxRegression)
            if metric.rule.minDelta > 0 { text += ", min " + value(metric.rule.minDelta, unit: metric.unit) }
            if let test = metric.verdictTest {
                text += ", p=" + number(test.p) + (test.isSignificant ? "" : " ≥ " + number(test.alpha))
            }
            if let statistics = metric.statistics {
                text += ", n=\(statistics.baselineCount)/\(statistics.currentCount)"
            }
            if let pairs = metric.pairs {
                text += ", \(pairs.pairs) pairs"
                if pairs.setAside > 0 { text += " (\(pairs.setAside) set aside)" }
            }
            if metric.observations > 1 { text += ", \(metric.observations) runs" }
            return text + ")"
        case .missing:
            return "missing (\(metric.rule.missing.rawValue))"
        default:
            return metric.verdict.rawValue
        }
    }

    /// The verdict and, after it, what the reader should know about how the metric was judged.
    public static func verdictWithNotes(of metric: MetricJudgement) -> String {
        ([verdict(of: metric)] + (metric.isReportedOnlyFinding ? ["reported only"] : []) + metric.notes).joined(
            separator: "; ")
    }

    /// What the baseline side of a metric was: `last run`, `20 runs`, `18 runs since a step,
    /// 2 set aside`; empty without a baseline.
    public static func basis(of metric: MetricJudgement) -> String {
        guard metric.baseline != nil, metric.current != nil else { return "–" }
        guard let window = metric.window else { return metric.statistics != nil ? "last run's samples" : "last run" }
        var text = "\(window.runs) runs"
        if window.sinceStep { text += " since a step" }
        if window.setAside > 0 { text += ", \(window.setAside) set aside" }
        return text
    }

    /// `the whole run is +18.00% ± 3.00% worse (19 of 20 independent measurements moved that way)`.
    public static func runShift(_ shift: RunShift) -> String {
        "the whole run is " + percentChange(shift.change) + " ± " + CFormat.string("%.2f", 100 * shift.spread) + "% "
            + (shift.change > 0 ? "worse" : "better")
            + " (\(shift.agreeing) of \(shift.metrics) independent measurements moved that way)"
    }

    /// Which explanation of a run-wide shift the evidence favours, why, and what to do.
    public static func runShiftCause(_ shift: RunShift) -> String {
        let machine = shift.machineSpread.map { "±" + CFormat.string("%.1f", 100 * $0) + "%" }
        let times =
            shift.machineSpread.flatMap { spread -> String? in
                spread > 0 ? number(abs(CLibrary.logarithm(1 + shift.change)) / spread) + " times that" : nil
            } ?? "beyond that"
        let failing = shift.change > 0 ? "; every failing metric is listed on its own" : ""
        if shift.measuredInPairs {
            return "a real change: each pair ran both sides one after the other on this runner, so the machine cancels"
                + failing
        }
        switch (shift.cause, machine) {
        case (.change, _) where (shift.machineSpread ?? 1) < 0.005:
            return "likelier a real change: the baseline's runs did not move together (under ±0.5%), "
                + "so a slower machine does not explain it" + failing
        case (.change, let machine?):
            return "likelier a real change: the baseline's runs moved together by " + machine
                + " (one standard deviation) and this is " + times + ", more than a slower machine explains" + failing
        case (.change, nil):
            return
                "likelier a real change of the service: the metrics come from a load test, whose statistics all move "
                + "together when the service gets slower or faster" + failing
                + "; a slower runner moves them too, so rerun on another runner only if the change cannot touch the request path"
        case (.machine, let machine):
            return "likelier the machine: the baseline's runs moved together by " + (machine ?? "as much")
                + " (one standard deviation) and this is within " + number(RunShift.machineLimit)
                + " times that; rerun on another runner to tell (the verdicts stand until then)"
        case (.either, _):
            return "a slower (or faster) machine, or a change that touches everything (an allocator, a compiler flag): "
                + "if the change touches neither, rerun on another runner"
        }
    }

    /// The line every output puts first when the check compared nothing or little: no baseline yet,
    /// or a baseline younger than the window. Nil otherwise.
    public static func baselineNotice(_ judgement: Judgement) -> String? {
        if let pairs = judgement.pairs {
            return
                "A/B on this runner, \(pairs) pair\(pairs == 1 ? "" : "s"): each metric is judged by the ratio head/base of "
                + "runs taken one right after the other, in which the machine's state cancels"
        }
        if !judgement.hasBaseline {
            return "no baseline yet: nothing was compared; the first push to the default branch records one "
                + "(or `redline baseline update --current FILE`), and budgets still apply"
        }
        guard judgement.isYoungBaseline else { return nil }
        let runs = max(1, judgement.runs.count)
        return
            "young baseline: \(runs) run\(runs == 1 ? "" : "s") of the \(HistoryLimits.minimumRuns) a window needs, so each metric "
            + "was compared with its last run by the thresholds alone; grow it with "
            + "`redline baseline update --current FILE --rerun 'COMMAND' --runs \(HistoryLimits.minimumRuns)`"
    }

    /// `3 of 5 runs used: rerun 1 settled a, b; rerun 2 settled nothing`, names passed through `escape`.
    public static func reruns(_ record: RerunRecord, escape: (String) -> String) -> String {
        func names(_ list: [String]) -> String {
            guard !list.isEmpty else { return "nothing" }
            let shown = list.prefix(8).map(escape).joined(separator: ", ")
            return list.count > 8 ? shown + " and \(list.count - 8) more" : shown
        }
        var text = "\(record.used) of \(record.limit) runs used"
        let settled = record.settled.enumerated().map { "rerun \($0.offset + 1) settled " + names($0.element) }
        if !settled.isEmpty { text += ": " + settled.joined(separator: "; ") }
        if !record.remaining.isEmpty { text += "; still suspect after the last run: " + names(record.remaining) }
        return text
    }

    /// A value or `–`.
    public static func optional(_ number: Double?, unit: Unit?) -> String {
        number.map { value($0, unit: unit) } ?? "–"
    }
}
