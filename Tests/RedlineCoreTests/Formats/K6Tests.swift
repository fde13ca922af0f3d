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

/// k6's end-of-test summary as JSON: the documented shapes, k6 1.1.0's real output
/// (Tests/Corpus/k6-1.1.0) and the browser module's metrics. Its `--out json` points are `K6PointsTests`.
@Suite("k6: the end-of-test summary (--summary-export, handleSummary, the machine-readable summary)")
struct K6Tests {
    // No k6 output is in the corpus (k6 is not installable here): this is the shape k6's
    // documentation gives for --summary-export (legacy) and for handleSummary's data.
    static let k6Legacy = """
        {
          "root_group": { "name": "", "path": "", "id": "d41d8cd98f00b204e9800998ecf8427e", "groups": {}, "checks": {} },
          "options": { "summaryTrendStats": ["avg", "min", "med", "max", "p(90)", "p(95)"] },
          "state": { "isStdOutTTY": false, "isStdErrTTY": false, "testRunDurationMs": 30123.4 },
          "metrics": {
            "http_req_duration": { "avg": 120.5, "min": 80.1, "med": 110.2, "max": 480.9, "p(90)": 190.3, "p(95)": 240.7 },
            "http_reqs": { "count": 2500, "rate": 83.1 },
            "data_received": { "count": 1048576, "rate": 34952.5 },
            "checks": { "passes": 2490, "fails": 10, "value": 0.996 },
            "vus": { "value": 10, "min": 10, "max": 10 }
          }
        }
        """

    static let k6Summary = """
        {
          "root_group": { "name": "", "path": "", "id": "d41d8cd98f00b204e9800998ecf8427e", "groups": [], "checks": [] },
          "options": { "summaryTrendStats": ["avg", "min", "med", "max", "p(90)", "p(95)"], "summaryTimeUnit": "", "noColor": false },
          "state": { "isStdOutTTY": false, "isStdErrTTY": false, "testRunDurationMs": 10012.3 },
          "metrics": {
            "http_req_duration": { "type": "trend", "contains": "time",
              "values": { "avg": 50.2, "min": 20.0, "med": 45.5, "max": 300.0, "p(90)": 90.1, "p(95)": 120.4 },
              "thresholds": { "p(95)<500": { "ok": true } } },
            "http_req_failed": { "type": "rate", "contains": "default", "values": { "rate": 0.01, "passes": 5, "fails": 495 } },
            "http_reqs": { "type": "counter", "contains": "default", "values": { "count": 500, "rate": 49.9 } },
            "data_sent": { "type": "counter", "contains": "data", "values": { "count": 40000, "rate": 3995.1 } },
            "my_trend": { "type": "trend", "contains": "default", "values": { "avg": 3.5, "med": 3.0 } }
          }
        }
        """

    @Test("k6 --summary-export: every statistic a metric, time trends in ms, rates per second higher-is-better")
    func k6Legacy() throws {
        let result = try readText(Self.k6Legacy, name: "summary.json")
        #expect(result.format == "k6")
        let metrics = result.metrics
        #expect(metrics["http_req_duration p(95)"]?.value == 240.7)
        #expect(metrics["http_req_duration p(95)"]?.unit?.symbol == "ms")
        #expect(metrics["http_req_duration med"]?.value == 110.2)
        #expect(metrics["http_reqs rate"]?.unit?.symbol == "/s")
        #expect(metrics["http_reqs rate"]?.effectiveDirection == .higher)
        #expect(metrics["data_received count"]?.unit?.symbol == "B")
        #expect(metrics["data_received rate"]?.unit?.symbol == "B/s")
        #expect(metrics["checks value"]?.effectiveDirection == .higher)
        #expect(metrics["checks fails"]?.effectiveDirection == .lower)
        #expect(metrics["vus max"]?.value == 10)
        #expect(metrics.metrics.count == 6 + 2 + 2 + 3 + 3)
    }

    @Test("k6 handleSummary data: `contains` decides the unit; thresholds are not metrics")
    func k6Summary() throws {
        let result = try readText(Self.k6Summary, name: "summary.json")
        #expect(result.format == "k6")
        let metrics = result.metrics
        #expect(metrics["http_req_duration avg"]?.unit?.symbol == "ms")
        #expect(metrics["my_trend avg"]?.unit == nil)
        #expect(metrics["http_req_failed rate"]?.value == 0.01)
        #expect(metrics["http_req_failed rate"]?.unit == nil)
        #expect(metrics["http_req_failed rate"]?.effectiveDirection == .lower)
        #expect(metrics["data_sent rate"]?.unit?.symbol == "B/s")
        #expect(metrics.metrics.count == 6 + 3 + 2 + 2 + 2)
    }

    @Test(
        "--summary-export: a submetric takes its parent's unit; dropped iterations and failed requests are lower-is-better"
    )
    func summaryExportSubmetrics() throws {
        let read = try readOwn("k6-1.1.0/summary.json")
        #expect(read.format == "k6")
        let sub = try #require(read.metrics["http_req_duration{expected_response:true} p(95)"])
        #expect(sub.unit?.symbol == "ms")
        #expect(sub.value == 6.573769599999996)
        #expect(read.metrics["http_req_duration{name:home} avg"]?.unit?.symbol == "ms")
        #expect(read.metrics["dropped_iterations rate"]?.effectiveDirection == .lower)
        #expect(read.metrics["dropped_iterations count"]?.effectiveDirection == .lower)
        #expect(read.metrics["http_req_failed value"]?.effectiveDirection == .lower)
        #expect(read.metrics["http_req_failed value"]?.value == 17.0 / 91.0)
        #expect(read.metrics["checks value"]?.effectiveDirection == .higher)
        #expect(read.metrics["http_reqs rate"]?.effectiveDirection == .higher)
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

    @Test(
        "k6 --summary-export with the browser module: web vitals and browser HTTP timings in ms, browser data in B, cls without a unit"
    )
    func k6Browser() throws {
        let read = try readOwn("doc-derived/k6-browser-summary-export.json")
        #expect(read.format == "k6")
        #expect(read.metrics["browser_web_vital_ttfb p(95)"]?.unit?.symbol == "ms")
        #expect(read.metrics["browser_web_vital_ttfb p(95)"]?.value == 585.07)
        for name in [
            "browser_web_vital_inp avg", "browser_web_vital_fid max", "browser_http_req_duration med",
            "browser_web_vital_lcp p(90)",
        ] {
            #expect(read.metrics[name]?.unit?.symbol == "ms", "\(name)")
        }
        #expect(read.metrics["browser_web_vital_cls avg"]?.unit == nil)
        #expect(read.metrics["browser_data_received count"]?.unit?.symbol == "B")
        #expect(read.metrics["browser_data_received rate"]?.unit?.symbol == "B/s")
        #expect(read.metrics["browser_http_req_failed value"]?.effectiveDirection == .lower)
        #expect(read.metrics["browser_http_req_failed passes"]?.effectiveDirection == .lower)
    }

    @Test("a statistic in quotes is an error at it; summary-export's thresholds object is not a statistic")
    func quotedStatistic() throws {
        let export =
            #"{"metrics": {"http_req_duration": {"avg": 1.5, "p(95)": 3, "thresholds": {"p(95)<500": false}}}}"#
        #expect(try readText(export, name: "k6.json").metrics.metrics.count == 2)
        let quoted = #"{"metrics": {"http_req_duration": {"avg": "1.5", "p(95)": 3}}}"#
        let error = try #require(readError(quoted, name: "k6.json", format: "k6"))
        #expect(error.message.contains("`avg` of k6 metric \"http_req_duration\" must be a number"))
    }
}
