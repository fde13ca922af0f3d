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

@Suite("prometheus: exposition (prometheus_client 0.26.0, node_exporter's fixture, and the documented shapes)")
struct PrometheusTests {
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

    @Test(
        "node_exporter's own end-to-end fixture: the long series is shortened, the wrapped gauge left out with one note"
    )
    func nodeExporter() throws {
        let read = try readOwn("node-exporter/e2e-output.txt")
        #expect(read.format == "prometheus")
        #expect(read.metrics.metrics.count > 2000)
        // Read by hand: line 4607, `node_zfs_arc_memory_available_bytes -9.223372036854776e+17`.
        #expect(read.metrics["node_zfs_arc_memory_available_bytes"] == nil)
        #expect(read.metrics.setAside.map(\.name).contains("node_zfs_arc_memory_available_bytes"))
        #expect(
            read.notes.contains {
                $0.contains(
                    "series \"node_zfs_arc_memory_available_bytes\" is -9.223372036854776e+17 B, but a size cannot be negative"
                )
            })
        // Line 1318: node_dmi_info with 17 labels, 538 characters: shortened, unique, still 1.
        let dmi = try #require(
            read.metrics.metrics.first { $0.name.hasPrefix("node_dmi_info{bios_date=\"04/12/2021\"") })
        #expect(dmi.value == 1)
        #expect(dmi.name.unicodeScalars.count <= MetricRules.maximumLength)
        #expect(read.notes.contains { $0.contains("\"\(dmi.name)\" stands for node_dmi_info{") })
        // A plain series reads as written: `node_boot_time_seconds 1.418183276e+09`.
        #expect(read.metrics["node_boot_time_seconds"]?.value == 1.418183276e+09)
    }
}
