/// k6's end-of-test summary as JSON: the legacy `--summary-export` file and the
/// `handleSummary` data object. Every numeric statistic of every metric becomes `METRIC STAT`:
/// `http_req_duration p(95)`, `http_reqs rate`, `checks passes`. Trends that contain time are
/// in ms, data metrics in B (their rate in B/s); rates per second and `checks` are
/// higher-is-better, everything else lower-is-better unless budgets.json says otherwise.
enum K6: MetricsFormat {
    static let name = "k6"
    static let syntax = FormatSyntax.json

    /// Statistic keys k6 writes, for detection.
    static let statistics: Set<String> = ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "count", "rate", "passes", "fails"]
    /// Built-in trend metrics measured in milliseconds (the legacy export does not say).
    static let timeTrends: Set<String> = [
        "http_req_duration", "http_req_blocked", "http_req_connecting", "http_req_tls_handshaking", "http_req_sending",
        "http_req_waiting", "http_req_receiving", "iteration_duration", "group_duration", "ws_session_duration",
        "ws_connecting", "ws_ping", "grpc_req_duration", "browser_web_vital_lcp", "browser_web_vital_fcp",
    ]

    /// Metrics of which more is worse, whatever the statistic (their `rate` included).
    static let worseWhenMore: Set<String> = ["dropped_iterations", "http_req_failed"]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root, let metrics = root["metrics"]?.members, !metrics.isEmpty else { return .none }
        if root["root_group"] != nil { return .strong }
        return metrics.allSatisfy { metric in
            guard let keys = metric.node.members?.map(\.key) else { return false }
            return (keys.contains("type") && keys.contains("values")) || keys.contains { statistics.contains($0) }
        } ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let metrics = try input.object("metrics", needed: "a k6 summary needs a `metrics` object")
        var collector = MetricCollector(source: source)
        for metric in metrics {
            // handleSummary data nests the statistics under `values` and says what they contain.
            let values = metric.node["values"] ?? metric.node
            guard let stats = values.members else {
                throw RedlineError(source, at: metric.node.offset, "k6 metric \"\(metric.key)\" has no statistics object")
            }
            let contains = metric.node["contains"]?.string
            // A submetric (`http_req_duration{expected_response:true}`) measures what its parent does.
            let base = String(metric.key.prefix { $0 != "{" })
            let isTime = contains == "time" || (contains == nil && timeTrends.contains(base))
            let isData = contains == "data" || (contains == nil && (base == "data_received" || base == "data_sent"))
            for stat in stats {
                guard let value = stat.node.number else { continue }
                let unit: Unit?
                var direction: Direction?
                switch stat.key {
                case "rate" where metric.node["type"]?.string == "rate" || base == "checks" || stat.node.number ?? 0 <= 1 && stats.contains { $0.key == "passes" }:
                    unit = nil
                case "rate":
                    unit = Unit(isData ? "B/s" : "/s")
                case "count":
                    unit = isData ? Unit("B") : Unit("count")
                case "passes", "fails":
                    unit = Unit("count")
                default:
                    unit = isTime ? Unit("ms") : isData ? Unit("B") : nil
                }
                if base == "checks" && (stat.key == "rate" || stat.key == "value" || stat.key == "passes") {
                    direction = .higher
                }
                // More dropped iterations or failed requests is worse, per second as in all.
                if worseWhenMore.contains(base) { direction = .lower }
                try collector.add("\(metric.key) \(stat.key)", value: value, unit: unit, direction: direction, at: stat.keyOffset)
            }
        }
        return collector.result(Self.name)
    }
}
