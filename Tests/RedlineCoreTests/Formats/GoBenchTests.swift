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

@Suite("go: `go test -bench` output")
struct GoBenchTests {
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
}
