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

/// BenchmarkTools.jl's saved JSON (`BenchmarkTools.save`): `[header, [groups]]`.
@Suite("julia: BenchmarkTools.jl's saved results")
struct JuliaBenchmarkToolsTests {
    static func saved(trial: String) -> String {
        """
        [{"Julia": "1.10", "BenchmarkTools": "1.5"}, [["BenchmarkGroup", {"tags": [], "data": {
          "sum": ["Trial", {\(trial)}]}}]]]
        """
    }

    @Test("a Trial's times as samples with their median in ns, memory and allocations beside")
    func reads() throws {
        let metrics = try readText(
            Self.saved(trial: #""times": [3, 1, 2], "memory": 16, "allocs": 1"#), name: "t.json", format: "julia"
        ).metrics
        #expect(metrics["sum"]?.value == 2)
        #expect(metrics["sum"]?.samples == [3, 1, 2])
        #expect(metrics["sum [memory]"]?.value == 16)
        #expect(metrics["sum [allocs]"]?.value == 1)
    }

    @Test(
        "a time or the memory in quotes is an error, not a value silently dropped",
        arguments: [
            #""times": [3, "1", 2]"#, #""times": [3, 1, 2], "memory": "16""#,
        ])
    func quoted(trial: String) throws {
        let error = try #require(readError(Self.saved(trial: trial), name: "t.json", format: "julia"))
        #expect(error.message.contains("must be a number"))
    }
}
