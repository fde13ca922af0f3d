// `redline-eval history`: judging single numbers (and 10-sample metrics) against a window of
// recent runs, with and without confirmation reruns, under a model of CI noise; run-wide shifts;
// steps on main. Every verdict comes from RedlineCore's own judge and baseline update.
import Foundation
import RedlineCore

/// The CI noise model of the issue: each metric of a run is its true value × the run's machine
/// factor × its own run-to-run noise × (1.5 on 5% of runs: a noisy neighbour). The machine factor
/// is shared by all metrics of a run: log-normal with CV 3%, and 1.3 on 5% of runs (a slower
/// machine). Reruns inside one check run on the same machine, so they share its factor.
struct NoiseModel {
    /// Per-metric run-to-run coefficient of variation.
    let cv: Double
    /// Samples per run (0: a single value per run).
    let samples: Int

    static let machineCV = 0.03
    static let slowMachine = (share: 0.05, factor: 1.3)
    static let noisyNeighbour = (share: 0.05, factor: 1.5)

    static func logNormal(_ cv: Double, _ generator: inout Generator) -> Double {
        let sigma = log(1 + cv * cv).squareRoot()
        return exp(sigma * generator.normal() - sigma * sigma / 2)
    }

    /// One machine's factor.
    static func machine(_ generator: inout Generator) -> Double {
        let slow = Double.random(in: 0..<1, using: &generator) < slowMachine.share ? slowMachine.factor : 1
        return logNormal(machineCV, &generator) * slow
    }

    /// One run of one metric whose true value is `truth` on a machine of factor `machine`.
    func run(_ name: String, truth: Double, machine: Double, _ generator: inout Generator) -> Metric {
        let neighbour =
            Double.random(in: 0..<1, using: &generator) < NoiseModel.noisyNeighbour.share
            ? NoiseModel.noisyNeighbour.factor : 1
        let level = truth * machine * NoiseModel.logNormal(cv, &generator) * neighbour
        guard samples > 0 else { return Metric(name: name, value: level, unit: Unit("ms")) }
        let drawn = (0..<samples).map { _ in level * NoiseModel.logNormal(cv, &generator) }
        return Metric(name: name, value: Metric.median(drawn)!, samples: drawn, unit: Unit("ms"))
    }

    /// One run of `count` metrics, `regressed` of them `change` worse.
    func runSet(count: Int, regressed: Int, change: Double, machine: Double, _ generator: inout Generator) -> MetricSet
    {
        MetricSet(
            metrics: (0..<count).map { index in
                run(
                    HistoryEvaluation.name(index), truth: 100 * (index < regressed ? 1 + change : 1), machine: machine,
                    &generator)
            })
    }
}

/// The evaluation: prints tables, asserts nothing.
struct HistoryEvaluation {
    let trials: Int
    let seed: UInt64
    /// Metrics per run: enough for a run-wide shift to be told apart.
    static let metricsPerRun = 20
    /// Metrics that regress in a regression scenario (the rest stay): a change, not a new machine.
    static let regressedPerRun = 4
    static let maxRuns = 5

    static func name(_ index: Int) -> String { "metric-" + String(index + 100) }

    /// A baseline whose history is `runs` runs drawn from the model.
    static func baseline(_ model: NoiseModel, runs: Int, _ generator: inout Generator) -> Baseline {
        var columns = [[Metric]](repeating: [], count: metricsPerRun)
        for _ in 0..<runs {
            let machine = NoiseModel.machine(&generator)
            for index in 0..<metricsPerRun {
                columns[index].append(model.run(name(index), truth: 100, machine: machine, &generator))
            }
        }
        var history: [String: MetricHistory] = [:]
        for column in columns {
            var entry = MetricHistory(values: column.map(\.centre))
            if model.samples > 0 {
                entry.spreads = column.map { WindowStatistics.robustSpread($0.samples!) }
                entry.counts = column.map { $0.samples!.count }
            }
            history[column[0].name] = entry
        }
        return Baseline(
            metrics: MetricSet(metrics: columns.map { $0.last! }), runs: (1...runs).map { BaselineRun(id: $0) },
            history: history)
    }

    /// What one check found, per metric, at the first look and after reruns.
    struct Outcome {
        var first: [MetricJudgement]
        var final: Judgement
        var looks: Int
    }

    /// Judges a run, then reruns while there are suspects, as `check --rerun --max-runs` does.
    static func check(
        _ model: NoiseModel, baseline: Baseline, change: Double, maxRuns: Int,
        _ generator: inout Generator
    ) -> Outcome {
        let machine = NoiseModel.machine(&generator)
        let current = model.runSet(
            count: metricsPerRun, regressed: regressedPerRun, change: change, machine: machine, &generator)
        var reruns: [MetricSet] = []
        var judgement = try! Judge.judge(current: current, baseline: baseline, policy: Policy())
        let first = judgement.metrics
        while !judgement.suspects.isEmpty && 1 + reruns.count < maxRuns {
            reruns.append(
                model.runSet(
                    count: metricsPerRun, regressed: regressedPerRun, change: change, machine: machine, &generator))
            judgement = try! Judge.judge(current: current, baseline: baseline, policy: Policy(), reruns: reruns)
        }
        return Outcome(first: first, final: judgement, looks: 1 + reruns.count)
    }

    /// The anchors on the first look: github-action-benchmark's plain 10% against the last run,
    /// Bencher's t-test threshold (one-sided prediction interval, Bessel, boundary 0.99, up to 64
    /// runs), and asv's rule for sampled metrics (Mann-Whitney p < 0.002 and a 1.1 factor).
    static func anchors(baseline: Baseline, current: MetricSet) -> [String: [Bool]] {
        var flags: [String: [Bool]] = ["plain 10% vs last run": [], "Bencher t-test 0.99": [], "asv (samples)": []]
        for metric in current.metrics {
            let last = baseline.metrics[metric.name]!
            let window = baseline.history[metric.name]!.values.compactMap { $0 }.suffix(64)
            flags["plain 10% vs last run"]!.append(metric.centre > last.centre * 1.1)
            let count = Double(window.count)
            let mean = window.reduce(0, +) / count
            let deviation = (window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)).squareRoot()
            let t = (metric.centre - mean) / (deviation * (1 + 1 / count).squareRoot())
            flags["Bencher t-test 0.99"]!.append(WindowStatistics.studentUpperTail(t, degrees: count - 1) < 0.01)
            if let before = last.samples, let after = metric.samples {
                let p = Statistics.uTest(baseline: before, current: after).pValue
                flags["asv (samples)"]!.append(p < 0.002 && Metric.median(after)! > 1.1 * Metric.median(before)!)
            }
        }
        return flags
    }

    func run() {
        print(
            "redline-eval history: \(trials) trials per cell, seed \(seed), \(Self.metricsPerRun) metrics per run, "
                + "\(Self.regressedPerRun) of them regressed in the regression columns")
        print(
            "Noise: per-metric CV as listed; 5% of runs ×1.5 for a metric; a machine factor shared by the run's metrics "
                + "(CV 3%, 5% of runs ×1.3), the same for the reruns of one check. Threshold 10%, alpha 0.05.")
        print(
            "A/A: share of metrics flagged as regressed (redline: not explained by a run-wide shift; all flagged in brackets)."
        )
        print("Detection: share of the regressed metrics flagged. Runs: mean runs per check on A/A, and at +20%.")
        for samples in [0, 10] {
            print("")
            print(samples == 0 ? "Single values per run" : "10 samples per run")
            print("| CV | window | rule | A/A false alarms | +10% | +20% | +50% | runs A/A | runs +20% |")
            print("| --: | --: | --- | --: | --: | --: | --: | --: | --: |")
            for cv in [0.02, 0.05, 0.10, 0.20] {
                for window in [5, 10, 20] {
                    cell(NoiseModel(cv: cv, samples: samples), window: window)
                }
            }
        }
        runWide()
        steps()
    }

    func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    func rate(_ count: Int, _ total: Int) -> String { percent(Double(count) / Double(max(total, 1))) }

    /// One row group: redline with and without reruns, and the anchors, on the same draws.
    func cell(_ model: NoiseModel, window: Int) {
        var generator = Generator(state: seed &+ UInt64(window * 1000 + Int(model.cv * 100) * 10 + model.samples))
        let changes = [0.0, 0.10, 0.20, 0.50]
        // [change][rule] flagged counts; rules: redline 1 run, redline 5 runs, anchors.
        var flagged = [[Int]](repeating: [Int](repeating: 0, count: 5), count: changes.count)
        var flaggedAll = [Int](repeating: 0, count: 2)
        var looks = [Int](repeating: 0, count: changes.count)
        var anchorTotals = [Int](repeating: 0, count: changes.count)
        let anchorNames = ["plain 10% vs last run", "Bencher t-test 0.99", "asv (samples)"]
        for _ in 0..<trials {
            let baseline = Self.baseline(model, runs: window, &generator)
            for (changeIndex, change) in changes.enumerated() {
                let outcome = Self.check(model, baseline: baseline, change: change, maxRuns: Self.maxRuns, &generator)
                looks[changeIndex] += outcome.looks
                let counted = change == 0 ? 0..<Self.metricsPerRun : 0..<Self.regressedPerRun
                let shift = outcome.final.runShift
                // The first look is what `check` without --rerun decides (its run-wide shift recomputed).
                let firstShift = RunShift.find(in: outcome.first, maxRegression: 0.10)
                for index in counted {
                    let once = outcome.first[index]
                    let after = outcome.final.metrics[index]
                    let explainedOnce = firstShift?.explains(once.name) == true
                    let explainedAfter = shift?.explains(after.name) == true
                    if once.verdict == .regressed && (change > 0 || !explainedOnce) { flagged[changeIndex][0] += 1 }
                    if after.verdict == .regressed && (change > 0 || !explainedAfter) { flagged[changeIndex][1] += 1 }
                    if change == 0 && once.verdict == .regressed { flaggedAll[0] += 1 }
                    if change == 0 && after.verdict == .regressed { flaggedAll[1] += 1 }
                }
            }
        }
        // Anchors on fresh draws of the same model (their own trials, same seed stream).
        var anchorGenerator = Generator(
            state: seed &+ 77 &+ UInt64(window * 1000 + Int(model.cv * 100) * 10 + model.samples))
        for _ in 0..<trials {
            let baseline = Self.baseline(model, runs: window, &anchorGenerator)
            for (changeIndex, change) in changes.enumerated() {
                let machine = NoiseModel.machine(&anchorGenerator)
                let current = model.runSet(
                    count: Self.metricsPerRun, regressed: Self.regressedPerRun, change: change,
                    machine: machine, &anchorGenerator)
                let flags = Self.anchors(baseline: baseline, current: current)
                let counted = change == 0 ? 0..<Self.metricsPerRun : 0..<Self.regressedPerRun
                anchorTotals[changeIndex] += counted.count
                for (anchorIndex, name) in anchorNames.enumerated() {
                    guard let list = flags[name], !list.isEmpty else { continue }
                    flagged[changeIndex][2 + anchorIndex] += counted.filter { list[$0] }.count
                }
            }
        }
        let totals = changes.map { $0 == 0 ? trials * Self.metricsPerRun : trials * Self.regressedPerRun }
        let cvText = "\(Int((model.cv * 100).rounded()))%"
        for (ruleIndex, rule) in ["redline, 1 run", "redline, --max-runs \(Self.maxRuns)"].enumerated() {
            var cells = changes.indices.map { rate(flagged[$0][ruleIndex], totals[$0]) }
            cells[0] += " (" + rate(flaggedAll[ruleIndex], totals[0]) + ")"
            let runs =
                ruleIndex == 0
                ? ["1", "1"]
                : [
                    String(format: "%.2f", Double(looks[0]) / Double(trials)),
                    String(format: "%.2f", Double(looks[2]) / Double(trials)),
                ]
            print(
                "| \(cvText) | \(window) | \(rule) | " + cells.joined(separator: " | ") + " | "
                    + runs.joined(separator: " | ") + " |")
        }
        for (anchorIndex, name) in anchorNames.enumerated() where model.samples > 0 || anchorIndex < 2 {
            let cells = changes.indices.map { rate(flagged[$0][2 + anchorIndex], anchorTotals[$0]) }
            print("| \(cvText) | \(window) | \(name) | " + cells.joined(separator: " | ") + " | 1 | 1 |")
        }
    }

    /// Run-wide shifts: a slower machine on an A/A run, a real global regression, and a real
    /// regression of half the metrics, judged against a 20-run window (single values, CV 5%).
    func runWide() {
        print("")
        print("Run-wide shifts (single values, CV 5%, 20-run window, no reruns)")
        print("| scenario | checks failing | checks with the run-wide finding | flagged metrics explained by it |")
        print("| --- | --: | --: | --: |")
        let model = NoiseModel(cv: 0.05, samples: 0)
        var generator = Generator(state: seed &+ 4242)
        let scenarios: [(String, Double, Int, Double)] = [
            ("A/A on a 1.3× slower machine", 1.3, 0, 0),
            ("every metric 30% worse (a real global regression)", 1.0, Self.metricsPerRun, 0.30),
            ("half the metrics 15% worse", 1.0, Self.metricsPerRun / 2, 0.15),
            ("A/A on a usual machine", 0, 0, 0),
        ]
        for (label, machineFactor, regressed, change) in scenarios {
            var failing = 0
            var withFinding = 0
            var flaggedCount = 0
            var explainedCount = 0
            for _ in 0..<trials {
                let baseline = Self.baseline(model, runs: 20, &generator)
                let machine =
                    machineFactor == 0
                    ? NoiseModel.machine(&generator)
                    : machineFactor * NoiseModel.logNormal(NoiseModel.machineCV, &generator)
                let current = model.runSet(
                    count: Self.metricsPerRun, regressed: regressed, change: change, machine: machine, &generator)
                let judgement = try! Judge.judge(current: current, baseline: baseline, policy: Policy())
                if judgement.outcome == .failed { failing += 1 }
                if judgement.runShift != nil { withFinding += 1 }
                let flagged = judgement.metrics.filter { $0.verdict == .regressed }
                flaggedCount += flagged.count
                explainedCount += flagged.filter { judgement.runShift?.explains($0.name) == true }.count
            }
            print(
                "| \(label) | \(rate(failing, trials)) | \(rate(withFinding, trials)) | \(rate(explainedCount, flaggedCount)) |"
            )
        }
    }

    /// Steps on main: `baseline update` on a series of runs (20-run window, single values): false
    /// step alerts per metric per update on a steady series, and how many updates after a 10% step
    /// of 4 of the 20 metrics it is reported.
    func steps() {
        print("")
        print("Steps on main (single values, 20-run window, baseline update after every run)")
        print(
            "| CV | false step alerts per metric per update | 10% step found within 5 updates | median updates to find it | found at all (15 updates) |"
        )
        print("| --: | --: | --: | --: | --: |")
        let series = max(trials / 10, 20)
        for cv in [0.02, 0.05, 0.10] {
            let noise = NoiseModel(cv: cv, samples: 0)
            var generator = Generator(state: seed &+ 99 &+ UInt64(cv * 100))
            var alerts = 0
            var tests = 0
            var delays: [Int] = []
            for _ in 0..<series {
                var baseline: Baseline?
                var stepAt: Int?
                var found = Set<String>()
                for update in 0..<55 {
                    let change = update >= 40 ? 0.10 : 0
                    let current = noise.runSet(
                        count: Self.metricsPerRun, regressed: Self.regressedPerRun, change: change,
                        machine: NoiseModel.machine(&generator), &generator)
                    let merged = try! BaselineUpdate.merge(
                        old: baseline, current: current, provenance: Provenance(), prune: false)
                    baseline = merged.baseline
                    if update >= 40 && stepAt == nil { stepAt = update }
                    for step in merged.changes.steps {
                        let index = Int(step.name.dropFirst("metric-".count))! - 100
                        if update < 40 || index >= Self.regressedPerRun {
                            if update >= 25 { alerts += 1 }
                        } else if !found.contains(step.name) && step.step.change > 0 {
                            found.insert(step.name)
                            delays.append(update - 40 + 1)
                        }
                    }
                    if update >= 25 {
                        tests += update < 40 ? Self.metricsPerRun : Self.metricsPerRun - Self.regressedPerRun
                    }
                }
                delays += Array(repeating: 99, count: Self.regressedPerRun - found.count)
            }
            let sorted = delays.sorted()
            let median = sorted[sorted.count / 2]
            print(
                "| \(Int(cv * 100))% | \(rate(alerts, tests)) | \(rate(delays.filter { $0 <= 5 }.count, delays.count)) | "
                    + (median == 99 ? "not found" : "\(median)")
                    + " | \(rate(delays.filter { $0 < 99 }.count, delays.count)) |")
        }
    }
}
