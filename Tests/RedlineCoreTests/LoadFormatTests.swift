import Foundation
import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput
@testable import RedlinePolicy
@testable import RedlineHistory
@testable import RedlineVerdict
@testable import RedlineBaseline
@testable import RedlineReport

/// The load generators' and telemetry formats, read from real runs (Tests/Corpus/TOOL-VERSION) and
/// from documentation-derived files (Tests/Corpus/doc-derived) through `--format auto`, with values
/// checked against what the files say (read by hand from them).
@Suite("Load generators and telemetry: real and documentation-derived files")
struct LoadFormatTests {
    /// Every file and the format it must be detected as; none of them may be read as `native`.
    static let detected: [(path: String, format: String)] = [
        ("wrk-4.1.0/clean.txt", "wrk"), ("wrk-4.1.0/non2xx.txt", "wrk"), ("wrk-4.1.0/socket-errors.txt", "wrk"),
        ("wrk-4.1.0/slow-seconds.txt", "wrk"), ("wrk-4.1.0/lua-mixed.txt", "wrk"),
        ("ab-2.3/clean.txt", "ab"), ("ab-2.3/non2xx.txt", "ab"), ("ab-2.3/non2xx-l.txt", "ab"),
        ("ab-2.3/post.txt", "ab"),
        ("ab-2.3/flaky-r.txt", "ab"),
        ("hey-0.1.4/clean.txt", "hey"), ("hey-0.1.4/non200.txt", "hey"), ("hey-0.1.4/post.txt", "hey"),
        ("hey-0.1.4/errors.txt", "hey"),
        ("hey-0.1.4/csv.csv", "hey"), ("hey-0.1.4/errors-csv.csv", "hey"),
        ("siege-4.0.7/json.json", "siege"), ("siege-4.0.7/default-conf.json", "siege"),
        ("siege-4.0.7/json-firstrun.txt", "siege-text"), ("siege-4.0.7/text.txt", "siege-text"),
        ("locust-2.47.0/locust_stats.csv", "locust"), ("locust-2.47.0/locust_failures.csv", "locust"),
        ("locust-2.47.0/locust_full_stats.csv", "locust"), ("locust-2.47.0/json.json", "locust-json"),
        ("locust-2.47.0/jsonfile.json", "locust-json"),
        ("k6-1.1.0/summary.json", "k6"), ("k6-1.1.0/handle-summary.json", "k6"),
        ("k6-1.1.0/points.ndjson", "k6-ndjson"),
        ("prometheus-client-0.26.0/metrics.prom", "prometheus"),
        ("prometheus-client-0.26.0/metrics.openmetrics.txt", "prometheus"),
        ("opentelemetry-sdk-1.45.2/otlp.json", "otlp"), ("opentelemetry-sdk-1.45.2/enum-names.json", "otlp"),
        ("opentelemetry-sdk-1.45.2/jsonfile.jsonl", "otlp"),
        ("doc-derived/autocannon.json", "autocannon"), ("doc-derived/artillery-v1.json", "artillery"),
        ("doc-derived/artillery-v2.json", "artillery"), ("doc-derived/vegeta.json", "vegeta"),
        ("doc-derived/jmeter.jtl", "jmeter"),
        ("doc-derived/gatling-global_stats.json", "gatling"), ("doc-derived/gatling-stats.json", "gatling"),
        ("doc-derived/lighthouse.json", "lighthouse"), ("doc-derived/size-limit.json", "size-limit"),
        ("doc-derived/k6-summary-export.json", "k6"), ("doc-derived/k6-handle-summary.json", "k6"),
        ("doc-derived/k6-machine-readable.json", "k6"), ("doc-derived/k6-out.ndjson", "k6-ndjson"),
        ("doc-derived/prometheus.prom", "prometheus"), ("doc-derived/prometheus-summary.prom", "prometheus"),
        ("doc-derived/otlp.json", "otlp"),
    ]

    @Test(
        "each file is detected as its tool's format, never as native, and reads the same when the format is named",
        arguments: detected.map { [$0.path, $0.format] })
    func detection(_ pair: [String]) throws {
        let (path, format) = (pair[0], pair[1])
        let auto = try readOwn(path)
        #expect(auto.format == format, "\(path)")
        #expect(!auto.metrics.metrics.isEmpty, "\(path)")
        let named = try readOwn(path, format: format)
        #expect(named.metrics == auto.metrics, "\(path)")
        // Every value has a unit unless it is a ratio, a score or a count of k6's gauges.
        for metric in auto.metrics.metrics where metric.unit == nil {
            #expect(
                ["k6", "k6-ndjson", "lighthouse", "prometheus", "otlp", "artillery"].contains(format),
                "\(path): \(metric.name) has no unit")
        }
    }

    @Test(
        "files that hold no report are refused at a line, saying why",
        arguments: [
            ("ab-2.3/flaky-abort.txt", 6, "ab stopped before its report: Total of 19 requests completed"),
            ("ab-2.3/keepalive-hang.txt", 6, "this ab output has no report (no `Requests per second:` line)"),
            (
                "locust-2.47.0/locust_stats_history.csv", 1,
                "this is Locust's stats history (a row per second), not its final statistics"
            ),
            ("locust-2.47.0/locust_exceptions.csv", 1, "this is Locust's exceptions list, not its final statistics"),
        ])
    func refused(path: String, line: Int, message: String) {
        do {
            _ = try readOwn(path)
            Issue.record("read \(path)")
        } catch {
            let first = error.redlineErrors[0]
            #expect(first.message == message)
            #expect(first.line == line)
            #expect(first.column == 1)
        }
    }
}

/// The metric `name` of `result`, which must exist.
func metric(_ result: ReadResult, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Metric {
    try #require(
        result.metrics[name], "no metric \"\(name)\" in \(result.metrics.metrics.map(\.name))",
        sourceLocation: sourceLocation)
}

/// Expects `name` to read `value` in `unit` with the effective direction `direction`.
func expectMetric(
    _ result: ReadResult, _ name: String, _ value: Double, _ unit: String?, _ direction: Direction = .lower,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let found = try metric(result, name, sourceLocation: sourceLocation)
    #expect(
        abs(found.value - value) <= 1e-9 * max(1, abs(value)), "\(name): \(found.value) ≠ \(value)",
        sourceLocation: sourceLocation)
    #expect(found.unit?.symbol == unit, "\(name): unit \(found.unit?.symbol ?? "none")", sourceLocation: sourceLocation)
    #expect(found.effectiveDirection == direction, "\(name): direction", sourceLocation: sourceLocation)
    #expect(found.samples == nil, "\(name) keeps no raw samples", sourceLocation: sourceLocation)
}

extension LoadFormatTests {
    @Suite("wrk 4.1.0")
    struct Wrk {
        @Test("the report in the shared names: latencies in wrk's units, sizes base 1024, 0.92k, no errors as 0")
        func clean() throws {
            let read = try readOwn("wrk-4.1.0/clean.txt")
            try expectMetric(read, "latency mean", 4.15, "ms")
            try expectMetric(read, "latency max", 32.12, "ms")
            try expectMetric(read, "latency p50", 3.42, "ms")
            try expectMetric(read, "latency p99", 14.53, "ms")
            try expectMetric(read, "requests", 7811, "count", .higher)
            try expectMetric(read, "throughput", 2584.26, "req/s", .higher)
            try expectMetric(read, "transfer", 482.15, "KiB/s", .higher)
            try expectMetric(read, "thread throughput mean", 1300, "req/s", .higher)
            try expectMetric(read, "errors", 0, "count")
            try expectMetric(read, "error rate", 0, "%")
            #expect(read.metrics.metrics.count == 12)
            let non2xx = try readOwn("wrk-4.1.0/non2xx.txt")
            try expectMetric(non2xx, "thread throughput mean", 920, "req/s", .higher)
            try expectMetric(non2xx, "errors", 274, "count")
            try expectMetric(non2xx, "transfer", 1.06, "MiB/s", .higher)
        }

        @Test("socket errors add to errors; the rate counts the connections that failed before a response")
        func socketErrors() throws {
            let read = try readOwn("wrk-4.1.0/socket-errors.txt")
            try expectMetric(read, "latency p50", 258, "us")
            try expectMetric(read, "errors", 107, "count")
            try expectMetric(read, "error rate", 107.0 / (868 + 97) * 100, "%")
            // `1.08s ` with a trailing space, and seconds beside milliseconds.
            let slow = try readOwn("wrk-4.1.0/slow-seconds.txt")
            try expectMetric(slow, "latency p90", 1.08, "s")
            try expectMetric(slow, "latency max", 1.51, "s")
            try expectMetric(slow, "latency mean", 258.64, "ms")
            // What a Lua done() prints after the report is not read.
            let lua = try readOwn("wrk-4.1.0/lua-mixed.txt")
            try expectMetric(lua, "requests", 7335, "count", .higher)
            try expectMetric(lua, "errors", 488, "count")
        }
    }

    @Suite("ApacheBench 2.3")
    struct ApacheBench {
        @Test("both time-per-request lines, Kbytes as KiB, the percentage table and the connection times")
        func clean() throws {
            let read = try readOwn("ab-2.3/clean.txt")
            try expectMetric(read, "throughput", 813.92, "req/s", .higher)
            try expectMetric(read, "latency mean", 12.286, "ms")
            try expectMetric(read, "time per request (mean, across all concurrent requests)", 1.229, "ms")
            try expectMetric(read, "transfer", 151.81, "KiB/s", .higher)
            try expectMetric(read, "latency p50", 10, "ms")
            try expectMetric(read, "latency p66", 13, "ms")
            try expectMetric(read, "latency p99", 36, "ms")
            try expectMetric(read, "latency max", 39, "ms")
            try expectMetric(read, "latency min", 5, "ms")
            try expectMetric(read, "requests", 500, "count", .higher)
            try expectMetric(read, "errors", 0, "count")
            try expectMetric(read, "non-2xx responses", 0, "count")
            try expectMetric(read, "processing min", 5, "ms")
            try expectMetric(read, "waiting median", 10, "ms")
            try expectMetric(read, "connect max", 0, "ms")
            #expect(read.metrics["total mean"] == nil)
        }

        @Test("failures as ab counts them, beside the non-2xx responses; -p adds what was sent")
        func failures() throws {
            let non2xx = try readOwn("ab-2.3/non2xx.txt")
            try expectMetric(non2xx, "errors", 25, "count")
            try expectMetric(non2xx, "non-2xx responses", 25, "count")
            try expectMetric(try readOwn("ab-2.3/non2xx-l.txt"), "errors", 0, "count")
            let post = try readOwn("ab-2.3/post.txt")
            try expectMetric(post, "transfer sent", 145.25, "KiB/s", .higher)
            try expectMetric(post, "transfer total", 301.18, "KiB/s", .higher)
            let flaky = try readOwn("ab-2.3/flaky-r.txt")
            try expectMetric(flaky, "errors", 541, "count")
            try expectMetric(flaky, "latency p98", 1501, "ms")
            #expect(flaky.metrics["error rate"] == nil)
        }
    }

    @Suite("hey 0.1.4")
    struct Hey {
        @Test("the summary: seconds, the latency distribution, the details' averages, statuses and transport errors")
        func summary() throws {
            let read = try readOwn("hey-0.1.4/clean.txt")
            try expectMetric(read, "latency mean", 0.0059, "s")
            try expectMetric(read, "latency min", 0.0004, "s")
            try expectMetric(read, "latency max", 0.02, "s")
            try expectMetric(read, "latency p10", 0.0017, "s")
            try expectMetric(read, "latency p99", 0.0171, "s")
            try expectMetric(read, "throughput", 1603.5856, "req/s", .higher)
            try expectMetric(read, "resp wait mean", 0.0055, "s")
            try expectMetric(read, "DNS+dialup mean", 0, "s")
            try expectMetric(read, "requests", 500, "count", .higher)
            try expectMetric(read, "errors", 0, "count")
            let non200 = try readOwn("hey-0.1.4/non200.txt")
            try expectMetric(non200, "errors", 25, "count")
            try expectMetric(non200, "error rate", 5, "%")
            let errors = try readOwn("hey-0.1.4/errors.txt")
            try expectMetric(errors, "requests", 487 + 2 + 11, "count", .higher)
            try expectMetric(errors, "errors", 13, "count")
            // A run where no request got a response prints only its errors.
            let failed = try readText(
                "\nError distribution:\n  [200]\tGet \"http://127.0.0.1:1/\": dial tcp: connection refused\n\n",
                name: "hey.txt")
            #expect(failed.format == "hey")
            try expectMetric(failed, "errors", 200, "count")
            try expectMetric(failed, "error rate", 100, "%")
            #expect(failed.notes == ["hey.txt: no request of the hey run got a response; only its errors are read"])
        }

        @Test("-o csv: hey's own percentiles of the rows, and a note that failed requests have no row")
        func csv() throws {
            let read = try readOwn("hey-0.1.4/csv.csv")
            try expectMetric(read, "latency mean", 0.005539, "s")
            try expectMetric(read, "latency min", 0.0005, "s")
            try expectMetric(read, "latency max", 0.0235, "s")
            try expectMetric(read, "latency p10", 0.002, "s")
            try expectMetric(read, "latency p50", 0.0053, "s")
            try expectMetric(read, "latency p99", 0.0135, "s")
            try expectMetric(read, "requests", 500, "count", .higher)
            try expectMetric(read, "errors", 25, "count")
            try expectMetric(read, "throughput", 1737.921445950643, "req/s", .higher)
            #expect(read.notes.contains { $0.contains("hey -o csv has a row only for requests that got a response") })
            try expectMetric(try readOwn("hey-0.1.4/errors-csv.csv"), "requests", 195, "count", .higher)
        }
    }

    @Suite("siege 4.0.7")
    struct Siege {
        @Test(
            "-j is siege's, not a bare native object; the first run's notice and the text summary read the same names")
        func summaries() throws {
            let read = try readOwn("siege-4.0.7/json.json")
            try expectMetric(read, "requests", 2249, "count", .higher)
            try expectMetric(read, "availability", 95.01, "%", .higher)
            try expectMetric(read, "throughput", 842.32, "req/s", .higher)
            try expectMetric(read, "transfer", 0.4, "MiB/s", .higher)
            try expectMetric(read, "errors", 118, "count")
            try expectMetric(read, "latency mean", 0.01, "s")
            try expectMetric(read, "latency max", 0.03, "s")
            try expectMetric(read, "latency min", 0, "s")
            #expect(read.notes.contains { $0.contains("siege rounds its times to 0.01 s") })
            let first = try readOwn("siege-4.0.7/json-firstrun.txt")
            try expectMetric(first, "requests", 2294, "count", .higher)
            let text = try readOwn("siege-4.0.7/text.txt")
            try expectMetric(text, "throughput", 829.06, "req/s", .higher)
            try expectMetric(text, "transfer", 0.39, "MiB/s", .higher)
            #expect(Set(text.metrics.metrics.map(\.name)) == Set(read.metrics.metrics.map(\.name)))
        }
    }

    @Suite("Locust 2.47.0")
    struct Locust {
        @Test("--csv: the Aggregated row in the shared names, each endpoint prefixed, failures.csv beside it as notes")
        func statsCSV() throws {
            let read = try readOwn("locust-2.47.0/locust_stats.csv")
            try expectMetric(read, "GET /users/[id] latency p95", 23, "ms")
            try expectMetric(read, "GET /users/[id] requests", 685, "count", .higher)
            try expectMetric(read, "GET /users/[id] errors", 110, "count")
            try expectMetric(read, "GET /users/[id] throughput", 170.2289640514554, "req/s", .higher)
            try expectMetric(read, "latency p99.9", 34, "ms")
            try expectMetric(read, "latency p99.99", 68, "ms")
            try expectMetric(read, "latency mean", 12.809780234724498, "ms")
            try expectMetric(read, "latency max", 68.45670500001688, "ms")
            try expectMetric(read, "requests", 1342, "count", .higher)
            try expectMetric(read, "errors", 157, "count")
            try expectMetric(read, "error rate", 157.0 / 1342 * 100, "%")
            #expect(
                read.notes.contains {
                    $0.hasSuffix(
                        "110 failures of GET /users/[id]: 110 × HTTPError('404 Client Error: Not Found for url: /users/[id]')"
                    )
                })
            #expect(read.notes.contains { $0.contains("25 failures of POST /orders:") && $0.contains("more kinds") })
        }

        @Test("failures.csv alone gives the errors per endpoint")
        func failuresCSV() throws {
            let read = try readOwn("locust-2.47.0/locust_failures.csv")
            try expectMetric(read, "GET /users/[id] errors", 110, "count")
            try expectMetric(read, "POST /orders errors", 25, "count")
            try expectMetric(read, "errors", 157, "count")
        }

        @Test("--json: percentiles from the histograms equal the console's Aggregated row of the same run")
        func json() throws {
            let read = try readOwn("locust-2.47.0/json.json")
            // json-console.txt: `Aggregated  12 14 15 16 20 23 25 28 68 82 82  1439`
            let console = [
                ("p50", 12.0), ("p66", 14), ("p75", 15), ("p80", 16), ("p90", 20), ("p95", 23), ("p98", 25),
                ("p99", 28),
                ("p99.9", 68), ("p99.99", 82),
            ]
            for (statistic, value) in console { try expectMetric(read, "latency " + statistic, value, "ms") }
            try expectMetric(read, "requests", 1439, "count", .higher)
            let entries =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: ownCorpus.appendingPathComponent("locust-2.47.0/json.json")))
                as! [[String: Any]]
            let failures = entries.map { $0["num_failures"] as! Double }.reduce(0, +)
            try expectMetric(read, "errors", failures, "count")
            let users = try #require(entries.first { $0["name"] as? String == "/users/[id]" })
            try expectMetric(
                read, "GET /users/[id] latency mean",
                (users["total_response_time"] as! Double) / (users["num_requests"] as! Double), "ms")
            try expectMetric(read, "GET /users/[id] latency min", users["min_response_time"] as! Double, "ms")
        }
    }

    @Suite("k6 1.1.0")
    struct K6 {
        @Test("--out json summarised as k6 summarises: the trends, rates and counts of the same run's --summary-export")
        func pointsEqualSummary() throws {
            let points = try readOwn("k6-1.1.0/points.ndjson")
            let summary = try readOwn("k6-1.1.0/summary.json")
            for name in [
                "http_req_duration", "http_req_duration{expected_response:true}", "http_req_duration{name:home}",
                "iteration_duration", "http_req_waiting",
            ] {
                for statistic in ["avg", "min", "med", "max", "p(90)", "p(95)"] {
                    let expected = try metric(summary, "\(name) \(statistic)")
                    let derived = try metric(points, "\(name) \(statistic)")
                    #expect(abs(derived.value - expected.value) <= 1e-9 * expected.value, "\(name) \(statistic)")
                    #expect(derived.unit?.symbol == "ms")
                }
            }
            try expectMetric(points, "http_req_failed rate", 17.0 / 91, nil)
            try expectMetric(points, "http_req_failed passes", 17, "count")
            try expectMetric(points, "http_req_failed fails", 74, "count", .higher)
            try expectMetric(points, "checks rate", try metric(summary, "checks value").value, nil, .higher)
            try expectMetric(points, "checks{check:data is 200} passes", 34, "count", .higher)
            try expectMetric(points, "http_reqs count", 91, "count", .higher)
            try expectMetric(points, "data_received count", 25260, "B")
            // Per name tag, beyond what the export holds.
            try expectMetric(points, "http_req_duration{name:missing} count", 17, "count")
            try expectMetric(points, "http_req_failed{name:missing} rate", 1, nil)
            #expect(points.metrics.metrics.allSatisfy { $0.samples == nil })
        }

        @Test("--summary-export: thresholds become notes (true is a failure); rates by what their true samples mean")
        func summaryExport() throws {
            let read = try readOwn("k6-1.1.0/summary.json")
            #expect(read.notes.contains("k6-1.1.0/summary.json: k6 threshold \"rate<0.01\" of http_req_failed failed"))
            #expect(
                read.notes.contains(
                    "k6-1.1.0/summary.json: k6 threshold \"p(95)<500\" of http_req_duration{expected_response:true} passed"
                ))
            #expect(!read.metrics.metrics.contains { $0.name.contains("thresholds") || $0.name.contains("<") })
            try expectMetric(read, "http_req_failed passes", 17, "count")
            try expectMetric(read, "http_req_failed fails", 74, "count", .higher)
            try expectMetric(read, "checks passes", 114, "count", .higher)
            try expectMetric(read, "checks fails", 17, "count")
            try expectMetric(read, "http_reqs count", 91, "count", .higher)
            let handle = try readOwn("k6-1.1.0/handle-summary.json")
            #expect(
                handle.notes.contains(
                    "k6-1.1.0/handle-summary.json: k6 threshold \"rate<0.01\" of http_req_failed failed"))
            try expectMetric(handle, "http_req_failed rate", 17.0 / 91, nil)
        }

        @Test("the documented shapes: the machine-readable summary and --out json's declared submetrics")
        func documented() throws {
            let machine = try readOwn("doc-derived/k6-machine-readable.json")
            try expectMetric(machine, "http_req_duration p(95)", 231.4418, "ms")
            try expectMetric(machine, "http_req_failed matches", 9, "count")
            try expectMetric(machine, "http_req_failed rate", 0.003006012024048096, nil)
            let out = try readOwn("doc-derived/k6-out.ndjson")
            // Three http_req_duration points: 58.2113, 91.0032, 1211.774 (k6's p(90) interpolates between the top two).
            try expectMetric(out, "http_req_duration med", 91.0032, "ms")
            try expectMetric(out, "http_req_duration p(90)", 91.0032 + (1211.774 - 91.0032) * 0.8, "ms")
            try expectMetric(out, "http_req_failed passes", 1, "count")
            let export = try readOwn("doc-derived/k6-summary-export.json")
            #expect(export.notes.contains { $0.contains("failed") })
        }
    }
}
