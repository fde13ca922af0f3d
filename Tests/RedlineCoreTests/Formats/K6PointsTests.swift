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

@Suite("k6-ndjson: k6's --out json points, summarised as k6 summarises")
struct K6PointsTests {
    @Test("--out json summarised as k6 summarises: the trends, rates and counts of the same run's --summary-export")
    func pointsEqualSummary() throws {
        let points = try readOwn("k6-1.1.0/points.ndjson")
        let summary = try readOwn("k6-1.1.0/summary.json")
        for name in [
            "http_req_duration", "http_req_duration{expected_response:true}", "http_req_duration{name:home}",
            "iteration_duration", "http_req_waiting",
        ] {
            for statistic in ["avg", "min", "med", "max", "p(90)", "p(95)"] {
                let expected = try metric(summary, "\(name) \(statistic)")
                let derived = try metric(points, "\(name) \(statistic)")
                #expect(abs(derived.value - expected.value) <= 1e-9 * expected.value, "\(name) \(statistic)")
                #expect(derived.unit?.symbol == "ms")
            }
        }
        try expectMetric(points, "http_req_failed rate", 17.0 / 91, nil)
        try expectMetric(points, "http_req_failed passes", 17, "count")
        try expectMetric(points, "http_req_failed fails", 74, "count", .higher)
        try expectMetric(points, "checks rate", try metric(summary, "checks value").value, nil, .higher)
        try expectMetric(points, "checks{check:data is 200} passes", 34, "count", .higher)
        try expectMetric(points, "http_reqs count", 91, "count", .higher)
        try expectMetric(points, "data_received count", 25260, "B")
        // Per name tag, beyond what the export holds.
        try expectMetric(points, "http_req_duration{name:missing} count", 17, "count")
        try expectMetric(points, "http_req_failed{name:missing} rate", 1, nil)
        #expect(points.metrics.metrics.allSatisfy { $0.samples == nil })
    }

    @Test("k6's JSON output cut mid-point is read without its last line; a broken line inside stays an error")
    func k6PointsCut() throws {
        let whole = try readOwnText("k6-1.1.0/points.ndjson")
        var lines = whole.split(separator: "\n").map(String.init)
        let last = lines.removeLast()
        let cut = lines.joined(separator: "\n") + "\n" + last.prefix(last.count / 2)
        let read = try readBytes(Array(cut.utf8), name: "points.ndjson")
        #expect(read.format == "k6-ndjson")
        #expect(read.notes.contains { $0.contains("line \(lines.count + 1) of k6's JSON output is cut short") })
        var inside = lines
        inside[3] = String(inside[3].prefix(10))
        #expect(throws: (any Error).self) { try readBytes(Array((inside.joined(separator: "\n") + "\n").utf8)) }
    }
}
