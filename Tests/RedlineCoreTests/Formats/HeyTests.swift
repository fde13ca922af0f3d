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

@Suite("hey: hey 0.1.4's summary and -o csv")
struct HeyTests {
    @Test("the summary: seconds, the latency distribution, the details' averages, statuses and transport errors")
    func summary() throws {
        let read = try readOwn("hey-0.1.4/clean.txt")
        try expectMetric(read, "latency mean", 0.0059, "s")
        try expectMetric(read, "latency min", 0.0004, "s")
        try expectMetric(read, "latency max", 0.02, "s")
        try expectMetric(read, "latency p10", 0.0017, "s")
        try expectMetric(read, "latency p99", 0.0171, "s")
        try expectMetric(read, "throughput", 1603.5856, "req/s", .higher)
        try expectMetric(read, "resp wait mean", 0.0055, "s")
        try expectMetric(read, "DNS+dialup mean", 0, "s")
        try expectMetric(read, "requests", 500, "count", .higher)
        try expectMetric(read, "errors", 0, "count")
        let non200 = try readOwn("hey-0.1.4/non200.txt")
        try expectMetric(non200, "errors", 25, "count")
        try expectMetric(non200, "error rate", 5, "%")
        let errors = try readOwn("hey-0.1.4/errors.txt")
        try expectMetric(errors, "requests", 487 + 2 + 11, "count", .higher)
        try expectMetric(errors, "errors", 13, "count")
        // A run where no request got a response prints only its errors.
        let failed = try readText(
            "\nError distribution:\n  [200]\tGet \"http://127.0.0.1:1/\": dial tcp: connection refused\n\n",
            name: "hey.txt")
        #expect(failed.format == "hey")
        try expectMetric(failed, "errors", 200, "count")
        try expectMetric(failed, "error rate", 100, "%")
        #expect(failed.notes == ["hey.txt: no request of the hey run got a response; only its errors are read"])
    }

    @Test("-o csv: hey's own percentiles of the rows, and a note that failed requests have no row")
    func csv() throws {
        let read = try readOwn("hey-0.1.4/csv.csv")
        try expectMetric(read, "latency mean", 0.005539, "s")
        try expectMetric(read, "latency min", 0.0005, "s")
        try expectMetric(read, "latency max", 0.0235, "s")
        try expectMetric(read, "latency p10", 0.002, "s")
        try expectMetric(read, "latency p50", 0.0053, "s")
        try expectMetric(read, "latency p99", 0.0135, "s")
        try expectMetric(read, "requests", 500, "count", .higher)
        try expectMetric(read, "errors", 25, "count")
        try expectMetric(read, "throughput", 1737.921445950643, "req/s", .higher)
        #expect(read.notes.contains { $0.contains("hey -o csv has a row only for requests that got a response") })
        try expectMetric(try readOwn("hey-0.1.4/errors-csv.csv"), "requests", 195, "count", .higher)
    }
}
