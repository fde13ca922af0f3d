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

@Suite("wrk: wrk 4.1.0's report")
struct WrkTests {
    @Test("the report in the shared names: latencies in wrk's units, sizes base 1024, 0.92k, no errors as 0")
    func clean() throws {
        let read = try readOwn("wrk-4.1.0/clean.txt")
        try expectMetric(read, "latency mean", 4.15, "ms")
        try expectMetric(read, "latency max", 32.12, "ms")
        try expectMetric(read, "latency p50", 3.42, "ms")
        try expectMetric(read, "latency p99", 14.53, "ms")
        try expectMetric(read, "requests", 7811, "count", .higher)
        try expectMetric(read, "throughput", 2584.26, "req/s", .higher)
        try expectMetric(read, "transfer", 482.15, "KiB/s", .higher)
        try expectMetric(read, "thread throughput mean", 1300, "req/s", .higher)
        try expectMetric(read, "errors", 0, "count")
        try expectMetric(read, "error rate", 0, "%")
        #expect(read.metrics.metrics.count == 12)
        let non2xx = try readOwn("wrk-4.1.0/non2xx.txt")
        try expectMetric(non2xx, "thread throughput mean", 920, "req/s", .higher)
        try expectMetric(non2xx, "errors", 274, "count")
        try expectMetric(non2xx, "transfer", 1.06, "MiB/s", .higher)
    }

    @Test("socket errors add to errors; the rate counts the connections that failed before a response")
    func socketErrors() throws {
        let read = try readOwn("wrk-4.1.0/socket-errors.txt")
        try expectMetric(read, "latency p50", 258, "us")
        try expectMetric(read, "errors", 107, "count")
        try expectMetric(read, "error rate", 107.0 / (868 + 97) * 100, "%")
        // `1.08s ` with a trailing space, and seconds beside milliseconds.
        let slow = try readOwn("wrk-4.1.0/slow-seconds.txt")
        try expectMetric(slow, "latency p90", 1.08, "s")
        try expectMetric(slow, "latency max", 1.51, "s")
        try expectMetric(slow, "latency mean", 258.64, "ms")
        // What a Lua done() prints after the report is not read.
        let lua = try readOwn("wrk-4.1.0/lua-mixed.txt")
        try expectMetric(lua, "requests", 7335, "count", .higher)
        try expectMetric(lua, "errors", 488, "count")
    }
}
