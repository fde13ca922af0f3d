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

/// Which format a file is read as: each tool's file as its tool's, never as native; a file of no
/// format says so; `--format` forces a reader.
@Suite("Detection prefers a tool's signature; the native format never claims a tool's file")
struct DetectionTests {
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

    @Test("text that is no format says so and how to name one")
    func noFormat() throws {
        let error = try #require(readError("hello\nworld\n"))
        #expect(error.message == "this file matches none of the formats redline reads")
        #expect(error.hint == "name the format with --format NAME (`redline help check` lists them)")
    }

    @Test("a JSON file that is no tool's format reports the native error and that nothing else matched")
    func jsonNoFormat() throws {
        let error = try #require(readError(#"{"files": [1, 2]}"#, name: "vitest.json"))
        #expect(error.message.contains("metric \"files\" must be an object"))
        #expect(error.hint?.contains("it matches no tool's format either: name the format with --format NAME") == true)
        // A hand-written native file with a mistake gets the native reader's words only.
        let native = try #require(readError(#"{"a": "x"}"#))
        #expect(native.hint == nil || native.hint?.contains("--format") == false)
    }

    @Test("--format forces a reader: a Go file read as hyperfine is an error, not a guess")
    func forcedFormat() {
        let error = readError("BenchmarkA-8  100  5 ns/op", format: "hyperfine")
        #expect(error?.message.contains("unexpected 'B'") == true)
    }

    @Test("an explicit native schema decides; an unknown one is refused even on a tool's file")
    func schemaDecides() {
        let text = #"{"schema": "bogus.v9", "results": [{"command": "a", "median": 1, "times": [1]}]}"#
        do {
            _ = try MetricsReader.read(SourceText(name: "h.json", text: text))
            Issue.record("accepted an unknown schema")
        } catch {
            #expect(error.redlineErrors[0].message == "unknown schema \"bogus.v9\"")
        }
    }
}
