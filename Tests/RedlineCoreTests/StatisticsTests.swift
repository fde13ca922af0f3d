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

@Suite("Statistics against published values")
struct StatisticsTests {
    // Expected values from SciPy 1.17: scipy.stats.mannwhitneyu(current, baseline,
    // alternative="greater", method=...) with the method redline uses for the case:
    // exact without ties (n·m ≤ 400), asymptotic with tie and continuity corrections otherwise.
    struct Case: Sendable, CustomStringConvertible {
        var baseline: [Double]
        var current: [Double]
        var u: Double
        var p: Double
        var exact: Bool
        var description: String { "U=\(u) p=\(p)" }
    }

    @Test(
        "one-sided Mann-Whitney U and p match SciPy",
        arguments: [
            Case(baseline: [1, 2, 3, 4, 5], current: [6, 7, 8, 9, 10], u: 25, p: 0.003968253968253968, exact: true),
            Case(
                baseline: [5.1, 4.9, 5.3, 5.0, 5.2], current: [5.4, 5.6, 5.2, 5.8, 5.5], u: 23.5,
                p: 0.013901481217324648, exact: false),
            Case(
                baseline: [10, 11, 12, 13, 14, 15], current: [12, 13, 14, 15, 16, 17], u: 28, p: 0.0627651351317076,
                exact: false),
            Case(
                baseline: [1, 2, 2, 3, 3, 3, 4], current: [3, 4, 4, 5, 5, 6, 6], u: 45.5, p: 0.00379546609887145,
                exact: false),
            Case(
                baseline: (1...20).map(Double.init), current: (1...20).map { Double($0) + 3.5 }, u: 264,
                p: 0.0429570099928469, exact: true),
        ])
    func uTest(_ row: Case) {
        let result = Statistics.uTest(baseline: row.baseline, current: row.current)
        #expect(result.u == row.u)
        #expect(result.isExact == row.exact)
        #expect(abs(result.pValue - row.p) < 1e-12, "p = \(result.pValue)")
    }

    @Test("the median by selection equals the middle of a sort, on 2,000 seeded arrays with ties, odd and even counts")
    func medianBySelection() {
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...40, using: &generator)
            // Few distinct values (ties), or a wide spread with huge magnitudes.
            let values: [Double] = (0..<count).map { _ in
                Bool.random(using: &generator)
                    ? Double(Int.random(in: -3...3, using: &generator))
                    : Double.random(in: -1e300...1e300, using: &generator)
            }
            let sorted = values.sorted()
            let expected = count % 2 == 1 ? sorted[count / 2] : sorted[count / 2 - 1] / 2 + sorted[count / 2] / 2
            #expect(Metric.median(values) == expected, "\(values)")
        }
        #expect(Metric.median([]) == nil)
    }

    @Test("identical samples give p = 1 / 2-ish, never a false certainty")
    func identical() {
        let same = [1.0, 1.0, 1.0, 1.0, 1.0]
        let result = Statistics.uTest(baseline: same, current: same)
        #expect(result.pValue >= 0.5)
    }

    @Test("the normal quantile inverts the tail: z(0.05) = 1.6448536269514722 (R: qnorm(0.95))")
    func quantile() {
        #expect(abs(Statistics.normalQuantile(upperTail: 0.05) - 1.6448536269514722) < 1e-12)
        #expect(abs(Statistics.normalQuantile(upperTail: 0.025) - 1.959963984540054) < 1e-12)
    }

    @Test("Hodges-Lehmann: the median of pairwise differences, in the samples' unit")
    func hodgesLehmann() {
        // Every current sample is exactly 20 above a baseline one: the estimate is +20.
        let baseline = [100.0, 101, 99, 102, 98, 100, 103, 97, 101, 99]
        let current = baseline.map { $0 + 20 }
        let shift = Statistics.shift(baseline: baseline, current: current, alpha: 0.05)
        #expect(abs(shift.estimate - 20) < 1e-9)
        #expect(shift.low < shift.estimate && shift.estimate < shift.high)
        #expect(shift.confidence == 0.9)
        // One wild outlier moves the estimate little.
        var noisy = current
        noisy[0] = 10_000
        #expect(abs(Statistics.shift(baseline: baseline, current: noisy, alpha: 0.05).estimate - 20) < 1)
        // Scaled and negated samples give the scaled and negated shift.
        let scaled = Statistics.shift(
            baseline: baseline.map { $0 * 1000 }, current: current.map { $0 * 1000 }, alpha: 0.05)
        #expect(abs(scaled.estimate - 20_000) < 1e-6 && abs(scaled.low - shift.low * 1000) < 1e-6)
        let negated = Statistics.shift(baseline: baseline.map { -$0 }, current: current.map { -$0 }, alpha: 0.05)
        #expect(negated.estimate == -shift.estimate && negated.low == -shift.high && negated.high == -shift.low)
    }

    @Test("selected order statistics equal the sorted values, ties and every rank included")
    func orderStatistics() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let count = Int.random(in: 1...120, using: &generator)
            // Few distinct values make many ties, the case a careless partition gets wrong.
            let distinct = Int.random(in: 1...count, using: &generator)
            var values = (0..<count).map { _ in Double(Int.random(in: 0..<distinct, using: &generator)) * 0.5 - 3 }
            let sorted = values.sorted()
            var ranks = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                Int.random(in: 0..<count, using: &generator)
            }
            ranks.sort()
            let selected = values.withUnsafeMutableBufferPointer { Statistics.orderStatistics(of: $0, at: ranks) }
            #expect(selected == ranks.map { sorted[$0] })
            #expect(values.sorted() == sorted, "selection only reorders")
        }
    }
}
