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

/// A normal draw for the seeded generator (Box-Muller).
func normal(_ generator: inout SeededGenerator) -> Double {
    let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
    let u2 = Double.random(in: 0..<1, using: &generator)
    return (-2 * CLibrary.logarithm(u1)).squareRoot() * cosine(2 * Double.pi * u2)
}

/// cos without Foundation, by its series after reducing to [-π, π] (enough for test draws).
func cosine(_ x: Double) -> Double {
    var y = x.truncatingRemainder(dividingBy: 2 * Double.pi)
    if y > Double.pi { y -= 2 * Double.pi }
    var term = 1.0
    var sum = 1.0
    for n in stride(from: 2, through: 40, by: 2) {
        term *= -y * y / Double((n - 1) * n)
        sum += term
    }
    return sum
}

/// A baseline of one metric `m` (ms) whose history is `values`.
func windowBaseline(_ values: [Double], name: String = "m", unit: String = "ms") -> Baseline {
    Baseline(
        metrics: MetricSet(metrics: [Metric(name: name, value: values.last!, unit: Unit(unit))]),
        runs: (1...values.count).map { BaselineRun(id: $0) }, history: [name: MetricHistory(values: values)])
}

func judgeOne(_ value: Double, against baseline: Baseline, unit: String = "ms", reruns: [Double] = []) throws
    -> MetricJudgement
{
    let set = { (value: Double) in MetricSet(metrics: [Metric(name: "m", value: value, unit: Unit(unit))]) }
    return try Judge.judge(current: set(value), baseline: baseline, policy: Policy(), reruns: reruns.map(set)).metrics[
        0]
}

@Suite("History: the window of recent runs, the judge on it, steps, run-wide shifts")
struct HistoryTests {
    @Test("Student's t tail matches tabled quantiles")
    func studentTail() {
        // (t, degrees of freedom, upper tail) from the t table.
        let table: [(Double, Double, Double)] = [
            (2.086, 20, 0.025), (1.812, 10, 0.05), (2.764, 10, 0.01), (6.314, 1, 0.05),
            (1.729, 19, 0.05), (3.579, 19, 0.001), (1.645, 1e6, 0.05), (0, 7, 0.5),
        ]
        for (t, degrees, tail) in table {
            let computed = WindowStatistics.studentUpperTail(t, degrees: degrees)
            #expect(abs(computed - tail) < 2e-4 * max(1, tail * 100), "t=\(t) df=\(degrees): \(computed)")
            #expect(abs(WindowStatistics.studentUpperTail(-t, degrees: degrees) - (1 - tail)) < 2e-3)
        }
    }

    /// The reference: Student's t upper tail by Simpson's rule on the density (no beta function).
    static func referenceTail(_ t: Double, degrees: Double) -> Double {
        let logConstant =
            CLibrary.logGamma((degrees + 1) / 2) - CLibrary.logGamma(degrees / 2)
            - 0.5 * CLibrary.logarithm(degrees * Double.pi)
        func density(_ x: Double) -> Double {
            CLibrary.exponential(logConstant - (degrees + 1) / 2 * CLibrary.logarithm(1 + x * x / degrees))
        }
        // P(0 ≤ T ≤ |t|) by Simpson, then the tail.
        let steps = 4000
        let h = abs(t) / Double(steps)
        var sum = density(0) + density(abs(t))
        for index in 1..<steps { sum += density(Double(index) * h) * (index % 2 == 1 ? 4 : 2) }
        let middle = sum * h / 3
        return t >= 0 ? 0.5 - middle : 0.5 + middle
    }

    @Test("the t tail agrees with a numerical integration of the density on 2,000 random cases")
    func studentTailDifferential() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            let degrees = Double(Int.random(in: 1...200, using: &generator))
            let t = Double.random(in: -8...8, using: &generator)
            let ours = WindowStatistics.studentUpperTail(t, degrees: degrees)
            let reference = Self.referenceTail(t, degrees: degrees)
            #expect(abs(ours - reference) < 1e-6, "t=\(t) df=\(degrees): \(ours) vs \(reference)")
        }
    }

    /// A reference window judge, written from the rule in the README: median and 1.4826·MAD, runs
    /// beyond 3.5 of those set aside, mean and Bessel SD of the rest, one-sided prediction p.
    static func referenceVerdict(window: [Double], current: Double, maxRegression: Double = 0.10, alpha: Double = 0.05)
        -> Verdict
    {
        let sorted = window.sorted()
        let median =
            sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let deviations = window.map { abs($0 - median) }.sorted()
        let mad =
            deviations.count % 2 == 1
            ? deviations[deviations.count / 2]
            : (deviations[deviations.count / 2 - 1] + deviations[deviations.count / 2]) / 2
        var scale = 1.4826 * mad
        func meanSD(_ values: [Double]) -> (Double, Double) {
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            return (mean, variance.squareRoot())
        }
        if scale == 0 { scale = meanSD(window).1 }
        var kept = window.filter { abs($0 - median) <= 3.5 * scale }
        if kept.count < 2 || scale == 0 { kept = window }
        let (mean, sd) = meanSD(kept)
        let change = (current - mean) / abs(mean)
        let se = sd * (1 + 1 / Double(kept.count)).squareRoot()
        let pWorse =
            se > 0 ? referenceTail((current - mean) / se, degrees: Double(kept.count - 1)) : (current > mean ? 0 : 1)
        let pBetter =
            se > 0 ? referenceTail((mean - current) / se, degrees: Double(kept.count - 1)) : (current < mean ? 0 : 1)
        if change > maxRegression + 1e-9 { return pWorse < alpha ? .regressed : .inconclusive }
        if change < -maxRegression - 1e-9 && pBetter < alpha { return .improved }
        return .unchanged
    }

    @Test("the judge on a window agrees with a reference written from the rule, on 3,000 generated windows")
    func windowDifferential() throws {
        var generator = SeededGenerator(seed: 5)
        var disagreements: [String] = []
        var seen = Set<Verdict>()
        for _ in 0..<3_000 {
            let count = Int.random(in: 5...40, using: &generator)
            let cv = [0.01, 0.03, 0.08, 0.2][Int.random(in: 0..<4, using: &generator)]
            var window = (0..<count).map { _ in 100 * (1 + cv * normal(&generator)) }
            if Bool.random(using: &generator) { window[Int.random(in: 0..<count, using: &generator)] *= 1.5 }
            let current = 100 * (1 + Double.random(in: -0.4...0.6, using: &generator))
            let ours = try judgeOne(current, against: windowBaseline(window))
            let expected = Self.referenceVerdict(window: window, current: current)
            seen.insert(ours.verdict)
            #expect(ours.basis == .window)
            if ours.verdict != expected {
                // Only a p-value within rounding of alpha may differ.
                let p = ours.window!.pWorse
                if abs(p - 0.05) > 1e-6 {
                    disagreements.append("\(window) → \(current): \(ours.verdict) vs \(expected)")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
        #expect(seen.isSuperset(of: [.regressed, .inconclusive, .improved, .unchanged]))
    }

    @Test("metamorphic: scaling, another unit, the order of the runs and a wild run leave a clear verdict alone")
    func windowMetamorphic() throws {
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<500 {
            let window = (0..<20).map { _ in 100 * (1 + 0.03 * normal(&generator)) }
            let current =
                100 * (1 + [0.0, 0.3, -0.3][Int.random(in: 0..<3, using: &generator)] + 0.01 * normal(&generator))
            let base = try judgeOne(current, against: windowBaseline(window))
            let factor = Double.random(in: 0.001...1000, using: &generator)
            #expect(
                try judgeOne(current * factor, against: windowBaseline(window.map { $0 * factor })).verdict
                    == base.verdict)
            // The baseline in seconds, the run in milliseconds.
            let seconds = windowBaseline(window.map { $0 / 1000 }, unit: "s")
            #expect(try judgeOne(current, against: seconds).verdict == base.verdict)
            #expect(
                try judgeOne(current, against: windowBaseline(window.shuffled(using: &generator))).verdict
                    == base.verdict)
            var wild = window
            wild[Int.random(in: 0..<20, using: &generator)] *= 1.5
            #expect(
                try judgeOne(current, against: windowBaseline(wild)).verdict == base.verdict,
                "one noisy run in the window changed \(base.verdict)")
        }
    }

    @Test("fewer than 5 runs: today's rule against the last run; the report says which rule judged")
    func shortWindow() throws {
        let short = try judgeOne(120, against: windowBaseline([100, 101, 99, 100]))
        #expect(short.basis == .point)
        #expect(short.baseline == 100)
        #expect(short.verdict == .regressed)
        let long = try judgeOne(120, against: windowBaseline([100, 101, 99, 100, 100]))
        #expect(long.basis == .window)
        #expect(long.window?.runs == 5)
        // A baseline from before history: a window of one.
        let old = Baseline(metrics: MetricSet(metrics: [Metric(name: "m", value: 100, unit: Unit("ms"))]))
        #expect(try judgeOne(111, against: old).basis == .point)
    }

    @Test("a noisy window does not call a change within its noise a regression; a quiet one does")
    func noiseMatters() throws {
        let noisy = [100.0, 130, 85, 120, 95, 110, 80, 125, 90, 105]
        #expect(try judgeOne(125, against: windowBaseline(noisy)).verdict == .inconclusive)
        let quiet = [100.0, 101, 99, 100, 100.5, 99.5, 100, 101, 99, 100]
        #expect(try judgeOne(112, against: windowBaseline(quiet)).verdict == .regressed)
        // All runs identical: any change beyond the threshold is outside the noise.
        #expect(try judgeOne(111, against: windowBaseline(Array(repeating: 100, count: 6))).verdict == .regressed)
        #expect(try judgeOne(109, against: windowBaseline(Array(repeating: 100, count: 6))).verdict == .unchanged)
    }

    @Test("reruns combine by their median: one clean rerun pair settles a noisy-neighbour run")
    func rerunsCombine() throws {
        let window = (0..<20).map { 100 + Double($0 % 5) - 2 }
        let noisy = try judgeOne(150, against: windowBaseline(window))
        #expect(noisy.verdict == .regressed)
        let settled = try judgeOne(150, against: windowBaseline(window), reruns: [100, 101])
        #expect(settled.verdict == .unchanged)
        #expect(settled.observations == 3)
        let real = try judgeOne(150, against: windowBaseline(window), reruns: [149, 152])
        #expect(real.verdict == .regressed)
    }

    @Test("baseline files: runs and history round-trip byte for byte; the window is one line per field")
    func roundTrip() throws {
        var baseline = windowBaseline([1, 2.5, 3, 4, 5])
        baseline.runs[1].commit = "abc"
        baseline.runs[2].sources = [.init(file: "a.json", format: "native")]
        baseline.history["m"]?.values[1] = nil
        baseline.history["m"]?.steps = [HistoryStep(run: 4, change: 0.25, p: 0.001)]
        let text = BaselineDocument.render(baseline)
        #expect(text.contains("\"values\": [1, null, 3, 4, 5]"))
        let read = try BaselineFormat.read(SourceText(name: "b.json", text: text))
        #expect(read == baseline)
        #expect(BaselineDocument.render(read) == text)
    }

    @Test("a history that does not fit its runs, or names a run it lacks, is refused with its place")
    func invalidHistory() {
        let cases = [
            #"{"schema": "redline.baseline.v1", "runs": [{"id": 1}], "metrics": [{"name": "m", "value": 1, "history": {"values": [1, 2]}}]}"#,
            #"{"schema": "redline.baseline.v1", "metrics": [{"name": "m", "value": 1, "history": {"values": [1]}}]}"#,
            #"{"schema": "redline.baseline.v1", "runs": [{"id": 2}, {"id": 1}], "metrics": []}"#,
            #"{"schema": "redline.baseline.v1", "runs": [{"id": 1}], "metrics": [{"name": "m", "value": 1, "history": {"values": [1], "steps": [{"run": 9, "change": 0.1, "p": 0.001}]}}]}"#,
            #"{"schema": "redline.baseline.v1", "runs": [{"id": 1}], "metrics": [{"name": "m", "value": 1, "history": {"values": ["1"]}}]}"#,
            #"{"schema": "redline.baseline.v1", "runs": [{"id": 1}], "metrics": [{"name": "m", "value": 1, "history": 5}]}"#,
            #"{"schema": "redline.baseline.v1", "runs": [{"id": 1}], "metrics": [{"name": "m", "value": 1, "history": {"values": [1], "spreads": [1]}}]}"#,
        ]
        for text in cases {
            #expect(throws: (any Error).self, "\(text)") {
                try BaselineFormat.read(SourceText(name: "b.json", text: text))
            }
        }
        // A metrics file may not carry a history.
        #expect(throws: (any Error).self) {
            try NativeFormat.read(
                SourceText(
                    name: "m.json", text: #"{"metrics": [{"name": "m", "value": 1, "history": {"values": [1]}}]}"#))
        }
    }

    @Test("updates keep the last N runs; an old baseline becomes a window of one; absent runs are gaps")
    func updates() throws {
        let provenance = Provenance(commit: "c0", updatedAt: "2026-01-01T00:00:00Z")
        var baseline = Baseline(
            metrics: MetricSet(metrics: [Metric(name: "a", value: 10, unit: Unit("ms"))]), provenance: provenance)
        for run in 1...25 {
            var metrics = [Metric(name: "a", value: Double(10 + run % 3), unit: Unit("ms"))]
            if run % 4 != 0 { metrics.append(Metric(name: "b", value: 5, samples: [4, 5, 6], unit: Unit("ms"))) }
            let merged = try BaselineUpdate.merge(
                old: baseline, current: MetricSet(metrics: metrics),
                provenance: Provenance(commit: "c\(run)"), prune: false, historyLimit: 20)
            baseline = merged.baseline
            if run == 1 {
                #expect(baseline.runs.map(\.id) == [1, 2])
                #expect(baseline.runs[0].commit == "c0")
                #expect(baseline.history["a"]?.values == [10, 11])
            }
        }
        #expect(baseline.runs.count == 20)
        #expect(baseline.runs.last?.id == 26)
        #expect(baseline.history["a"]?.values.count == 20)
        let b = try #require(baseline.history["b"])
        #expect(b.values.count == 20)
        #expect(b.values.last == .some(nil) || b.values.contains(where: { $0 == nil }))
        #expect(b.spreads.count == 20 && b.counts.count == 20)
        // A unit change converts the stored runs.
        let seconds = try BaselineUpdate.merge(
            old: baseline, current: MetricSet(metrics: [Metric(name: "a", value: 0.012, unit: Unit("s"))]),
            provenance: Provenance(), prune: false)
        #expect(
            seconds.baseline.history["a"]?.values.suffix(2).compactMap { $0 } == [
                baseline.history["a"]!.values.last!! / 1000, 0.012,
            ])
    }

    @Test("10,000 metrics × 20 runs stay under 4 MB, and the size does not grow with more updates")
    func size() throws {
        var baseline: Baseline?
        var generator = SeededGenerator(seed: 2)
        var sizes: [Int] = []
        for _ in 0..<24 {
            let metrics = (0..<10_000).map { index in
                Metric(
                    name: "suite/benchmark_\(index)", value: (100 + 3 * normal(&generator) * 1000).rounded() / 1000,
                    unit: Unit("ns"))
            }
            baseline = try BaselineUpdate.merge(
                old: baseline, current: MetricSet(metrics: metrics), provenance: Provenance(),
                prune: false
            ).baseline
            sizes.append(BaselineDocument.render(baseline!).utf8.count)
        }
        print("baseline size, 10,000 metrics: 20 runs \(sizes[19]) bytes, 24 updates \(sizes[23]) bytes")
        #expect(sizes[19] <= 4_000_000)
        #expect(sizes[23] <= sizes[19] + sizes[19] / 50)
    }

    @Test("a step at the end is found with its run; a steady series has none")
    func steps() {
        var generator = SeededGenerator(seed: 4)
        let steady = (0..<20).map { _ in 100 * (1 + 0.02 * normal(&generator)) }
        #expect(StepDetector.find(steady) == nil)
        let stepped =
            (0..<16).map { _ in 100 * (1 + 0.02 * normal(&generator)) }
            + (0..<4).map { _ in 120 * (1 + 0.02 * normal(&generator)) }
        let found = StepDetector.find(stepped)
        #expect(found?.length == 4)
        #expect(abs((found?.change ?? 0) - 0.2) < 0.05)
        // Two noisy runs in a row are not a step.
        var twoNoisy = steady
        twoNoisy[18] *= 1.5
        twoNoisy[19] *= 1.5
        #expect(StepDetector.find(twoNoisy) == nil)
        // False steps on steady noisy series stay rare.
        var alerts = 0
        for _ in 0..<2_000 {
            var series = (0..<20).map { _ in 100 * (1 + 0.05 * normal(&generator)) }
            for index in series.indices where Double.random(in: 0..<1, using: &generator) < 0.05 {
                series[index] *= 1.5
            }
            if StepDetector.find(series) != nil { alerts += 1 }
        }
        #expect(alerts <= 40, "\(alerts) false steps in 2,000 steady series")
    }

    @Test("baseline update records a step, reports where it began, and judges from it on")
    func stepThroughUpdates() throws {
        var baseline: Baseline?
        var generator = SeededGenerator(seed: 6)
        var reported: [BaselineChanges.FoundStep] = []
        for run in 1...26 {
            let level = run > 20 ? 125.0 : 100.0
            let current = MetricSet(metrics: [
                Metric(name: "m", value: level * (1 + 0.01 * normal(&generator)), unit: Unit("ms"))
            ])
            let merged = try BaselineUpdate.merge(
                old: baseline, current: current, provenance: Provenance(commit: "c\(run)"), prune: false)
            baseline = merged.baseline
            reported += merged.changes.steps
        }
        #expect(reported.count == 1)
        let step = try #require(reported.first)
        #expect(step.commit == "c21")
        #expect(step.isWorse)
        #expect(baseline?.history["m"]?.steps.count == 1)
        // The judge compares with the runs since the step: 125 is the new normal.
        let judged = try judgeOne(126, against: baseline!)
        #expect(judged.verdict == .unchanged)
    }

    @Test("a run-wide shift: every metric 30% worse is one finding; half the metrics worse is not")
    func runShift() throws {
        var generator = SeededGenerator(seed: 9)
        var history: [String: MetricHistory] = [:]
        var last: [Metric] = []
        for index in 0..<20 {
            let name = "m\(index + 10)"
            let values = (0..<20).map { _ in 100 * (1 + 0.02 * normal(&generator)) }
            history[name] = MetricHistory(values: values)
            last.append(Metric(name: name, value: values.last!, unit: Unit("ms")))
        }
        let baseline = Baseline(
            metrics: MetricSet(metrics: last), runs: (1...20).map { BaselineRun(id: $0) }, history: history)
        func current(_ factor: (Int) -> Double) -> MetricSet {
            MetricSet(
                metrics: (0..<20).map {
                    Metric(
                        name: "m\($0 + 10)", value: 100 * factor($0) * (1 + 0.02 * normal(&generator)), unit: Unit("ms")
                    )
                })
        }
        let slower = try Judge.judge(current: current { _ in 1.3 }, baseline: baseline, policy: Policy())
        let shift = try #require(slower.runShift)
        #expect(abs(shift.change - 0.3) < 0.05)
        #expect(shift.explained.count == 20)
        #expect(slower.outcome == .failed)
        // One metric far beyond the shift is not explained by it.
        let beyond = try Judge.judge(current: current { $0 == 0 ? 2.0 : 1.3 }, baseline: baseline, policy: Policy())
        #expect(beyond.runShift?.explains("m10") == false)
        #expect(beyond.runShift?.explains("m11") == true)
        let half = try Judge.judge(current: current { $0 < 10 ? 1.2 : 1.0 }, baseline: baseline, policy: Policy())
        #expect(half.runShift == nil)
        #expect(half.counts.regressed >= 9)
    }
}
