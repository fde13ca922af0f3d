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
    static let percentiles = [("p50", 0.5), ("p90", 0.9), ("p97_5", 0.975), ("p99", 0.99), ("p99_9", 0.999)]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root, let latency = root["latency"] else { return .none }
        return latency["p97_5"] != nil && root["requests"]?["sent"] != nil && root["non2xx"] != nil ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let json = ToolJSON(source)
        guard let root = input.root, root.members != nil else {
            throw RedlineError(source, at: input.root?.offset ?? 0, "autocannon's result must be an object")
        }
        var collector = MetricCollector(source: source)
        func part(_ key: String) throws -> JSONNode {
            _ = try json.object(root[key], "`\(key)`", in: root)
            return root[key]!
        }
        let (latency, requests, throughput) = (try part("latency"), try part("requests"), try part("throughput"))
        // `requests` and `throughput` are per sample interval: per second at the default 1000 ms.
        let perSecond = 1000 / (try json.optionalNumber(root, "sampleInt", of: "autocannon's result") ?? 1000)
        let responses = try json.number(requests, "total", of: "`requests`")
        if responses > 0 {
            try collector.addLatencies(
                mean: try json.number(latency, "mean", of: "`latency`"),
                min: try json.number(latency, "min", of: "`latency`"),
                max: try json.number(latency, "max", of: "`latency`"),
                percentiles: try percentiles.map { key, fraction in
                    (fraction, try json.number(latency, key, of: "`latency`"))
                },
                unit: Unit("ms"), at: latency.offset)
        }
        try collector.add(
            .throughput, try json.number(requests, "mean", of: "`requests`") * perSecond, at: requests.offset)
        try collector.add(
            .transfer, try json.number(throughput, "mean", of: "`throughput`") * perSecond, unit: Unit("B/s"),
            at: throughput.offset)
        let connectionErrors = try json.number(root, "errors", of: "autocannon's result")
        let failedResponses =
            try json.number(root, "4xx", of: "autocannon's result")
            + (try json.number(root, "5xx", of: "autocannon's result"))
        try collector.addCounts(
            requests: responses, errors: connectionErrors + failedResponses, attempts: responses + connectionErrors,
            at: requests.offset)
        return collector.result(Self.name)
    }
}
