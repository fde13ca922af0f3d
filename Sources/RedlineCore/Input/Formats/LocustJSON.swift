import RedlineModel
import RedlineJSON

/// Locust's `--json` (stdout) and `--json-file NAME` (`NAME.json`): an array of per-endpoint
/// statistics with histograms of rounded response times (ms). The same names as Locust's CSV
/// (`locust`): each endpoint as `METHOD NAME …`, and the whole run (the sum of the endpoints, as
/// Locust's `Aggregated` row) under the shared names. Percentiles are computed from the histograms
/// as Locust computes them (`p50` … `p99.99`), the mean as total response time over requests with a
/// time, `throughput` as requests over the span from the first entry's start to the last request.
///
/// Locust empties its statistics when it writes this JSON, so of `--json` and `--json-file` given
/// together the second holds `[]`.
enum LocustJSON: MetricsFormat {
    static let name = "locust-json"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    /// The percentiles of Locust's CSV and console tables (its 100% is the max).
    static let fractions = [0.5, 0.66, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let first = input.root?.elements?.first else { return .none }
        return first["num_requests"] != nil && first["response_times"] != nil ? .strong : .none
    }

    /// One entry as read, before the whole run is summed.
    struct Entry {
        var endpoint: String
        var requests, timed, failures, totalTime: Double
        var min, max: Double?
        var start, last: Double?
        var histogram: [(time: Double, count: Double)]
        var offset: Int
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let json = ToolJSON(source)
        let elements = try input.rootArray(needed: "Locust's JSON must be an array of endpoint statistics")
        let rootOffset = input.root?.offset ?? 0
        var collector = MetricCollector(source: source)
        let entries = try elements.enumerated().map { index, node in
            let what = "Locust entry \(index + 1)"
            let name = try json.optionalString(node, "name", of: what) ?? ""
            let method = try json.optionalString(node, "method", of: what) ?? ""
            let requests = try json.number(node, "num_requests", of: what)
            let histogram = try json.object(node["response_times"], "`response_times` of \(what)", in: node).map {
                member in
                guard let time = ToolNumber.parse(member.key) else {
                    throw RedlineError(
                        source, at: member.keyOffset,
                        "a key of `response_times` of \(what) must be a time in ms, got \"\(member.key)\"")
                }
                return (time, try json.count(member.node, what: "`response_times` count of \(what)"))
            }
            return Entry(
                endpoint: [method, name].filter { !$0.isEmpty }.joined(separator: " "), requests: requests,
                timed: requests - (try json.optionalNumber(node, "num_none_requests", of: what) ?? 0),
                failures: try json.number(node, "num_failures", of: what),
                totalTime: try json.number(node, "total_response_time", of: what),
                min: try json.optionalNumber(node, "min_response_time", of: what),
                max: try json.optionalNumber(node, "max_response_time", of: what),
                start: try json.optionalNumber(node, "start_time", of: what),
                last: try json.optionalNumber(node, "last_request_timestamp", of: what),
                histogram: histogram, offset: node.offset)
        }
        if entries.isEmpty {
            collector.note(
                "Locust's JSON has no entries (of --json and --json-file, the second gets `[]`)")
            return collector.result(Self.name)
        }
        // Locust's requests per second are over the whole run's span, for every entry.
        let span = (entries.compactMap(\.last).max() ?? 0) - (entries.compactMap(\.start).min() ?? 0)
        var total = Entry(
            endpoint: "", requests: 0, timed: 0, failures: 0, totalTime: 0, histogram: [], offset: rootOffset)
        var merged: [Double: Double] = [:]
        for entry in entries {
            try stats(of: entry, span: span).add(to: &collector, endpoint: entry.endpoint, at: entry.offset)
            total.requests += entry.requests
            total.timed += entry.timed
            total.failures += entry.failures
            total.totalTime += entry.totalTime
            total.min = [total.min, entry.min].compactMap { $0 }.min()
            total.max = [total.max, entry.max].compactMap { $0 }.max()
            for bucket in entry.histogram { merged[bucket.time, default: 0] += bucket.count }
        }
        total.histogram = merged.map { ($0.key, $0.value) }
        try stats(of: total, span: span).add(to: &collector, endpoint: nil, at: rootOffset)
        return collector.result(Self.name)
    }

    static func stats(of entry: Entry, span: Double) throws -> Locust.Stats {
        var stats = Locust.Stats(
            requests: entry.requests, failures: entry.failures, throughput: span > 0 ? entry.requests / span : 0)
        if entry.timed > 0, !entry.histogram.isEmpty, let min = entry.min, let max = entry.max {
            stats.latency = (
                entry.totalTime / entry.timed, min, max,
                fractions.map { ($0, Percentile.locust(entry.histogram, total: entry.timed, $0)) }
            )
        }
        return stats
    }
}
