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

/// Criterion 0.3.6's `estimates.json` (Tests/Corpus/criterion-0.3.6): lowercase estimates, a null slope.
@Suite("criterion: today's estimates.json, and the change file refused")
struct CriterionEstimatesTests {
    @Test(
        "today's estimates.json (lowercase keys) reads the slope, or the mean where the slope is null",
        arguments: [
            ("criterion-0.3.6/checksum/fnv/1024/new/estimates.json", "checksum/fnv/1024", "slope"),
            ("criterion-0.3.6/fib_18/new/estimates.json", "fib_18", "slope"),
            ("criterion-0.3.6/flat/insertion_sort_256/new/estimates.json", "flat/insertion_sort_256", "mean"),
        ])
    func estimates(path: String, name: String, estimate: String) throws {
        let expected = try #require((try ownJSON(path)[estimate] as? [String: Any])?["point_estimate"] as? Double)
        for format in ["auto", "criterion"] {
            let read = try readOwn(path, format: format)
            #expect(read.format == "criterion")
            let metric = try #require(read.metrics[name], "named by benchmark.json's full_id")
            #expect(metric.value == expected)
            #expect(metric.unit?.symbol == "ns")
        }
    }

    @Test("change/estimates.json (relative changes) is refused as such, detected or named")
    func changeFile() throws {
        for format in ["auto", "criterion"] {
            do {
                _ = try readOwn("criterion-0.3.6/fib_18/change/estimates.json", format: format)
                Issue.record("read a change file")
            } catch {
                #expect(
                    error.redlineErrors[0].message
                        == "this is Criterion's change/estimates.json: relative changes, not measurements")
            }
        }
    }
}
