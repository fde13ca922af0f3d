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

/// ApacheBench 2.3 (`ab`), from real runs (Tests/Corpus/ab-2.3): the report, failures beside non-2xx
/// responses, and several runs appended in one results file.
@Suite("ab: ApacheBench 2.3's report, runs appended in one file, targets longer than a name")
struct ApacheBenchTests {
    @Test("both time-per-request lines, Kbytes as KiB, the percentage table and the connection times")
    func clean() throws {
        let read = try readOwn("ab-2.3/clean.txt")
        try expectMetric(read, "throughput", 813.92, "req/s", .higher)
        try expectMetric(read, "latency mean", 12.286, "ms")
        try expectMetric(read, "time per request (mean, across all concurrent requests)", 1.229, "ms")
        try expectMetric(read, "transfer", 151.81, "KiB/s", .higher)
        try expectMetric(read, "latency p50", 10, "ms")
        try expectMetric(read, "latency p66", 13, "ms")
        try expectMetric(read, "latency p99", 36, "ms")
        try expectMetric(read, "latency max", 39, "ms")
        try expectMetric(read, "latency min", 5, "ms")
        try expectMetric(read, "requests", 500, "count", .higher)
        try expectMetric(read, "errors", 0, "count")
        try expectMetric(read, "non-2xx responses", 0, "count")
        try expectMetric(read, "processing min", 5, "ms")
        try expectMetric(read, "waiting median", 10, "ms")
        try expectMetric(read, "connect max", 0, "ms")
        #expect(read.metrics["total mean"] == nil)
    }

    @Test("failures as ab counts them, beside the non-2xx responses; -p adds what was sent")
    func failures() throws {
        let non2xx = try readOwn("ab-2.3/non2xx.txt")
        try expectMetric(non2xx, "errors", 25, "count")
        try expectMetric(non2xx, "non-2xx responses", 25, "count")
        try expectMetric(try readOwn("ab-2.3/non2xx-l.txt"), "errors", 0, "count")
        let post = try readOwn("ab-2.3/post.txt")
        try expectMetric(post, "transfer sent", 145.25, "KiB/s", .higher)
        try expectMetric(post, "transfer total", 301.18, "KiB/s", .higher)
        let flaky = try readOwn("ab-2.3/flaky-r.txt")
        try expectMetric(flaky, "errors", 541, "count")
        try expectMetric(flaky, "latency p98", 1501, "ms")
        #expect(flaky.metrics["error rate"] == nil)
    }

    @Test(
        "three ab runs against two targets: each metric is named after its target; the repeated target's runs are samples"
    )
    func abAppended() throws {
        let read = try readOwn("ab-2.3/appended-two-targets.txt")
        #expect(read.format == "ab")
        // Read by hand: runs 1 and 3 against 127.0.0.1:18080/users/1, run 2 against 127.0.0.1:18081/search.
        let first = try #require(read.metrics["127.0.0.1:18080/users/1 requests"])
        #expect(first.samples == [300, 300])
        #expect(read.metrics["127.0.0.1:18081/search requests"]?.value == 200)
        #expect(read.metrics["127.0.0.1:18081/search requests"]?.samples == nil)
        #expect(read.metrics["requests"] == nil)
        #expect(read.notes.contains { $0.contains("ab's results file holds 3 runs against 2 targets") })
    }

    @Test("the same ab report appended to itself is one target run twice: samples of one metric, names unchanged")
    func abRepeated() throws {
        let once = try readOwn("ab-2.3/clean.txt")
        let twice = try readBytes(try bytes("ab-2.3/clean.txt") + bytes("ab-2.3/clean.txt"), name: "twice.txt")
        #expect(twice.metrics.metrics.map(\.name) == once.metrics.metrics.map(\.name))
        for metric in once.metrics.metrics {
            #expect(twice.metrics[metric.name]?.value == metric.value)
            #expect(twice.metrics[metric.name]?.samples == [metric.value, metric.value])
        }
        #expect(twice.notes.contains { $0.contains("ab's results file holds 2 runs against 127.0.0.1") })
    }

    @Test("ab runs against a target whose URL is longer than a name may be: the names are shortened, said in a note")
    func abLongTarget() throws {
        var text = try readOwnText("ab-2.3/appended-two-targets.txt")
        let long = "/search?" + String(repeating: "q=abcdefghij&", count: 30)
        text = text.replacingOccurrences(of: "Document Path:          /search", with: "Document Path:          " + long)
        let read = try readBytes(Array(text.utf8), name: "ab.txt")
        #expect(read.metrics.metrics.allSatisfy { MetricRules.nameProblem($0.name) == nil })
        #expect(read.notes.contains { $0.contains("stands for 127.0.0.1:18081" + long) })
    }
}
