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

@Suite("lighthouse: the JSON report (documentation-derived)")
struct LighthouseTests {
    @Test(
        "Lighthouse: audits by id in their numericUnit, category scores higher; errors and non-applicable left out")
    func lighthouse() throws {
        let read = try readOwn("doc-derived/lighthouse.json")
        try expectMetric(read, "largest-contentful-paint", 3874.918, "ms")
        try expectMetric(read, "total-byte-weight", 1_184_523, "B")
        try expectMetric(read, "dom-size", 742, "count")
        try expectMetric(read, "cumulative-layout-shift", 0.0812, nil)
        try expectMetric(read, "categories:performance", 0.76, nil, .higher)
        #expect(read.metrics["bf-cache"] == nil)
        #expect(read.notes.contains { $0.contains("\"bf-cache\" errored") })
    }
}
