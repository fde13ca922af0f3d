import RedlineModel
import RedlineJSON
import RedlinePolicy
import RedlineHistory

/// A shift of the whole run: most independent measurements moved the same way by about the same
/// amount, as on a slower (or faster) machine, or after a change that touches everything. It is a
/// finding beside the verdicts, never instead of them: it changes no verdict, hides no failing
/// metric, and says which explanation the evidence favours and why.
public struct RunShift: Sendable, Equatable {
    /// The median change of the measurements, positive when worse (+0.18: the run is 18% worse).
    public var change: Double
    /// How much the measurements' changes differ around it: 1.4826 × their median absolute deviation.
    public var spread: Double
    /// How many independent measurements had a change to compare (several statistics of one
    /// distribution, such as a latency's p50, p95 and mean, are one measurement).
    public var metrics: Int
    /// How many moved the same way as the median.
    public var agreeing: Int
    /// Metrics whose verdict goes the shift's way (regressed on a worse run, improved on a better
    /// one) by no more than their threshold beyond the shift: the shift explains them. Sorted.
    public var explained: [String]
    /// Which explanation the evidence favours.
    public var cause: Cause = .either
    /// How far the baseline's runs moved together before (one standard deviation of the run-wide
    /// factor, relative: 0.03 is ±3%), when the baseline's window was long enough to tell.
    public var machineSpread: Double?
    /// Whether the run was an interleaved A/B run (`redline ab`): both sides of every pair ran on
    /// this runner one after the other, so the machine cancels and the shift is the change.
    public var measuredInPairs = false

    /// What most likely moved the whole run.
    public enum Cause: String, Sendable, Equatable {
        /// A real change: the shift is far beyond how the baseline's runs moved together, or the
        /// metrics are one load test's, whose statistics all move when the service gets slower.
        case change
        /// The machine: the shift is within how the baseline's runs moved together before.
        case machine
        /// Nothing tells them apart (no window to compare with, a benchmark suite).
        case either
    }

    /// The fewest independent measurements with a change for a run-wide shift to be told apart from chance.
    public static let minimumMetrics = 8
    /// The share of measurements that must move the same way (a sign test at p ≈ 0.02 for 20 of them).
    public static let agreement = 0.75
    /// A shift this many of the machine's standard deviations away is not the machine.
    public static let machineLimit = 4.0

    /// The shift of a run, when there is one: at least `minimumMetrics` independent measurements
    /// with a change, three quarters of them moving the same way, a median change of at least half
    /// the default threshold (smaller shifts fail no metric on their own), and a spread of the
    /// changes at most half the median change. A measurement's change is the median of its
    /// statistics' changes (`MetricNames.measurement(of:)` groups them, by
    /// the tool's name of a metric a rule took with `from`).
    ///
    /// `machineVariance` gives the variance of the run-wide factor in the baseline's window (see
    /// `WindowStatistics.machineVariance`; asked only when there is a shift); `fromLoadTest` says
    /// the metrics come from a load test or a service's telemetry rather than from a benchmark
    /// suite. Together they decide `cause`.
    public static func find(
        in metrics: [MetricJudgement], maxRegression: Double,
        machineVariance: () -> Double? = { nil }, fromLoadTest: Bool = false
    ) -> RunShift? {
        var groups: [Substring: [Double]] = [:]
        for metric in metrics where metric.verdict != .new && metric.verdict != .missing {
            guard let change = metric.change else { continue }
            groups[MetricNames.measurement(of: metric.source ?? metric.name), default: []].append(change)
        }
        let changes = groups.values.compactMap(Metric.median)
        guard changes.count >= minimumMetrics, let median = Metric.median(changes) else { return nil }
        let agreeing = changes.filter { median > 0 ? $0 > 0 : $0 < 0 }.count
        let spread = WindowStatistics.robustSpread(changes)
        // Together: most the same way, by about the same amount (a spread under half the shift;
        // half the metrics regressed and half not is two groups, not a shift of the run).
        guard Double(agreeing) >= agreement * Double(changes.count), abs(median) >= maxRegression / 2, median > -1,
            spread <= abs(median) / 2
        else {
            return nil
        }
        let explained = metrics.filter { metric in
            guard let change = metric.change,
                metric.verdict == (median > 0 ? .regressed : .improved)
            else { return false }
            return abs((1 + change) / (1 + median) - 1) <= metric.rule.maxRegression
        }.map(\.name)
        var shift = RunShift(
            change: median, spread: spread, metrics: changes.count, agreeing: agreeing, explained: explained)
        shift.decideCause(machineVariance: machineVariance(), fromLoadTest: fromLoadTest)
        return shift
    }

    /// Sets `cause` and `machineSpread`: against the machine's own run-to-run factor when the
    /// baseline's window gives one, else by where the metrics come from.
    mutating func decideCause(machineVariance: Double?, fromLoadTest: Bool) {
        if let machineVariance, machineVariance.isFinite, machineVariance >= 0 {
            let machine = machineVariance.squareRoot()
            machineSpread = machine
            cause = abs(CLibrary.logarithm(1 + change)) > RunShift.machineLimit * machine ? .change : .machine
        } else {
            cause = fromLoadTest ? .change : .either
        }
    }

    /// Whether the shift explains the metric called `name`.
    public func explains(_ name: String) -> Bool {
        var (low, high) = (0, explained.count)
        while low < high {
            let middle = (low + high) / 2
            if explained[middle] == name { return true }
            if explained[middle] < name { low = middle + 1 } else { high = middle }
        }
        return false
    }
}

/// What `check --rerun` did: how many runs of the current side were used, and which metrics
/// each rerun settled (suspects before it that were not suspects after it).
public struct RerunRecord: Sendable, Equatable {
    /// Runs used, the first one included.
    public var used: Int
    /// The most runs allowed (`--max-runs`).
    public var limit: Int
    /// For each rerun, in order: the metrics it settled, sorted.
    public var settled: [[String]]
    /// The suspects left after the last run (none when the reruns settled everything).
    public var remaining: [String]

    /// Creates a record.
    public init(used: Int, limit: Int, settled: [[String]], remaining: [String]) {
        (self.used, self.limit, self.settled, self.remaining) = (used, limit, settled, remaining)
    }
}
