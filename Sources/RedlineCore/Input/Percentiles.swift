import RedlineModel
import RedlineJSON

/// How each tool turns its values into percentiles, in one place: a percentile redline computes
/// from a tool's raw values or histogram is the one the tool itself would print.
/// `fraction` is the percentile over 100 (0.95 for p95); `sorted` is ascending and not empty.
enum Percentile {
    /// k6's trend percentile (`TrendSink.P`): linear between the closest ranks, i = p·(n−1)
    /// (numpy's default, R type 7).
    static func k6(_ sorted: [Double], _ fraction: Double) -> Double {
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// JMeter's aggregate report (`StatCalculator.getPercentPoint`): the value at rank
    /// round(n·p), the maximum for p = 1.
    static func jmeter(_ sorted: [Double], _ fraction: Double) -> Double {
        guard fraction < 1 else { return sorted[sorted.count - 1] }
        // Java's Math.round: half up.
        let rank = Int((Double(sorted.count) * fraction + 0.5).rounded(.down))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// hey's latency distribution: walking up the sorted values, each index i is given to the next
    /// percentile P not yet given when ⌊100·i/n⌋ ≥ P, so one value serves one percentile at most
    /// and a small run leaves the last ones without a value (nil; hey prints nothing for them).
    static func hey(_ sorted: [Double], percents: [Int]) -> [Double?] {
        var values = [Double?](repeating: nil, count: percents.count)
        var next = 0
        for index in sorted.indices where next < percents.count && index * 100 / sorted.count >= percents[next] {
            values[next] = sorted[index]
            next += 1
        }
        return values
    }

    /// Locust's percentile of its histogram of rounded response times
    /// (`calculate_response_time_percentile`): walking down from the slowest, the first time at
    /// which no more than n·p requests remain below. `total` is Locust's count of requests with a time.
    static func locust(_ histogram: [(time: Double, count: Double)], total: Double, _ fraction: Double) -> Double {
        let target = (total * fraction).rounded(.down)
        var processed = 0.0
        for bucket in histogram.sorted(by: { $0.time > $1.time }) {
            processed += bucket.count
            if total - processed <= target { return bucket.time }
        }
        return 0
    }
}

/// Quantiles of bucketed histograms as PromQL's `histogram_quantile` computes them.
enum HistogramQuantile {
    /// One bucket of a classic histogram: the cumulative count of observations ≤ `upperBound`.
    struct Bucket: Equatable {
        var upperBound: Double
        var count: Double
    }

    /// The quantile `q` (0–1) of a classic histogram, as Prometheus's `BucketQuantile` computes it:
    /// buckets sorted, equal bounds merged, counts made monotonic (a decrease is raised to the
    /// count before it, a relative difference below 1e-12 ignored); the rank q·count found in the
    /// first bucket that reaches it and interpolated linearly inside it, from 0 in the lowest
    /// bucket when its bound is above 0; a rank in the +Inf bucket gives the highest finite bound.
    /// NaN without a +Inf bucket, with fewer than two buckets, or with no observations.
    /// `forcedMonotonic` says whether a count had to be raised.
    static func classic(_ q: Double, _ buckets: [Bucket]) -> (value: Double, forcedMonotonic: Bool) {
        if q.isNaN { return (.nan, false) }
        if q < 0 { return (-.infinity, false) }
        if q > 1 { return (.infinity, false) }
        guard let highest = buckets.map(\.upperBound).max(), highest == .infinity else { return (.nan, false) }
        // A stable sort keeps the file's order of equal bounds; their counts are summed anyway.
        var merged: [Bucket] = []
        for bucket in buckets.enumerated().sorted(by: {
            ($0.element.upperBound, $0.offset) < ($1.element.upperBound, $1.offset)
        }).map(\.element) {
            if let last = merged.last, last.upperBound == bucket.upperBound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        var forced = false
        var previous = merged[0].count
        for index in merged.indices.dropFirst() {
            let current = merged[index].count
            if current == previous { continue }
            if abs(current - previous) <= 1e-12 * max(abs(current), abs(previous)) {
                merged[index].count = previous
            } else if current < previous {
                merged[index].count = previous
                forced = true
            } else {
                previous = current
            }
        }
        guard merged.count >= 2, let observations = merged.last?.count, observations > 0 else { return (.nan, false) }
        var rank = q * observations
        let found = merged.dropLast().firstIndex { $0.count >= rank } ?? merged.count - 1
        if found == merged.count - 1 { return (merged[merged.count - 2].upperBound, forced) }
        if found == 0 && merged[0].upperBound <= 0 { return (merged[0].upperBound, forced) }
        var start = 0.0
        var count = merged[found].count
        if found > 0 {
            start = merged[found - 1].upperBound
            count -= merged[found - 1].count
            rank -= merged[found - 1].count
        }
        return (start + (merged[found].upperBound - start) * (rank / count), forced)
    }

    /// One bucket of an exponential (native, OTLP) histogram: observations in (lower, upper].
    struct Range {
        var lower: Double
        var upper: Double
        var count: Double
    }

    /// The quantile `q` of an exponential histogram as Prometheus's `HistogramQuantile` computes it
    /// for native histograms: the bucket that reaches rank q·count (empty buckets skipped), then
    /// exponential interpolation inside it, linear in the zero bucket (from 0 when there are only
    /// positive buckets, up to 0 when there are only negative ones). `buckets` ascend; NaN when empty.
    static func exponential(_ q: Double, _ buckets: [Range], zeroBucket: Int?, hasNegative: Bool, hasPositive: Bool)
        -> Double
    {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let total = buckets.reduce(0) { $0 + $1.count }
        guard total > 0 else { return .nan }
        var rank = q * total
        var seen = 0.0
        var chosen = 0
        for (index, bucket) in buckets.enumerated() where bucket.count > 0 {
            chosen = index
            seen += bucket.count
            if seen >= rank { break }
        }
        var bucket = buckets[chosen]
        if chosen == zeroBucket {
            if !hasNegative && hasPositive { bucket.lower = 0 }
            if hasNegative && !hasPositive { bucket.upper = 0 }
        }
        if seen < rank { return bucket.upper }
        rank -= seen - bucket.count
        let fraction = rank / bucket.count
        if bucket.lower <= 0 && bucket.upper >= 0 {
            return bucket.lower + (bucket.upper - bucket.lower) * fraction
        }
        let logLower = CLibrary.binaryLogarithm(abs(bucket.lower))
        let logUpper = CLibrary.binaryLogarithm(abs(bucket.upper))
        if bucket.lower > 0 { return CLibrary.powerOfTwo(logLower + (logUpper - logLower) * fraction) }
        return -CLibrary.powerOfTwo(logUpper + (logLower - logUpper) * (1 - fraction))
    }
}
