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

/// `cargo bench` text: libtest's bench lines and Criterion's console output (Criterion 0.3.6 in
/// Tests/Corpus/criterion-0.3.6).
@Suite("cargo: libtest bench lines and Criterion's console output")
struct CargoTests {
    @Test("console output with multi-line change blocks reads the measurements and skips the relative changes")
    func consoleWithChanges() throws {
        let second = try readOwn("criterion-0.3.6/run2-change.txt")
        #expect(second.format == "cargo")
        #expect(
            second.metrics.metrics.map(\.name) == [
                "checksum/fnv/1024", "checksum/fnv/1024 [thrpt]", "checksum/fnv/16384", "checksum/fnv/16384 [thrpt]",
                "fib_18", "flat/insertion_sort_256", "flat/insertion_sort_256 [thrpt]",
            ])
        // The console's middle estimate is the slope Criterion wrote (5 significant digits).
        let slope = try #require(
            (try ownJSON("criterion-0.3.6/checksum/fnv/1024/new/estimates.json")["slope"] as? [String: Any])?[
                "point_estimate"] as? Double)
        let metric = try #require(second.metrics["checksum/fnv/1024"])
        #expect(metric.unit?.symbol == "µs")
        #expect(abs(metric.value * 1000 - slope) / slope < 1e-4)
        #expect(second.metrics["checksum/fnv/1024 [thrpt]"]?.value == 297.76)
        #expect(second.metrics["checksum/fnv/1024 [thrpt]"]?.effectiveDirection == .higher)
        let first = try readOwn("criterion-0.3.6/run1-base.txt")
        #expect(first.metrics["fib_18"]?.value == 13.611)
    }

    @Test(
        "a Criterion log with each benchmark twice (two runs appended) reads each as samples, in the first run's unit")
    func criterionAppended() throws {
        let read = try readBytes(
            try bytes("criterion-0.3.6/run1-base.txt") + bytes("criterion-0.3.6/run2-change.txt"), name: "bench.log")
        let (one, two) = (try readOwn("criterion-0.3.6/run1-base.txt"), try readOwn("criterion-0.3.6/run2-change.txt"))
        for metric in one.metrics.metrics {
            let other = try #require(two.metrics[metric.name])
            let samples = try #require(read.metrics[metric.name]?.samples)
            #expect(samples.count == 2)
            #expect(samples[0] == metric.value)
            #expect(abs(samples[1] - other.unit!.convert(other.value, to: metric.unit!)!) < 1e-9 * samples[1])
        }
        #expect(read.notes.contains { $0.contains("the log holds 2 runs of") })
    }

    @Test("a Criterion thrpt line belongs to the benchmark of the time line above it")
    func throughputName() throws {
        let text =
            "fib   time:   [1.0 ns 2.0 ns 3.0 ns]\n                        thrpt:  [1.0 Kelem/s 2.0 Kelem/s 3.0 Kelem/s]\n"
        let metrics = try readText(text).metrics
        #expect(metrics.metrics.map(\.name) == ["fib", "fib [thrpt]"])
        #expect(metrics["fib [thrpt]"]?.unit?.symbol == "Kelem/s")
    }

    @Test("`test ... bench:` (marker overlapping the prefix) is not a bench line, not a crash")
    func overlappingMarker() throws {
        let metrics = try readText("test a ... bench:   5 ns/iter (+/- 1)\ntest ... bench:   7 ns/iter (+/- 1)\n")
            .metrics
        #expect(metrics.metrics.map(\.name) == ["a"])
    }
}
