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

    @Test(
        "a cpu_time or a counter in quotes is an error at it; text under a key the library does not define is not a counter",
        arguments: [(#""cpu_time": "9""#, "`cpu_time`"), (#""items_per_second": "1e6""#, "`items_per_second`")])
    func quotedNumbers(member: String, key: String) throws {
        let text =
            #"{"context": {}, "benchmarks": [{"name": "BM_a", "real_time": 9, "time_unit": "ns", "# + member + "}]}"
        let error = try #require(readError(text, name: "gb.json"))
        #expect(
            error.message
                == "\(key) of benchmark \"BM_a\" must be a number, got the string \"\(member.split(separator: "\"")[2])\""
        )
        let newer =
            #"{"context": {}, "benchmarks": [{"name": "BM_a", "real_time": 9, "time_unit": "ns", "note": "fast"}]}"#
        #expect(try readText(newer, name: "gb.json").metrics.metrics.map(\.name) == ["BM_a"])
    }
}
