import RedlineModel
import RedlineJSON

/// Gatling's `js/global_stats.json` and `js/stats.json` (written up to Gatling 3.13.4), in the
/// shared load-testing names (`LoadMetric`), times in ms: the whole run ("All Requests") →
/// `requests`, `errors` (KO), `error rate`, `throughput` (mean requests per second), `latency mean`,
/// `min`, `max` and `percentiles1` … `percentiles4` as `latency p50`, `p75`, `p95`, `p99` (Gatling's
/// default ranks: the file does not record them, a note says so). `stats.json` adds every request
/// by its path: `Checkout flow / pay latency p95`; groups themselves are not read (their times
/// are cumulated over their requests). Documentation-derived: Gatling is not installable here.
enum Gatling: MetricsFormat {
    static let name = "gatling"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    static let percentiles = [
        ("percentiles1", 0.5), ("percentiles2", 0.75), ("percentiles3", 0.95), ("percentiles4", 0.99),
    ]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root else { return .none }
        let global = root["numberOfRequests"]?["ko"] != nil && root["meanNumberOfRequestsPerSecond"] != nil
        let tree =
            root["type"]?.string == "GROUP" && root["stats"]?["numberOfRequests"] != nil && root["contents"] != nil
        return global || tree ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let root = try input.rootObject("Gatling's statistics", needed: "Gatling's statistics must be an object").node
        var collector = MetricCollector(source: source)
        if root["contents"] != nil, let stats = root["stats"] {
            try add(stats, endpoint: nil, to: &collector)
            try addRequests(of: root, to: &collector)
        } else {
            try add(root, endpoint: nil, to: &collector)
        }
        collector.note(
            "Gatling's percentiles1 to percentiles4 are read as p50, p75, p95 and p99, its default ranks; the file does not record them"
        )
        return collector.result(Self.name)
    }

    /// Every request node under `group`, depth first, by its path.
    static func addRequests(of group: JSONNode, to collector: inout MetricCollector) throws {
        for member in group["contents"]?.members ?? [] {
            let node = member.node
            if node["type"]?.string == "REQUEST", let stats = node["stats"] {
                let path = node["path"]?.string ?? node["name"]?.string ?? member.key
                try add(stats, endpoint: path, to: &collector)
            } else {
                try addRequests(of: node, to: &collector)
            }
        }
    }

    /// One statistics object: `{"numberOfRequests": {"total", "ok", "ko"}, "meanResponseTime": {…}, …}`.
    static func add(_ stats: JSONNode, endpoint: String?, to collector: inout MetricCollector) throws {
        let source = collector.source
        let what = endpoint.map { "Gatling's statistics of \"\($0)\"" } ?? "Gatling's statistics"
        /// The `total` of `key`: a number, or a string of one in older files; nil for Gatling's `-` (no value).
        func total(_ key: String, _ part: String = "total") throws -> Double? {
            guard let node = stats[key] else {
                throw RedlineError(
                    source, at: stats.offset, "\(what) has no `\(key)`", hint: "the file may be truncated")
            }
            guard let value = node[part] else {
                throw RedlineError(source, at: node.offset, "`\(key)` of \(what) has no `\(part)`")
            }
            if let number = value.number { return number }
            if let text = value.string {
                if text == "-" { return nil }
                if let number = ToolNumber.parse(text) { return number }
            }
            throw JSONNumbers.notANumber(
                source, at: value.offset, what: "`\(key).\(part)` of \(what)", got: JSONNumbers.describe(value))
        }
        let requests = try total("numberOfRequests") ?? 0
        try collector.addCounts(
            requests: requests, errors: try total("numberOfRequests", "ko") ?? 0, endpoint: endpoint, at: stats.offset)
        if let throughput = try total("meanNumberOfRequestsPerSecond") {
            try collector.add(.throughput, throughput, endpoint: endpoint, at: stats.offset)
        }
        // Without requests Gatling writes 0 (or `-`) for every time: nothing to read.
        guard requests > 0, let mean = try total("meanResponseTime"), let min = try total("minResponseTime"),
            let max = try total("maxResponseTime")
        else { return }
        let values = try percentiles.compactMap { key, fraction in try total(key).map { (fraction, $0) } }
        try collector.addLatencies(
            mean: mean, min: min, max: max, percentiles: values, unit: Unit("ms"), endpoint: endpoint, at: stats.offset)
    }
}
