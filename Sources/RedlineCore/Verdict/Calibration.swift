import RedlineModel
import RedlineJSON
import RedlinePolicy
import RedlineHistory

/// What several runs of the same code (A/A runs) say about one metric's noise, and the
/// thresholds that would have kept every pair of those runs quiet.
public struct NoiseReport: Sendable, Equatable {
    /// The metric.
    public var name: String
    /// Its unit, as the first run gave it.
    public var unit: Unit?
    /// Its direction.
    public var direction: Direction
    /// How many runs had it.
    public var runs: Int
    /// The median of the runs' values.
    public var median: Double
    /// Robust coefficient of variation: 1.4826 × MAD / median of the runs' values (and of the
    /// pooled samples when every run has samples, whichever is larger).
    public var robustCV: Double
    /// The largest worsening between any two runs, as redline would compute it.
    public var largestChange: Double
    /// The largest absolute worsening between any two runs, in `unit`.
    public var largestDelta: Double
    /// Suggested `maxRegression`: the largest change with a 25% margin, rounded up to a whole percent.
    public var maxRegression: Double
    /// Suggested `minDelta`: the largest absolute worsening with a 25% margin, two significant digits.
    public var minDelta: Double
    /// Whether the metric is too noisy to gate usefully (robust CV over 10%, or a suggested
    /// threshold over 25%).
    public var isTooNoisy: Bool
}

/// `redline calibrate`: measure noise from A/A runs and suggest thresholds.
public enum Calibration {
    /// Metrics noisier than this robust CV are flagged.
    public static let noisyCV = 0.10
    /// Suggested thresholds over this are flagged.
    public static let noisyThreshold = 0.25

    /// One report per metric found in at least two runs, sorted by name; names found in only one
    /// run are returned separately.
    public static func calibrate(runs: [MetricSet]) throws -> (reports: [NoiseReport], incomplete: [String]) {
        var names = Set<String>()
        for run in runs { names.formUnion(run.metrics.map(\.name)) }
        var reports: [NoiseReport] = []
        var incomplete: [String] = []
        for name in names.sorted() {
            let metrics = runs.compactMap { $0[name] }
            guard metrics.count >= 2 else {
                incomplete.append(name)
                continue
            }
            reports.append(try report(name: name, metrics: metrics))
        }
        return (reports, incomplete)
    }

    static func report(name: String, metrics: [Metric]) throws -> NoiseReport {
        let unit = metrics[0].unit
        // Every run in the first run's unit.
        let converted = try metrics.map { metric -> Metric in
            guard let from = metric.unit, let to = unit, from.symbol != to.symbol else { return metric }
            guard let value = from.convert(metric.value, to: to) else {
                throw RedlineError(
                    file: "", message: "metric \"\(name)\" is in \(to.symbol) in one run and \(from.symbol) in another",
                    hint: "A/A runs must measure the same thing")
            }
            var copy = metric
            copy.value = value
            copy.samples = metric.samples?.map { from.convert($0, to: to) ?? $0 }
            copy.unit = to
            return copy
        }
        let direction = metrics[0].effectiveDirection
        var largestChange = 0.0
        var largestDelta = 0.0
        let memo = Statistics.Memo()
        for (i, baseline) in converted.enumerated() {
            for (j, current) in converted.enumerated() where i != j {
                let comparison = Judge.compare(
                    baseline: baseline.centre, baselineSamples: baseline.samples,
                    current: current.centre, currentSamples: current.samples,
                    direction: direction, alpha: PolicyDefaults().alpha, memo: memo)
                if let change = comparison.change { largestChange = max(largestChange, change) }
                largestDelta = max(largestDelta, comparison.worsening)
            }
        }
        let values = converted.map(\.centre)
        let median = Metric.median(values) ?? 0
        var cv = robustCV(values)
        if converted.allSatisfy({ ($0.samples?.count ?? 0) >= 2 }) {
            cv = max(cv, robustCV(converted.flatMap { $0.samples ?? [] }))
        }
        let maxRegression = max(0.01, (largestChange * 1.25 * 100).rounded(.up) / 100)
        return NoiseReport(
            name: name, unit: unit, direction: direction, runs: metrics.count, median: median, robustCV: cv,
            largestChange: largestChange, largestDelta: largestDelta, maxRegression: maxRegression,
            minDelta: roundUp(largestDelta * 1.25),
            isTooNoisy: cv > noisyCV || maxRegression > noisyThreshold)
    }

    /// 1.4826 × median absolute deviation / |median|; 0 when the median is 0.
    public static func robustCV(_ values: [Double]) -> Double {
        guard let median = Metric.median(values), median != 0 else { return 0 }
        let deviation = Metric.median(values.map { abs($0 - median) }) ?? 0
        return 1.4826 * deviation / abs(median)
    }

    /// `value` rounded up to two significant digits (0 stays 0).
    static func roundUp(_ value: Double) -> Double {
        guard value > 0 else { return 0 }
        // A power of ten one digit below the value's first, so that two digits are kept.
        let exponent = Int(CLibrary.decimalLogarithm(value).rounded(.down)) - 1
        var scale = 1.0
        for _ in 0..<abs(exponent) { scale *= 10 }
        if exponent < 0 { scale = 1 / scale }
        return (value / scale).rounded(.up) * scale
    }

    /// The budgets.json fragment with the suggested thresholds, to review and merge.
    public static func fragment(_ reports: [NoiseReport]) -> String {
        let rules = reports.map { report -> JSONOutputMember in
            var members: [JSONOutputMember] = [.init("maxRegression", .string(Percentage.text(report.maxRegression)))]
            if report.minDelta > 0 {
                let amount = JSONWriter.number(Double(CFormat.string("%.2g", report.minDelta)) ?? report.minDelta)
                members.append(.init("minDelta", .string(amount + (report.unit.map { " " + $0.symbol } ?? ""))))
            }
            return .init(report.name, .object(members, inline: true))
        }
        return JSONWriter.write(.object([.init("schema", .string(Schema.budgets)), .init("metrics", .object(rules))]))
    }
}
