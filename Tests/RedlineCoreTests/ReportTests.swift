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

/// The directory of golden files beside this test file.
let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Compares `text` with a golden file; `REDLINE_UPDATE_GOLDEN=1` rewrites the file instead.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = goldenDirectory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["REDLINE_UPDATE_GOLDEN"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(
        text == expected, "differs from Golden/\(name); rerun with REDLINE_UPDATE_GOLDEN=1 and review the diff",
        sourceLocation: sourceLocation)
}

/// A judgement with one metric of every kind of finding.
func sampleJudgement() throws -> Judgement {
    let current = try readNative(
        """
        {
          "context": { "commit": "5d41c07", "branch": "feature/cache" },
          "metrics": [
            { "name": "apiResponseTime", "value": 131, "unit": "ms" },
            { "name": "databaseQueryTime", "value": 0.0583, "unit": "s" },
            { "name": "memoryUsage", "value": 540, "unit": "MB" },
            { "name": "throughput", "value": 1250, "unit": "req/s" },
            { "name": "BM_Sort/1024", "unit": "ns", "samples": [5702.9, 5688.1, 5731.4] },
            { "name": "BM_Hash", "value": 3, "unit": "ns" },
            { "name": "allocations", "value": 3 },
            { "name": "cacheHitRate", "value": 97.5, "unit": "%" }
          ]
        }
        """)
    let baseline = try BaselineFormat.read(
        SourceText(
            name: "baselines/main.json",
            text: """
                {
                  "schema": "redline.baseline.v1",
                  "provenance": { "commit": "3f2c9e1", "branch": "main", "updatedAt": "2026-11-20T10:00:00Z",
                                  "redlineVersion": "0.1.0", "sources": [{"file": "bench.json", "format": "native"}],
                                  "reason": "nightly" },
                  "metrics": [
                    { "name": "apiResponseTime", "value": 87.5, "unit": "ms" },
                    { "name": "databaseQueryTime", "value": 61.2, "unit": "ms" },
                    { "name": "memoryUsage", "value": 182, "unit": "MB" },
                    { "name": "throughput", "value": 1190, "unit": "req/s" },
                    { "name": "BM_Sort/1024", "value": 6320, "unit": "ns" },
                    { "name": "BM_Hash", "value": 2, "unit": "ns" },
                    { "name": "BM_Gone", "value": 2, "unit": "ns" },
                    { "name": "allocations", "value": 0 }
                  ]
                }
                """))
    let policy = try readBudgets(BudgetsTests.specExample)
    return try Judge.judge(current: current, baseline: baseline, policy: policy)
}

@Suite("Reports")
struct ReportTests {
    @Test("the markdown report matches its reviewed golden file")
    func markdownGolden() throws {
        try expectGolden(MarkdownReport.render(sampleJudgement()), "report-failed.md")
    }

    @Test("a first run without a baseline: every metric new, budgets still apply, golden file")
    func firstRunGolden() throws {
        let current = try readNative(#"{"apiResponseTime": 87.5, "throughput": {"value": 1250, "unit": "req/s"}}"#)
        let judgement = try Judge.judge(current: current, baseline: nil, policy: readBudgets(BudgetsTests.specExample))
        #expect(judgement.outcome == .passed)
        try expectGolden(MarkdownReport.render(judgement), "report-first-run.md")
    }

    @Test("the terminal table matches its golden file and has no colour codes when colour is off")
    func terminalGolden() throws {
        let text = TerminalReport.render(try sampleJudgement(), colour: false)
        #expect(!text.contains("\u{1B}"))
        try expectGolden(text, "terminal-failed.txt")
        #expect(TerminalReport.render(try sampleJudgement(), colour: true).contains("\u{1B}[31m"))
    }

    @Test("the JSON result matches its golden file and re-reads with the strict reader")
    func jsonResult() throws {
        let text = JSONResult.render(try sampleJudgement())
        try expectGolden(text, "result-failed.json")
        let node = try JSONReader.parse(SourceText(name: "result.json", text: text))
        guard case .object(let members) = node.value else {
            Issue.record("not an object")
            return
        }
        #expect(
            members.map(\.key) == [
                "schema", "outcome", "failOn", "counts", "defaults", "baseline", "context", "runs", "runShift",
                "acceptances", "metrics",
            ])
    }

    @Test("the same judgement renders to the same bytes every time")
    func deterministic() throws {
        let first = try sampleJudgement()
        let second = try sampleJudgement()
        #expect(MarkdownReport.render(first) == MarkdownReport.render(second))
        #expect(JSONResult.render(first) == JSONResult.render(second))
    }

    static let hostileNameCorpus = [
        "a|b", "pipe at end|", "|", "back`tick", "``", "`", "<img src=x onerror=alert(1)>", "<!-- hidden",
        "</details>", "@octocat please look", "fixes #12", "owner/repo#34", "[link](https://evil.example)",
        "https://evil.example/x", "www.evil.example", "*bold* _em_ ~~gone~~", "new\nline", "carriage\rreturn",
        "tab\there", "\u{202E}reversed", "zero\u{200B}width", "::error::injected", "##[add-mask]secret",
        "::stop-commands::token", "\\|escaped pipe", "&amp; entity", "a\\", "   spaces   ", "# heading",
        "> quote", "- list", "1. list", "![image](x)", "<script>alert(1)</script>", "mix | ` | \\ | <b>",
    ]

    @Test(
        "hostile metric names keep every table row to its cell count and render nothing active",
        arguments: hostileNameCorpus)
    func hostileNames(name: String) throws {
        let judgement = try Judge.judge(
            current: MetricSet(metrics: [Metric(name: name, value: 2, unit: Unit("ms"))]),
            baseline: Baseline(metrics: MetricSet(metrics: [Metric(name: name, value: 1, unit: Unit("ms"))])),
            policy: Policy())
        let report = MarkdownReport.render(judgement)
        let rows = report.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("|") }
        #expect(rows.count == 3)
        let expectedCells = MarkdownTable.cells(in: String(rows[0])).count
        for row in rows {
            #expect(MarkdownTable.cells(in: String(row)).count == expectedCells, "row: \(row)")
            for cell in MarkdownTable.cells(in: String(row)) {
                let outside = MarkdownTable.outsideCodeSpans(cell)
                for forbidden in ["<", "@", "#", "http", "www.", "[", "*", "_", "\\"] {
                    #expect(!outside.contains(forbidden), "\(forbidden) outside a code span in \(cell)")
                }
            }
        }
        #expect(!report.contains("\u{202E}"))
        #expect(
            !report.split(separator: "\n").contains { $0.hasPrefix("::") || $0.contains("##[") && !$0.contains("`") })
    }

    @Test("the cell escaper keeps the cell count for any string (seeded)")
    func escaperProperty() {
        var generator = SeededGenerator(seed: 99)
        let alphabet: [Character] = [
            "a", "|", "`", "\\", "<", ">", " ", "\n", "@", "#", "[", "]", "é", "\u{202E}", "*",
        ]
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let row = "| " + Escape.markdownCell(text) + " | x |"
            #expect(MarkdownTable.cells(in: row).count == 2, "\(text.debugDescription) → \(row)")
            #expect(!row.contains("\n"))
        }
    }

    @Test(
        "values print in readable units, never nan or inf",
        arguments: [
            (1_230_000.0, "ns", "1.23 ms"), (87.5, "ms", "87.5 ms"), (0.0583, "s", "58.3 ms"), (999.0, "ns", "999 ns"),
            (1000.0, "ns", "1 µs"), (1500.0, "MB", "1.5 GB"), (2048.0, "KiB", "2 MiB"), (1500.0, "MB/s", "1.5 GB/s"),
            (1250.0, "req/s", "1250 req/s"), (97.5, "%", "97.5%"), (0.0, "ms", "0 ns"), (3.0, "widgets", "3 widgets"),
            (123456789.0, "B", "123 MB"), (.infinity, "ms", "–"), (.nan, "", "–"),
        ])
    func readableValues(value: Double, unit: String, expected: String) {
        #expect(Formatting.value(value, unit: unit.isEmpty ? nil : Unit(unit)) == expected)
    }

    @Test(
        "changes print with two decimals and a sign",
        arguments: [
            (0.1, "+10.00%"), (0.1001, "+10.01%"), (-0.0458, "-4.58%"), (0.0, "+0.00%"), (-0.000001, "+0.00%"),
            (12.5, "+1250.00%"),
        ])
    func changes(fraction: Double, expected: String) {
        #expect(Formatting.percentChange(fraction) == expected)
    }
}

/// Reads markdown tables the way GitHub does, for checking rendered reports.
enum MarkdownTable {
    /// The cells of a table row: split on pipes not escaped with a backslash; outer pipes dropped.
    static func cells(in row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in row {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current)
        if row.hasPrefix("|") { cells.removeFirst() }
        if row.hasSuffix("|") && !row.hasSuffix("\\|") { cells.removeLast() }
        return cells
    }

    /// The text of a cell with its code spans removed (what markdown would interpret).
    static func outsideCodeSpans(_ cell: String) -> String {
        let characters = Array(cell.replacingOccurrences(of: "\\|", with: "|"))
        var outside = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "`" {
                var run = 0
                while index + run < characters.count, characters[index + run] == "`" { run += 1 }
                // Find the closing run of exactly the same length.
                var search = index + run
                var closed = false
                while search < characters.count {
                    if characters[search] == "`" {
                        var closing = 0
                        while search + closing < characters.count, characters[search + closing] == "`" { closing += 1 }
                        if closing == run {
                            index = search + closing
                            closed = true
                            break
                        }
                        search += closing
                    } else {
                        search += 1
                    }
                }
                if closed { continue }
                outside += String(repeating: "`", count: run)
                index += run
                continue
            }
            outside.append(characters[index])
            index += 1
        }
        return outside
    }
}
