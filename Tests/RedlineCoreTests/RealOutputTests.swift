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

/// The repository's own corpus: output of real runs of the tools (Tests/Corpus, see its SOURCES.txt
/// and the scripts in scripts/real-tools that made them).
let ownCorpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Corpus")

/// Reads a file of the repository's corpus as `--format auto` would, with the companions a format asks for.
func readOwn(_ path: String, format: String = "auto") throws -> ReadResult {
    let url = ownCorpus.appendingPathComponent(path)
    let source = SourceText(name: path, bytes: Array(try Data(contentsOf: url)))
    var companions: [String: SourceText] = [:]
    for name in MetricsFormats.companions(of: path, format: format) {
        let sibling = url.deletingLastPathComponent().appendingPathComponent(name)
        if let data = try? Data(contentsOf: sibling) { companions[name] = SourceText(name: name, bytes: Array(data)) }
    }
    return try MetricsReader.read(source, format: format, companions: companions)
}

/// The JSON document of a corpus file, for checking read values against what the tool wrote.
func ownJSON(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: ownCorpus.appendingPathComponent(path))) as! [String: Any]
}

@Suite("Real output of Criterion 0.3.6: lowercase estimates, a null slope, multi-line change blocks")
struct CriterionRealTests {
    @Test(
        "today's estimates.json (lowercase keys) reads the slope, or the mean where the slope is null",
        arguments: [
            ("criterion-0.3.6/checksum/fnv/1024/new/estimates.json", "checksum/fnv/1024", "slope"),
            ("criterion-0.3.6/fib_18/new/estimates.json", "fib_18", "slope"),
            ("criterion-0.3.6/flat/insertion_sort_256/new/estimates.json", "flat/insertion_sort_256", "mean"),
        ])
    func estimates(path: String, name: String, estimate: String) throws {
        let expected = try #require((try ownJSON(path)[estimate] as? [String: Any])?["point_estimate"] as? Double)
        for format in ["auto", "criterion"] {
            let read = try readOwn(path, format: format)
            #expect(read.format == "criterion")
            let metric = try #require(read.metrics[name], "named by benchmark.json's full_id")
            #expect(metric.value == expected)
            #expect(metric.unit?.symbol == "ns")
        }
    }

    @Test("change/estimates.json (relative changes) is refused as such, detected or named")
    func changeFile() throws {
        for format in ["auto", "criterion"] {
            do {
                _ = try readOwn("criterion-0.3.6/fib_18/change/estimates.json", format: format)
                Issue.record("read a change file")
            } catch {
                #expect(
                    error.redlineErrors[0].message
                        == "this is Criterion's change/estimates.json: relative changes, not measurements")
            }
        }
    }

    @Test("console output with multi-line change blocks reads the measurements and skips the relative changes")
    func consoleWithChanges() throws {
        let second = try readOwn("criterion-0.3.6/run2-change.txt")
        #expect(second.format == "cargo")
        #expect(
            second.metrics.metrics.map(\.name) == [
                "checksum/fnv/1024", "checksum/fnv/1024 [thrpt]", "checksum/fnv/16384", "checksum/fnv/16384 [thrpt]",
                "fib_18", "flat/insertion_sort_256", "flat/insertion_sort_256 [thrpt]",
            ])
        // The console's middle estimate is the slope Criterion wrote (5 significant digits).
        let slope = try #require(
            (try ownJSON("criterion-0.3.6/checksum/fnv/1024/new/estimates.json")["slope"] as? [String: Any])?[
                "point_estimate"] as? Double)
        let metric = try #require(second.metrics["checksum/fnv/1024"])
        #expect(metric.unit?.symbol == "µs")
        #expect(abs(metric.value * 1000 - slope) / slope < 1e-4)
        #expect(second.metrics["checksum/fnv/1024 [thrpt]"]?.value == 297.76)
        #expect(second.metrics["checksum/fnv/1024 [thrpt]"]?.effectiveDirection == .higher)
        let first = try readOwn("criterion-0.3.6/run1-base.txt")
        #expect(first.metrics["fib_18"]?.value == 13.611)
    }
}

@Suite("Real output of benchmark.js 2.1.4 with several suites")
struct BenchmarkJSRealTests {
    @Test("names used in several suites are qualified by the suite's header line; a name used once is kept")
    func suites() throws {
        let read = try readOwn("benchmarkjs-2.1.4/console.txt")
        #expect(read.format == "benchmarkjs")
        let names = read.metrics.metrics.map(\.name)
        #expect(names.contains("parse (Testing format: json)"))
        #expect(names.contains("stringify (Testing format: broken)"))
        #expect(names.contains("bulk parse x 400"), "a name with ` x ` in it, used once")
        #expect(
            !names.contains { $0.hasPrefix("parse (Testing format: broken)") },
            "the benchmark that failed has no result")
        #expect(read.metrics["parse (Testing format: csv)"]?.value == 29_872)
        #expect(read.metrics["bulk parse x 400"]?.value == 36.79)
        #expect(read.metrics["stringify (Testing format: kv)"]?.unit?.symbol == "ops/s")
        #expect(names.count == 8)
    }

    @Test("a name twice in one suite is still an error")
    func duplicateInSuite() {
        let text = "Suite A\na x 1 ops/sec ±1% (9 runs sampled)\na x 2 ops/sec ±1% (9 runs sampled)\n"
        do {
            _ = try MetricsReader.read(SourceText(name: "b.txt", text: text))
            Issue.record("read a name twice")
        } catch {
            #expect(error.redlineErrors[0].message.hasPrefix("metric \"a\" appears twice"))
        }
    }
}

@Suite("Real output of hyperfine 1.15.0 with a 500-character command")
struct HyperfineRealTests {
    @Test("a long command gets a readable, unique name within the limit, and a note with the whole command")
    func longCommand() throws {
        let read = try readOwn("hyperfine-1.15.0/long-short.json")
        let results = try ownJSON("hyperfine-1.15.0/long-short.json")["results"] as! [[String: Any]]
        let long = results[0]["command"] as! String
        #expect(long.count == 500)
        let names = read.metrics.metrics.map(\.name)
        #expect(names.contains("sleep 0.01"))
        let shortened = try #require(names.first { $0 != "sleep 0.01" })
        #expect(shortened.unicodeScalars.count <= MetricRules.maximumLength)
        #expect(shortened.hasPrefix(String(long.prefix(40))))
        #expect(shortened.contains("… #"))
        #expect(read.metrics[shortened]?.value == 0.0036130237000000006, "the file's median, to the last digit")
        #expect(read.metrics[shortened]?.samples?.count == 5)
        #expect(read.notes.count == 1 && read.notes[0].hasSuffix(long))
        // Names survive a baseline: the native reader takes them back as they are.
        let again = try NativeFormat.read(
            SourceText(name: "b.json", text: BaselineDocument.metricsDocument(read.metrics)))
        #expect(again == read.metrics)
    }

    @Test("two long commands that start alike get two names")
    func uniqueNames() {
        let prefix = String(repeating: "true; ", count: 60)
        let first = Hyperfine.metricName(prefix + "echo a").name
        let second = Hyperfine.metricName(prefix + "echo b").name
        #expect(first != second)
        #expect(Hyperfine.metricName("a\n  b\tc").name == "a b c")
        #expect(Hyperfine.metricName("sleep 1").shortened == false)
    }

    @Test("`-n` names and parameter runs read as written")
    func named() throws {
        #expect(
            try readOwn("hyperfine-1.15.0/named.json").metrics.metrics.map(\.name) == ["long pipeline", "short sleep"])
        #expect(try readOwn("hyperfine-1.15.0/params.json").format == "hyperfine")
    }

    @Test("an export with no results reads as hyperfine, with a note, not as a native metric named `results`")
    func noResults() throws {
        let read = try MetricsReader.read(SourceText(name: "h.json", text: #"{"results": []}"#))
        #expect(read.format == "hyperfine")
        #expect(read.metrics.metrics.isEmpty)
        #expect(read.notes == ["h.json: the hyperfine export has no results (no command was run)"])
    }
}

@Suite("Real output of k6 1.1.0: submetrics and rates of things that are worse when more")
struct K6RealTests {
    @Test(
        "--summary-export: a submetric takes its parent's unit; dropped iterations and failed requests are lower-is-better"
    )
    func summaryExport() throws {
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
}

@Suite("Detection prefers a tool's signature; the native format never claims a tool's file")
struct DetectionTests {
    @Test("a package-benchmark thresholds file with custom metrics reads as package-benchmark, not native")
    func packageBenchmarkCustom() throws {
        // The shape package-benchmark's `thresholds update` writes (sorted keys, whole numbers).
        let text = "{\n  \"CustomMetricOne\" : 3,\n  \"throughput\" : 100,\n  \"wallClock\" : 120\n}"
        let read = try MetricsReader.read(SourceText(name: "Thresholds/Bench.Custom.p90.json", text: text))
        #expect(read.format == "package-benchmark")
        #expect(
            read.metrics.metrics.map(\.name) == [
                "Bench.Custom CustomMetricOne", "Bench.Custom throughput", "Bench.Custom wallClock",
            ])
        #expect(read.metrics["Bench.Custom wallClock"]?.unit?.symbol == "ns")
        #expect(read.metrics["Bench.Custom throughput"]?.effectiveDirection == .higher)
        #expect(read.metrics["Bench.Custom CustomMetricOne"]?.unit == nil)
        // Not named *.p90.json: package-benchmark's own metric names still decide over the bare native shape.
        let renamed = try MetricsReader.read(SourceText(name: "thresholds.json", text: text))
        #expect(renamed.format == "package-benchmark")
        // But a hand-written file of common words stays native.
        let native = try MetricsReader.read(
            SourceText(name: "m.json", text: #"{"throughput": 1250, "apiResponseTime": 87.5}"#))
        #expect(native.format == "native")
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
