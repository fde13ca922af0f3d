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

@Suite("benchmarkjs: benchmark.js 2.1.4's console output, several suites, printed through gulp")
struct BenchmarkJSTests {
    @Test("names used in several suites are qualified by the suite's header line; a name used once is kept")
    func suites() throws {
        let read = try readOwn("benchmarkjs-2.1.4/console.txt")
        #expect(read.format == "benchmarkjs")
        let names = read.metrics.metrics.map(\.name)
        #expect(names.contains("parse (Testing format: json)"))
        #expect(names.contains("stringify (Testing format: broken)"))
        #expect(names.contains("bulk parse x 400"), "a name with ` x ` in it, used once")
        #expect(
            !names.contains { $0.hasPrefix("parse (Testing format: broken)") },
            "the benchmark that failed has no result")
        #expect(read.metrics["parse (Testing format: csv)"]?.value == 29_872)
        #expect(read.metrics["bulk parse x 400"]?.value == 36.79)
        #expect(read.metrics["stringify (Testing format: kv)"]?.unit?.symbol == "ops/s")
        #expect(names.count == 8)
    }

    @Test("a name twice in one suite is still an error")
    func duplicateInSuite() {
        let text = "Suite A\na x 1 ops/sec ±1% (9 runs sampled)\na x 2 ops/sec ±1% (9 runs sampled)\n"
        do {
            _ = try MetricsReader.read(SourceText(name: "b.txt", text: text))
            Issue.record("read a name twice")
        } catch {
            #expect(error.redlineErrors[0].message.hasPrefix("metric \"a\" appears twice"))
        }
    }

    @Test("benchmark.js printed through gulp ([HH:MM:SS] on every line) is detected and its names carry no time")
    func gulpTimestamps() throws {
        let plain = try readOwn("benchmarkjs-2.1.4/console.txt")
        let text = try readOwnText("benchmarkjs-2.1.4/console.txt")
        var lines = ["[21:16:43] Using gulpfile ~/project/gulpfile.js", "[21:16:43] Starting 'bench'..."]
        lines += text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "[21:16:49] " + $0 }
        lines.append("[21:17:02] Finished 'bench' after 19 s")
        let read = try readBytes(Array((lines.joined(separator: "\n") + "\n").utf8), name: "gulp.log")
        #expect(read.format == "benchmarkjs")
        #expect(read.metrics == plain.metrics)
        #expect(!read.metrics.metrics.contains { $0.name.contains(":") && $0.name.contains("[") })
    }
}
