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

@Suite("otlp: OTLP/JSON (OpenTelemetry Python SDK 1.45.2, and the documented shapes)")
struct OTLPTests {
    @Test("three encodings of one collection read the same; int64 strings; attributes as labels; UCUM units")
    func collection() throws {
        let read = try readOwn("opentelemetry-sdk-1.45.2/otlp.json")
        #expect(try readOwn("opentelemetry-sdk-1.45.2/enum-names.json").metrics == read.metrics)
        #expect(try readOwn("opentelemetry-sdk-1.45.2/jsonfile.jsonl").metrics == read.metrics)
        let labels =
            #"{http.request.method="GET",http.response.status_code="200",http.route="/users/{id}",server.address="127.0.0.1"}"#
        try expectMetric(read, "http.client.requests" + labels, 100, "count", .higher)
        try expectMetric(read, #"shop.orders.outstanding{shop.channel="web"}"#, 40, "count")
        try expectMetric(read, #"process.memory.usage{process.memory.kind="rss"}"#, 32_591_872, "B")
        let histogram = "http.client.request.duration" + labels
        try expectMetric(read, histogram + " count", 100, "count", .higher)
        // Bucket counts 0, 9, 84, … over bounds 0.0005, 0.001, 0.0025: the median is in (0.001, 0.0025].
        try expectMetric(read, histogram + " p50", 0.001 + 0.0015 * (50.0 - 9) / 84, "s")
        try expectMetric(read, histogram + " min", 0.0008832359999360051, "s")
        try expectMetric(read, "http.client.request.duration count", 290, "count", .higher)
        try expectMetric(read, "http.client.request.duration.exponential count", 290, "count", .higher)
        let exponential = try metric(read, "http.client.request.duration.exponential" + labels + " p50").value
        #expect(exponential > 0.0009 && exponential < 0.0025)
    }

    @Test("the documented example: a delta exponential histogram at scale 3, a summary, asDouble")
    func documented() throws {
        let read = try readOwn("doc-derived/otlp.json")
        try expectMetric(
            read, #"http.server.request.duration{http.request.method="GET",http.route="/api/items"} p50"#,
            0.005 + 0.005 * (24115.0 - 10211) / 21666, "s")
        try expectMetric(read, #"rpc.client.duration.summary{rpc.service="inventory"} p99"#, 0.0392, "s")
        try expectMetric(read, "process.memory.usage", 148_766_720, "B")
        #expect(
            read.metrics[
                #"http.server.request.duration.exp{http.request.method="POST",http.route="/api/cart"} p95"#]?.unit?
                .symbol == "ms")
    }

    @Test(
        "exponential buckets interpolate exponentially; a name for the temporality; an unknown temporality is refused"
    )
    func exponential() throws {
        let text = #"""
            {"resourceMetrics": [{"scopeMetrics": [{"metrics": [
              {"name": "d", "unit": "ms", "exponentialHistogram": {"aggregationTemporality": "AGGREGATION_TEMPORALITY_DELTA",
                "dataPoints": [{"count": "4", "sum": 10, "scale": 0, "positive": {"offset": 0, "bucketCounts": ["2", "2"]}}]}}]}]}]}
            """#
        let read = try readText(text, name: "e.json")
        // Buckets (1, 2] and (2, 4] with two each: the median is 2; p90 is 0.8 of the way up (2, 4] on a log scale.
        try expectMetric(read, "d p50", 2, "ms")
        try expectMetric(read, "d p90", CLibrary.powerOfTwo(1 + 0.8), "ms")
        try expectMetric(read, "d mean", 2.5, "ms")
        let bad = text.replacing("\"AGGREGATION_TEMPORALITY_DELTA\"", with: "7")
        #expect(
            readError(bad, name: "e.json")?.message.contains("`aggregationTemporality` of \"d\" must be 1, 2")
                == true)
    }

    @Test(
        "exponential histograms of several scales merge at the coarsest: counts kept, each bucket inside its coarse bucket"
    )
    func exponentialMerge() {
        let fine = RedlineCore.OTLP.Exponential(
            labels: [("a", "x")], scale: 3, zeroCount: 1, zeroThreshold: 0, positive: [8: 2, 9: 1, 17: 4],
            negative: [:], count: 8, sum: 20, offset: 0)
        let coarse = RedlineCore.OTLP.Exponential(
            labels: [("a", "y")], scale: 1, zeroCount: 0, zeroThreshold: 0, positive: [2: 3, -3: 1],
            negative: [5: 2], count: 6, sum: 1, offset: 0)
        let merged = RedlineCore.OTLP.Exponential.merged([fine, coarse])
        #expect(merged.scale == 1)
        // Index i at scale 3 is i >> 2 at scale 1: 8 and 9 → 2, 17 → 4.
        #expect(merged.positive == [2: 6, 4: 4, -3: 1])
        #expect(merged.negative == [5: 2])
        #expect(merged.zeroCount == 1 && merged.count == 14 && merged.sum == 21)
    }
}
