import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput
@testable import RedlinePolicy
@testable import RedlineHistory
@testable import RedlineVerdict
@testable import RedlineBaseline
@testable import RedlineReport

@Suite("Counts, suspects and sections speak of what is gated; failures are never folded")
struct VerdictCountsTests {
    /// A judged metric with the given verdict and gating, severity as the judge would set it.
    static func judged(_ name: String, _ verdict: Verdict, gates: Bool, level: BudgetLevel? = nil) -> MetricJudgement {
        var rule = ResolvedRule(direction: .lower, maxRegression: 0.1, minDelta: 0, missing: .warn, alpha: 0.05)
        rule.gates = gates
        var severity: Severity = verdict == .regressed ? .failure : verdict == .inconclusive ? .warning : .ok
        if level == .error { severity = .failure } else if level == .warning { severity = max(severity, .warning) }
        if !gates { severity = .ok }
        return MetricJudgement(
            name: name, rule: rule, baseline: 100, current: verdict == .regressed ? 150 : 100,
            comparison: Comparison(
                baseline: 100, current: verdict == .regressed ? 150 : 100, worsening: 0,
                change: verdict == .regressed ? 0.5 : 0),
            verdict: verdict, budgetLevel: level, severity: severity)
    }

    @Test("1,000 generated judgements: counts are of gated metrics, reported-only changes apart, suspects gated only")
    func generated() {
        var generator = SeededGenerator(seed: 21)
        let verdicts: [Verdict] = [.regressed, .improved, .unchanged, .inconclusive, .new]
        for _ in 0..<1_000 {
            let metrics = (0..<Int.random(in: 0...30, using: &generator)).map { index in
                Self.judged(
                    "m\(index + 100)", verdicts[Int.random(in: 0..<verdicts.count, using: &generator)],
                    gates: Bool.random(using: &generator),
                    level: [nil, .withinTarget, .warning, .error][Int.random(in: 0..<4, using: &generator)])
            }
            let counts = VerdictCounts(metrics)
            let gated = metrics.filter(\.rule.gates)
            #expect(counts.regressed == gated.filter { $0.verdict == .regressed }.count)
            #expect(counts.budgetErrors == gated.filter { $0.budgetLevel == .error }.count)
            #expect(counts.failures == metrics.filter { $0.severity == .failure }.count)
            #expect(counts.reportedOnly == metrics.count - gated.count)
            #expect(
                counts.reportedOnlyChanges
                    == metrics.filter { !$0.rule.gates && [.regressed, .improved, .inconclusive].contains($0.verdict) }
                    .count)
            let judgement = Judgement(
                metrics: metrics, outcome: .passed, failOn: .failure, defaults: PolicyDefaults(),
                provenance: nil, hasBaseline: true, context: [])
            #expect(
                judgement.suspects
                    == gated.filter { $0.verdict == .regressed || $0.verdict == .inconclusive }.map(\.name))
            // Every metric in one section; every failure in the first, none folded.
            let sections = judgement.sections
            #expect(
                sections.attention.count + sections.accepted.count + sections.movedWithShift.count + sections.rest.count
                    == metrics.count)
            #expect(sections.failing.count == counts.failures)
            let report = MarkdownReport.render(judgement)
            let folded = report.range(of: "<details>")?.lowerBound ?? report.endIndex
            for failing in sections.failing {
                let row = report.range(of: "| `\(failing.name)` |")
                #expect(row != nil && row!.lowerBound < folded, "\(failing.name) is folded")
            }
        }
    }

    @Test("the headline says what is gated: 2 regressed, and the reported-only changes apart")
    func sentence() {
        let metrics = [
            Self.judged("a", .regressed, gates: true), Self.judged("b", .regressed, gates: true),
            Self.judged("c", .regressed, gates: false), Self.judged("d", .improved, gates: false),
            Self.judged("e", .unchanged, gates: false),
        ]
        #expect(
            VerdictCounts(metrics).sentence(separator: ", ")
                == "5 metrics, 3 reported only, 2 regressed; 2 changes in reported-only metrics")
    }
}
