// `redline-eval ab`: interleaved A/B on one runner (`redline ab`) against the window verdict and
// the plain rule, on the same draws of the CI noise model, with the machine drifting within a
// check and shared by the two runs of a pair. Every A/B verdict comes from RedlineCore's own
// paired judge and its stopping rule.
import Foundation
import RedlineCore

struct ABEvaluation {
    let trials: Int
    let seed: UInt64
    static let metrics = HistoryEvaluation.metricsPerRun
    static let regressedMetrics = HistoryEvaluation.regressedPerRun
    /// How much the machine drifts from one pair to the next (log scale, a random walk), and
    /// between the two runs of a pair (a fraction of that).
    static let driftPerPair = 0.01
    static let driftWithinPair = 0.003

    /// The result of one check of every rule on one draw.
    struct Outcome {
        var flagged: [String: [Bool]] = [:]
        var pairsUsed: [String: Int] = [:]
    }

    /// One check: the machine of the check, a window of 20 runs on other machines before it, and
    /// the A/B pairs on the check's machine, with `change` on the first metrics of the head.
    static func check(
        _ model: NoiseModel, change: Double, baseline: Baseline, limits: [Int], _ generator: inout Generator
    ) -> Outcome {
        let truths = (0..<metrics).map { index in index < regressedMetrics ? 1 + change : 1.0 }
        var machine = NoiseModel.machine(&generator)
        func run(head: Bool, machine: Double) -> MetricSet {
            MetricSet(
                metrics: (0..<metrics).map { index in
                    model.run(
                        HistoryEvaluation.name(index), truth: 100 * (head ? truths[index] : 1), machine: machine,
                        &generator)
                })
        }
        var outcome = Outcome()
        // The window verdict and the plain rule judge the head's first run on this machine.
        let headFirstRun = run(head: true, machine: machine)
        let window = try! Judge.judge(
            current: headFirstRun, baseline: baseline, policy: Policy(),
            options: JudgeOptions(maxRegression: 0.10))
        outcome.flagged["window (20 runs)"] = window.metrics.map { $0.verdict == .regressed }
        let last = baseline.metrics
        outcome.flagged["plain 10% vs last run"] = headFirstRun.metrics.map { metric in
            metric.value > (last[metric.name]?.value ?? .infinity) * 1.10
        }
        // The pairs: the same machine drifts slowly; both runs of a pair share it.
        let headFirst = Bool.random(using: &generator)
        var pairs: [RunPair] = []
        var settledAt: [Int: Judgement] = [:]
        let most = limits.max()!
        while pairs.count < most {
            var sides: [Bool: MetricSet] = [:]
            for isHead in PairOrder.sides(pair: pairs.count + 1, headFirst: headFirst) {
                sides[isHead] = run(head: isHead, machine: machine)
                machine *= exp(driftWithinPair * generator.normal())
            }
            pairs.append(RunPair(base: sides[false]!, head: sides[true]!))
            machine *= exp(driftPerPair * generator.normal())
            for limit in limits where settledAt[limit] == nil && pairs.count <= limit {
                let judgement = try! Judge.judge(
                    pairs: pairs, policy: Policy(), options: JudgeOptions(maxRegression: 0.10), most: limit)
                guard PairOrder.stops(after: judgement, pairs: pairs.count, of: limit) else { continue }
                settledAt[limit] = judgement
                outcome.pairsUsed["ab ≤\(limit) pairs"] = pairs.count
            }
            if settledAt.count == limits.count { break }
        }
        for (limit, judgement) in settledAt {
            outcome.flagged["ab ≤\(limit) pairs"] = judgement.metrics.map { $0.verdict == .regressed }
        }
        return outcome
    }

    func run() {
        print(
            "redline-eval ab: \(trials) checks per cell, seed \(seed), \(Self.metrics) metrics per run, "
                + "\(Self.regressedMetrics) of them changed in a regression scenario, threshold 10%, alpha 0.05")
        print(
            "Noise: per-metric CV as listed; 5% of runs ×1.5 for a metric; a machine factor per check (CV 3%, 5% of checks ×1.3) "
                + "that drifts by 1% per pair and 0.3% within a pair, shared by the two runs of a pair. The window is 20 runs on other machines."
        )
        print(
            "A/A: share of metrics flagged as regressed. Detection: share of the changed metrics flagged. Pairs: mean pairs used."
        )
        let limits = [5, 10]
        let rules = limits.map { "ab ≤\($0) pairs" } + ["window (20 runs)", "plain 10% vs last run"]
        print("")
        print("| CV | rule | A/A false alarms | +10% | +20% | +50% | pairs A/A | pairs +20% |")
        print("| --: | --- | --: | --: | --: | --: | --: | --: |")
        for cv in [0.02, 0.05, 0.10] {
            let model = NoiseModel(cv: cv, samples: 0)
            var flagged: [String: [Double: (hits: Int, total: Int)]] = [:]
            var pairs: [String: [Double: Int]] = [:]
            for change in [0.0, 0.10, 0.20, 0.50] {
                var generator = Generator(state: seed &+ UInt64(cv * 1000) &* 7919 &+ UInt64(change * 100))
                for _ in 0..<trials {
                    let baseline = HistoryEvaluation.baseline(model, runs: 20, &generator)
                    let outcome = Self.check(model, change: change, baseline: baseline, limits: limits, &generator)
                    for rule in rules {
                        let marks = outcome.flagged[rule]!
                        // A/A counts every metric; a regression counts the changed ones.
                        let counted = change == 0 ? marks : Array(marks.prefix(Self.regressedMetrics))
                        flagged[rule, default: [:]][change, default: (0, 0)].hits += counted.filter { $0 }.count
                        flagged[rule, default: [:]][change, default: (0, 0)].total += counted.count
                        pairs[rule, default: [:]][change, default: 0] += outcome.pairsUsed[rule] ?? 0
                    }
                }
            }
            for rule in rules {
                let cells = [0.0, 0.10, 0.20, 0.50].map { change -> String in
                    let cell = flagged[rule]![change]!
                    return String(format: "%.1f%%", 100 * Double(cell.hits) / Double(max(cell.total, 1)))
                }
                let used = [0.0, 0.20].map { change -> String in
                    rule.hasPrefix("ab") ? String(format: "%.2f", Double(pairs[rule]![change]!) / Double(trials)) : "–"
                }
                print(
                    "| \(Int(cv * 100))% | \(rule) | " + cells.joined(separator: " | ") + " | "
                        + used.joined(separator: " | ") + " |")
            }
        }
    }
}
