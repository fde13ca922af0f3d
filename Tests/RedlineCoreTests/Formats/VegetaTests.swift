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

@Suite("vegeta: the JSON report (documentation-derived)")
struct VegetaTests {
    @Test("vegeta: nanoseconds, successful requests per second, codes outside 200–399 and 0 as errors")
    func vegeta() throws {
        let read = try readOwn("doc-derived/vegeta.json")
        try expectMetric(read, "latency p99", 18_873_002, "ns")
        try expectMetric(read, "latency mean", 4_729_151, "ns")
        try expectMetric(read, "throughput", 99.82029261701656, "req/s", .higher)
        try expectMetric(read, "errors", 6, "count")
        try expectMetric(read, "error rate", 0.2, "%")
    }
}
