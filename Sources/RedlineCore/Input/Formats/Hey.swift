import RedlineModel
import RedlineJSON

/// hey's report on stdout, its summary or its `-o csv` rows, in the shared load-testing names
/// (`LoadMetric`), every time in s as hey writes it:
///
/// - summary: `Average`, `Fastest`, `Slowest` → `latency mean`, `min`, `max`; the latency
///   distribution (`10% in 0.0017 secs`) → `latency p10` … `latency p99`; `Requests/sec` →
///   `throughput`; the averages of `Details` → `DNS+dialup mean`, `DNS-lookup mean`,
///   `req write mean`, `resp wait mean`, `resp read mean` (its fastest and slowest columns are
///   not read: hey 0.1.4 prints the whole request's fastest and slowest on the DNS+dialup line);
///   the status code and error distributions → `requests` (responses and transport errors),
///   `errors` (responses with a status ≥ 400 and transport errors) and `error rate`;
/// - `-o csv` (one row per response): the same names computed from the rows, percentiles as hey
///   computes them, `throughput` as rows over the end of the last request. hey leaves requests that
///   got no response out of the CSV, so its `requests`, `errors` and `error rate` count responses
///   only; a note says so.
enum Hey: MetricsFormat {
    static let name = "hey"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    /// The CSV header hey writes (0.1.4 added `status-code` and `offset`).
    static let csvHeader = "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read"
    /// hey's detail rows: the summary's label, the CSV's column and the metric's name.
    static let phases = [
        ("DNS+dialup", "DNS+dialup"), ("DNS-lookup", "DNS"), ("req write", "Request-write"),
        ("resp wait", "Response-delay"), ("resp read", "Response-read"),
    ]
    /// The percentiles hey prints.
    static let percents = [10, 25, 50, 75, 90, 95, 99]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let lines = input.lines?.lines else { return .none }
        if lines.first(where: { !$0.text.isEmpty })?.text.hasPrefix(csvHeader) == true { return .strong }
        // A run where every request failed prints only the error distribution.
        let summary =
            lines.contains {
                $0.text == "Response time histogram:" || $0.text == "Details (average, fastest, slowest):"
            }
            && lines.contains { $0.text.hasPrefix("  Requests/sec:\t") }
        let errorsOnly =
            lines.contains { $0.text == "Error distribution:" }
            && lines.contains { $0.text.hasPrefix("  [") && $0.text.contains("]\t") }
        return summary || errorsOnly ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let lines = try input.textLines()
        if lines.lines.first(where: { !$0.text.isEmpty })?.text.hasPrefix(csvHeader) == true {
            return try readCSV(input.source)
        }
        // Reports appended one after the other: hey's starts with `Summary:` and does not name its URL.
        let runs = AppendedRuns.split(lines) { $0.hasPrefix("Summary:") }
        return try AppendedRuns.merge(
            try runs.map { AppendedRuns.Run(target: nil, result: try readSummary($0, input.source)) },
            tool: "hey", source: input.source)
    }

    static func readSummary(_ lines: TextLines, _ source: SourceText) throws -> ReadResult {
        var collector = MetricCollector(source: source)
        var section = ""
        var counts = (responses: 0.0, failedResponses: 0.0, transportErrors: 0.0, offset: 0)
        for line in lines.lines {
            let text = line.text.trimmingSpaces
            if !line.text.hasPrefix(" ") && text.hasSuffix(":") {
                section = text
                if section == "Status code distribution:" || section == "Error distribution:" {
                    counts.offset = line.offset
                }
                continue
            }
            guard !text.isEmpty else { continue }
            func seconds(_ field: Substring) throws -> Double {
                guard let (value, unit) = ToolNumber.withSuffix(field), unit == "secs" else {
                    throw RedlineError(source, at: line.offset, "hey time \"\(field.trimmingSpaces)\" is not `N secs`")
                }
                return value
            }
            func bracketed() throws -> (Double, Substring) {
                // `[200]\t500 responses`, `[2]\tGet "…": EOF`
                guard text.hasPrefix("["), let close = text.firstIndex(of: "]"),
                    let value = ToolNumber.parse(text[text.index(after: text.startIndex)..<close])
                else {
                    throw RedlineError(source, at: line.offset, "hey's \(section) line is not `[N]\tTEXT`")
                }
                return (value, text[text.index(after: close)...])
            }
            switch section {
            case "Summary:":
                let parts = text.split(separator: "\t", maxSplits: 1)
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "Slowest:":
                    try collector.add(.latency("max"), try seconds(parts[1]), unit: Unit("s"), at: line.offset)
                case "Fastest:":
                    try collector.add(.latency("min"), try seconds(parts[1]), unit: Unit("s"), at: line.offset)
                case "Average:":
                    try collector.add(.latency("mean"), try seconds(parts[1]), unit: Unit("s"), at: line.offset)
                case "Requests/sec:":
                    guard let value = ToolNumber.parse(parts[1].trimmingSpaces) else {
                        throw RedlineError(source, at: line.offset, "hey's Requests/sec is not a number")
                    }
                    try collector.add(.throughput, value, at: line.offset)
                default: break
                }
            case "Latency distribution:":
                // `10% in 0.0017 secs`
                let parts = text.split(separator: " ", maxSplits: 2)
                guard parts.count == 3, parts[0].hasSuffix("%"), let percent = ToolNumber.parse(parts[0].dropLast())
                else {
                    throw RedlineError(source, at: line.offset, "hey's latency line is not `N% in T secs`")
                }
                try collector.add(.percentile(percent / 100), try seconds(parts[2]), unit: Unit("s"), at: line.offset)
            case "Details (average, fastest, slowest):":
                let parts = text.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let label = phases.first(where: { $0.0 == parts[0] })?.0 else { continue }
                try collector.add(
                    "\(label) mean", value: try seconds(parts[1].split(separator: ",")[0]), unit: Unit("s"),
                    at: line.offset)
            case "Status code distribution:":
                let (status, rest) = try bracketed()
                guard rest.hasSuffix("responses"),
                    let responses = ToolNumber.parse(rest.trimmingSpaces.prefix { $0 != " " })
                else {
                    throw RedlineError(source, at: line.offset, "hey's status line is not `[CODE]\tN responses`")
                }
                counts.responses += responses
                if status >= 400 { counts.failedResponses += responses }
            case "Error distribution:":
                counts.transportErrors += try bracketed().0
            default:
                break
            }
        }
        guard counts.responses + counts.transportErrors > 0 else {
            throw RedlineError(
                source, at: lines.lines.last?.offset ?? 0, "this hey report has no status code or error distribution",
                hint: "the output may be cut short")
        }
        if counts.responses == 0 {
            collector.note("no request of the hey run got a response; only its errors are read")
        }
        try collector.addCounts(
            requests: counts.responses + counts.transportErrors,
            errors: counts.failedResponses + counts.transportErrors, at: counts.offset)
        return collector.result(Self.name)
    }

    static func readCSV(_ source: SourceText) throws -> ReadResult {
        let table = try CSVTable(source, what: "hey's CSV")
        var collector = MetricCollector(source: source)
        let what = "hey's CSV"
        func column(_ name: String) throws -> [Double] {
            let index = try table.column(name, of: what)
            return try table.records.map { try table.number($0, index, what: "`\(name)`") }
        }
        let offset = table.records.first?.offset ?? table.header.offset
        let times = try column("response-time")
        let summary = LatencySummary(times)
        if let first = summary.sorted.first, let last = summary.sorted.last {
            let distribution = Percentile.hey(summary.sorted, percents: percents)
            try collector.addLatencies(
                mean: summary.mean, min: first, max: last,
                percentiles: zip(percents, distribution).compactMap { percent, value in
                    value.map { (Double(percent) / 100, $0) }
                },
                unit: Unit("s"), at: offset)
            for (label, header) in phases {
                let values = try column(header)
                try collector.add(
                    "\(label) mean", value: values.reduce(0, +) / Double(values.count), unit: Unit("s"), at: offset)
            }
        }
        if table.column("offset") != nil, let end = zip(try column("offset"), times).map(+).max(), end > 0 {
            try collector.add(.throughput, Double(times.count) / end, at: offset)
        }
        var failed = 0
        if table.column("status-code") != nil { failed = try column("status-code").filter { $0 >= 400 }.count }
        try collector.addCounts(requests: Double(times.count), errors: Double(failed), at: offset)
        collector.note(
            "hey -o csv has a row only for requests that got a response: requests that failed (timeouts, resets) are not among `requests`, `errors` and `error rate`"
        )
        return collector.result(Self.name)
    }
}
