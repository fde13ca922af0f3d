import RedlineModel
import RedlineJSON

/// autocannon's `--json` result (one line on stdout), in the shared load-testing names
/// (`LoadMetric`): `latency` (ms) → `latency mean`, `min`, `p50`, `p90`, `p97.5`, `p99`, `p99.9`,
/// `max`; `requests.total` → `requests`; the mean of `requests` (responses per `sampleInt`) and of
/// `throughput` (bytes per `sampleInt`) → `throughput` (req/s) and `transfer` (B/s); `errors`
/// (connection errors, timeouts included) plus the `4xx` and `5xx` responses → `errors`, over the
/// responses plus the connection errors → `error rate`. Documentation-derived: autocannon is not
/// installable here.
enum Autocannon: MetricsFormat {
    static let name = "autocannon"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    /// autocannon's latency percentile keys (`p97_5` is 97.5%) that are read.
    static let percentiles: [(key: String, fraction: Double)] = [
        ("p50", 0.5), ("p90", 0.9), ("p97_5", 0.975), ("p99", 0.99), ("p99_9", 0.999),
    ]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root, let latency = root["latency"] else { return .none }
        return latency["p97_5"] != nil && root["requests"]?["sent"] != nil && root["non2xx"] != nil ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let root = try input.rootObject("autocannon's result", needed: "autocannon's result must be an object")
        var collector = MetricCollector(source: input.source)
        let (latency, requests, throughput) = (
            try root.object("latency"), try root.object("requests"), try root.object("throughput")
        )
        // `requests` and `throughput` are per sample interval: per second at the default 1000 ms.
        let perSecond = 1000 / (try root.optionalNumber("sampleInt") ?? 1000)
        let responses = try requests.number("total")
        if responses > 0 {
            try collector.addLatencies(from: latency, percentiles: percentiles, unit: Unit("ms"))
        }
        try collector.add(.throughput, try requests.number("mean") * perSecond, at: requests.node.offset)
        try collector.add(
            .transfer, try throughput.number("mean") * perSecond, unit: Unit("B/s"), at: throughput.node.offset)
        let connectionErrors = try root.number("errors")
        let failedResponses = try root.number("4xx") + (try root.number("5xx"))
        try collector.addCounts(
            requests: responses, errors: connectionErrors + failedResponses, attempts: responses + connectionErrors,
            at: requests.node.offset)
        return collector.result(Self.name)
    }
}
