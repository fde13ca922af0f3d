import RedlineModel
import RedlineJSON

/// Artillery's `run --output report.json`, its `aggregate` (the per-period `intermediate` entries
/// are not read), in Artillery's own metric names:
///
/// - v2: each summary `NAME` → `NAME min`, `max`, `mean`, `p50`, `p75`, `p90`, `p95`, `p99`, `p999`
///   (`http.response_time p95`, `plugins.metrics-by-endpoint.response_time./api/items p95`), in ms
///   for Artillery's timings (`http.response_time*`, `vusers.session_length`, `http.dns` …, the
///   per-endpoint response and server timings), without a unit for custom ones; each counter as
///   `NAME` (count, `http.downloaded_bytes` in B); each rate as `NAME` (/s, higher).
/// - v1 (Artillery 1.x): mapped onto the v2 names so that a baseline survives the upgrade:
///   `latency` → `http.response_time` (`median` as `p50`), `scenarioDuration` →
///   `vusers.session_length`, `rps.mean` → `http.request_rate`, `requestsCompleted` →
///   `http.responses`, `scenariosCreated`/`Completed` → `vusers.created`/`completed`, `codes` →
///   `http.codes.N`, `errors` → `errors.CODE`, `customStats` and `counters` by their names.
///
/// Counters of work done are higher-is-better (`http.requests`, `http.responses`,
/// `vusers.completed`, 2xx and 3xx codes, per endpoint too); the other counters (errors, 4xx, 5xx,
/// `vusers.failed`) lower. Documentation-derived: Artillery is not installable here.
enum Artillery: MetricsFormat {
    static let name = "artillery"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    static let statistics = ["min", "max", "mean", "p50", "p75", "p90", "p95", "p99", "p999"]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let aggregate = input.root?["aggregate"] else { return .none }
        let v2 = aggregate["counters"] != nil && (aggregate["summaries"] != nil || aggregate["histograms"] != nil)
        let v1 = aggregate["latency"] != nil && aggregate["rps"] != nil
        return v2 || v1 ? .strong : .none
    }

    /// Whether a summary of this name is one of Artillery's timings (ms).
    static func isTiming(_ name: String) -> Bool {
        name.hasPrefix("http.response_time") || name == "vusers.session_length"
            || ["http.dns", "http.tcp", "http.tls", "http.total"].contains(name)
            || name.hasPrefix("plugins.metrics-by-endpoint.response_time.")
            || name.hasPrefix("plugins.metrics-by-endpoint.server-timing.")
    }

    /// Whether more of this counter is better: requests and responses made, VUs completed, 2xx and 3xx codes.
    static func isWorkDone(_ name: String) -> Bool {
        if ["http.requests", "http.responses", "vusers.completed"].contains(name) { return true }
        // `http.codes.200`, `plugins.metrics-by-endpoint./api/items.codes.200`: the code is the last part.
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[parts.count - 2] == "codes", let first = parts[parts.count - 1].first else {
            return false
        }
        return first == "2" || first == "3"
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let json = ToolJSON(source)
        let needed = "an Artillery report needs an `aggregate` object"
        let root = try input.rootObject("an Artillery report", needed: needed)
        guard let aggregate = root["aggregate"], aggregate.members != nil else {
            throw RedlineError(source, at: root.node.offset, needed)
        }
        var collector = MetricCollector(source: source)
        func counter(_ name: String, _ node: JSONNode) throws {
            let unit = name.hasSuffix("downloaded_bytes") ? Unit("B") : Unit("count")
            try collector.add(
                name, value: try json.count(node, what: "counter \"\(name)\""), unit: unit,
                direction: isWorkDone(name) ? .higher : nil, at: node.offset)
        }
        func summary(_ name: String, _ node: JSONNode, keys: [(String, String)]) throws {
            for (key, statistic) in keys {
                guard let value = node[key] else { continue }
                if value.isNull {
                    collector.note("\(name) \(statistic) is null (no samples) and is left out")
                    continue
                }
                try collector.add(
                    "\(name) \(statistic)",
                    value: try JSONNumbers.number(value, source: source, what: "`\(key)` of \(name)"),
                    unit: isTiming(name) ? Unit("ms") : nil, at: value.offset)
            }
        }
        if aggregate["counters"] != nil && (aggregate["summaries"] ?? aggregate["histograms"]) != nil {
            for member in try json.object(
                aggregate["summaries"] ?? aggregate["histograms"], "`aggregate.summaries`", in: aggregate)
            {
                try summary(member.key, member.node, keys: statistics.map { ($0, $0) })
            }
            for member in try json.object(aggregate["counters"], "`aggregate.counters`", in: aggregate) {
                try counter(member.key, member.node)
            }
            for member in (try aggregate["rates"].map { try json.object($0, "`aggregate.rates`", in: aggregate) }) ?? []
            {
                try collector.add(
                    member.key,
                    value: try JSONNumbers.number(member.node, source: source, what: "rate \"\(member.key)\""),
                    unit: Unit("/s"), at: member.node.offset)
            }
            return collector.result(Self.name)
        }
        // Artillery 1.x, onto the names of 2.x.
        let v1Keys = [("min", "min"), ("max", "max"), ("median", "p50"), ("p95", "p95"), ("p99", "p99")]
        try summary(
            "http.response_time", try json.objectNode(aggregate["latency"], "`aggregate.latency`", in: aggregate),
            keys: v1Keys)
        if let duration = aggregate["scenarioDuration"] { try summary("vusers.session_length", duration, keys: v1Keys) }
        if let rate = aggregate["rps"]?["mean"] {
            try collector.add(
                "http.request_rate", value: try JSONNumbers.number(rate, source: source, what: "`rps.mean`"),
                unit: Unit("/s"), at: rate.offset)
        }
        for (key, name) in [
            ("requestsCompleted", "http.responses"), ("scenariosCreated", "vusers.created"),
            ("scenariosCompleted", "vusers.completed"),
        ] {
            if let node = aggregate[key] { try counter(name, node) }
        }
        for (key, prefix) in [("codes", "http.codes."), ("errors", "errors."), ("counters", "")] {
            for member in (try aggregate[key].map { try json.object($0, "`aggregate.\(key)`", in: aggregate) }) ?? [] {
                try counter(prefix + member.key, member.node)
            }
        }
        for member
            in (try aggregate["customStats"].map { try json.object($0, "`aggregate.customStats`", in: aggregate) })
            ?? []
        {
            try summary(member.key, member.node, keys: v1Keys)
        }
        return collector.result(Self.name)
    }
}
