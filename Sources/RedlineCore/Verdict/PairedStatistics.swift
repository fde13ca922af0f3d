import RedlineModel
import RedlineJSON
import RedlinePolicy
import RedlineHistory

/// The statistics of an interleaved A/B run (`redline ab`): pairs of a base and a head run taken
/// one right after the other on one machine, judged by the log of each pair's ratio head/base, in
/// which what the machine did to both runs of a pair cancels.
public enum PairedStatistics {
    /// The one-sided p-values of the Wilcoxon signed-rank test on `differences`: that they are
    /// centred above 0 (`above`) and below 0 (`below`). Zeros are dropped (Wilcoxon's rule); ties
    /// take their mean rank, and the distribution is the exact one of those ranks (by counting
    /// the subsets of the ranks, doubled so that half ranks are whole), so small samples get exact
    /// p-values. No difference left: 1 both ways.
    public static func signedRank(_ differences: [Double]) -> (above: Double, below: Double) {
        precondition(differences.count <= mostValues, "the exact distribution counts at most \(mostValues) values")
        let nonzero = differences.filter { $0 != 0 && $0.isFinite }
        guard !nonzero.isEmpty else { return (1, 1) }
        let doubledRanks = Self.doubledRanks(nonzero.map(abs))
        let positive = zip(nonzero, doubledRanks).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        let distribution = Self.distribution(doubledRanks)
        // P(W ≥ positive) and P(W ≤ positive), W the doubled rank sum of the positive ones.
        var atLeast = 0.0
        var atMost = 0.0
        for (sum, probability) in distribution.enumerated() {
            if sum >= positive { atLeast += probability }
            if sum <= positive { atMost += probability }
        }
        return (min(1, atLeast), min(1, atMost))
    }

    /// Twice the mid-ranks of `values` (ties share the mean of their ranks), as whole numbers.
    static func doubledRanks(_ values: [Double]) -> [Int] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Int](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            // Ranks start..end (1-based start+1 … end+1): their mean, doubled, is start + end + 2.
            for index in start...end { ranks[order[index]] = start + end + 2 }
            start = end + 1
        }
        return ranks
    }

    /// The probability of each doubled rank sum when each rank is positive or negative with
    /// probability one half, independently (the null hypothesis of the signed-rank test).
    static func distribution(_ doubledRanks: [Int]) -> [Double] {
        let total = doubledRanks.reduce(0, +)
        var counts = [Double](repeating: 0, count: total + 1)
        counts[0] = 1
        var reach = 0
        for rank in doubledRanks {
            reach += rank
            for sum in stride(from: reach, through: rank, by: -1) { counts[sum] += counts[sum - rank] }
        }
        let scale = 1 / Double(counts.reduce(0, +))
        return counts.map { $0 * scale }
    }

    /// The most values the exact distributions count (their subset counts stay exact in a
    /// double well past it; `redline ab` takes at most 30 pairs).
    public static let mostValues = 200

    /// How far from the median, in robust standard deviations (1.4826 × the median absolute
    /// deviation), a pair's difference may be before it is set aside: the window's rule.
    public static let outlierLimit = 3.5

    /// `values` without those beyond `outlierLimit` robust standard deviations of their median;
    /// all of them when that would leave fewer than `PairOrder.fewestSignificant` (too few for
    /// the test to say anything), or when they do not vary.
    public static func withoutOutliers(_ values: [Double]) -> [Double] {
        guard values.count > PairOrder.fewestSignificant, let centre = Metric.median(values) else { return values }
        let spread = 1.4826 * Metric.median(values.map { abs($0 - centre) })!
        guard spread > 0 else { return values }
        let kept = values.filter { abs($0 - centre) <= outlierLimit * spread }
        return kept.count >= PairOrder.fewestSignificant ? kept : values
    }

    /// The Walsh averages of `values`, (vᵢ + vⱼ) / 2 for i ≤ j, sorted.
    static func walshAverages(_ values: [Double]) -> [Double] {
        var averages: [Double] = []
        averages.reserveCapacity(values.count * (values.count + 1) / 2)
        for i in values.indices {
            for j in i..<values.count { averages.append((values[i] + values[j]) / 2) }
        }
        return averages.sorted()
    }

    /// The Hodges-Lehmann estimate of the centre of `values` (the median of their Walsh
    /// averages), with a one-sided upper and lower confidence bound at `alpha` from the exact
    /// signed-rank distribution: infinite where the sample is too small to give one (fewer than 5
    /// values at α = 0.05).
    public static func centre(_ values: [Double], alpha: Double) -> (estimate: Double, lower: Double, upper: Double) {
        precondition(!values.isEmpty && values.count <= mostValues, "a centre needs 1 to \(mostValues) values")
        let averages = walshAverages(values)
        let estimate = Metric.median(averages)!
        // The bound is the k-th smallest (largest) Walsh average, k the largest count with
        // P(W ≤ k − 1) ≤ α under the null, W the signed-rank statistic without ties.
        let distribution = Self.distribution((1...values.count).map { 2 * $0 })
        var cumulative = 0.0
        var k = 0
        for sum in stride(from: 0, to: distribution.count, by: 2) {
            cumulative += distribution[sum]
            if cumulative > alpha { break }
            k += 1
        }
        guard k >= 1 else { return (estimate, -.infinity, .infinity) }
        return (estimate, averages[k - 1], averages[averages.count - k])
    }
}

/// How the pairs of an interleaved A/B run compared, for a metric judged on them.
public struct PairedComparison: Sendable, Equatable {
    /// Each pair's ratio head / base, in the order the pairs ran.
    public var ratios: [Double]
    /// The Hodges-Lehmann estimate of the ratio head / base (of the logs of the ratios).
    public var ratio: Double
    /// A one-sided lower and upper confidence bound of the ratio at the rule's α (0 and
    /// infinity where too few pairs give one).
    public var low: Double
    public var high: Double
    /// One-sided p-value of the signed-rank test that head is worse than base.
    public var pWorse: Double
    /// One-sided p-value that it is better.
    public var pBetter: Double
    /// The level the test used: the rule's α, or its share of it at this look (`PairOrder.alpha`).
    public var alpha: Double
    /// Pairs set aside as far from the rest (their ratios stay in `ratios`).
    public var setAside: Int = 0

    /// Pairs that had the metric on both sides.
    public var pairs: Int { ratios.count }
}
