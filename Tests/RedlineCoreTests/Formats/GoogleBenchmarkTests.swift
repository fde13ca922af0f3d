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

@Suite("google-benchmark: repetitions, aggregates, counters, a file cut short")
struct GoogleBenchmarkTests {
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

    @Test("a Google Benchmark JSON cut off mid-array is still refused at its line and column")
    func googleBenchmarkCut() throws {
        let whole = try readOwnText("peers/google-benchmark/test1_run1.json")
        let cut = String(whole.prefix(whole.count / 2))
        do {
            _ = try readBytes(Array(cut.utf8), name: "cut.json")
            Issue.record("a cut JSON document was read")
        } catch {
            let first = error.redlineErrors[0]
            #expect(first.line != nil && first.column != nil)
        }
    }

    static func file(_ entries: String...) -> String {
        #"{"context": {}, "benchmarks": ["# + entries.joined(separator: ", ") + "]}"
    }

    @Test(
        "a time in quotes is an error at it, in the first repetition or a later one",
        arguments: [
            (file(#"{"name": "BM_a", "real_time": "9", "time_unit": "ns"}"#), "`real_time`", "9"),
            (file(#"{"name": "BM_a", "real_time": 9, "cpu_time": "8", "time_unit": "ns"}"#), "`cpu_time`", "8"),
            (
                file(
                    #"{"name": "BM_a", "run_type": "iteration", "real_time": 9, "cpu_time": 8, "time_unit": "ns"}"#,
                    #"{"name": "BM_a", "run_type": "iteration", "real_time": 9, "cpu_time": "7", "time_unit": "ns"}"#),
                "`cpu_time`", "7"
            ),
        ])
    func quotedTime(text: String, key: String, written: String) throws {
        let error = try #require(readError(text, name: "gb.json"))
        #expect(error.message == "\(key) of benchmark \"BM_a\" must be a number, got the string \"\(written)\"")
        #expect(error.line == 1)
    }

    @Test("a number in quotes under a key the library does not define is said in one note, not read as a counter")
    func quotedCounter() throws {
        let entry = #"{"name": "BM_a", "run_type": "iteration", "real_time": 9, "time_unit": "ns", "items": "12"}"#
        let result = try readText(Self.file(entry, entry), name: "gb.json")
        #expect(result.metrics.metrics.map(\.name) == ["BM_a"])
        #expect(result.metrics["BM_a"]?.samples == [9, 9])
        #expect(
            result.notes == [
                "gb.json: benchmark \"BM_a\": `items` holds the string \"12\", a number in quotes; a counter is a number, so it is not read"
            ])
        let newer = Self.file(#"{"name": "BM_a", "real_time": 9, "time_unit": "ns", "note": "fast"}"#)
        #expect(try readText(newer, name: "gb.json").notes.isEmpty)
    }

    @Test("a benchmark skipped with SkipWithMessage is left out with a note, even when its message looks like a number")
    func skipped() throws {
        let result = try readText(
            Self.file(
                #"{"name": "BM_a", "real_time": 9, "time_unit": "ns"}"#,
                #"{"name": "BM_b", "skipped": true, "skip_message": "404", "real_time": 0, "time_unit": "ns"}"#),
            name: "gb.json")
        #expect(result.metrics.metrics.map(\.name) == ["BM_a"])
        #expect(result.notes == ["gb.json: benchmark \"BM_b\" was skipped and is left out: 404"])
    }

    @Test("a name past 256 characters with repetitions and counters is shortened, not a crash")
    func longName() throws {
        let name = "BM_Template<" + String(repeating: "std::vector<int>, ", count: 16) + "int>/1024"
        let entry =
            #"{"name": ""# + name
            + #"", "run_type": "iteration", "real_time": 9, "cpu_time": 8, "time_unit": "ns", "items_per_second": 5}"#
        let result = try readText(Self.file(entry, entry, entry), name: "gb.json")
        #expect(result.metrics.metrics.count == 3)
        #expect(result.metrics.metrics.allSatisfy { $0.name.count <= 256 && $0.samples?.count == 3 })
        #expect(result.notes.contains { $0.contains("stands for") })
    }
}
