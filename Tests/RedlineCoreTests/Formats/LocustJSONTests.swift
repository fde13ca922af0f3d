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

@Suite("locust-json: Locust 2.47.0's --json")
struct LocustJSONTests {
    @Test("--json: percentiles from the histograms equal the console's Aggregated row of the same run")
    func json() throws {
        let read = try readOwn("locust-2.47.0/json.json")
        // json-console.txt: `Aggregated  12 14 15 16 20 23 25 28 68 82 82  1439`
        let console = [
            ("p50", 12.0), ("p66", 14), ("p75", 15), ("p80", 16), ("p90", 20), ("p95", 23), ("p98", 25),
            ("p99", 28),
            ("p99.9", 68), ("p99.99", 82),
        ]
        for (statistic, value) in console { try expectMetric(read, "latency " + statistic, value, "ms") }
        try expectMetric(read, "requests", 1439, "count", .higher)
        let entries =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: ownCorpus.appendingPathComponent("locust-2.47.0/json.json")))
            as! [[String: Any]]
        let failures = entries.map { $0["num_failures"] as! Double }.reduce(0, +)
        try expectMetric(read, "errors", failures, "count")
        let users = try #require(entries.first { $0["name"] as? String == "/users/[id]" })
        try expectMetric(
            read, "GET /users/[id] latency mean",
            (users["total_response_time"] as! Double) / (users["num_requests"] as! Double), "ms")
        try expectMetric(read, "GET /users/[id] latency min", users["min_response_time"] as! Double, "ms")
    }
}
