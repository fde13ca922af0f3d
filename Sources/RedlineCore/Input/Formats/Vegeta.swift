import RedlineModel
import RedlineJSON

/// vegeta's `report -type=json`, in the shared load-testing names (`LoadMetric`): `latencies`
/// (integer ns, vegeta's t-digest percentiles) → `latency mean`, `min`, `p50`, `p90`, `p95`, `p99`,
/// `max` in ns; `requests`; `throughput` (vegeta's successful requests per second, not its sent
/// `rate`); the responses outside 200–399 and the requests without one (code 0) in `status_codes`
/// → `errors` and `error rate`. Documentation-derived: vegeta is not installable here.
enum Vegeta: MetricsFormat {
    static let name = "vegeta"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    static let percentiles = [("50th", 0.5), ("90th", 0.9), ("95th", 0.95), ("99th", 0.99)]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root else { return .none }
        return root["latencies"]?["50th"] != nil && root["status_codes"] != nil && root["bytes_in"] != nil
            ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let json = ToolJSON(source)
        guard let root = input.root, root.members != nil else {
            throw RedlineError(source, at: input.root?.offset ?? 0, "vegeta's JSON report must be an object")
        }
        var collector = MetricCollector(source: source)
        let what = "vegeta's report"
        let requests = try json.number(root, "requests", of: what)
        let codes = try json.object(root["status_codes"], "`status_codes`", in: root)
        var errors = 0.0
        for code in codes {
            let count = try json.count(code.node, what: "the count of status \(code.key)")
            // vegeta's success is a code in [200, 400); 0 is a request without a response.
            if !(200..<400).contains(Int(code.key) ?? 0) { errors += count }
        }
        if requests > 0 {
            _ = try json.object(root["latencies"], "`latencies`", in: root)
            let latencies = root["latencies"]!
            try collector.addLatencies(
                mean: try json.number(latencies, "mean", of: "`latencies`"),
                min: try json.number(latencies, "min", of: "`latencies`"),
                max: try json.number(latencies, "max", of: "`latencies`"),
                percentiles: try percentiles.map { key, fraction in
                    (fraction, try json.number(latencies, key, of: "`latencies`"))
                },
                unit: Unit("ns"), at: latencies.offset)
        }
        try collector.add(.throughput, try json.number(root, "throughput", of: what), at: root["throughput"]!.offset)
        try collector.addCounts(requests: requests, errors: errors, at: root["requests"]!.offset)
        return collector.result(Self.name)
    }
}
