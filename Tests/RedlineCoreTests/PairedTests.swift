import Foundation
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

/// The statistics and the verdicts of an interleaved A/B run (`redline ab`), against a plain
/// reference (every sign flip enumerated) on generated pairs, and the properties a verdict on
/// pairs must have.
extension SeededGenerator {
    /// A standard normal draw (Box-Muller).
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

@Suite("A/B pairs: the signed-rank test, the Hodges-Lehmann ratio, the verdict")
struct PairedTests {
    /// The one-sided p-values by brute force: the share of the 2ⁿ sign assignments of the ranks
    /// whose positive rank sum is at least (at most) the observed one.
    static func referenceSignedRank(_ differences: [Double]) -> (above: Double, below: Double) {
        let nonzero = differences.filter { $0 != 0 }
        guard !nonzero.isEmpty else { return (1, 1) }
        let magnitudes = nonzero.map(abs)
        // Mid-ranks, computed the simple way.
        let ranks = magnitudes.map { value -> Double in
            let below = magnitudes.filter { $0 < value }.count
            let equal = magnitudes.filter { $0 == value }.count
            return Double(below) + Double(equal + 1) / 2
        }
        let observed = zip(nonzero, ranks).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        var above = 0
        var below = 0
        let total = 1 << nonzero.count
        for mask in 0..<total {
            var sum = 0.0
            for index in ranks.indices where mask & (1 << index) != 0 { sum += ranks[index] }
            if sum >= observed - 1e-9 { above += 1 }
            if sum <= observed + 1e-9 { below += 1 }
        }
        return (Double(above) / Double(total), Double(below) / Double(total))
    }

    @Test("exact p-values equal the enumeration of every sign flip, ties and zeros included (2,000 generated cases)")
    func signedRankDifferential() {
        var generator = SeededGenerator(seed: 20_261_207)
        for _ in 0..<2000 {
            let count = Int.random(in: 1...12, using: &generator)
            // Rounded values make ties and zeros common.
            let differences = (0..<count).map { _ in (Double.random(in: -3...3, using: &generator) * 2).rounded() / 2 }
            let exact = PairedStatistics.signedRank(differences)
            let reference = Self.referenceSignedRank(differences)
            #expect(
                abs(exact.above - reference.above) < 1e-12 && abs(exact.below - reference.below) < 1e-12,
                "\(differences)")
        }
    }

    @Test("five pairs all worse give p = 1/32; the Hodges-Lehmann centre is the median of the Walsh averages")
    func smallCases() {
        #expect(PairedStatistics.signedRank([0.1, 0.2, 0.3, 0.4, 0.5]).above == 1.0 / 32)
        #expect(PairedStatistics.signedRank([0.1, 0.2, 0.3, 0.4, 0.5]).below == 1)
        let centre = PairedStatistics.centre([1, 2, 3, 4, 5], alpha: 0.05)
        #expect(centre.estimate == 3)
        // With five values at α = 0.05 the one-sided bounds are the smallest and largest Walsh averages.
        #expect(centre.lower == 1 && centre.upper == 5)
        #expect(PairedStatistics.centre([1, 2, 3, 4], alpha: 0.05).upper == .infinity)
    }

    /// Pairs whose head is `factor` × base, with each run's own noise.
    static func pairs(count: Int, factor: Double, cv: Double, _ generator: inout SeededGenerator) -> [(
        base: Double, head: Double
    )] {
        (0..<count).map { _ in
            let machine = exp(0.05 * generator.normal())
            return (
                100 * machine * (1 + cv * generator.normal()), 100 * factor * machine * (1 + cv * generator.normal())
            )
        }
    }

    @Test(
        "scaling both sides of every pair, or swapping the direction with the sides, leaves the verdict as it was (500 cases)"
    )
    func metamorphic() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let factor = [1.0, 1.05, 1.15, 1.3, 0.8].randomElement(using: &generator)!
            let drawn = Self.pairs(
                count: Int.random(in: 3...12, using: &generator), factor: factor, cv: 0.03, &generator)
            let scale = [0.001, 7.0, 1e6].randomElement(using: &generator)!
            let original = Judge.verdict(
                Judge.compare(pairs: drawn, direction: .lower, alpha: 0.05), maxRegression: 0.1, minDelta: 0)
            let scaled = Judge.verdict(
                Judge.compare(pairs: drawn.map { ($0.base * scale, $0.head * scale) }, direction: .lower, alpha: 0.05),
                maxRegression: 0.1, minDelta: 0)
            #expect(original == scaled)
            // A higher-is-better metric with the sides swapped is the same question.
            let flipped = Judge.verdict(
                Judge.compare(pairs: drawn.map { ($0.head, $0.base) }, direction: .higher, alpha: 0.05),
                maxRegression: 0.1 / 1.1 + 1e-9, minDelta: 0)
            if original == .regressed { #expect(flipped == .regressed, "\(drawn)") }
        }
    }

    @Test(
        "a 30% slower head on 8 quiet pairs regresses; an unchanged one does not; a machine that slows both runs of a pair cancels"
    )
    func verdicts() {
        var generator = SeededGenerator(seed: 11)
        let slower = Self.pairs(count: 8, factor: 1.3, cv: 0.02, &generator)
        #expect(
            Judge.verdict(Judge.compare(pairs: slower, direction: .lower, alpha: 0.05), maxRegression: 0.1, minDelta: 0)
                == .regressed)
        let same = Self.pairs(count: 8, factor: 1, cv: 0.02, &generator)
        #expect(
            Judge.verdict(Judge.compare(pairs: same, direction: .lower, alpha: 0.05), maxRegression: 0.1, minDelta: 0)
                == .unchanged)
        // Every other pair on a machine 1.5× slower: both of its runs slow, the ratios stay.
        let machines = same.enumerated().map {
            $0.offset % 2 == 0 ? ($0.element.base * 1.5, $0.element.head * 1.5) : $0.element
        }
        #expect(
            Judge.verdict(
                Judge.compare(pairs: machines, direction: .lower, alpha: 0.05), maxRegression: 0.1, minDelta: 0)
                == .unchanged)
    }

    @Test("the order flips each pair from a seeded first side; the same seed gives the same order")
    func order() {
        #expect(PairOrder.sides(pair: 1, headFirst: true) == [true, false])
        #expect(PairOrder.sides(pair: 2, headFirst: true) == [false, true])
        #expect(PairOrder.sides(pair: 3, headFirst: false) == [false, true])
        #expect(PairOrder.headFirst(seed: 42) == PairOrder.headFirst(seed: 42))
        let firsts = (0..<200).map { PairOrder.headFirst(seed: UInt64($0)) }
        #expect(firsts.filter { $0 }.count > 60 && firsts.filter { $0 }.count < 140)
    }

    @Test(
        "a judgement of pairs: budgets on the head's median, from and gate as in check, missing metrics, settled when every gated metric is"
    )
    func judgement() throws {
        func set(_ values: [String: Double]) -> MetricSet {
            MetricSet(metrics: values.map { Metric(name: $0.key, value: $0.value, unit: Unit("ms")) })
        }
        let policy = try Budgets.read(
            SourceText(
                name: "budgets.json",
                text: """
                    {"metrics": {"api": {"from": "latency p95", "unit": "ms", "error": 120}, "other": {"gate": false}, "gone": {"missing": "fail"}}}
                    """))
        let pairs = (0..<6).map { index in
            RunPair(
                base: set(["latency p95": 100 + Double(index), "other": 10]),
                head: set(["latency p95": 130 + Double(index), "other": 30 + Double(index)]))
        }
        let judged = try Judge.judge(pairs: pairs, policy: policy)
        let api = try #require(judged.metrics.first { $0.name == "api" })
        #expect(api.source == "latency p95")
        #expect(api.verdict == .regressed && api.basis == .pairs && api.pairs?.pairs == 6)
        #expect(api.budgetLevel == .error)
        #expect(judged.metrics.first { $0.name == "other" }?.severity == .ok)
        #expect(judged.metrics.first { $0.name == "gone" }?.verdict == .missing)
        #expect(judged.outcome == .failed && judged.pairs == 6)
        #expect(!judged.isYoungBaseline)
    }
}
