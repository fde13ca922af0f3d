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

@Suite("autocannon: the JSON result (documentation-derived)")
struct AutocannonTests {
    @Test("autocannon: ms latencies, per-second means, errors with 4xx and 5xx")
    func autocannon() throws {
        let read = try readOwn("doc-derived/autocannon.json")
        try expectMetric(read, "latency mean", 2.04, "ms")
        try expectMetric(read, "latency p97.5", 4, "ms")
        try expectMetric(read, "latency p99.9", 11, "ms")
        try expectMetric(read, "requests", 48230, "count", .higher)
        try expectMetric(read, "throughput", 4823, "req/s", .higher)
        try expectMetric(read, "transfer", 868_207.1, "B/s", .higher)
        try expectMetric(read, "errors", 12, "count")
        try expectMetric(read, "error rate", 12.0 / 48230 * 100, "%")
    }
}
