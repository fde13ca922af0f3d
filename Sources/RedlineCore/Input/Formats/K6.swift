import RedlineModel
import RedlineJSON

/// k6's end-of-test summary as JSON: the legacy `--summary-export` file, the `handleSummary` data
/// object and the opt-in machine-readable summary (`--new-machine-readable-summary`). Every numeric
/// statistic of every metric becomes `METRIC STAT`, in k6's own names: `http_req_duration p(95)`,
/// `http_reqs rate`, `checks passes`; a submetric (`http_req_duration{expected_response:true}`)
/// measures what its parent does, in its unit. Trends that contain time are in ms, data metrics
/// in B (their rate in B/s), counters' rates per second; a rate metric's `rate` (`value` in the
/// legacy export) stays k6's ratio 0–1, without a unit.
///
/// A rate counts the samples that are true: `passes` of `http_req_failed` are failed requests
/// (lower is better, its `fails` higher), `passes` of `checks` are passed checks (higher, its rate
/// too). `http_reqs` and `iterations` counts are higher-is-better (more done in the run);
/// `dropped_iterations` lower; everything else has its unit's default. Thresholds are not metrics:
/// their outcomes become notes.
enum K6: MetricsFormat {
    static let name = "k6"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    /// Statistic keys k6 writes, for detection.
    static let statistics: Set<String> = [
        "avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "count", "rate", "passes", "fails",
    ]
    /// Built-in trend metrics measured in milliseconds, for the legacy export, which does not say
    /// what a metric contains (handleSummary data does, and its `contains` decides): every trend of
    /// time that k6 registers (metrics/builtin.go: HTTP, iterations, groups, WebSockets, gRPC) and
    /// that its browser module does (k6ext/metrics.go: the web vitals, the browser's HTTP timings,
    /// and the page events of its first versions). `browser_web_vital_cls` is a score, no time.
    static let timeTrends: Set<String> = [
        "http_req_duration", "http_req_blocked", "http_req_connecting", "http_req_tls_handshaking", "http_req_sending",
        "http_req_waiting", "http_req_receiving", "iteration_duration", "group_duration", "ws_session_duration",
        "ws_connecting", "ws_ping", "grpc_req_duration",
        "browser_web_vital_lcp", "browser_web_vital_fcp", "browser_web_vital_ttfb", "browser_web_vital_inp",
        "browser_web_vital_fid",
        "browser_http_req_duration", "browser_http_req_blocked", "browser_http_req_connecting",
        "browser_http_req_tls_handshaking",
        "browser_http_req_sending", "browser_http_req_waiting", "browser_http_req_receiving",
        "browser_dom_content_loaded", "browser_first_paint", "browser_first_contentful_paint",
        "browser_first_meaningful_paint",
        "browser_loaded",
    ]
    /// Built-in counters of bytes (k6's and its browser module's).
    static let dataCounters: Set<String> = ["data_received", "data_sent", "browser_data_received", "browser_data_sent"]
    /// Rate metrics whose true samples are bad (`http_req_failed` is 1 for a failed request).
    static let ratesOfFailures: Set<String> = ["http_req_failed", "browser_http_req_failed"]
    /// Rate metrics whose true samples are good.
    static let ratesOfSuccesses: Set<String> = ["checks"]
    /// Counters of work done, more of which is better.
    static let countersOfWork: Set<String> = ["http_reqs", "iterations", "browser_http_reqs"]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root else { return .none }
        if root["metadata"]?["k6Version"] != nil, root["results"]?["metrics"]?.elements != nil { return .strong }
        guard let metrics = root["metrics"]?.members, !metrics.isEmpty else { return .none }
        if root["root_group"] != nil { return .strong }
        return metrics.allSatisfy { metric in
            guard let keys = metric.node.members?.map(\.key) else { return false }
            return (keys.contains("type") && keys.contains("values")) || keys.contains { statistics.contains($0) }
        } ? .strong : .none
    }

    /// What a k6 metric holds, from its declaration or, in the legacy export, its name.
    struct Kind {
        var type: String?
        var contains: String?
        /// The metric's name without a submetric's `{…}`.
        var base: String

        init(name: String, type: String?, contains: String?) {
            base = String(name.prefix { $0 != "{" })
            self.type = type
            self.contains =
                contains ?? (timeTrends.contains(base) ? "time" : dataCounters.contains(base) ? "data" : nil)
        }

        /// The unit and direction of the statistic `key` (k6's own key: `p(95)`, `rate`, `passes`).
        func describe(_ key: String, hasPasses: Bool) -> (unit: Unit?, direction: Direction?) {
            let isRate =
                type == "rate" || ((type == nil) && hasPasses) || ratesOfFailures.contains(base)
                || ratesOfSuccesses.contains(base)
            switch key {
            case "rate" where isRate, "value" where isRate:
                return (nil, ratesOfSuccesses.contains(base) ? .higher : ratesOfFailures.contains(base) ? .lower : nil)
            case "passes", "fails", "matches", "total":
                let good =
                    ratesOfSuccesses.contains(base)
                    ? key != "fails" : ratesOfFailures.contains(base) ? key == "fails" : false
                return (Unit("count"), good ? .higher : nil)
            case "rate":
                return (Unit(contains == "data" ? "B/s" : "/s"), base == "dropped_iterations" ? .lower : nil)
            case "count":
                return (contains == "data" ? Unit("B") : Unit("count"), countersOfWork.contains(base) ? .higher : nil)
            default:
                return (contains == "time" ? Unit("ms") : contains == "data" ? Unit("B") : nil, nil)
            }
        }
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        var collector = MetricCollector(source: source)
        if let root = input.root, root["results"]?["metrics"]?.elements != nil {
            // The machine-readable summary: an array of {name, type, contains, values}; no thresholds.
            for metric in try ToolJSON(source).array(root["results"]?["metrics"], "`results.metrics`", in: root) {
                guard let name = metric["name"]?.string else {
                    throw RedlineError(source, at: metric.offset, "a k6 metric of `results.metrics` has no `name`")
                }
                try add(
                    name, kind: Kind(name: name, type: metric["type"]?.string, contains: metric["contains"]?.string),
                    statistics: metric["values"], at: metric, to: &collector)
            }
            return collector.result(Self.name)
        }
        let metrics = try input.object("metrics", needed: "a k6 summary needs a `metrics` object")
        for metric in metrics {
            // handleSummary data nests the statistics under `values` and says what they contain.
            let kind = Kind(
                name: metric.key, type: metric.node["type"]?.string, contains: metric.node["contains"]?.string)
            try add(
                metric.key, kind: kind, statistics: metric.node["values"] ?? metric.node, at: metric.node,
                to: &collector)
            for threshold in metric.node["thresholds"]?.members ?? [] {
                // handleSummary: {"ok": false} failed; the legacy export: true failed (it says whether it was crossed).
                let failed = threshold.node["ok"].map { !$0.value.isTrue } ?? threshold.node.value.isTrue
                collector.note(
                    "k6 threshold \"\(threshold.key)\" of \(metric.key) \(failed ? "failed" : "passed")"
                )
            }
        }
        return collector.result(Self.name)
    }

    /// Adds every numeric statistic of one metric as `METRIC STAT`.
    static func add(
        _ name: String, kind: Kind, statistics: JSONNode?, at node: JSONNode, to collector: inout MetricCollector
    ) throws {
        guard let stats = statistics?.members else {
            throw RedlineError(collector.source, at: node.offset, "k6 metric \"\(name)\" has no statistics object")
        }
        let hasPasses = stats.contains { $0.key == "passes" }
        for stat in stats {
            // An object (summary-export's `thresholds`), a boolean or null is not a statistic; a
            // string is a statistic that is not a number, refused rather than dropped.
            if stat.node.string != nil {
                _ = try JSONNumbers.number(
                    stat.node, source: collector.source, what: "`\(stat.key)` of k6 metric \"\(name)\"")
            }
            guard let value = stat.node.number else { continue }
            let (unit, direction) = kind.describe(stat.key, hasPasses: hasPasses)
            try collector.add("\(name) \(stat.key)", value: value, unit: unit, direction: direction, at: stat.keyOffset)
        }
    }
}
