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

@Suite("hyperfine: hyperfine 1.15.0's JSON export, with a 500-character command")
struct HyperfineTests {
    @Test("a long command gets a readable, unique name within the limit, and a note with the whole command")
    func longCommand() throws {
        let read = try readOwn("hyperfine-1.15.0/long-short.json")
        let results = try ownJSON("hyperfine-1.15.0/long-short.json")["results"] as! [[String: Any]]
        let long = results[0]["command"] as! String
        #expect(long.count == 500)
        let names = read.metrics.metrics.map(\.name)
        #expect(names.contains("sleep 0.01"))
        let shortened = try #require(names.first { $0 != "sleep 0.01" })
        #expect(shortened.unicodeScalars.count <= MetricRules.maximumLength)
        #expect(shortened.hasPrefix(String(long.prefix(40))))
        #expect(shortened.contains("… #"))
        #expect(read.metrics[shortened]?.value == 0.0036130237000000006, "the file's median, to the last digit")
        #expect(read.metrics[shortened]?.samples?.count == 5)
        #expect(read.notes.count == 1 && read.notes[0].hasSuffix(long))
        // Names survive a baseline: the native reader takes them back as they are.
        let again = try NativeFormat.read(
            SourceText(name: "b.json", text: BaselineDocument.metricsDocument(read.metrics)))
        #expect(again == read.metrics)
    }

    @Test("two long commands that start alike get two names")
    func uniqueNames() {
        let prefix = String(repeating: "true; ", count: 60)
        let first = Hyperfine.metricName(prefix + "echo a").name
        let second = Hyperfine.metricName(prefix + "echo b").name
        #expect(first != second)
        #expect(Hyperfine.metricName("a\n  b\tc").name == "a b c")
        #expect(Hyperfine.metricName("sleep 1").shortened == false)
    }

    @Test("`-n` names and parameter runs read as written")
    func named() throws {
        #expect(
            try readOwn("hyperfine-1.15.0/named.json").metrics.metrics.map(\.name) == ["long pipeline", "short sleep"])
        #expect(try readOwn("hyperfine-1.15.0/params.json").format == "hyperfine")
    }

    @Test("an export with no results reads as hyperfine, with a note, not as a native metric named `results`")
    func noResults() throws {
        let read = try MetricsReader.read(SourceText(name: "h.json", text: #"{"results": []}"#))
        #expect(read.format == "hyperfine")
        #expect(read.metrics.metrics.isEmpty)
        #expect(read.notes == ["h.json: the hyperfine export has no results (no command was run)"])
    }
}
