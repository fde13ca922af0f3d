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

extension LoadFormatTests {
    @Suite("Prometheus exposition (prometheus_client 0.26.0, and the documented shapes)")
    struct Prometheus {
        @Test("series named as PromQL shows them; histograms by histogram_quantile; _created series left out")
        func scrape() throws {
            let read = try readOwn("prometheus-client-0.26.0/metrics.prom")
            // Requests served are work done (higher is better), but not the ones that failed.
            try expectMetric(read, #"http_requests_total{method="GET",route="/search",status="500"}"#, 20, "count")
            try expectMetric(
                read, #"http_requests_total{method="GET",route="/search",status="200"}"#, 380, "count", .higher)
            try expectMetric(read, "process_resident_memory_bytes", 26_939_392, "B")
            try expectMetric(read, "process_cpu_seconds_total", 0.5700000000000001, "s")
            try expectMetric(read, "http_requests_in_flight", 3, nil)
            let series = #"http_request_duration_seconds{method="GET",route="/users/{id}",status="200"}"#
            try expectMetric(read, series + " count", 400, "count", .higher)
            try expectMetric(read, series + " mean", 0.22894620299848611 / 400, "s")
            // Buckets 0.0005: 254, 0.001: 298, 0.0025: 395, 0.005: 400 of 400.
            try expectMetric(read, series + " p50", 0.0005 * 200 / 254, "s")
            try expectMetric(read, series + " p99", 0.0025 + 0.0025 * (396 - 395) / 5, "s")
            // Over all series: 1 + 400 + 100 + 380 + 20 + 200 + 20 + 98 + 6 + 5 observations.
            try expectMetric(read, "http_request_duration_seconds count", 1230, "count", .higher)
            // A summary without quantiles still has count and mean.
            try expectMetric(read, #"http_response_size_bytes{route="/search"} mean"#, 188_876.0 / 400, "B")
            #expect(!read.metrics.metrics.contains { $0.name.contains("_created") })
            // OpenMetrics names the same series the same way.
            let open = try readOwn("prometheus-client-0.26.0/metrics.openmetrics.txt")
            #expect(open.metrics.metrics.map(\.name) == read.metrics.metrics.map(\.name))
        }

        @Test(
            "the documented example: escapes, a timestamp, a summary's quantiles, the worked histogram_quantile figures"
        )
        func documented() throws {
            let read = try readOwn("doc-derived/prometheus.prom")
            let items = #"http_server_request_duration_seconds{method="GET",route="/api/items"}"#
            try expectMetric(read, items + " p50", 0.005 + 0.005 * (24115.0 - 10211) / 21666, "s")
            #expect(abs(try metric(read, items + " p95").value - 0.0320) < 0.0001)
            #expect(abs(try metric(read, items + " p99").value - 0.0602) < 0.0001)
            try expectMetric(read, #"rpc_client_latency_seconds{service="inventory"} p99"#, 0.0392, "s")
            try expectMetric(read, #"queue_depth{queue="checkout"}"#, 7, nil)
            try expectMetric(
                read,
                #"build_info{commit="3f9c2ab",note="path C:\\build\\out, said \"ok\"\nsecond line",version="1.4.2"}"#,
                1, nil)
            try expectMetric(read, "http_server_request_duration_seconds count", 48230 + 9540, "count", .higher)
        }

        @Test("NaN and +Inf values, non-monotonic buckets, a missing +Inf bucket, buckets that differ between series")
        func edges() throws {
            let text = """
                # TYPE up gauge
                up NaN
                temperature +Inf
                # TYPE h histogram
                h_bucket{le="1",a="x"} 10
                h_bucket{le="2",a="x"} 8
                h_bucket{le="+Inf",a="x"} 12
                h_count{a="x"} 12
                h_sum{a="x"} 15
                h_bucket{le="5",a="y"} 1
                h_bucket{le="+Inf",a="y"} 1
                # TYPE g histogram
                g_bucket{le="1"} 3
                g_count 3
                # TYPE s summary
                s{quantile="0.5"} NaN
                s_count 0
                # EOF
                """
            let read = try readText(text, name: "edges.prom")
            #expect(read.format == "prometheus")
            #expect(read.metrics["up"] == nil && read.metrics["temperature"] == nil)
            // 10, 8, 12 is made 10, 10, 12: the median falls in the first bucket.
            try expectMetric(read, #"h{a="x"} p50"#, 0.6, nil)
            try expectMetric(read, "h count", 13, "count")
            #expect(read.metrics["h p50"] == nil)
            #expect(read.metrics["g p50"] == nil)
            try expectMetric(read, "g count", 3, "count")
            #expect(
                read.notes.contains(
                    "edges.prom: series \"up\" is not a finite number, and was left out, as were 1 other series that break a rule: \"temperature\""
                ))
            #expect(read.notes.contains { $0.contains("histogram h{a=\"x\"} decrease somewhere") })
            #expect(read.notes.contains { $0.contains("the series of histogram h have different buckets") })
            #expect(read.notes.contains { $0.contains("histogram g has no le=\"+Inf\" bucket") })
            #expect(read.notes.contains { $0.contains("s quantile 0.5 is nan") })
        }
    }

    @Suite("OTLP/JSON (OpenTelemetry Python SDK 1.45.2, and the documented shapes)")
    struct OTLP {
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
    }

    @Suite("Documentation-derived formats: autocannon, Artillery, vegeta, JMeter, Gatling, Lighthouse, size-limit")
    struct Documented {
        @Test("autocannon: ms latencies, per-second means, errors with 4xx and 5xx")
        func autocannon() throws {
            let read = try readOwn("doc-derived/autocannon.json")
            try expectMetric(read, "latency mean", 2.04, "ms")
            try expectMetric(read, "latency p97.5", 4, "ms")
            try expectMetric(read, "latency p99.9", 11, "ms")
            try expectMetric(read, "requests", 48230, "count", .higher)
            try expectMetric(read, "throughput", 4823, "req/s", .higher)
            try expectMetric(read, "transfer", 868_207.1, "B/s", .higher)
            try expectMetric(read, "errors", 12, "count")
            try expectMetric(read, "error rate", 12.0 / 48230 * 100, "%")
        }

        @Test("Artillery v2 in its own names; v1 onto the same names")
        func artillery() throws {
            let v2 = try readOwn("doc-derived/artillery-v2.json")
            try expectMetric(v2, "http.response_time p95", 144, "ms")
            try expectMetric(v2, "http.response_time p999", 912.4, "ms")
            try expectMetric(v2, "plugins.metrics-by-endpoint.response_time./api/cart (addToCart) p99", 441.5, "ms")
            try expectMetric(v2, "http.request_rate", 20, "/s", .higher)
            try expectMetric(v2, "http.codes.200", 393, "count", .higher)
            try expectMetric(v2, "http.codes.503", 3, "count")
            try expectMetric(v2, "plugins.metrics-by-endpoint./api/items.codes.200", 196, "count", .higher)
            try expectMetric(v2, "errors.ETIMEDOUT", 2, "count")
            try expectMetric(v2, "http.downloaded_bytes", 336_600, "B")
            try expectMetric(v2, "vusers.completed", 198, "count", .higher)
            #expect(v2.metrics["http.response_time median"] == nil)
            let v1 = try readOwn("doc-derived/artillery-v1.json")
            try expectMetric(v1, "http.response_time p50", 26.8, "ms")
            try expectMetric(v1, "http.response_time p95", 144.1, "ms")
            try expectMetric(v1, "http.request_rate", 19.83, "/s", .higher)
            try expectMetric(v1, "http.responses", 396, "count", .higher)
            try expectMetric(v1, "vusers.session_length p99", 742.6, "ms")
        }

        @Test("vegeta: nanoseconds, successful requests per second, codes outside 200–399 and 0 as errors")
        func vegeta() throws {
            let read = try readOwn("doc-derived/vegeta.json")
            try expectMetric(read, "latency p99", 18_873_002, "ns")
            try expectMetric(read, "latency mean", 4_729_151, "ns")
            try expectMetric(read, "throughput", 99.82029261701656, "req/s", .higher)
            try expectMetric(read, "errors", 6, "count")
            try expectMetric(read, "error rate", 0.2, "%")
        }

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

        @Test(
            "Lighthouse: audits by id in their numericUnit, category scores higher; errors and non-applicable left out")
        func lighthouse() throws {
            let read = try readOwn("doc-derived/lighthouse.json")
            try expectMetric(read, "largest-contentful-paint", 3874.918, "ms")
            try expectMetric(read, "total-byte-weight", 1_184_523, "B")
            try expectMetric(read, "dom-size", 742, "count")
            try expectMetric(read, "cumulative-layout-shift", 0.0812, nil)
            try expectMetric(read, "categories:performance", 0.76, nil, .higher)
            #expect(read.metrics["bf-cache"] == nil)
            #expect(read.notes.contains { $0.contains("\"bf-cache\" errored") })
        }

        @Test("size-limit: each check's size in B, its time in s, a failed limit as a note")
        func sizeLimit() throws {
            let read = try readOwn("doc-derived/size-limit.json")
            try expectMetric(read, "dist/index.js", 10342, "B")
            try expectMetric(read, "dist/widget.js (with time) running", 0.412, "s")
            try expectMetric(read, "dist/widget.js (with time) loading", 0.94162109375, "s")
            #expect(
                read.notes == [
                    "doc-derived/size-limit.json: size-limit check \"dist/widget.js (with time)\" failed its limit"
                ])
        }
    }
}
