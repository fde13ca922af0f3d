import RedlineModel
import RedlineJSON

/// Locust's `--csv PREFIX` files, in the shared load-testing names (`LoadMetric`), times in ms:
///
/// - `PREFIX_stats.csv`: the `Aggregated` row → `requests`, `errors`, `error rate`, `throughput`
///   (Locust's Requests/s), `latency mean`, `min`, `max` and `latency p50` … `latency p99.99` (its
///   percentile columns, 100% left out for `max`); each endpoint's row likewise prefixed with its
///   type and name: `GET /users/[id] latency p95`, `GET /users/[id] requests`. The
///   `PREFIX_failures.csv` beside it adds notes of what failed, per endpoint.
/// - `PREFIX_failures.csv` alone: `METHOD NAME errors` per endpoint and `errors` in all, with the notes.
/// - `PREFIX_stats_history.csv` (one row a second, current-window percentiles) and
///   `PREFIX_exceptions.csv` are refused with a hint to pass `PREFIX_stats.csv`.
///
/// Locust rewrites these files once a second and not at the end, so they can lag the run's end by
/// up to a second; `--json` (`locust-json`) has the final figures.
enum Locust: MetricsFormat {
    static let name = "locust"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    static let statsHeader = "Type,Name,Request Count,Failure Count"
    static let failuresHeader = "Method,Name,Error,Occurrences"
    static let historyHeader = "Timestamp,User Count,Type,Name"
    static let exceptionsHeader = "Count,Message,Traceback,Nodes"

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let first = input.lines?.lines.first?.text else { return .none }
        return [statsHeader, failuresHeader, historyHeader, exceptionsHeader].contains { first.hasPrefix($0) }
            ? .strong : .none
    }

    /// `PREFIX_failures.csv` beside `PREFIX_stats.csv`.
    static func companions(of path: String) -> [String] {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard file.hasSuffix("_stats.csv") else { return [] }
        return [String(file.dropLast("_stats.csv".count)) + "_failures.csv"]
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let first = try input.textLines().lines.first?.text ?? ""
        if first.hasPrefix(historyHeader) || first.hasPrefix(exceptionsHeader) {
            throw RedlineError(
                source, at: 0,
                "this is Locust's \(first.hasPrefix(historyHeader) ? "stats history (a row per second)" : "exceptions list"), not its final statistics",
                hint: "pass PREFIX_stats.csv, which --csv PREFIX writes beside it")
        }
        var collector = MetricCollector(source: source)
        if first.hasPrefix(failuresHeader) {
            let failures = try Failures(source)
            for (endpoint, count, offset) in failures.byEndpoint {
                try collector.add(.errors, count, endpoint: endpoint, at: offset)
            }
            try collector.add(.errors, failures.byEndpoint.reduce(0) { $0 + $1.count }, at: 0)
            collector.add(notesOf: failures.notes)
            return collector.result(Self.name)
        }
        let table = try CSVTable(source, what: "Locust's stats CSV")
        let what = "Locust's stats CSV"
        let type = try table.column("Type", of: what)
        let name = try table.column("Name", of: what)
        // The percentile columns (`50%` … `99.99%`; `100%` is the max), with their fractions.
        let percentiles: [(column: Int, fraction: Double)] = table.header.fields.enumerated().compactMap {
            column, header in
            guard header.hasSuffix("%"), let percent = ToolNumber.parse(header.dropLast()), percent < 100 else {
                return nil
            }
            return (column, percent / 100)
        }
        for record in table.records {
            func number(_ column: String) throws -> Double {
                try table.number(record, try table.column(column, of: what), what: "`\(column)`")
            }
            let endpoint =
                record.fields[type].isEmpty && record.fields[name] == "Aggregated"
                ? nil : [record.fields[type], record.fields[name]].filter { !$0.isEmpty }.joined(separator: " ")
            let requests = try number("Request Count")
            var stats = Stats(
                requests: requests, failures: try number("Failure Count"), throughput: try number("Requests/s"))
            if requests > 0 {
                stats.latency = (
                    try number("Average Response Time"), try number("Min Response Time"),
                    try number("Max Response Time"),
                    try percentiles.compactMap { column, fraction in
                        // A percentile Locust could not compute is `N/A`.
                        guard record.fields[column] != "N/A" else { return nil }
                        return (fraction, try table.number(record, column, what: "`\(table.header.fields[column])`"))
                    }
                )
            }
            try stats.add(to: &collector, endpoint: endpoint, at: record.offset)
        }
        if let companion = companions.values.first {
            collector.add(notesOf: try Failures(companion).notes)
        }
        return collector.result(Self.name)
    }

    /// One endpoint's (or the whole run's) statistics, from the CSV or the JSON.
    struct Stats {
        var requests: Double
        var failures: Double
        var throughput: Double
        var latency: (mean: Double, min: Double, max: Double, percentiles: [(fraction: Double, value: Double)])?

        func add(to collector: inout MetricCollector, endpoint: String?, at offset: Int) throws {
            try collector.addCounts(requests: requests, errors: failures, endpoint: endpoint, at: offset)
            try collector.add(.throughput, throughput, endpoint: endpoint, at: offset)
            if let latency {
                try collector.addLatencies(
                    mean: latency.mean, min: latency.min, max: latency.max, percentiles: latency.percentiles,
                    unit: Unit("ms"), endpoint: endpoint, at: offset)
            }
        }
    }

    /// `PREFIX_failures.csv`: occurrences of each error of each endpoint.
    struct Failures {
        /// Errors per endpoint (`METHOD NAME`) and where its first row is, in the file's order.
        var byEndpoint: [(endpoint: String, count: Double, offset: Int)] = []
        /// One note per endpoint: its most frequent errors.
        var notes: [String] = []

        init(_ source: SourceText) throws {
            let what = "Locust's failures CSV"
            let table = try CSVTable(source, what: what)
            let (method, name, error, occurrences) = (
                try table.column("Method", of: what), try table.column("Name", of: what),
                try table.column("Error", of: what), try table.column("Occurrences", of: what)
            )
            var errors: [String: [(String, Double)]] = [:]
            for record in table.records {
                let endpoint = [record.fields[method], record.fields[name]].filter { !$0.isEmpty }.joined(
                    separator: " ")
                let count = try table.number(record, occurrences, what: "`Occurrences`")
                if let index = byEndpoint.firstIndex(where: { $0.endpoint == endpoint }) {
                    byEndpoint[index].count += count
                } else {
                    byEndpoint.append((endpoint, count, record.offset))
                }
                errors[endpoint, default: []].append((record.fields[error], count))
            }
            for (endpoint, count, _) in byEndpoint {
                let kinds = errors[endpoint, default: []].sorted { $0.1 > $1.1 }
                var text = kinds.prefix(3).map { "\(JSONWriter.number($0.1)) × \($0.0)" }.joined(separator: "; ")
                if kinds.count > 3 { text += "; and \(kinds.count - 3) more kinds" }
                notes.append("\(source.name): \(JSONWriter.number(count)) failures of \(endpoint): \(text)")
            }
        }
    }
}
