// Evaluates redline's verdict rule against the plain threshold rule and compare.py's U test on
// simulated benchmark noise: false alarms on A/A pairs, detection of injected regressions.
// Prints tables; asserts nothing. Run: swift run -c release redline-eval [--trials N] [--seed S]
// `redline-eval history` evaluates judging against a window of recent runs, reruns and steps (History.swift);
// `redline-eval ab` interleaved A/B on one runner against the window and the plain rule (AB.swift).
import Foundation
import RedlineCore

/// SplitMix64: seeded, so every run prints the same table.
struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw (Box-Muller).
    mutating func normal() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// A noise shape: draws one sample of a benchmark whose true value is `center`.
struct Shape: Sendable {
    let name: String
    let draw: @Sendable (Double, inout Generator) -> Double

    static func logNormal(_ cv: Double) -> Shape {
        let sigma = log(1 + cv * cv).squareRoot()
        return Shape(name: "log-normal CV \(Int((cv * 100).rounded()))%") { center, generator in
            center * exp(sigma * generator.normal() - sigma * sigma / 2)
        }
    }

    static let outliers = Shape(name: "CV 5% + 10% outliers ×1.5–3") { center, generator in
        let sigma = log(1 + 0.05 * 0.05).squareRoot()
        let value = center * exp(sigma * generator.normal())
        return Double.random(in: 0..<1, using: &generator) < 0.1
            ? value * Double.random(in: 1.5...3, using: &generator) : value
    }

    static let bimodal = Shape(name: "bimodal: modes 15% apart, CV 3%") { center, generator in
        let sigma = log(1 + 0.03 * 0.03).squareRoot()
        let mode = Double.random(in: 0..<1, using: &generator) < 0.5 ? 1.0 : 1.15
        return center * mode * exp(sigma * generator.normal())
    }
}

/// A rule that decides, from baseline and current samples, whether to flag a regression.
struct Rule {
    let name: String
    let flags: ([Double], [Double]) -> Bool
}

let threshold = 0.10
let rules: [Rule] = [
    Rule(name: "redline") { baseline, current in
        let set = { (samples: [Double]) in
            MetricSet(metrics: [Metric(name: "m", value: Metric.median(samples)!, samples: samples, unit: Unit("ns"))])
        }
        let judgement = try! Judge.judge(
            current: set(current), baseline: Baseline(metrics: set(baseline)), policy: Policy(),
            options: JudgeOptions(maxRegression: threshold))
        return judgement.metrics[0].verdict == .regressed
    },
    Rule(name: "plain 10%") { baseline, current in
        Metric.median(current)! > Metric.median(baseline)! * (1 + threshold)
    },
    Rule(name: "U test") { baseline, current in
        // compare.py: two-sided Mann-Whitney U at α = 0.05; a regression when the current side is slower.
        let larger = Statistics.uTest(baseline: baseline, current: current).pValue
        let smaller = Statistics.uTest(baseline: current, current: baseline).pValue
        return min(1, 2 * min(larger, smaller)) < 0.05 && Metric.median(current)! > Metric.median(baseline)!
    },
]

var trials: Int?
var seed: UInt64 = 20_261_124
var mode = "samples"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "history": mode = "history"
    case "ab": mode = "ab"
    case "--trials": trials = Int(arguments.next() ?? "") ?? trials
    case "--seed": seed = UInt64(arguments.next() ?? "") ?? seed
    default:
        FileHandle.standardError.write(Data("usage: redline-eval [history|ab] [--trials N] [--seed S]\n".utf8))
        exit(2)
    }
}

if mode == "history" {
    HistoryEvaluation(trials: trials ?? 1000, seed: seed).run()
} else if mode == "ab" {
    ABEvaluation(trials: trials ?? 1000, seed: seed).run()
} else {
    samplesEvaluation(trials: trials ?? 2000, seed: seed)
}

/// The evaluation of sample rules: pairs of runs with samples, no history.
@MainActor func samplesEvaluation(trials: Int, seed: UInt64) {
    let shapes: [Shape] = [.logNormal(0.02), .logNormal(0.05), .logNormal(0.10), .logNormal(0.20), .outliers, .bimodal]
    let effects = [0.0, 0.05, 0.10, 0.20, 0.50]
    let sizes = [5, 10, 20]

    /// rate[size][shape][effect][rule]: the fraction of trials flagged.
    var rate: [[[[Double]]]] = []
    for size in sizes {
        var bySize: [[[Double]]] = []
        for (shapeIndex, shape) in shapes.enumerated() {
            var byShape: [[Double]] = []
            for (effectIndex, effect) in effects.enumerated() {
                var generator = Generator(state: seed &+ UInt64(size * 10_000 + shapeIndex * 100 + effectIndex))
                var flagged = [Int](repeating: 0, count: rules.count)
                for _ in 0..<trials {
                    let baseline = (0..<size).map { _ in shape.draw(100, &generator) }
                    let current = (0..<size).map { _ in shape.draw(100 * (1 + effect), &generator) }
                    for (index, rule) in rules.enumerated() where rule.flags(baseline, current) { flagged[index] += 1 }
                }
                byShape.append(flagged.map { Double($0) / Double(trials) })
            }
            bySize.append(byShape)
        }
        rate.append(bySize)
    }

    func percent(_ value: Double) -> String { String(format: "%5.1f%%", value * 100) }

    print("redline-eval: \(trials) trials per cell, seed \(seed), threshold \(Int(threshold * 100))%, alpha 0.05")
    print("Cells: share of trials flagged as a regression. A/A is a false alarm; the effect columns are detections.")
    for (sizeIndex, size) in sizes.enumerated() {
        print("")
        print("\(size) samples per side")
        print("| noise | rule | A/A false alarms | +5% | +10% | +20% | +50% |")
        print("| --- | --- | --: | --: | --: | --: | --: |")
        for (shapeIndex, shape) in shapes.enumerated() {
            for (ruleIndex, rule) in rules.enumerated() {
                let cells = effects.indices.map { percent(rate[sizeIndex][shapeIndex][$0][ruleIndex]) }
                print("| \(shape.name) | \(rule.name) | " + cells.joined(separator: " | ") + " |")
            }
        }
        for (ruleIndex, rule) in rules.enumerated() {
            let cells = effects.indices.map { effect in
                percent(
                    shapes.indices.map { rate[sizeIndex][$0][effect][ruleIndex] }.reduce(0, +) / Double(shapes.count))
            }
            let worst = percent(shapes.indices.map { rate[sizeIndex][$0][0][ruleIndex] }.max()!)
            print(
                "| **mean over shapes** (worst A/A \(worst)) | **\(rule.name)** | " + cells.joined(separator: " | ")
                    + " |")
        }
    }
}
