import RedlineModel
import RedlineJSON
import RedlinePolicy

/// The statistics of judging a run against a window of recent runs, and of finding a step in one.
///
/// A window is summarised by the mean and standard deviation of its runs after setting aside the
/// runs far from the rest (beyond 3.5 robust standard deviations of the median: a noisy-neighbour
/// run at 1.5× or a run on a slower machine), so that one wild run neither moves the centre nor
/// widens the spread enough to blind the gate, while a window of well-behaved runs is used whole
/// (with the efficiency of the plain mean and standard deviation).
public enum WindowStatistics {
    /// Runs farther than this many robust standard deviations from the median are set aside.
    static let outlierCut = 3.5
    /// 1.4826 × the median absolute deviation estimates the standard deviation of normal values.
    static let madScale = 1.4826

    /// The robust standard deviation of `values`: 1.4826 × their median absolute deviation.
    public static func robustSpread(_ values: [Double]) -> Double {
        guard let median = Metric.median(values) else { return 0 }
        return robustSpread(values, median: median)
    }

    /// `robustSpread` of values whose median is known.
    static func robustSpread(_ values: [Double], median: Double) -> Double {
        madScale * (Metric.median(values.map { abs($0 - median) }) ?? 0)
    }

    /// A window's centre and spread.
    public struct Summary: Sendable, Equatable {
        /// The mean of the runs kept.
        public var centre: Double
        /// Their standard deviation (with Bessel's correction); 0 for fewer than two.
        public var spread: Double
        /// How many runs were kept.
        public var kept: Int
        /// How many were set aside as far from the rest.
        public var setAside: Int
    }

    /// The centre and spread of `values` without the runs far from the rest.
    public static func summary(_ values: [Double]) -> Summary {
        precondition(!values.isEmpty, "a window has at least one run")
        let median = Metric.median(values)!
        var scale = robustSpread(values, median: median)
        // More than half the runs equal: the spread of all of them decides what is far.
        if scale == 0 { scale = meanAndDeviation(values).deviation }
        var kept = values
        if scale > 0 {
            let inside = values.filter { abs($0 - median) <= outlierCut * scale }
            if inside.count >= 2 { kept = inside }
        }
        let (mean, deviation) = meanAndDeviation(kept)
        return Summary(centre: mean, spread: deviation, kept: kept.count, setAside: values.count - kept.count)
    }

    /// The mean and the standard deviation with Bessel's correction (0 for one value).
    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        guard values.count > 1 else { return (mean, 0) }
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (squares / (count - 1)).squareRoot())
    }

    /// The standard error of the median of `count` samples whose spread is `spread` (√(π/2) σ/√n).
    package static func medianError(spread: Double, count: Int) -> Double {
        1.2533 * spread / Double(max(count, 1)).squareRoot()
    }

    /// The variance of the median of `count` independent normal draws, as a fraction of one
    /// draw's: how much combining runs by their median narrows what is not shared between them.
    package static func medianVarianceFactor(_ count: Int) -> Double {
        let factors = [1, 0.5, 0.4487, 0.2982, 0.2868, 0.2147, 0.2104, 0.1682, 0.1661, 0.1383]
        if count <= factors.count { return factors[max(count, 1) - 1] }
        return 1.5708 / Double(count)
    }

    /// The fewest metrics a run needs for its machine's share to be estimated.
    static let minimumMetricsForMachine = 8

    /// The relative variance (on the log scale) that all metrics of a run share: the machine's
    /// state. For each run of the history, the median over its metrics of how far each one is from
    /// its own median; the robust spread of those run factors, squared. Nil with fewer than
    /// `minimumMetricsForMachine` metrics or `minimumRuns` runs to tell it from.
    public static func machineVariance(_ history: [String: MetricHistory], runs: Int) -> Double? {
        guard runs >= HistoryLimits.minimumRuns, history.count >= minimumMetricsForMachine else { return nil }
        var deviations = [[Double]](repeating: [], count: runs)
        for metric in history.values {
            let present = metric.values.compactMap { $0 }
            guard present.count >= HistoryLimits.minimumRuns, let centre = Metric.median(present), centre > 0 else {
                continue
            }
            let offset = runs - metric.values.count
            for (index, value) in metric.values.enumerated() where offset + index >= 0 {
                guard let value, value > 0 else { continue }
                deviations[offset + index].append(CLibrary.logarithm(value / centre))
            }
        }
        let factors = deviations.filter { $0.count >= minimumMetricsForMachine }.compactMap(Metric.median)
        guard factors.count >= HistoryLimits.minimumRuns else { return nil }
        let spread = robustSpread(factors)
        return spread * spread
    }

    /// P(T ≥ t) for Student's t with `degrees` degrees of freedom.
    public static func studentUpperTail(_ t: Double, degrees: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 0 : 1 }
        let x = degrees / (degrees + t * t)
        let tail = 0.5 * regularizedBeta(x, degrees / 2, 0.5)
        return t >= 0 ? tail : 1 - tail
    }

    /// The t with P(T ≥ t) = `tail` for Student's t with `degrees` degrees of freedom (bisection).
    public static func studentQuantile(upperTail tail: Double, degrees: Double) -> Double {
        var (low, high) = (-1000.0, 1000.0)
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if studentUpperTail(middle, degrees: degrees) > tail { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The regularized incomplete beta function I_x(a, b), by its continued fraction (evaluated
    /// with the modified Lentz method) on the side where it converges fast.
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront =
            CLibrary.logGamma(a + b) - CLibrary.logGamma(a) - CLibrary.logGamma(b)
            + a * CLibrary.logarithm(x) + b * CLibrary.logarithm(1 - x)
        let front = CLibrary.exponential(logFront)
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x, a, b) / a }
        return 1 - front * continuedFraction(1 - x, b, a) / b
    }

    /// The continued fraction of I_x(a, b): 1 / (1 + d₁ / (1 + d₂ / (1 + …))).
    static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        d = 1 / (abs(d) < tiny ? tiny : d)
        var result = d
        for m in 1...300 {
            let step = Double(m)
            // The even term, then the odd one.
            for coefficient in [
                step * (b - step) * x / ((a + 2 * step - 1) * (a + 2 * step)),
                -(a + step) * (a + b + step) * x / ((a + 2 * step) * (a + 2 * step + 1)),
            ] {
                d = 1 + coefficient * d
                d = 1 / (abs(d) < tiny ? tiny : d)
                c = 1 + coefficient / c
                if abs(c) < tiny { c = tiny }
                result *= c * d
            }
            if abs(c * d - 1) < 1e-14 { break }
        }
        return result
    }
}

/// Finds a change of level at the end of a metric's history: whether its newest runs (3 to 8 of
/// them) sit at another level than the runs before them (at least 5, since the last step).
///
/// For each split it compares the mean of the newest runs with the mean of the runs before, both
/// without their far-out runs, by Student's t on the older runs' spread; a step needs the
/// Bonferroni-adjusted two-sided p below `level`, a size of at least `minimumChange` (asv's 5%),
/// and three quarters of the newest runs past the midpoint between the two levels, so that two
/// noisy runs in a row never pass for a step. The split with the strongest evidence wins.
public enum StepDetector {
    /// The fewest and most newest runs a step is looked for in.
    static let newest = 3...8
    /// The fewest runs before a step.
    static let minimumBefore = 5
    /// The smallest step reported, relative to the old level.
    public static let minimumChange = 0.05
    /// The adjusted p-value a step needs.
    public static let level = 0.005

    /// A step found: how many of the newest values are at the new level, its size and p-value.
    public struct Found: Sendable, Equatable {
        public var length: Int
        public var change: Double
        public var p: Double
    }

    /// The most significant step at the end of `values` (oldest first), or nil.
    public static func find(_ values: [Double]) -> Found? {
        let lengths = newest.filter { values.count - $0 >= minimumBefore }
        var best: (found: Found, strength: Double)?
        for length in lengths {
            let before = Array(values.dropLast(length))
            let after = Array(values.suffix(length))
            let old = WindowStatistics.summary(before)
            guard old.spread > 0, old.centre != 0 else { continue }
            // The newest runs are cleaned on the older runs' scale: a short segment has no scale of its own.
            let afterMedian = Metric.median(after)!
            let scale = max(WindowStatistics.robustSpread(before), old.spread)
            let kept = after.filter { abs($0 - afterMedian) <= WindowStatistics.outlierCut * scale }
            let newer = kept.count >= 2 ? kept : after
            let newMean = newer.reduce(0, +) / Double(newer.count)
            let change = (newMean - old.centre) / abs(old.centre)
            guard abs(change) >= minimumChange else { continue }
            let midpoint = old.centre + (newMean - old.centre) / 2
            let past = after.filter { newMean > old.centre ? $0 > midpoint : $0 < midpoint }.count
            guard Double(past) >= 0.75 * Double(after.count) else { continue }
            let t =
                (newMean - old.centre) / (old.spread * (1 / Double(newer.count) + 1 / Double(old.kept)).squareRoot())
            let p = min(
                1, 2 * WindowStatistics.studentUpperTail(abs(t), degrees: Double(old.kept - 1)) * Double(lengths.count))
            guard p < level else { continue }
            if best == nil || abs(t) > best!.strength {
                best = (Found(length: length, change: change, p: p), abs(t))
            }
        }
        return best?.found
    }
}
