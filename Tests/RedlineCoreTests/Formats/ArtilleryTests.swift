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

@Suite("artillery: the JSON report of Artillery v1 and v2 (documentation-derived)")
struct ArtilleryTests {
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
}
