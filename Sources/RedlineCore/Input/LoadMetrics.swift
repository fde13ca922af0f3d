import RedlineModel
import RedlineJSON

/// The names every load generator that measures one target shares (wrk, ab, hey, siege,
/// autocannon, vegeta, and the whole run of Locust, JMeter and Gatling), so that a budget written
/// for one tool reads the next:
///
/// `latency mean`, `latency min`, `latency p50` … `latency p99`, `latency max` (in the time unit
/// the tool writes, lower), `throughput` (req/s, higher), `requests` (count, higher: more done in
/// the same time), `errors` (count, lower), `error rate` (%, lower), `transfer` (a rate of bytes,
/// higher), `availability` (%, higher). A tool's per-endpoint figures prefix the endpoint:
/// `GET /users latency p95`.
///
/// Latencies are read or computed as the tool's summary statistics, never kept as samples: the
/// latencies of one run are not independent repetitions of the benchmark, and a rank test over
/// thousands of them would call a trivial change significant.
enum LoadMetric {
    case latency(String)
    case throughput
    case requests
    case errors
    case errorRate
    case transfer
    case availability

    /// `latency pN` for the percentile `fraction` (0–1): `p50`, `p99.9`.
    static func percentile(_ fraction: Double) -> LoadMetric {
        .latency(percentileName(fraction))
    }

    /// `p50` for 0.5, `p99.9` for 0.999: the percentile's name, without the noise of binary fractions.
    static func percentileName(_ fraction: Double) -> String {
        "p" + JSONWriter.number((fraction * 100 * 1e9).rounded() / 1e9)
    }

    /// The metric's name, after the endpoint when there is one.
    func name(endpoint: String?) -> String {
        let word: String
        switch self {
        case .latency(let statistic): word = "latency " + statistic
        case .throughput: word = "throughput"
        case .requests: word = "requests"
        case .errors: word = "errors"
        case .errorRate: word = "error rate"
        case .transfer: word = "transfer"
        case .availability: word = "availability"
        }
        return endpoint.map { $0 + " " + word } ?? word
    }

    /// The unit when it is always the same (latencies and transfer take the tool's).
    var fixedUnit: Unit? {
        switch self {
        case .throughput: return Unit("req/s")
        case .requests, .errors: return Unit("count")
        case .errorRate, .availability: return Unit("%")
        case .latency, .transfer: return nil
        }
    }

    /// The direction where the unit's default (rates higher, the rest lower) is wrong.
    var direction: Direction? {
        switch self {
        case .requests, .availability: return .higher
        default: return nil
        }
    }
}

extension MetricCollector {
    /// Adds one metric of the shared load-testing names; `unit` is needed for latencies and transfer.
    mutating func add(_ metric: LoadMetric, _ value: Double, unit: Unit? = nil, endpoint: String? = nil, at offset: Int)
        throws
    {
        try add(
            metric.name(endpoint: endpoint), value: value, unit: unit ?? metric.fixedUnit, direction: metric.direction,
            at: offset)
    }

    /// Adds `requests`, `errors` and, when there were any, `error rate`: errors over `attempts` (the
    /// requests, unless the tool counts failures that are not among them), in %.
    mutating func addCounts(
        requests: Double, errors: Double, attempts: Double? = nil, endpoint: String? = nil, at offset: Int
    ) throws {
        try add(.requests, requests, endpoint: endpoint, at: offset)
        try add(.errors, errors, endpoint: endpoint, at: offset)
        let attempts = attempts ?? requests
        if attempts > 0 { try add(.errorRate, errors / attempts * 100, endpoint: endpoint, at: offset) }
    }

    /// Adds a latency summary: `latency mean`, `min`, each percentile (fraction 0–1 and value), `max`.
    mutating func addLatencies(
        mean: Double, min: Double, max: Double, percentiles: [(fraction: Double, value: Double)],
        unit: Unit, endpoint: String? = nil, at offset: Int
    ) throws {
        try add(.latency("mean"), mean, unit: unit, endpoint: endpoint, at: offset)
        try add(.latency("min"), min, unit: unit, endpoint: endpoint, at: offset)
        for (fraction, value) in percentiles {
            try add(.percentile(fraction), value, unit: unit, endpoint: endpoint, at: offset)
        }
        try add(.latency("max"), max, unit: unit, endpoint: endpoint, at: offset)
    }

    /// Adds the latency summary a tool wrote as one object (autocannon's `latency`, vegeta's
    /// `latencies`): `mean`, `min` and `max` under those keys, and each percentile under its key.
    mutating func addLatencies(
        from summary: ToolObject, percentiles: [(key: String, fraction: Double)], unit: Unit
    ) throws {
        try addLatencies(
            mean: try summary.number("mean"), min: try summary.number("min"), max: try summary.number("max"),
            percentiles: try percentiles.map { ($0.fraction, try summary.number($0.key)) },
            unit: unit, at: summary.node.offset)
    }

    /// Adds the latency summary of raw values, each percentile computed by `method` as the tool
    /// does; nothing when there are no values.
    mutating func addLatencies(
        of summary: LatencySummary, fractions: [Double], unit: Unit, endpoint: String? = nil, at offset: Int,
        method: (_ sorted: [Double], _ fraction: Double) -> Double
    ) throws {
        guard let first = summary.sorted.first, let last = summary.sorted.last else { return }
        try addLatencies(
            mean: summary.mean, min: first, max: last,
            percentiles: fractions.map { ($0, method(summary.sorted, $0)) }, unit: unit, endpoint: endpoint, at: offset)
    }
}

/// Raw latencies of one endpoint or run, summarised: sorted once, their mean kept.
struct LatencySummary {
    private(set) var sorted: [Double]
    let mean: Double

    init(_ values: [Double]) {
        sorted = values.sorted()
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
