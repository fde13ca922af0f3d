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

/// Input that is cut short, breaks its format, or holds no report is refused with a message and a
/// place, in every format; it is never read in part and never crashes.
@Suite("Bad input is an error at a line and column, never a crash")
struct BadInputTests {
    static let cases: [(name: String, text: String, format: String, message: String)] = [
        (
            "k6.ndjson",
            "{\"type\":\"Metric\",\"data\":{\"name\":\"x\",\"type\":\"trend\",\"contains\":\"time\"},\"metric\":\"x\"}\n{\"metric\":\"x\",\"type\":\"Point\",\"data\":{\"value\":\n{\"metric\":\"x\",\"type\":\"Point\",\"data\":{\"value\":1}}\n",
            "auto", "expected a value"
        ),
        (
            "k6.ndjson",
            "{\"type\":\"Metric\",\"data\":{\"name\":\"x\",\"type\":\"trend\"},\"metric\":\"x\"}\n{\"metric\":\"x\",\"type\":\"Point\",\"data\":{\"value\":\"1\"}}",
            "auto", "`value` of k6 point of \"x\" must be a number"
        ),
        (
            "locust.json", #"[{"name": "/a", "method": "GET", "num_requests": "12", "response_times": {}}]"#,
            "auto",
            "`num_requests` of Locust entry 1 must be a number"
        ),
        (
            "locust.json",
            #"[{"name": "/a", "method": "GET", "num_requests": 1, "num_failures": 0, "total_response_time": 1, "response_times": {"1": null}}]"#,
            "auto", "`response_times` count of Locust entry 1 must be a count"
        ),
        (
            "m.prom", "# TYPE h histogram\nh_bucket{le=\"1\"} NaN\nh_bucket{le=\"+Inf\"} 1\n", "auto",
            "h_bucket is nan, but a count must be a number ≥ 0"
        ),
        ("m.prom", "# TYPE h histogram\nh_count -3\n", "auto", "h_count is -3.0, but a count must be a number ≥ 0"),
        ("m.prom", "# TYPE g gauge\ng{a=\"x} 1\n", "auto", "a quoted label value is not closed"),
        ("m.prom", "# TYPE h histogram\nh_count 3\nh_count 4\n", "auto", "h_count appears twice"),
        ("m.prom", "# TYPE h histogram\nh 3\n", "auto", "h is no sample of histogram h"),
        (
            "m.prom", "# TYPE s summary\ns{quantile=\"1.5\"} 3\n", "auto",
            "summary sample s needs a `quantile` label between 0 and 1"
        ),
        ("m.prom", "# TYPE g gauge\ng{a=\"x\"} one\n", "auto", "\"one\" is not a number"),
        (
            "o.json",
            #"{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "h", "histogram": {"dataPoints": [{"count": "x", "bucketCounts": ["1"]}]}}]}]}]}"#,
            "auto", "`count` of a data point of \"h\" must be a count"
        ),
        (
            "o.json",
            #"{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "h", "histogram": {"dataPoints": [{"bucketCounts": ["1", "2"], "explicitBounds": []}]}}]}]}]}"#,
            "auto", "a data point of \"h\" has 2 bucket counts for 0 bounds"
        ),
        (
            "wrk.txt",
            "Running 3s test @ http://127.0.0.1:1/\n  2 threads and 10 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     4.15xs    3.10ms  32.12ms   73.80%\n",
            "auto", "wrk time \"4.15xs\" is not a number with us, ms, s, m or h"
        ),
        (
            "wrk.txt", "Running 3s test @ http://127.0.0.1:1/\n  2 threads and 10 connections\n", "auto",
            "this wrk report has no `N requests in …` and `Requests/sec:` lines"
        ),
        (
            "r.jtl", "timeStamp,elapsed,label,success\n1,5,a,true\n2,6,a\n3,5,a,true\n", "auto",
            "this line of JMeter's results file has 3 fields, the header has 4"
        ),
        (
            "r.jtl", "timeStamp,elapsed,label,success\n1,five,a,true\n", "auto",
            "`elapsed` must be a number, got \"five\""
        ),
        (
            "r.jtl", "timeStamp,elapsed,label,success\n1,5,\"a,true\n2,5,a,true\n", "auto",
            "a quoted field of JMeter's results file is not closed"
        ),
        (
            "hey.csv",
            "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n0.1,0,0,0,0,0,OK,0\n",
            "auto", "`status-code` must be a number, got \"OK\""
        ),
        (
            "v.json",
            #"{"latencies": {"mean": "4ms", "50th": 1, "90th": 1, "95th": 1, "99th": 1, "max": 1, "min": 1}, "bytes_in": {}, "status_codes": {"200": 1}, "requests": 1, "throughput": 1}"#,
            "auto", "`mean` of `latencies` must be a number"
        ),
        (
            "s.json", #"{"transactions": 1, "availability": 100, "transaction_rate": 1, "elapsed_time": 1}"#,
            "auto", "siege's summary has no `response_time`"
        ),
        (
            "g.json",
            #"{"numberOfRequests": {"total": 1, "ok": 1, "ko": 0}, "meanNumberOfRequestsPerSecond": {"total": "fast"}}"#,
            "auto",
            "`meanNumberOfRequestsPerSecond.total` of Gatling's statistics must be a number"
        ),
        (
            "a.json", #"{"aggregate": {"counters": {"http.requests": -1}, "summaries": {}}}"#, "auto",
            "counter \"http.requests\" must be a count"
        ),
        (
            "l.json", #"{"lighthouseVersion": "12", "audits": {"fcp": {"numericValue": "fast"}}}"#, "auto",
            "`numericValue` of audit \"fcp\" must be a number"
        ),
        (
            "x.json", #"[{"name": "a", "size": true}]"#, "size-limit",
            "`size` of size-limit check \"a\" must be a number"
        ),
        (
            "c.json",
            #"{"url": "x", "latency": {"p97_5": 1}, "requests": {"sent": 1}, "non2xx": 0, "throughput": {}}"#,
            "auto",
            "`requests` has no `total`"
        ),
    ]

    @Test("each broken file is refused with a message and a position", arguments: cases.indices)
    func refused(_ index: Int) {
        let (name, text, format, message) = Self.cases[index]
        guard let error = readError(text, name: name, format: format) else {
            Issue.record("\(name) #\(index) was read")
            return
        }
        #expect(error.message.contains(message), "\(name) #\(index): \(error.message)")
        #expect(error.file == name && error.line != nil && error.column != nil, "\(error)")
    }

    /// The files of the new formats, for the truncation test.
    static let files =
        DetectionTests.detected.map(\.path) + ["ab-2.3/flaky-abort.txt", "locust-2.47.0/locust_stats_history.csv"]
    /// The names of the new formats.
    static let formats = Set(DetectionTests.detected.map(\.format))

    @Test(
        "every file cut short, read as detected and as each new format: metrics that round-trip, or errors with a place",
        arguments: files)
    func truncated(path: String) throws {
        let bytes = Array(try Data(contentsOf: ownCorpus.appendingPathComponent(path)))
        for cut in Set([0, 1, bytes.count / 7, bytes.count / 3, bytes.count / 2, bytes.count - 2, bytes.count - 1])
        where cut >= 0 && cut < bytes.count {
            for format in ["auto"] + Self.formats.sorted() {
                do {
                    let read = try MetricsReader.read(
                        SourceText(name: "cut", bytes: Array(bytes[..<cut])), format: format)
                    let native = BaselineDocument.metricsDocument(read.metrics)
                    #expect(
                        try NativeFormat.read(SourceText(name: "again", text: native)) == read.metrics,
                        "\(path) cut at \(cut) as \(format)")
                } catch {
                    #expect(
                        error.redlineErrors.allSatisfy { $0.file == "cut" },
                        "\(path) cut at \(cut) as \(format): \(error)")
                }
            }
        }
    }

    @Test(
        "half a format is an error on the line that breaks it, never a partial read",
        arguments: [
            (
                "BenchmarkFib10-8   \t5000000\t   325",
                "Go benchmark line for BenchmarkFib10-8 has no complete value and unit"
            ),
            ("BenchmarkFib10-8   \t5000000\t   abc ns/op", "\"abc\" is not a number"),
            ("test a ... bench:", "libtest bench line for \"a\" has no value and unit"),
            ("fib                    time:   [320.62 ps 323.90", "is not three values with units"),
            (
                "benchmark name    samples    iterations    estimated\nFib 10        100    208    7.1 ms\n",
                "without its mean line"
            ),
        ])
    func truncatedText(text: String, expected: String) throws {
        let error = try #require(readError(text))
        #expect(error.message.contains(expected), "\(error)")
        #expect(error.line != nil)
    }

    @Test(
        "truncated JSON of a tool is an error with its position",
        arguments: [
            (
                #"{"context": {}, "benchmarks": [{"name": "BM_a", "real_time": 1, "time_unit": "ns"}"#,
                "unexpected end of file"
            ),
            (#"{"results": [{"command": "sleep 1"}]}"#, "has no median, mean or times"),
            (#"{"benchmarks": [{"name": "t", "stats": {}}]}"#, "has no numeric median or mean"),
            (
                #"[{"benchmark": "a.b", "mode": "thrpt", "primaryMetric": {"scoreUnit": "ops/s"}}]"#,
                "has no numeric `score`"
            ),
        ])
    func truncatedJSON(text: String, expected: String) throws {
        let error = try #require(readError(text, name: "out.json"))
        #expect(error.message.contains(expected), "\(error)")
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
    func noReport(path: String, line: Int, message: String) {
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
