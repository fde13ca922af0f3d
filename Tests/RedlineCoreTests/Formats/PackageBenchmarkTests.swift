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

@Suite("package-benchmark: thresholds files, custom metrics included")
struct PackageBenchmarkTests {
    @Test("a package-benchmark thresholds file with custom metrics reads as package-benchmark, not native")
    func packageBenchmarkCustom() throws {
        // The shape package-benchmark's `thresholds update` writes (sorted keys, whole numbers).
        let text = "{\n  \"CustomMetricOne\" : 3,\n  \"throughput\" : 100,\n  \"wallClock\" : 120\n}"
        let read = try MetricsReader.read(SourceText(name: "Thresholds/Bench.Custom.p90.json", text: text))
        #expect(read.format == "package-benchmark")
        #expect(
            read.metrics.metrics.map(\.name) == [
                "Bench.Custom CustomMetricOne", "Bench.Custom throughput", "Bench.Custom wallClock",
            ])
        #expect(read.metrics["Bench.Custom wallClock"]?.unit?.symbol == "ns")
        #expect(read.metrics["Bench.Custom throughput"]?.effectiveDirection == .higher)
        #expect(read.metrics["Bench.Custom CustomMetricOne"]?.unit == nil)
        // Not named *.p90.json: package-benchmark's own metric names still decide over the bare native shape.
        let renamed = try MetricsReader.read(SourceText(name: "thresholds.json", text: text))
        #expect(renamed.format == "package-benchmark")
        // But a hand-written file of common words stays native.
        let native = try MetricsReader.read(
            SourceText(name: "m.json", text: #"{"throughput": 1250, "apiResponseTime": 87.5}"#))
        #expect(native.format == "native")
    }
}
