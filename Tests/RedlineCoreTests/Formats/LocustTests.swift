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

@Suite("locust: Locust 2.47.0's --csv files")
struct LocustTests {
    @Test("--csv: the Aggregated row in the shared names, each endpoint prefixed, failures.csv beside it as notes")
    func statsCSV() throws {
        let read = try readOwn("locust-2.47.0/locust_stats.csv")
        try expectMetric(read, "GET /users/[id] latency p95", 23, "ms")
        try expectMetric(read, "GET /users/[id] requests", 685, "count", .higher)
        try expectMetric(read, "GET /users/[id] errors", 110, "count")
        try expectMetric(read, "GET /users/[id] throughput", 170.2289640514554, "req/s", .higher)
        try expectMetric(read, "latency p99.9", 34, "ms")
        try expectMetric(read, "latency p99.99", 68, "ms")
        try expectMetric(read, "latency mean", 12.809780234724498, "ms")
        try expectMetric(read, "latency max", 68.45670500001688, "ms")
        try expectMetric(read, "requests", 1342, "count", .higher)
        try expectMetric(read, "errors", 157, "count")
        try expectMetric(read, "error rate", 157.0 / 1342 * 100, "%")
        #expect(
            read.notes.contains {
                $0.hasSuffix(
                    "110 failures of GET /users/[id]: 110 × HTTPError('404 Client Error: Not Found for url: /users/[id]')"
                )
            })
        #expect(read.notes.contains { $0.contains("25 failures of POST /orders:") && $0.contains("more kinds") })
    }

    @Test("failures.csv alone gives the errors per endpoint")
    func failuresCSV() throws {
        let read = try readOwn("locust-2.47.0/locust_failures.csv")
        try expectMetric(read, "GET /users/[id] errors", 110, "count")
        try expectMetric(read, "POST /orders errors", 25, "count")
        try expectMetric(read, "errors", 157, "count")
    }
}
