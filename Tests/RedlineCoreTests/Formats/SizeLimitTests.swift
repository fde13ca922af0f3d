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

@Suite("size-limit: the JSON output (documentation-derived)")
struct SizeLimitTests {
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
