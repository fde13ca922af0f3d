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

func readText(_ text: String, name: String = "out.txt", format: String = "auto") throws -> ReadResult {
    try MetricsReader.read(SourceText(name: name, text: text), format: format)
}

func readError(_ text: String, name: String = "out.txt", format: String = "auto") -> RedlineError? {
    do {
        _ = try readText(text, name: name, format: format)
        return nil
    } catch {
        return error.redlineErrors.first
    }
}

@Suite("Tool formats beyond the corpus")
struct FormatTests {
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

    // The XML reporter's shape as Catch2 v3 writes it (values in nanoseconds).
    static let catch2XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Catch2TestRun name="bench" rng-seed="1" xml-format-version="2" catch2-version="3.4.0">
          <TestCase name="Fibonacci" filename="bench.cpp" line="5">
            <BenchmarkResults name="Fibonacci 10" samples="100" resamples="100000" iterations="208" clockResolution="20.1" estimatedDuration="7196800">
              <!-- All values in nano seconds -->
              <mean value="344.373" lowerBound="341.818" upperBound="346.733" ci="0.95"/>
              <standardDeviation value="12.42" lowerBound="10.22" upperBound="14.99" ci="0.95"/>
              <outliers variance="0.32" lowMild="0" lowSevere="0" highMild="2" highSevere="0"/>
            </BenchmarkResults>
            <BenchmarkResults name="Fibonacci &quot;20&quot; &amp; more" samples="100" resamples="100000" iterations="2" clockResolution="20.1" estimatedDuration="8371200">
              <mean value="41731.5" lowerBound="41250" upperBound="42622" ci="0.95"/>
            </BenchmarkResults>
            <OverallResult success="true"/>
          </TestCase>
          <OverallResults successes="0" failures="0" expectedFailures="0"/>
        </Catch2TestRun>
        """

    @Test("Catch2's XML reporter: the mean in ns, attribute entities decoded")
    func catch2XML() throws {
        let result = try readText(Self.catch2XML, name: "catch2.xml")
        #expect(result.format == "catch2")
        #expect(result.metrics["Fibonacci 10"]?.value == 344.373)
        #expect(result.metrics["Fibonacci 10"]?.unit?.symbol == "ns")
        #expect(result.metrics["Fibonacci \"20\" & more"]?.value == 41731.5)
        let truncated = String(Self.catch2XML.prefix(600))
        #expect(readError(truncated, name: "catch2.xml")?.message.contains("is not closed") == true)
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

    @Test("Go -count repeats become samples; the GOMAXPROCS suffix stays where dropping it would merge names")
    func goRepeats() throws {
        let text = """
            BenchmarkSort-8   	 1000	  120 ns/op	  16 B/op
            BenchmarkSort-8   	 1000	  130 ns/op	  16 B/op
            BenchmarkSort-8   	 1000	  110 ns/op	  16 B/op
            BenchmarkX-4   	 1000	  1 ns/op
            BenchmarkX-8   	 1000	  2 ns/op
            """
        let metrics = try readText(text).metrics
        #expect(metrics["BenchmarkSort"]?.value == 120)
        #expect(metrics["BenchmarkSort"]?.samples == [120, 130, 110])
        #expect(metrics["BenchmarkSort B/op"]?.unit?.symbol == "B")
        #expect(metrics["BenchmarkX-4"]?.value == 1)
        #expect(metrics["BenchmarkX-8"]?.value == 2)
    }

    @Test("Google Benchmark: repetitions are samples, aggregates are not double-counted, counters are metrics")
    func googleRepetitions() throws {
        let text = """
            {"context": {"date": "2026-11-24"}, "benchmarks": [
              {"name": "BM_S/8", "run_name": "BM_S/8", "run_type": "iteration", "repetitions": 3, "repetition_index": 0, "iterations": 10, "real_time": 10, "cpu_time": 9, "time_unit": "us", "items_per_second": 1000},
              {"name": "BM_S/8", "run_name": "BM_S/8", "run_type": "iteration", "repetitions": 3, "repetition_index": 1, "iterations": 10, "real_time": 12, "cpu_time": 11, "time_unit": "us", "items_per_second": 900},
              {"name": "BM_S/8", "run_name": "BM_S/8", "run_type": "iteration", "repetitions": 3, "repetition_index": 2, "iterations": 10, "real_time": 11, "cpu_time": 10, "time_unit": "us", "items_per_second": 950},
              {"name": "BM_S/8_mean", "run_name": "BM_S/8", "run_type": "aggregate", "aggregate_name": "mean", "iterations": 3, "real_time": 11, "cpu_time": 10, "time_unit": "us"},
              {"name": "BM_S/8_stddev", "run_name": "BM_S/8", "run_type": "aggregate", "aggregate_name": "stddev", "iterations": 3, "real_time": 1, "cpu_time": 1, "time_unit": "us"},
              {"name": "BM_Only_median", "run_name": "BM_Only", "run_type": "aggregate", "aggregate_name": "median", "iterations": 3, "real_time": 5, "cpu_time": 5, "time_unit": "ms", "bytes_per_second": 2e9},
              {"name": "BM_Only_mean", "run_name": "BM_Only", "run_type": "aggregate", "aggregate_name": "mean", "iterations": 3, "real_time": 6, "cpu_time": 6, "time_unit": "ms"},
              {"name": "BM_Err", "run_name": "BM_Err", "run_type": "iteration", "error_occurred": true, "error_message": "skipped: no GPU"}
            ]}
            """
        let result = try readText(text, name: "gb.json")
        let metrics = result.metrics
        #expect(metrics["BM_S/8"]?.samples == [10, 12, 11])
        #expect(metrics["BM_S/8"]?.value == 11)
        #expect(metrics["BM_S/8"]?.unit?.symbol == "us")
        #expect(metrics["BM_S/8 [cpu_time]"]?.value == 10)
        #expect(metrics["BM_S/8 [items_per_second]"]?.unit?.symbol == "items/s")
        #expect(metrics["BM_S/8 [items_per_second]"]?.effectiveDirection == .higher)
        #expect(metrics["BM_Only"]?.value == 5)
        #expect(metrics["BM_Only"]?.unit?.symbol == "ms")
        #expect(metrics["BM_Only [bytes_per_second]"]?.unit?.symbol == "B/s")
        #expect(metrics["BM_Err"] == nil)
        #expect(result.notes == ["gb.json: benchmark \"BM_Err\" reported an error and is left out: skipped: no GPU"])
        #expect(metrics.metrics.count == 6)
    }
}
