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

@Suite("siege: siege 4.0.7's JSON and text summaries (siege and siege-text)")
struct SiegeTests {
    @Test(
        "-j is siege's, not a bare native object; the first run's notice and the text summary read the same names")
    func summaries() throws {
        let read = try readOwn("siege-4.0.7/json.json")
        try expectMetric(read, "requests", 2249, "count", .higher)
        try expectMetric(read, "availability", 95.01, "%", .higher)
        try expectMetric(read, "throughput", 842.32, "req/s", .higher)
        try expectMetric(read, "transfer", 0.4, "MiB/s", .higher)
        try expectMetric(read, "errors", 118, "count")
        try expectMetric(read, "latency mean", 0.01, "s")
        try expectMetric(read, "latency max", 0.03, "s")
        try expectMetric(read, "latency min", 0, "s")
        #expect(read.notes.contains { $0.contains("siege rounds its times to 0.01 s") })
        let first = try readOwn("siege-4.0.7/json-firstrun.txt")
        try expectMetric(first, "requests", 2294, "count", .higher)
        let text = try readOwn("siege-4.0.7/text.txt")
        try expectMetric(text, "throughput", 829.06, "req/s", .higher)
        try expectMetric(text, "transfer", 0.39, "MiB/s", .higher)
        #expect(Set(text.metrics.metrics.map(\.name)) == Set(read.metrics.metrics.map(\.name)))
    }
}
