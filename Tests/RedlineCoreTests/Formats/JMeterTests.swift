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

@Suite("jmeter: the JTL results file (documentation-derived), whole and cut short")
struct JMeterTests {
    @Test("JMeter: per label with the Aggregate Report's percentile, the transaction row kept out of the whole run")
    func jmeter() throws {
        let read = try readOwn("doc-derived/jmeter.jtl")
        // GET /api/items: 48, 51, 2004, 1503, 45 ms, two failures.
        try expectMetric(read, "GET /api/items latency p50", 51, "ms")
        try expectMetric(read, "GET /api/items latency p90", 2004, "ms")
        try expectMetric(read, "GET /api/items latency mean", (48.0 + 51 + 2004 + 1503 + 45) / 5, "ms")
        try expectMetric(read, "GET /api/items errors", 2, "count")
        try expectMetric(read, "GET /search?q=red,shoes requests", 1, "count", .higher)
        try expectMetric(read, "TX Checkout errors", 1, "count")
        try expectMetric(read, "requests", 8, "count", .higher)
        try expectMetric(read, "errors", 3, "count")
        // From the first start, 1741944420117, to the last end, 1741944420402 + 2004 ms.
        try expectMetric(
            read, "throughput", 8 / ((1_741_944_422_406.0 - 1_741_944_420_117) / 1000), "req/s", .higher)
    }

    @Test("a JMeter JTL whose last line was cut mid-write is read without it, with a note naming the line")
    func jtlCut() throws {
        let whole = try bytes("doc-derived/jmeter.jtl")
        let lines = String(decoding: whole, as: UTF8.self).split(separator: "\n")
        let cut = lines.joined(separator: "\n") + "\n" + lines.last!.prefix(20)
        let read = try readBytes(Array(cut.utf8), name: "results.jtl")
        let plain = try readOwn("doc-derived/jmeter.jtl")
        #expect(read.metrics == plain.metrics)
        #expect(read.notes.contains { $0.contains("line \(lines.count + 1) of JMeter's results file is cut short") })
    }

    @Test("a short last line that ends with a line end is a broken line, not a cut one: an error")
    func jtlShortLastLineEnded() throws {
        let lines = try readOwnText("doc-derived/jmeter.jtl").split(separator: "\n").map(String.init)
        let damaged = lines.joined(separator: "\n") + "\n" + lines.last!.prefix(20) + "\n"
        #expect(throws: (any Error).self) { try readBytes(Array(damaged.utf8)) }
    }

    @Test("a short line in the middle of a JTL stays an error")
    func jtlShortInside() throws {
        let lines = try readOwnText("doc-derived/jmeter.jtl").split(separator: "\n").map(String.init)
        var damaged = lines
        damaged[2] = String(damaged[2].prefix(20))
        #expect(throws: (any Error).self) { try readBytes(Array((damaged.joined(separator: "\n") + "\n").utf8)) }
    }
}
