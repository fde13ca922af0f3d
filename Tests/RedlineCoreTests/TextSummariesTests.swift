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

@Suite("Text summaries written for people are recognised, never read, and say which file to produce")
struct TextSummariesTests {
    @Test(
        "each tool's console summary names the tool and the file to produce instead",
        arguments: [
            (
                "doc-derived/text-summaries/k6-classic-summary.txt", "k6's end-of-test summary",
                "k6 run --summary-export=summary.json"
            ),
            (
                "doc-derived/text-summaries/k6-v1-summary.txt", "k6's end-of-test summary",
                "k6 run --summary-export=summary.json"
            ),
            (
                "doc-derived/text-summaries/artillery-v2-console.txt", "Artillery's console report",
                "artillery run --output report.json"
            ),
            (
                "doc-derived/text-summaries/artillery-v1-console.txt", "Artillery's console report",
                "artillery run --output report.json"
            ),
            ("doc-derived/text-summaries/locust-console.txt", "Locust's console statistics", "--csv PREFIX"),
            ("locust-2.47.0/full-console.txt", "Locust's console statistics", "--csv PREFIX"),
            ("doc-derived/text-summaries/gatling-console.txt", "Gatling's console summary", "js/global_stats.json"),
            (
                "doc-derived/text-summaries/gatling-console-legacy.txt", "Gatling's console summary",
                "js/global_stats.json"
            ),
            ("doc-derived/text-summaries/jmeter-console.txt", "JMeter's summariser output", "-l results.jtl"),
        ])
    func recognised(path: String, tool: String, instead: String) throws {
        let error = try #require(readError(path, format: "auto"))
        #expect(error.message == "this is \(tool), which is written for people, not a metrics file")
        #expect(error.hint?.contains(instead) == true, "\(error.hint ?? "")")
        #expect(error.line != nil)
    }

    @Test("k6's summary forced as k6's JSON format says the same, not 'comments are not allowed in JSON'")
    func forced() throws {
        let error = try #require(readError("doc-derived/text-summaries/k6-classic-summary.txt", format: "k6"))
        #expect(error.message.hasPrefix("this is k6's end-of-test summary"))
    }

    @Test("with terminal colours and Actions timestamps before each line it is still recognised")
    func decorated() throws {
        let text = try readOwnText("doc-derived/text-summaries/k6-v1-summary.txt").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map { "2026-12-06T04:06:16.1234567Z \u{1B}[36m" + $0 + "\u{1B}[0m" }.joined(separator: "\n")
        let error = TextSummaries.recognise(SourceText(name: "log.txt", text: text))
        #expect(error?.message.hasPrefix("this is k6's end-of-test summary") == true)
    }

    @Test("no real output of a tool in the corpus is taken for a summary (but Locust's real consoles)")
    func noFalsePositives() throws {
        for path in ownCorpusFiles()
        where !path.contains("text-summaries/") && !path.hasSuffix("console.txt") && !path.hasSuffix(".md") {
            let text = try readOwnText(path)
            #expect(TextSummaries.recognise(SourceText(name: path, text: text)) == nil, "\(path)")
        }
    }

    func readError(_ path: String, format: String) -> RedlineError? {
        do {
            _ = try readOwn(path, format: format)
            return nil
        } catch {
            return error.redlineErrors.first
        }
    }
}

/// Every file of the repository's corpus, peers' included, by its path under Tests/Corpus.
func ownCorpusFiles() -> [String] {
    let paths = FileManager.default.enumerator(atPath: ownCorpus.path)?.compactMap { $0 as? String } ?? []
    return paths.filter { path in
        var directory: ObjCBool = false
        return FileManager.default.fileExists(
            atPath: ownCorpus.appendingPathComponent(path).path, isDirectory: &directory) && !directory.boolValue
    }.sorted()
}
