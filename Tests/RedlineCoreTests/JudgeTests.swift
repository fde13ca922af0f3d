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

/// Judges one metric `name` with the given sides and budgets text.
func judgeOne(
    current: Metric?, baseline: Metric?, budgets: String = "{}",
    options: JudgeOptions = JudgeOptions()
) throws -> MetricJudgement {
    let policy = try readBudgets(budgets)
    let judgement = try Judge.judge(
        current: MetricSet(metrics: current.map { [$0] } ?? []),
        baseline: baseline.map { Baseline(metrics: MetricSet(metrics: [$0])) },
        policy: policy, options: options)
    let name = current?.name ?? baseline?.name
    return try #require(judgement.metrics.first { $0.name == name })
}

@Suite("Verdicts")
struct JudgeTests {
    struct Boundary: Sendable, CustomStringConvertible {
        var baseline: Double
        var current: Double
        var unit: String?
        var baselineUnit: String?
        var direction: Direction?
        var expected: Verdict
        var description: String {
            "\(baseline)\(baselineUnit ?? unit ?? "") → \(current)\(unit ?? "") \(direction?.rawValue ?? "") ⇒ \(expected)"
        }
    }

    @Test(
        "threshold boundaries at the default 10%",
        arguments: [
            Boundary(baseline: 100, current: 110, expected: .unchanged),  // exactly 10% passes
            Boundary(baseline: 100, current: 110.01, expected: .regressed),  // 10.01% fails
            Boundary(baseline: 1.0, current: 1.1, expected: .unchanged),  // 10% despite 1.1 − 1.0 > 0.1 in binary
            Boundary(baseline: 0.3, current: 0.33, expected: .unchanged),
            Boundary(baseline: 100, current: 90, expected: .unchanged),  // exactly 10% better: not "improved"
            Boundary(baseline: 100, current: 89.99, expected: .improved),
            Boundary(baseline: 0, current: 0, expected: .unchanged),  // 0 → 0: no change
            Boundary(baseline: 0, current: 3, expected: .regressed),  // 0 → 3 allocations
            Boundary(baseline: 3, current: 0, expected: .improved),
            Boundary(baseline: 1000, current: 900, direction: .higher, expected: .unchanged),  // −10% throughput passes
            Boundary(baseline: 1000, current: 899.9, direction: .higher, expected: .regressed),  // −10.01% fails
            Boundary(baseline: 1000, current: 1101, direction: .higher, expected: .improved),
            Boundary(baseline: 1000, current: 1200, unit: "req/s", expected: .improved),  // rate: higher by default
            // 1 s → 1100 ms: 10%
            Boundary(baseline: 1, current: 1100, unit: "ms", baselineUnit: "s", expected: .unchanged),
            Boundary(baseline: 1, current: 1101, unit: "ms", baselineUnit: "s", expected: .regressed),
            // 1000 B → 1126.4 B: 12.64%
            Boundary(baseline: 1000, current: 1.1, unit: "KiB", baselineUnit: "B", expected: .regressed),
            // 1 KB → 1100 B: 10%
            Boundary(baseline: 1, current: 1100, unit: "B", baselineUnit: "KB", expected: .unchanged),
            // 1024 B → 1100 B: 7.4%
            Boundary(baseline: 1, current: 1100, unit: "B", baselineUnit: "KiB", expected: .unchanged),
            // 1024 B → 1127 B: 10.06%
            Boundary(baseline: 1, current: 1127, unit: "B", baselineUnit: "KiB", expected: .regressed),
        ])
    func boundaries(_ row: Boundary) throws {
        let judged = try judgeOne(
            current: Metric(name: "m", value: row.current, unit: row.unit.map(Unit.init), direction: row.direction),
            baseline: Metric(
                name: "m", value: row.baseline, unit: (row.baselineUnit ?? row.unit).map(Unit.init),
                direction: row.direction))
        #expect(judged.verdict == row.expected, "change \(judged.change.map { "\($0)" } ?? "nil")")
    }

    @Test("a zero baseline never divides by zero: the change is reported from 0")
    func fromZero() throws {
        let judged = try judgeOne(current: Metric(name: "allocs", value: 3), baseline: Metric(name: "allocs", value: 0))
        #expect(judged.change == nil)
        #expect(judged.isFromZero)
        #expect(judged.delta == 3)
        #expect(Formatting.change(of: judged) == "from 0")
        let within = try judgeOne(
            current: Metric(name: "allocs", value: 3), baseline: Metric(name: "allocs", value: 0),
            budgets: #"{"metrics": {"allocs": {"minDelta": 3}}}"#)
        #expect(within.verdict == .unchanged)
    }

    @Test("minDelta: a change at or below the floor never regresses, whatever its percentage")
    func minDelta() throws {
        let budgets = #"{"metrics": {"BM_*": {"minDelta": "200ns"}}}"#
        let small = try judgeOne(
            current: Metric(name: "BM_a", value: 150, unit: Unit("ns")),
            baseline: Metric(name: "BM_a", value: 10, unit: Unit("ns")), budgets: budgets)
        #expect(small.verdict == .unchanged)
        #expect(small.change == 14)
        let atFloor = try judgeOne(
            current: Metric(name: "BM_a", value: 1.2, unit: Unit("us")),
            baseline: Metric(name: "BM_a", value: 1.0, unit: Unit("us")), budgets: budgets)
        #expect(atFloor.verdict == .unchanged)
        let beyond = try judgeOne(
            current: Metric(name: "BM_a", value: 1.3, unit: Unit("us")),
            baseline: Metric(name: "BM_a", value: 1.0, unit: Unit("us")), budgets: budgets)
        #expect(beyond.verdict == .regressed)
        #expect(beyond.rule.minDelta == 0.2)
    }

    @Test(
        "budget levels from the current value",
        arguments: [
            (90.0, BudgetLevel.withinTarget, Severity.ok), (100.0, .withinTarget, .ok), (150.0, .overTarget, .notice),
            (200.0, .overTarget, .notice), (201.0, .warning, .warning), (500.0, .warning, .warning),
            (501.0, .error, .failure),
        ])
    func budgetLevels(value: Double, level: BudgetLevel, severity: Severity) throws {
        let judged = try judgeOne(
            current: Metric(name: "apiResponseTime", value: value, unit: Unit("ms")), baseline: nil,
            budgets: BudgetsTests.specExample)
        #expect(judged.budgetLevel == level)
        #expect(judged.severity == severity)
        #expect(judged.verdict == .new)
    }

    @Test("higher-is-better budget levels: below error fails")
    func higherLevels() throws {
        let low = try judgeOne(
            current: Metric(name: "throughput", value: 499, unit: Unit("req/s")), baseline: nil,
            budgets: BudgetsTests.specExample)
        #expect(low.budgetLevel == .error)
        let fine = try judgeOne(
            current: Metric(name: "throughput", value: 1000, unit: Unit("req/s")), baseline: nil,
            budgets: BudgetsTests.specExample)
        #expect(fine.budgetLevel == .withinTarget)
    }

    @Test("levels convert from the rule's unit to the metric's: 0.6 s breaks a 500 ms error level")
    func levelUnits() throws {
        let judged = try judgeOne(
            current: Metric(name: "apiResponseTime", value: 0.6, unit: Unit("s")), baseline: nil,
            budgets: BudgetsTests.specExample)
        #expect(judged.budgetLevel == .error)
        #expect(judged.rule.error == 0.5)
    }

    @Test("a metric without a unit takes its rule's unit")
    func unitAdoption() throws {
        let judged = try judgeOne(
            current: Metric(name: "apiResponseTime", value: 250), baseline: nil,
            budgets: BudgetsTests.specExample)
        #expect(judged.unit?.symbol == "ms")
        #expect(judged.budgetLevel == .warning)
    }

    @Test(
        "missing metrics follow their policy",
        arguments: [
            (MissingPolicy.fail, Severity.failure), (.warn, .warning), (.ignore, .ok),
        ])
    func missing(policy: MissingPolicy, severity: Severity) throws {
        let judged = try judgeOne(
            current: nil, baseline: Metric(name: "gone", value: 1),
            budgets: #"{"defaults": {"missing": "\#(policy.rawValue)"}}"#)
        #expect(judged.verdict == .missing)
        #expect(judged.severity == severity)
    }

    @Test("an exact budget name absent from both runs is missing; a glob alone is not")
    func missingFromBudgets() throws {
        let policy = try readBudgets(#"{"metrics": {"required": {"missing": "fail"}, "BM_*": {}}}"#)
        let judgement = try Judge.judge(current: MetricSet(metrics: []), baseline: nil, policy: policy)
        #expect(judgement.metrics.map(\.name) == ["required"])
        #expect(judgement.outcome == .failed)
    }

    @Test(
        "the run fails on a regression, a budget error or a required metric missing; warnings pass unless --fail-on warning"
    )
    func outcome() throws {
        let current = MetricSet(metrics: [Metric(name: "apiResponseTime", value: 250, unit: Unit("ms"))])
        let policy = try readBudgets(BudgetsTests.specExample)
        let passed = try Judge.judge(current: current, baseline: nil, policy: policy)
        #expect(passed.outcome == .passed)
        #expect(passed.metrics.first { $0.name == "apiResponseTime" }?.severity == .warning)
        let strict = try Judge.judge(
            current: current, baseline: nil, policy: policy, options: JudgeOptions(failOn: .warning))
        #expect(strict.outcome == .failed)
    }

    @Test("--max-regression replaces the default but not a rule's own threshold")
    func maxRegressionOverride() throws {
        let options = JudgeOptions(maxRegression: 0.5)
        let loose = try judgeOne(
            current: Metric(name: "x", value: 140), baseline: Metric(name: "x", value: 100), options: options)
        #expect(loose.verdict == .unchanged)
        let ruled = try judgeOne(
            current: Metric(name: "BM_x", value: 140), baseline: Metric(name: "BM_x", value: 100),
            budgets: #"{"metrics": {"BM_*": {"maxRegression": "5%"}}}"#, options: options)
        #expect(ruled.verdict == .regressed)
    }

    @Test("baseline and current of different dimensions are an input error naming the baseline file")
    func dimensionMismatch() {
        #expect(throws: RedlineErrors.self) {
            _ = try judgeOne(
                current: Metric(name: "m", value: 1, unit: Unit("ms")),
                baseline: Metric(name: "m", value: 1, unit: Unit("MB")),
                options: JudgeOptions(baselineFile: "baselines/main.json"))
        }
        do {
            _ = try judgeOne(
                current: Metric(name: "m", value: 1, unit: Unit("ms")),
                baseline: Metric(name: "m", value: 1, unit: Unit("MB")),
                options: JudgeOptions(baselineFile: "baselines/main.json"))
        } catch {
            #expect(
                error.redlineErrors[0].description.hasPrefix(
                    "baselines/main.json: metric \"m\" is in MB (size) in the baseline but in ms (time)"))
        }
    }

    @Test("a budget rule whose unit is another dimension than the metric's is a config error")
    func ruleDimension() {
        #expect(throws: RedlineErrors.self) {
            _ = try judgeOne(
                current: Metric(name: "memoryUsage", value: 1, unit: Unit("ms")), baseline: nil,
                budgets: BudgetsTests.specExample)
        }
    }

    @Test("levels ordered for lower-is-better on a metric the file declares higher-is-better: config error")
    func directionConflict() {
        #expect(throws: RedlineErrors.self) {
            _ = try judgeOne(
                current: Metric(name: "score", value: 5, direction: .higher), baseline: nil,
                budgets: #"{"metrics": {"score": {"target": 1, "error": 10}}}"#)
        }
    }

    @Test("the budget's direction overrides the metrics file's")
    func directionOverride() throws {
        let judged = try judgeOne(
            current: Metric(name: "score", value: 80, direction: .lower),
            baseline: Metric(name: "score", value: 100, direction: .lower),
            budgets: #"{"metrics": {"score": {"direction": "higher"}}}"#)
        #expect(judged.direction == .higher)
        #expect(judged.verdict == .regressed)
    }

    @Test("comparison is antisymmetric: swapping the sides and the direction gives the same verdict (seeded)")
    func antisymmetry() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let a = Double.random(in: 0.1...1000, using: &generator)
            let b = a * Double.random(in: 0.5...1.5, using: &generator)
            let lower = try judgeOne(current: Metric(name: "m", value: b), baseline: Metric(name: "m", value: a))
            let higher = try judgeOne(
                current: Metric(name: "m", value: b, direction: .higher),
                baseline: Metric(name: "m", value: a, direction: .higher))
            switch lower.verdict {
            case .regressed: #expect(higher.verdict == .improved || higher.verdict == .unchanged)
            case .improved: #expect(higher.verdict == .regressed)
            default: #expect(higher.verdict != .improved || (a - b) / a <= 0.1 + Statistics.tolerance)
            }
            #expect(lower.change.map { -$0 } == higher.change)
        }
    }

    @Test("the judgement lists the union of current, baseline and exact budget names, sorted")
    func union() throws {
        let current = MetricSet(metrics: [Metric(name: "b", value: 1), Metric(name: "a", value: 1)])
        let baseline = Baseline(
            metrics: MetricSet(metrics: [Metric(name: "c", value: 1), Metric(name: "a", value: 1)]))
        let policy = try readBudgets(#"{"metrics": {"d": {}}}"#)
        let judgement = try Judge.judge(current: current, baseline: baseline, policy: policy)
        #expect(judgement.metrics.map(\.name) == ["a", "b", "c", "d"])
        #expect(judgement.metrics.map(\.verdict) == [.unchanged, .new, .missing, .missing])
    }
}

@Suite("Verdicts on samples")
struct SampleVerdictTests {
    static let baseline = [100.0, 102, 98, 101, 99, 103, 97, 100, 101, 99]

    func judge(
        _ current: [Double], baseline: [Double] = SampleVerdictTests.baseline, direction: Direction? = nil,
        budgets: String = "{}"
    ) throws -> MetricJudgement {
        try judgeOne(
            current: Metric(
                name: "m", value: Metric.median(current)!, samples: current, unit: Unit("ns"), direction: direction),
            baseline: Metric(
                name: "m", value: Metric.median(baseline)!, samples: baseline, unit: Unit("ns"), direction: direction),
            budgets: budgets)
    }

    @Test("a clear 20% worsening with 10 samples a side regresses, with the estimate, interval and p")
    func clearRegression() throws {
        let judged = try judge(Self.baseline.map { $0 * 1.2 })
        #expect(judged.verdict == .regressed)
        let statistics = try #require(judged.statistics)
        #expect(abs(statistics.estimate! - 0.2) < 0.01)
        #expect(statistics.low! > 0.1)
        #expect(statistics.pWorse < 0.001)
        #expect(statistics.baselineCount == 10 && statistics.currentCount == 10)
        #expect(abs(judged.change! - statistics.estimate!) < 1e-12)
    }

    @Test("a worsening beyond the threshold that the samples do not support is inconclusive, a warning")
    func inconclusive() throws {
        // The median moves up 15%, but the samples overlap so much that the rank test cannot tell.
        let current = [80.0, 130, 70, 125, 118, 60, 135, 116, 120, 75]
        let judged = try judge(current)
        #expect(judged.verdict == .inconclusive)
        #expect(judged.severity == .warning)
        #expect((judged.statistics?.pWorse ?? 0) >= 0.05)
        #expect(Formatting.verdict(of: judged).contains("≥ 0.05"))
    }

    @Test("alpha per rule: a stricter alpha turns a regression into inconclusive")
    func alphaPerRule() throws {
        let current = [112.0, 100, 108, 125, 118, 98, 111, 116, 120, 102]  // SciPy: p = 0.0034
        #expect(try judge(current).verdict == .regressed)
        #expect(try judge(current, budgets: #"{"metrics": {"m": {"alpha": 0.001}}}"#).verdict == .inconclusive)
    }

    @Test("an improvement needs evidence too; without it the metric is unchanged")
    func improvement() throws {
        #expect(try judge(Self.baseline.map { $0 * 0.8 }).verdict == .improved)
        let noisy = [60.0, 110, 65, 108, 112, 70, 105, 75, 109, 68]
        #expect(try judge(noisy).verdict == .unchanged)
    }

    @Test("higher-is-better samples: a drop is the worsening the test looks for")
    func higherIsBetter() throws {
        let judged = try judge(Self.baseline.map { $0 * 0.8 }, direction: .higher)
        #expect(judged.verdict == .regressed)
        #expect(abs(judged.change! - 0.2) < 0.01)
    }

    @Test("fewer than 5 samples on a side: the medians are compared as points")
    func fewSamples() throws {
        let judged = try judge([130, 131, 129, 130], baseline: [100, 101, 99, 100])
        #expect(judged.statistics == nil)
        #expect(judged.verdict == .regressed)
    }

    @Test("one wild outlier does not make a regression")
    func outlier() throws {
        var current = Self.baseline
        current[3] = 5_000
        #expect(try judge(current).verdict == .unchanged)
    }

    @Test("samples in another unit of the same dimension are converted before the test")
    func convertedSamples() throws {
        let judged = try judgeOne(
            current: Metric(name: "m", value: 0.1, samples: Self.baseline.map { $0 / 1000 }, unit: Unit("us")),
            baseline: Metric(name: "m", value: 100, samples: Self.baseline, unit: Unit("ns")))
        #expect(judged.verdict == .unchanged)
        #expect(abs(judged.statistics!.estimate!) < 1e-9)
    }

    @Test("`alpha` outside (0, 0.5) is a config error")
    func alphaRange() {
        #expect(budgetProblems(#"{"defaults": {"alpha": 0.5}}"#).first?.message.contains("between 0 and 0.5") == true)
        #expect(
            budgetProblems(#"{"metrics": {"a": {"alpha": "0.05"}}}"#).first?.message.contains("must be a number")
                == true)
    }

    @Test("a judgement split over threads equals one made in a single piece, problems included")
    func splitJudgement() throws {
        var generator = SeededGenerator(seed: 77)
        func samples(_ scale: Double) -> [Double] {
            (0..<10).map { _ in scale * Double.random(in: 0.9...1.1, using: &generator) }
        }
        var current: [Metric] = []
        var earlier: [Metric] = []
        for index in 0..<6_000 {
            let name = "suite/\(index % 7)/case_\(index)"
            let scale = Double(index % 50 + 1)
            if index % 11 != 0 {
                current.append(
                    Metric(
                        name: name, value: scale, samples: samples(scale * (index % 5 == 0 ? 1.3 : 1)), unit: Unit("ms")
                    ))
            }
            if index % 13 != 0 {
                earlier.append(
                    Metric(name: name, value: scale, samples: samples(scale), unit: Unit(index % 17 == 0 ? "s" : "ms")))
            }
        }
        // Two globs that tie for suite/3/... make problems in several pieces, to be kept in order.
        let policy = try readBudgets(
            #"{"metrics": {"suite/3/*": {"maxRegression": "5%"}, "suite/*/c*": {"maxRegression": "5%"}, "suite/1/*": {"missing": "fail"}}}"#
        )
        let baseline = Baseline(metrics: MetricSet(metrics: earlier))
        func outcome(_ chunks: Int) -> String {
            do {
                let judgement = try Judge.judge(
                    current: MetricSet(metrics: current), baseline: baseline, policy: policy,
                    options: JudgeOptions(), chunks: chunks)
                return JSONResult.render(judgement)
            } catch {
                return error.redlineErrors.map(\.description).joined(separator: "\n")
            }
        }
        let single = outcome(1)
        #expect(single.contains("matches"), "the ties make problems")
        #expect(outcome(8) == single)
        #expect(outcome(3) == single)
        let policyWithoutTies = try readBudgets(
            #"{"metrics": {"suite/3/*": {"maxRegression": "5%"}, "suite/1/*": {"missing": "fail"}}}"#)
        let whole = try Judge.judge(
            current: MetricSet(metrics: current), baseline: baseline, policy: policyWithoutTies,
            options: JudgeOptions(), chunks: 1)
        let split = try Judge.judge(
            current: MetricSet(metrics: current), baseline: baseline, policy: policyWithoutTies,
            options: JudgeOptions(), chunks: 7)
        #expect(JSONResult.render(whole) == JSONResult.render(split))
        #expect(whole.metrics.count == 6_000 - 42, "names in neither file (index divisible by 143) are not judged")
    }
}
