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

/// pytest-benchmark's JSON (`--benchmark-json`, saved runs); the real files are read in CorpusTests' table.
@Suite("pytest-benchmark: --benchmark-json and saved runs")
struct PytestBenchmarkTests {
    static func run(stats: String) -> String {
        #"{"benchmarks": [{"fullname": "tests/test_a.py::test_sum", "stats": {"# + stats + #"}}]}"#
    }

    @Test("the median in s; the mean only when there is no median")
    func median() throws {
        #expect(
            try readText(Self.run(stats: #""median": 2, "mean": 3"#), name: "p.json").metrics.metrics.first?.value == 2)
        #expect(
            try readText(Self.run(stats: #""mean": 3"#), name: "p.json", format: "pytest-benchmark").metrics.metrics
                .first?.value == 3)
    }

    @Test("a median in quotes is an error, not a silent fall back to the mean")
    func quotedMedian() throws {
        let error = try #require(
            readError(Self.run(stats: #""median": "2", "mean": 3"#), name: "p.json", format: "pytest-benchmark"))
        #expect(
            error.message.contains("`median` of `stats` of benchmark \"tests/test_a.py::test_sum\" must be a number"))
    }
}
