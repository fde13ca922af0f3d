import RedlineModel
import RedlineJSON

/// wrk's report on stdout (`wrk --latency -t2 -c10 -d30s URL`), in the shared load-testing names
/// (`LoadMetric`):
///
/// - `Latency  4.15ms  3.10ms  32.12ms  73.80%` (thread stats) → `latency mean`, `latency max`;
///   `Req/Sec  0.92k …` → `thread throughput mean` (req/s per thread, as wrk prints it);
/// - the `--latency` distribution (`50%  3.42ms`, also wrk2's `99.900%`) → `latency p50` …, each
///   in the unit wrk printed (`us`, `ms`, `s`, `m`);
/// - `7811 requests in 3.02s, 1.42MB read` → `requests`; `Requests/sec:` → `throughput`;
///   `Transfer/sec: 482.15KB` → `transfer` in KiB/s (wrk's sizes are base 1024);
/// - `Non-2xx or 3xx responses:` (status > 399) and `Socket errors: connect, read, write, timeout`
///   → `errors` (their sum, 0 when wrk printed neither) and `error rate`: errors over the requests
///   plus the connections that failed before a response (connect, read, write).
///
/// What a Lua `done()` prints after the report is not read.
enum Wrk: MetricsFormat {
    static let name = "wrk"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let lines = input.lines?.lines else { return .none }
        return lines.contains { line in
            (line.text.hasPrefix("Running ") && line.text.contains(" test @ "))
                || line.text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("Thread Stats")
        } ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        // Reports appended one after the other: each `Running … test @ URL` starts a run of its URL.
        let runs = AppendedRuns.split(try input.textLines()) { $0.hasPrefix("Running ") && $0.contains(" test @ ") }
        return try AppendedRuns.merge(
            try runs.map { lines in
                let banner = lines.lines.first { $0.text.hasPrefix("Running ") && $0.text.contains(" test @ ") }
                let target = banner.flatMap { line in
                    line.text.firstRange(of: " test @ ").map { line.text[$0.upperBound...].trimmingSpaces }
                }
                return AppendedRuns.Run(target: target, result: try readRun(lines, source))
            }, tool: "wrk", source: source)
    }

    /// One report of wrk.
    static func readRun(_ lines: TextLines, _ source: SourceText) throws -> ReadResult {
        var collector = MetricCollector(source: source)
        var distribution: (seen: Bool, open: Bool) = (false, false)
        var requests: (count: Double, offset: Int)?
        var errors = (count: 0.0, beforeResponse: 0.0)
        var sawThroughput = false
        for line in lines.lines {
            let text = line.text.trimmingSpaces
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if distribution.open {
                if fields.count == 2, fields[0].hasSuffix("%"), let percent = ToolNumber.parse(fields[0].dropLast()) {
                    try collector.add(
                        .percentile(percent / 100), try time(fields[1], line, source),
                        unit: try timeUnit(fields[1], line, source),
                        at: line.offset)
                    continue
                }
                distribution.open = false
            }
            if text.hasPrefix("Latency Distribution") {
                // wrk2 prints a second distribution (uncorrected latency) with -U: the first is the report's.
                distribution = (true, !distribution.seen)
            } else if fields.first == "Latency", fields.count >= 4 {
                try collector.add(
                    .latency("mean"), try time(fields[1], line, source), unit: try timeUnit(fields[1], line, source),
                    at: line.offset)
                try collector.add(
                    .latency("max"), try time(fields[3], line, source), unit: try timeUnit(fields[3], line, source),
                    at: line.offset)
            } else if fields.first == "Req/Sec", fields.count >= 2 {
                try collector.add(
                    "thread throughput mean", value: try metricNumber(fields[1], line, source), unit: Unit("req/s"),
                    at: line.offset)
            } else if fields.count >= 2, fields[1] == "requests", text.contains(" requests in ") {
                requests = (try count(fields[0], line, source), line.offset)
            } else if text.hasPrefix("Non-2xx or 3xx responses:") {
                errors.count += try count(text.dropFirst("Non-2xx or 3xx responses:".count), line, source)
            } else if text.hasPrefix("Socket errors:") {
                // `Socket errors: connect 0, read 97, write 0, timeout 10`
                for part in text.dropFirst("Socket errors:".count).split(separator: ",") {
                    let words = part.split(separator: " ")
                    guard words.count == 2 else {
                        throw RedlineError(
                            source, at: line.offset,
                            "wrk's socket errors line is not `connect N, read N, write N, timeout N`")
                    }
                    let value = try count(words[1], line, source)
                    errors.count += value
                    if words[0] != "timeout" { errors.beforeResponse += value }
                }
            } else if text.hasPrefix("Requests/sec:") {
                try collector.add(
                    .throughput, try count(text.dropFirst("Requests/sec:".count), line, source), at: line.offset)
                sawThroughput = true
            } else if text.hasPrefix("Transfer/sec:") {
                let (value, unit) = try size(text.dropFirst("Transfer/sec:".count), line, source)
                try collector.add(.transfer, value, unit: Unit(unit.symbol + "/s"), at: line.offset)
            }
        }
        guard sawThroughput, let requests else {
            throw RedlineError(
                source, at: lines.lines.last?.offset ?? 0,
                "this wrk report has no `N requests in …` and `Requests/sec:` lines",
                hint: "the run may have failed (see wrk's output) or the output is cut short")
        }
        try collector.addCounts(
            requests: requests.count, errors: errors.count, attempts: requests.count + errors.beforeResponse,
            at: requests.offset)
        return collector.result(Self.name)
    }

    /// wrk's time units (`format_time_us`): microseconds up to hours.
    static let timeUnits = ["us": "us", "ms": "ms", "s": "s", "m": "min", "h": "h"]
    /// wrk's size units (`format_binary`): base 1024.
    static let sizeUnits: [String: (symbol: String, scale: Double)] = [
        "B": ("B", 1), "KB": ("KiB", 1), "MB": ("MiB", 1), "GB": ("GiB", 1), "TB": ("TiB", 1), "PB": ("TiB", 1024),
    ]
    /// wrk's metric prefixes (`format_metric`): base 1000.
    static let metricPrefixes: [String: Double] = ["": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15]

    static func time<S: StringProtocol>(_ text: S, _ line: TextLines.Line, _ source: SourceText) throws -> Double {
        try timeAndUnit(text, line, source).value
    }

    static func timeUnit<S: StringProtocol>(_ text: S, _ line: TextLines.Line, _ source: SourceText) throws -> Unit {
        try timeAndUnit(text, line, source).unit
    }

    /// A wrk time (`1.23ms`): its number and its unit.
    static func timeAndUnit<S: StringProtocol>(_ text: S, _ line: TextLines.Line, _ source: SourceText) throws -> (
        value: Double, unit: Unit
    ) {
        guard let (value, suffix) = ToolNumber.withSuffix(text), let unit = timeUnits[suffix] else {
            throw RedlineError(source, at: line.offset, "wrk time \"\(text)\" is not a number with us, ms, s, m or h")
        }
        return (value, Unit(unit))
    }

    static func size<S: StringProtocol>(_ text: S, _ line: TextLines.Line, _ source: SourceText) throws -> (
        Double, Unit
    ) {
        guard let (value, suffix) = ToolNumber.withSuffix(text), let unit = sizeUnits[suffix] else {
            throw RedlineError(
                source, at: line.offset, "wrk size \"\(text.trimmingSpaces)\" is not a number with B, KB, MB, GB or TB")
        }
        return (value * unit.scale, Unit(unit.symbol))
    }

    /// A count as wrk prints it with a metric prefix: `831.88`, `0.92k`, `1.30k`.
    static func metricNumber<S: StringProtocol>(_ text: S, _ line: TextLines.Line, _ source: SourceText) throws
        -> Double
    {
        guard let (value, suffix) = ToolNumber.withSuffix(text), let scale = metricPrefixes[suffix] else {
            throw RedlineError(source, at: line.offset, "wrk number \"\(text)\" is not a number with k, M or G")
        }
        return value * scale
    }

    static func count<S: StringProtocol>(_ text: S, _ line: TextLines.Line, _ source: SourceText) throws -> Double {
        guard let value = ToolNumber.parse(text.trimmingSpaces), value >= 0 else {
            throw RedlineError(source, at: line.offset, "wrk line: \"\(text.trimmingSpaces)\" is not a number")
        }
        return value
    }
}
