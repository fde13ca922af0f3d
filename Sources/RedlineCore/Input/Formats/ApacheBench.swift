import RedlineModel
import RedlineJSON

/// ApacheBench's report on stdout (`ab -n 1000 -c 10 URL`), in the shared load-testing names
/// (`LoadMetric`):
///
/// - `Requests per second: … [#/sec]` → `throughput`; `Complete requests:` → `requests`;
///   `Failed requests:` (ab's count: connect, receive, length and exceptions; it can exceed the
///   complete requests) → `errors`; `Non-2xx responses:` → `non-2xx responses` (0 when absent);
/// - `Time per request: … [ms] (mean)` → `latency mean`; the second line, `(mean, across all
///   concurrent requests)`, → `time per request (mean, across all concurrent requests)`;
/// - `Transfer rate: … [Kbytes/sec] received` (and `kb/s sent`, `kb/s total` with `-p`) →
///   `transfer` (`transfer sent`, `transfer total`) in KiB/s: ab's Kbytes are 1024 bytes;
/// - the percentage table (integer ms) → `latency p50` … `latency p99`, its 100% line `latency max`;
/// - `Connection Times (ms)`: `Connect`, `Processing` and `Waiting` → `connect min`, `connect mean`,
///   `connect median`, `connect max` and so on; the `Total` row's min → `latency min` (the rest of
///   that row is the latency above).
///
/// No `error rate`: ab's failures are not a subset of its requests.
enum ApacheBench: MetricsFormat {
    static let name = "ab"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    static func match(_ input: FormatInput) -> FormatMatch {
        input.lines?.lines.contains {
            $0.text.hasPrefix("This is ApacheBench") || $0.text.hasPrefix("Requests per second:")
        } == true
            ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        // Reports appended one after the other (`ab … >> results.txt`): each is a run.
        let runs = AppendedRuns.split(try input.textLines()) { $0.hasPrefix("This is ApacheBench") }
        return try AppendedRuns.merge(try runs.map { try readRun($0, source) }, tool: "ab", source: source)
    }

    /// One report of ab, and the URL it loaded (`host[:port]path`, from its `Server Hostname`,
    /// `Server Port` and `Document Path` lines).
    static func readRun(_ lines: TextLines, _ source: SourceText) throws -> AppendedRuns.Run {
        var collector = MetricCollector(source: source)
        var (host, port, path): (String?, String?, String?) = (nil, nil, nil)
        var section = ""
        var sawThroughput = false
        var nonSuccess: (count: Double, offset: Int)?
        for line in lines.lines {
            let text = line.text.trimmingSpaces
            func number(after label: String) throws -> Double {
                let rest = text.dropFirst(label.count).trimmingSpaces
                guard let value = ToolNumber.parse(rest.prefix { !$0.isWhitespace }) else {
                    throw RedlineError(source, at: line.offset, "ab's `\(label)` line has no number")
                }
                return value
            }
            if text.hasPrefix("Connection Times (ms)") || text.hasPrefix("Percentage of the requests served") {
                section = text
                continue
            }
            if text.isEmpty { section = "" }
            if section.hasPrefix("Percentage"), text.contains("%") {
                let fields = text.split(separator: " ")
                guard fields.count >= 2, let percent = ToolNumber.parse(fields[0].dropLast()),
                    let value = ToolNumber.parse(fields[1])
                else {
                    throw RedlineError(source, at: line.offset, "ab's percentage line is not `N%  TIME`")
                }
                if percent >= 100 {
                    try collector.add(.latency("max"), value, unit: Unit("ms"), at: line.offset)
                } else {
                    try collector.add(.percentile(percent / 100), value, unit: Unit("ms"), at: line.offset)
                }
                continue
            }
            // ab warns under its connection times when a median and mean disagree; the next line
            // goes on with the warning.
            if section.hasPrefix("Connection Times"),
                text.hasPrefix("WARNING:") || text.hasPrefix("These results are probably")
            {
                continue
            }
            if section.hasPrefix("Connection Times"), let colon = text.firstIndex(of: ":") {
                let row = text[..<colon].lowercased()
                // min  mean[+/-sd] median  max: five numbers, the third the standard deviation.
                let numbers = text[text.index(after: colon)...].split(separator: " ").compactMap {
                    ToolNumber.parse($0)
                }
                guard numbers.count == 5 else {
                    throw RedlineError(
                        source, at: line.offset,
                        "ab's connection times row \"\(row)\" does not have min, mean, sd, median and max")
                }
                // The Total row is the request's latency: its mean, median and max are read more
                // precisely above and below; its min only here.
                if row == "total" {
                    try collector.add(.latency("min"), numbers[0], unit: Unit("ms"), at: line.offset)
                    continue
                }
                for (statistic, value) in zip(
                    ["min", "mean", "median", "max"], [numbers[0], numbers[1], numbers[3], numbers[4]])
                {
                    try collector.add("\(row) \(statistic)", value: value, unit: Unit("ms"), at: line.offset)
                }
                continue
            }
            if text.hasPrefix("Server Hostname:") {
                host = text.dropFirst("Server Hostname:".count).trimmingSpaces
            } else if text.hasPrefix("Server Port:") {
                port = text.dropFirst("Server Port:".count).trimmingSpaces
            } else if text.hasPrefix("Document Path:") {
                path = text.dropFirst("Document Path:".count).trimmingSpaces
            }
            if text.hasPrefix("Requests per second:") {
                try collector.add(.throughput, try number(after: "Requests per second:"), at: line.offset)
                sawThroughput = true
            } else if text.hasPrefix("Complete requests:") {
                try collector.add(.requests, try number(after: "Complete requests:"), at: line.offset)
            } else if text.hasPrefix("Failed requests:") {
                try collector.add(.errors, try number(after: "Failed requests:"), at: line.offset)
            } else if text.hasPrefix("Non-2xx responses:") {
                nonSuccess = (try number(after: "Non-2xx responses:"), line.offset)
            } else if text.hasPrefix("Time per request:") {
                let value = try number(after: "Time per request:")
                let name =
                    text.contains("across all concurrent requests")
                    ? "time per request (mean, across all concurrent requests)"
                    : LoadMetric.latency("mean").name(endpoint: nil)
                try collector.add(name, value: value, unit: Unit("ms"), at: line.offset)
            } else if text.hasPrefix("Transfer rate:") {
                try collector.add(.transfer, try number(after: "Transfer rate:"), unit: Unit("KiB/s"), at: line.offset)
            } else if text.hasSuffix("kb/s sent") || text.hasSuffix("kb/s total") {
                // The lines under `Transfer rate:` with -p or -u.
                guard let value = ToolNumber.parse(text.prefix { !$0.isWhitespace }) else {
                    throw RedlineError(source, at: line.offset, "ab's transfer line has no number")
                }
                try collector.add(
                    text.hasSuffix("sent") ? "transfer sent" : "transfer total", value: value, unit: Unit("KiB/s"),
                    at: line.offset)
            }
        }
        guard sawThroughput else {
            let aborted = lines.lines.first {
                $0.text.hasPrefix("Total of ") && $0.text.hasSuffix("requests completed")
            }
            throw RedlineError(
                source, at: aborted?.offset ?? lines.lines.last?.offset ?? 0,
                aborted != nil
                    ? "ab stopped before its report: \(aborted!.text)"
                    : "this ab output has no report (no `Requests per second:` line)",
                hint: "ab aborts a run on a socket error or timeout unless given -r; see its stderr")
        }
        try collector.add(
            "non-2xx responses", value: nonSuccess?.count ?? 0, unit: Unit("count"),
            at: nonSuccess?.offset ?? lines.lines.first { $0.text.hasPrefix("Failed requests:") }?.offset ?? 0)
        let target = host.map { host in
            host + (port.map { ["80", "443", ""].contains($0) ? "" : ":" + $0 } ?? "") + (path ?? "")
        }
        return AppendedRuns.Run(target: target, result: collector.result(Self.name))
    }
}
