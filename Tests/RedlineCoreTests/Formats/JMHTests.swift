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

/// JMH's JSON (`-rf json`); the real files are read in CorpusTests' table.
@Suite("jmh: JMH's JSON result file")
struct JMHTests {
    static func result(rawData: String) -> String {
        """
        [{"benchmark": "org.Bench.run", "mode": "avgt",
          "primaryMetric": {"score": 2.5, "scoreUnit": "ns/op", "rawData": \(rawData)}}]
        """
    }

    @Test("the score in its unit (ns/op read as ns), every fork's raw scores as samples")
    func reads() throws {
        let metric = try #require(
            try readText(Self.result(rawData: "[[2, 3], [2.5]]"), name: "j.json").metrics["org.Bench.run"])
        #expect(metric.value == 2.5)
        #expect(metric.unit?.symbol == "ns")
        #expect(metric.samples == [2, 3, 2.5])
    }

    @Test("a raw score in quotes is an error at it, not a sample silently dropped")
    func quotedRawScore() throws {
        let error = try #require(readError(Self.result(rawData: #"[[2, "3"]]"#), name: "j.json"))
        #expect(error.message.contains("a score in `rawData` of \"org.Bench.run\" must be a number"))
        #expect(error.line == 2)
    }

    @Test("what JMH writes for a score that is not finite (NaN, +INF, -INF) is left out with a note, not an error")
    func nonFinite() throws {
        let text = """
            [{"benchmark": "org.Bench.run", "mode": "avgt",
              "primaryMetric": {"score": 2.5, "scoreUnit": "ns/op", "rawData": [[2, "+INF", 3]]},
              "secondaryMetrics": {"gc.alloc.rate": {"score": "NaN", "scoreUnit": "MB/sec", "rawData": [["NaN"]]}}}]
            """
        let result = try readText(text, name: "j.json")
        #expect(result.metrics.metrics.map(\.name) == ["org.Bench.run"])
        #expect(result.metrics["org.Bench.run"]?.samples == [2, 3])
        #expect(
            result.notes == [
                "j.json: JMH benchmark \"org.Bench.run\": 1 raw scores that are not finite are left out of its samples",
                "j.json: JMH benchmark \"org.Bench.run [gc.alloc.rate]\" scored NaN and is left out",
            ])
    }
}
