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

@Suite("custom: github-action-benchmark's custom JSON, customSmallerIsBetter and customBiggerIsBetter")
struct CustomJSONTests {
    @Test("customSmallerIsBetter and customBiggerIsBetter set the direction whatever the unit")
    func customDirections() throws {
        let bigger = try readCorpus(
            "github-action-benchmark/customBiggerIsBetter_output.json", format: "customBiggerIsBetter")
        #expect(bigger.metrics.metrics.allSatisfy { $0.effectiveDirection == .higher })
        let smaller = try readCorpus(
            "github-action-benchmark/customBiggerIsBetter_output.json", format: "customSmallerIsBetter")
        #expect(smaller.metrics.metrics.allSatisfy { $0.effectiveDirection == .lower })
    }
}
