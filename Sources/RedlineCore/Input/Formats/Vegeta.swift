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

    static let percentiles: [(key: String, fraction: Double)] = [
        ("50th", 0.5), ("90th", 0.9), ("95th", 0.95), ("99th", 0.99),
    ]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root else { return .none }
        return root["latencies"]?["50th"] != nil && root["status_codes"] != nil && root["bytes_in"] != nil
            ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let root = try input.rootObject("vegeta's report", needed: "vegeta's JSON report must be an object")
        var collector = MetricCollector(source: input.source)
        let requests = try root.number("requests")
        var errors = 0.0
        for code in try root.object("status_codes").node.members ?? [] {
            let count = try root.json.count(code.node, what: "the count of status \(code.key)")
            // vegeta's success is a code in [200, 400); 0 is a request without a response.
            if !(200..<400).contains(Int(code.key) ?? 0) { errors += count }
        }
        if requests > 0 {
            try collector.addLatencies(from: try root.object("latencies"), percentiles: percentiles, unit: Unit("ns"))
        }
        try collector.add(.throughput, try root.number("throughput"), at: root.offset(of: "throughput"))
        try collector.addCounts(requests: requests, errors: errors, at: root.offset(of: "requests"))
        return collector.result(Self.name)
    }
}
