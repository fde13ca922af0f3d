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

/// BenchmarkDotNet's full JSON export; the real exports are read in CorpusTests' table.
@Suite("benchmarkdotnet: the full JSON export")
struct BenchmarkDotNetTests {
    static func export(statistics: String, measurement: String) -> String {
        """
        {"Title": "t", "Benchmarks": [{"FullName": "N.T.M", "Statistics": \(statistics),
          "Measurements": [{"IterationMode": "Workload", "IterationStage": "Result", "Operations": 4, \(measurement)}],
          "Memory": {"BytesAllocatedPerOperation": 64}}]}
        """
    }

    @Test("the mean in ns, each workload result per operation as a sample, allocations in B")
    func reads() throws {
        let metrics = try readText(
            Self.export(statistics: #"{"Mean": 10.5}"#, measurement: #""Nanoseconds": 40"#), name: "b.json"
        ).metrics
        #expect(metrics["N.T.M"]?.value == 10.5)
        #expect(metrics["N.T.M"]?.samples == [10])
        #expect(metrics["N.T.M [allocated]"]?.value == 64)
    }

    @Test("a benchmark that did not run (Statistics null) is left out with a note")
    func notRun() throws {
        let result = try readText(
            Self.export(statistics: "null", measurement: #""Nanoseconds": 40"#), name: "b.json",
            format: "benchmarkdotnet")
        #expect(result.metrics.metrics.isEmpty)
        #expect(result.notes.contains { $0.hasPrefix("b.json: benchmark \"N.T.M\" has no statistics") })
    }

    @Test("a measurement's Nanoseconds in quotes is an error at it, not a sample silently dropped")
    func quotedMeasurement() throws {
        let error = try #require(
            readError(
                Self.export(statistics: #"{"Mean": 10.5}"#, measurement: #""Nanoseconds": "40""#), name: "b.json"))
        #expect(error.message.contains("`Nanoseconds` of a measurement of \"N.T.M\" must be a number"))
    }

    @Test("BenchmarkDotNet's \"\" for NaN: a mean is left out with a note, a measurement is not a sample")
    func nonFinite() throws {
        let mean = try readText(
            Self.export(statistics: #"{"Mean": ""}"#, measurement: #""Nanoseconds": 40"#), name: "b.json")
        #expect(mean.metrics["N.T.M"] == nil)
        #expect(mean.notes.contains("b.json: benchmark \"N.T.M\" has a mean that is not finite and is left out"))
        let sample = try readText(
            Self.export(statistics: #"{"Mean": 10.5}"#, measurement: #""Nanoseconds": """#), name: "b.json")
        #expect(sample.metrics["N.T.M"]?.value == 10.5)
        #expect(sample.metrics["N.T.M"]?.samples == nil)
    }
}
