import RedlineModel
import RedlineJSON

/// The end-of-run summaries that load tools print for people, which users paste instead of the
/// machine-readable file: k6's end-of-test summary (both layouts, with its logo), Artillery's
/// console report (v1 and v2), Locust's console tables, Gatling's console summary and JMeter's
/// summariser lines. They are recognised, never read (their figures are rounded and their layout
/// changes between versions): the error says which file to produce instead, in one line.
///
/// A file is a tool's summary when at least two different line shapes of that tool occur in it,
/// after removing terminal colours and the timestamps GitHub Actions puts before log lines. The
/// shapes come from each tool's own templates (k6's summary renderers, Artillery's console
/// reporter, Locust's stats printer, Gatling's console writer, JMeter's Summariser); none can
/// occur in JSON, NDJSON or CSV.
enum TextSummaries {
    /// One tool's summary: its name, its line shapes, and what to produce instead.
    struct Tool: Sendable {
        let name: String
        let shapes: [@Sendable (String) -> Bool]
        let instead: String
    }

    /// k6's built-in metric names, which its summary prints followed by a dotted leader.
    static let k6Metrics = [
        "checks", "data_received", "data_sent", "http_req_blocked", "http_req_connecting", "http_req_duration",
        "http_req_failed", "http_req_receiving", "http_req_sending", "http_req_tls_handshaking", "http_req_waiting",
        "http_reqs", "iteration_duration", "iterations", "vus", "vus_max", "dropped_iterations", "checks_total",
        "checks_succeeded", "checks_failed",
    ]

    /// Whether `text` continues with three or more dots and then `": "` (k6's leader).
    static func isLeader(_ text: Substring) -> Bool {
        let dots = text.prefix { $0 == "." }
        return dots.count >= 3 && text.dropFirst(dots.count).hasPrefix(": ")
    }

    static let tools: [Tool] = [
        Tool(
            name: "k6's end-of-test summary",
            shapes: [
                { line in
                    var rest = Substring(line)
                    if rest.hasPrefix("✓ ") || rest.hasPrefix("✗ ") { rest = rest.dropFirst(2) }
                    return k6Metrics.contains { rest.hasPrefix($0) && isLeader(rest.dropFirst($0.count)) }
                },
                { $0.contains("...: ") && $0.contains("avg=") && $0.contains(" p(9") },
                { $0.contains("/\\      Grafana   /‾‾/") || $0.contains("/\\      |‾‾| /‾‾/   /‾‾/") },
                { $0.hasPrefix("scenarios: (") && $0.contains(" max VUs, ") },
                { $0.hasPrefix("█ TOTAL RESULTS") || $0.hasPrefix("█ THRESHOLDS") },
                {
                    $0.hasPrefix("running (") && $0.contains(" complete and ") && $0.contains(" interrupted iterations")
                },
            ],
            instead:
                "write the summary as JSON with `k6 run --summary-export=summary.json script.js` (or a handleSummary that returns JSON) and pass that file"
        ),
        Tool(
            name: "Artillery's console report",
            shapes: [
                { $0.hasPrefix("Summary report @ ") },
                { $0.hasPrefix("All VUs finished. Total time: ") },
                { $0 == "All virtual users finished" },
                { line in
                    // `http.codes.200: ........ 598` and `p95: ........ 89.1`: a name, a colon, then a
                    // dotted leader (k6 puts its dots before the colon).
                    guard let colon = line.firstRange(of: ": ...") else { return false }
                    return !line[..<colon.lowerBound].contains(" ")
                },
                {
                    ["Scenarios launched:", "Scenarios completed:", "Requests completed:"].contains(
                        where: $0.trimmingSpaces.hasPrefix)
                },
            ],
            instead:
                "write the report as JSON with `artillery run --output report.json script.yml` and pass report.json"),
        Tool(
            name: "Locust's console statistics",
            shapes: [
                { $0.contains("# reqs") && $0.contains("# fails") && $0.contains("failures/s") },
                { $0.trimmingSpaces.hasPrefix("Aggregated") && $0.contains("%) |") },
                { $0.trimmingSpaces == "Response time percentiles (approximated)" },
            ],
            instead:
                "run Locust with `--csv PREFIX` and pass PREFIX_stats.csv (or `--json-file FILE`, Locust 2.37 and later)"
        ),
        Tool(
            name: "Gatling's console summary",
            shapes: [
                { $0.hasPrefix("---- Global Information ----") },
                { $0.hasPrefix("> request count") },
                { $0.hasPrefix("---- Response Time Distribution ---") },
            ], instead: "pass js/global_stats.json from the run's report folder (Gatling writes it up to 3.13.4)"),
        Tool(
            name: "JMeter's summariser output",
            shapes: [
                {
                    ($0.contains("summary +") || $0.contains("summary =")) && $0.contains(" Avg: ")
                        && $0.contains(" Err: ")
                },
                { $0.hasPrefix("Creating summariser <") || $0 == "... end of run" || $0.hasPrefix("Tidying up ...") },
            ], instead: "write the results with `jmeter -n -t plan.jmx -l results.jtl` and pass results.jtl"),
    ]

    /// The error for a pasted summary, at its first recognised line; nil when the lines are no
    /// tool's summary.
    static func recognise(_ source: SourceText, lines: TextLines) -> RedlineError? {
        var found: [(tool: Int, shapes: Set<Int>, first: Int)] = tools.indices.map { ($0, [], Int.max) }
        for line in lines.lines.prefix(200_000) {
            let text = plain(line.text)
            guard !text.isEmpty else { continue }
            for (index, tool) in tools.enumerated() {
                for (shape, matches) in tool.shapes.enumerated() where matches(text) {
                    found[index].shapes.insert(shape)
                    found[index].first = min(found[index].first, line.offset)
                }
            }
        }
        guard let best = found.filter({ $0.shapes.count >= 2 }).max(by: { $0.shapes.count < $1.shapes.count }) else {
            return nil
        }
        let tool = tools[best.tool]
        return RedlineError(
            source, at: best.first, "this is \(tool.name), which is written for people, not a metrics file",
            hint: tool.instead)
    }

    /// The recognised error for `source`, when it is text (not JSON) a tool printed for people.
    static func recognise(_ source: SourceText) -> RedlineError? {
        guard let lines = try? TextLines(source) else { return nil }
        return recognise(source, lines: lines)
    }

    /// A line without terminal colours, a GitHub Actions timestamp and surrounding spaces.
    static func plain(_ line: Substring) -> String {
        var text = ""
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == "\u{1B}" {
                // ESC [ parameters letter.
                var end = line.index(after: index)
                if end < line.endIndex, line[end] == "[" {
                    end = line.index(after: end)
                    while end < line.endIndex, line[end].isASCII, line[end].isNumber || line[end] == ";" {
                        end = line.index(after: end)
                    }
                    if end < line.endIndex { end = line.index(after: end) }
                }
                index = end
                continue
            }
            text.append(character)
            index = line.index(after: index)
        }
        // `2026-12-06T04:06:16.1234567Z ` before a line of an Actions log.
        if text.count > 21, let first = text.first, first.isNumber, let space = text.firstIndex(of: " ") {
            let stamp = text[..<space]
            if stamp.hasSuffix("Z"), stamp.contains("T"),
                stamp.dropLast().allSatisfy({ $0.isNumber || "-:.T".contains($0) })
            {
                text = String(text[text.index(after: space)...])
            }
        }
        return text.trimmingSpaces
    }
}
