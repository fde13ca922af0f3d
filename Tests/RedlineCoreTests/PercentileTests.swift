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

@Suite("Percentiles and histogram quantiles against reference implementations")
struct PercentileTests {
    /// PromQL's histogram_quantile for classic buckets, written out plainly: the envelope of the
    /// cumulative counts, then the piecewise-linear distribution they describe, inverted.
    static func referenceQuantile(_ q: Double, _ buckets: [(bound: Double, count: Double)]) -> Double {
        var merged: [(bound: Double, count: Double)] = []
        for bucket in buckets.sorted(by: { $0.bound < $1.bound }) {
            if merged.last?.bound == bucket.bound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        guard merged.count >= 2, merged.last!.bound == .infinity else { return .nan }
        var highest = -Double.infinity
        for index in merged.indices {
            highest = max(highest, merged[index].count)
            merged[index].count = highest
        }
        let total = merged.last!.count
        guard total > 0 else { return .nan }
        let rank = q * total
        var lower = merged[0].bound > 0 ? 0.0 : -Double.infinity
        var below = 0.0
        for bucket in merged.dropLast() {
            if bucket.count >= rank {
                if lower == -.infinity { return bucket.bound }
                return lower + (bucket.bound - lower) * (rank - below) / (bucket.count - below)
            }
            (lower, below) = (bucket.bound, bucket.count)
        }
        return merged[merged.count - 2].bound
    }

    @Test(
        "histogram_quantile equals the reference on 3000 generated bucket sets (shuffled, repeated, negative and decreasing)"
    )
    func classicDifferential() {
        var random = SeededGenerator(seed: 14)
        for _ in 0..<3000 {
            let finite = Int.random(in: 1...10, using: &random)
            let start = Bool.random(using: &random) ? -Double(Int.random(in: 0...5, using: &random)) : 0.001
            var bound = start
            var count = 0.0
            var buckets: [(bound: Double, count: Double)] = []
            for _ in 0..<finite {
                bound +=
                    Double(Int.random(in: 0...4, using: &random)) * 0.25 + (Bool.random(using: &random) ? 0 : 0.5)
                count += Double(Int.random(in: 0...20, using: &random))
                // Now and then a count that decreases, as a broken exporter writes.
                let written = Int.random(in: 0..<10, using: &random) == 0 ? max(0, count - 7) : count
                buckets.append((bound, written))
            }
            buckets.append((.infinity, count + Double(Int.random(in: 0...3, using: &random))))
            buckets.shuffle(using: &random)
            let q = Double(Int.random(in: 1...1000, using: &random)) / 1000
            let expected = Self.referenceQuantile(q, buckets)
            let actual = HistogramQuantile.classic(q, buckets.map { .init(upperBound: $0.bound, count: $0.count) })
                .value
            if expected.isNaN {
                #expect(actual.isNaN, "q \(q) of \(buckets)")
            } else {
                #expect(
                    abs(actual - expected) <= 1e-9 * max(1, abs(expected)),
                    "q \(q) of \(buckets): \(actual) ≠ \(expected)")
            }
        }
    }

    @Test(
        "histogram_quantile's special cases: q outside 0–1, no +Inf bucket, no observations, the +Inf bucket, a bound ≤ 0"
    )
    func classicSpecialCases() {
        let buckets: [HistogramQuantile.Bucket] = [
            .init(upperBound: 1, count: 5), .init(upperBound: 2, count: 8), .init(upperBound: .infinity, count: 10),
        ]
        #expect(HistogramQuantile.classic(-0.1, buckets).value == -.infinity)
        #expect(HistogramQuantile.classic(1.1, buckets).value == .infinity)
        #expect(HistogramQuantile.classic(.nan, buckets).value.isNaN)
        #expect(HistogramQuantile.classic(0.5, Array(buckets.prefix(2))).value.isNaN)
        #expect(
            HistogramQuantile.classic(0.5, buckets.map { .init(upperBound: $0.upperBound, count: 0) }).value.isNaN)
        // Rank 9.5 is past the last finite bucket: its bound, no extrapolation.
        #expect(HistogramQuantile.classic(0.95, buckets).value == 2)
        #expect(HistogramQuantile.classic(0.25, buckets).value == 0.5)
        #expect(
            HistogramQuantile.classic(
                0.25, [.init(upperBound: -1, count: 5), .init(upperBound: .infinity, count: 10)]
            ).value == -1)
    }

    @Test(
        "exponential buckets: the quantile of 2000 generated positive histograms equals lower·(upper/lower)^fraction in its bucket"
    )
    func exponentialDifferential() {
        var random = SeededGenerator(seed: 20)
        for _ in 0..<2000 {
            let scale = Int.random(in: -2...6, using: &random)
            let offset = Int.random(in: -40...40, using: &random)
            let counts = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                Double(Int.random(in: 0...9, using: &random))
            }
            let total = counts.reduce(0, +)
            guard total > 0 else { continue }
            let base = pow(2, pow(2, -Double(scale)))
            let ranges = counts.enumerated().map { index, count in
                HistogramQuantile.Range(
                    lower: pow(base, Double(offset + index)), upper: pow(base, Double(offset + index + 1)),
                    count: count)
            }
            let q = Double(Int.random(in: 1...1000, using: &random)) / 1000
            // The reference: the first bucket whose running count reaches q·total, empty ones skipped.
            var seen = 0.0
            var expected = Double.nan
            for bucket in ranges where bucket.count > 0 {
                if seen + bucket.count >= q * total {
                    expected = bucket.lower * pow(bucket.upper / bucket.lower, (q * total - seen) / bucket.count)
                    break
                }
                seen += bucket.count
            }
            let actual = HistogramQuantile.exponential(
                q, [HistogramQuantile.Range(lower: 0, upper: 0, count: 0)] + ranges, zeroBucket: 0,
                hasNegative: false, hasPositive: true)
            #expect(
                abs(actual - expected) <= 1e-9 * expected,
                "q \(q) scale \(scale) offset \(offset) \(counts): \(actual) ≠ \(expected)")
        }
    }

    /// The R-7 quantile as its definition states it (1-based): h = (n − 1)p + 1, then linear
    /// between x⌊h⌋ and x⌊h⌋+1.
    static func referenceK6(_ values: [Double], _ p: Double) -> Double {
        let x = values.sorted()
        let h = Double(x.count - 1) * p + 1
        let low = Int(h.rounded(.down))
        guard low < x.count else { return x[x.count - 1] }
        return x[low - 1] + (h - Double(low)) * (x[low] - x[low - 1])
    }

    @Test("k6's trend percentile equals the R-7 definition on 2000 generated trends, min at 0 and max at 1")
    func k6Differential() {
        var random = SeededGenerator(seed: 6)
        for _ in 0..<2000 {
            let count = Int.random(in: 1...60, using: &random)
            let values = (0..<count).map { _ in Double(Int.random(in: 0...40, using: &random)) * 0.37 }
            let sorted = values.sorted()
            for p in [0, 0.5, 0.9, 0.95, 0.99, 1, Double.random(in: 0...1, using: &random)] {
                let expected = Self.referenceK6(values, p)
                let actual = Percentile.k6(sorted, p)
                #expect(abs(actual - expected) <= 1e-9 * max(1, abs(expected)), "p \(p) of \(values)")
            }
            #expect(Percentile.k6(sorted, 0) == sorted.first && Percentile.k6(sorted, 1) == sorted.last)
        }
    }

    @Test("hey, JMeter and Locust percentiles by hand")
    func toolsByHand() {
        // hey gives each index to one percentile at most: three values serve p10 and p25 only.
        #expect(
            Percentile.hey([1, 2, 3], percents: [10, 25, 50, 75, 90, 95, 99]) == [2, 3, nil, nil, nil, nil, nil])
        #expect(Percentile.hey((1...100).map(Double.init), percents: [10, 50, 99]) == [11, 51, 100])
        // JMeter: the value at rank round(n·p) (Java's half up), the max at 1.
        #expect(Percentile.jmeter([45, 48, 51, 1503, 2004], 0.5) == 51)
        #expect(Percentile.jmeter([45, 48, 51, 1503, 2004], 0.9) == 2004)
        #expect(Percentile.jmeter([45, 48, 51, 1503, 2004], 0.1) == 45)
        #expect(Percentile.jmeter([7], 1) == 7)
        // Locust: from the slowest down, the first time at which the requests not yet counted
        // (those faster than it) are at most ⌊n·p⌋.
        let histogram: [(time: Double, count: Double)] = [(10, 5), (20, 3), (30, 2)]
        #expect(Percentile.locust(histogram, total: 10, 0.4) == 10)
        #expect(Percentile.locust(histogram, total: 10, 0.5) == 20)
        #expect(Percentile.locust(histogram, total: 10, 0.79) == 20)
        #expect(Percentile.locust(histogram, total: 10, 0.8) == 30)
    }
}
