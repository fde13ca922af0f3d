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

@Suite("gatling: global_stats.json and stats.json (documentation-derived)")
struct GatlingTests {
    @Test(
        "Gatling: All Requests in the shared names, each request by its path, percentiles1–4 as p50, p75, p95, p99")
    func gatling() throws {
        let global = try readOwn("doc-derived/gatling-global_stats.json")
        try expectMetric(global, "latency p95", 512, "ms")
        try expectMetric(global, "requests", 9000, "count", .higher)
        try expectMetric(global, "errors", 36, "count")
        try expectMetric(global, "throughput", 75, "req/s", .higher)
        #expect(global.notes.contains { $0.contains("read as p50, p75, p95 and p99") })
        let tree = try readOwn("doc-derived/gatling-stats.json")
        try expectMetric(tree, "Checkout flow / pay latency p99", 1408, "ms")
        try expectMetric(tree, "Checkout flow / pay errors", 24, "count")
        try expectMetric(tree, "search latency p50", 121, "ms")
        #expect(tree.metrics["Checkout flow latency p50"] == nil)
    }
}
