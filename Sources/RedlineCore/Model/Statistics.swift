/// Distribution-free statistics on two sets of samples: the Mann-Whitney U test and the
/// Hodges-Lehmann estimate of the shift with its confidence interval.
///
/// Why these: benchmark timings are skewed and carry outliers (a GC pause, a noisy neighbour),
/// so tests that assume normality (Welch's t) misjudge them. The U test only uses ranks, and the
/// Hodges-Lehmann estimate (the median of all pairwise differences) ignores a few wild values.
public enum Statistics {
    /// Changes are compared with thresholds after allowing this much floating-point error, so that
    /// 1.0 → 1.1 is exactly 10% (and passes a 10% threshold) even though 1.1 − 1.0 is 0.1000000000000001.
    public static let tolerance = 1e-9

    /// The result of the one-sided U test that `current` is larger than `baseline`.
    public struct UTest: Sendable, Equatable {
        /// U for `current`: pairs where the current sample is larger, ties counting a half.
        public var u: Double
        /// P(U ≥ observed) when both come from one distribution.
        public var pValue: Double
        /// Whether the exact distribution was used (small samples without ties), else the normal
        /// approximation with tie and continuity corrections.
        public var isExact: Bool
    }

    /// Up to this many pairs (n × m) without ties, p-values come from the exact distribution.
    public static let exactLimit = 400

    /// Remembers what is costly to compute and the same for many metrics of one run: the exact
    /// distributions of U per pair of sample sizes, normal quantiles per α, and Student's t
    /// quantiles per α and degrees of freedom.
    public final class Memo: @unchecked Sendable {
        // One judgement uses one memo on one thread; it is never shared across threads.
        var upperTails: [Int: [Double]] = [:]
        var quantiles: [Double: Double] = [:]
        var studentQuantiles: [StudentKey: Double] = [:]

        struct StudentKey: Hashable {
            let tail: Double
            let degrees: Double
        }

        /// An empty memo.
        public init() {}

        func upperTail(n: Int, m: Int, u: Double) -> Double {
            let key = n << 32 | m
            let tails: [Double]
            if let known = upperTails[key] {
                tails = known
            } else {
                tails = Statistics.exactUpperTails(n: n, m: m)
                upperTails[key] = tails
            }
            let threshold = Int(u.rounded(.up))
            guard threshold < tails.count else { return 0 }
            return tails[max(0, threshold)]
        }

        func quantile(upperTail p: Double) -> Double {
            if let known = quantiles[p] { return known }
            let z = Statistics.normalQuantile(upperTail: p)
            quantiles[p] = z
            return z
        }

        /// Student's t quantile with `degrees` degrees of freedom and upper tail `p`, computed by
        /// `compute` the first time. It takes a hundred evaluations of the incomplete beta
        /// function, and a window's degrees are the same for nearly every metric of a run.
        package func studentQuantile(
            upperTail p: Double, degrees: Double, computing compute: (Double, Double) -> Double
        ) -> Double {
            let key = StudentKey(tail: p, degrees: degrees)
            if let known = studentQuantiles[key] { return known }
            let t = compute(p, degrees)
            studentQuantiles[key] = t
            return t
        }
    }

    /// One-sided Mann-Whitney U test of "current is stochastically larger than baseline".
    public static func uTest(baseline: [Double], current: [Double], memo: Memo = Memo()) -> UTest {
        uTests(baseline: baseline, current: current, memo: memo).larger
    }

    /// Both one-sided U tests from one ranking: "current is larger" and "current is smaller".
    public static func uTests(baseline: [Double], current: [Double], memo: Memo = Memo()) -> (
        larger: UTest, smaller: UTest
    ) {
        let n = baseline.count
        let m = current.count
        precondition(n > 0 && m > 0, "the U test needs samples on both sides")
        // Ranks of the pooled samples, ties sharing their average rank (pooled on the stack: this
        // runs for every metric of a large run).
        var rankSumCurrent = 0.0
        var tieTerm = 0.0
        withUnsafeTemporaryAllocation(of: (Double, Bool).self, capacity: n + m) { storage in
            var pooled = storage
            for (position, value) in baseline.enumerated() {
                (pooled.baseAddress! + position).initialize(to: (value, false))
            }
            for (position, value) in current.enumerated() {
                (pooled.baseAddress! + n + position).initialize(to: (value, true))
            }
            pooled.sort { $0.0 < $1.0 }
            var index = 0
            while index < pooled.count {
                var end = index
                while end + 1 < pooled.count && pooled[end + 1].0 == pooled[index].0 { end += 1 }
                let rank = Double(index + end + 2) / 2
                let tied = Double(end - index + 1)
                if tied > 1 { tieTerm += tied * tied * tied - tied }
                for position in index...end where pooled[position].1 { rankSumCurrent += rank }
                index = end + 1
            }
        }
        let u = rankSumCurrent - Double(m * (m + 1)) / 2
        // The other direction's statistic: the two U values add up to n·m.
        let mirrored = Double(n * m) - u
        if tieTerm == 0 && n * m <= exactLimit {
            return (
                UTest(u: u, pValue: memo.upperTail(n: n, m: m, u: u), isExact: true),
                UTest(u: mirrored, pValue: memo.upperTail(n: m, m: n, u: mirrored), isExact: true)
            )
        }
        let total = Double(n + m)
        let mean = Double(n * m) / 2
        let variance = Double(n * m) / 12 * ((total + 1) - tieTerm / (total * (total - 1)))
        guard variance > 0 else {
            return (UTest(u: u, pValue: 1, isExact: false), UTest(u: mirrored, pValue: 1, isExact: false))
        }
        let deviation = variance.squareRoot()
        return (
            UTest(u: u, pValue: upperNormalTail((u - mean - 0.5) / deviation), isExact: false),
            UTest(u: mirrored, pValue: upperNormalTail((mirrored - mean - 0.5) / deviation), isExact: false)
        )
    }

    static func exactUpperTails(n: Int, m: Int) -> [Double] {
        // counts(i, j)[v]: orderings of i baseline and j current samples with U = v. The largest
        // sample is either current (above all i baseline ones: U grows by i) or baseline (U unchanged):
        // counts(i, j)[v] = counts(i, j - 1)[v - i] + counts(i - 1, j)[v].
        let size = n * m + 1
        var previousRow = [[Double]](repeating: [Double](repeating: 0, count: size), count: m + 1)
        for j in 0...m { previousRow[j][0] = 1 }  // i = 0: one ordering, U = 0
        for i in 1...max(1, n) where n > 0 {
            var row = [[Double]](repeating: [Double](repeating: 0, count: size), count: m + 1)
            row[0][0] = 1
            for j in 1...max(1, m) where m > 0 {
                for v in 0..<size {
                    var count = previousRow[j][v]
                    if v >= i { count += row[j - 1][v - i] }
                    row[j][v] = count
                }
            }
            previousRow = row
        }
        let distribution = previousRow[m]
        let total = distribution.reduce(0, +)
        var tails = [Double](repeating: 0, count: size)
        var running = 0.0
        for v in stride(from: size - 1, through: 0, by: -1) {
            running += distribution[v]
            tails[v] = min(1, running / total)
        }
        return tails
    }

    /// P(Z ≥ z) for a standard normal Z.
    public static func upperNormalTail(_ z: Double) -> Double {
        0.5 * CLibrary.complementaryError(z / 2.0.squareRoot())
    }

    /// The z with P(Z ≥ z) = p, by bisection (p in (0, 1)).
    public static func normalQuantile(upperTail p: Double) -> Double {
        var low = -40.0
        var high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if upperNormalTail(middle) > p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The Hodges-Lehmann estimate of the shift from baseline to current and a distribution-free
    /// confidence interval for it (Moses), in the samples' unit.
    public struct Shift: Sendable, Equatable {
        /// The estimated shift: the median of all pairwise differences current − baseline.
        public var estimate: Double
        /// Lower end of the interval.
        public var low: Double
        /// Upper end of the interval.
        public var high: Double
        /// The interval's confidence level (0.9 for α = 0.05 one-sided on each end).
        public var confidence: Double
    }

    /// Estimates the shift with a two-sided (1 − 2α) interval, whose ends are the one-sided
    /// (1 − α) bounds. On the raw values, so that the estimate scales with the samples (another
    /// unit of the same dimension gives the same change) and turns sign with them (a metric
    /// negated and judged the other way round gives the same verdict).
    public static func shift(baseline: [Double], current: [Double], alpha: Double, memo: Memo = Memo()) -> Shift {
        precondition(!baseline.isEmpty && !current.isEmpty, "the shift needs samples on both sides")
        let count = baseline.count * current.count
        let n = Double(baseline.count)
        let m = Double(current.count)
        let z = memo.quantile(upperTail: alpha)
        let spread = z * (n * m * (n + m + 1) / 12).squareRoot()
        let lowIndex = min(count - 1, max(0, Int((Double(count) / 2 - spread).rounded(.down))))
        let highIndex = max(0, min(count - 1, count - 1 - lowIndex))
        // Four order statistics of n·m differences: selected, not sorted (a sort was most of a
        // verdict's time), in a buffer on the stack for the usual sizes.
        let ranked = withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { differences in
            var slot = differences.baseAddress!
            for value in current {
                for earlier in baseline {
                    slot.initialize(to: value - earlier)
                    slot += 1
                }
            }
            return orderStatistics(of: differences, at: [lowIndex, (count - 1) / 2, count / 2, highIndex])
        }
        let middle = ranked[1] / 2 + ranked[2] / 2
        return Shift(estimate: middle, low: ranked[0], high: ranked[3], confidence: 1 - 2 * alpha)
    }

    /// The values at `ranks` (0-based, ascending) of `values` in sorted order, found by Hoare's
    /// selection: each rank partitions only what lies above the previous one, so the whole costs
    /// a few passes over `values` (which it reorders), not a sort.
    static func orderStatistics(of buffer: UnsafeMutableBufferPointer<Double>, at ranks: [Int]) -> [Double] {
        var low = 0
        return ranks.map { rank in
            if rank >= low {
                select(buffer, rank, from: low)
                low = rank + 1
            }
            return buffer[rank]
        }
    }

    /// Moves the `k`-th smallest of `values[start...]` to index `k`, with no larger value before
    /// it and no smaller one after it.
    @usableFromInline static func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int, from start: Int) {
        var low = start
        var high = values.count - 1
        while low < high {
            let (a, b, c) = (values[low], values[(low + high) / 2], values[high])
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now values[low...j] <= pivot <= values[i...high], and anything between equals the pivot.
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return
            }
        }
    }
}
