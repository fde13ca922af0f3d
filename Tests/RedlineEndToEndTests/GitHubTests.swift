import Foundation
import Testing

/// Checks one line of stdout or stderr against how GitHub's runner reads workflow commands:
/// a line whose first non-blank characters are `::` is a command, and the legacy parser matches
/// `##[` anywhere. Only redline's own, well-formed annotations may be commands.
func expectNoInjectedCommand(_ line: Substring, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!line.contains("##["), "legacy workflow command in: \(line)", sourceLocation: sourceLocation)
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    guard trimmed.hasPrefix("::") else { return }
    let annotation = #/^::(error|warning|notice) title=[^:,\r\n]*::[^\r\n]*$/#
    #expect(
        String(trimmed).wholeMatch(of: annotation) != nil, "workflow command in: \(line)",
        sourceLocation: sourceLocation)
}

/// Every line of both streams, split as the runner splits them (LF, CR and CRLF).
func runnerLines(_ result: Redline.Result) -> [Substring] {
    (result.stdout + "\n" + result.stderr).split(omittingEmptySubsequences: false) {
        $0 == "\n" || $0 == "\r" || $0 == "\r\n"
    }
}

/// The cells of a markdown table row, split on unescaped pipes (as GitHub's table scanner does).
func tableCells(_ row: Substring) -> Int {
    var count = 0
    var escaped = false
    for character in row {
        if escaped {
            escaped = false
            continue
        }
        if character == "\\" { escaped = true } else if character == "|" { count += 1 }
    }
    return count - 1
}

/// Every table row in `markdown` has the header's cell count.
func expectTablesIntact(_ markdown: String, sourceLocation: SourceLocation = #_sourceLocation) {
    // Each table is a run of lines that start with `|`; every row has its header's cells.
    var cells: Int?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        guard line.hasPrefix("|") else {
            cells = nil
            continue
        }
        guard let expected = cells else {
            cells = tableCells(line)
            continue
        }
        #expect(tableCells(line) == expected, "row breaks its table: \(line)", sourceLocation: sourceLocation)
    }
}

/// Parses $GITHUB_OUTPUT as the runner does: `name=value` lines and `name<<DELIMITER` blocks.
func parseOutputs(_ text: String) -> [String: String] {
    var outputs: [String: String] = [:]
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
    while let line = lines.popFirst() {
        if let range = line.range(of: "<<") {
            let name = String(line[..<range.lowerBound])
            let delimiter = line[range.upperBound...]
            var value: [Substring] = []
            while let next = lines.popFirst(), next != delimiter { value.append(next) }
            outputs[name] = value.joined(separator: "\n")
        } else if let equals = line.firstIndex(of: "=") {
            outputs[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
    }
    return outputs
}

@Suite("GitHub Actions: summary, annotations, outputs, comment", .serialized)
struct GitHubTests {
    static func actions(_ workspace: Workspace, extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": workspace.url.appendingPathComponent("summary.md").path,
            "GITHUB_OUTPUT": workspace.url.appendingPathComponent("outputs.txt").path,
        ]
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    @Test("the summary never passes 1 MiB: 900 KB already there and 50,000 metrics with 200-character names")
    func summaryBound() throws {
        let workspace = try Workspace()
        var metrics: [String] = []
        for index in 0..<50_000 {
            let name = "suite/" + String(repeating: "n", count: 188) + String(format: "%06d", index)
            metrics.append("\"\(name)\": {\"value\": \(index % 97 + 1), \"unit\": \"ns\"}")
        }
        try workspace.write("m.json", "{" + metrics.joined(separator: ",\n") + "}")
        try workspace.write("summary.md", String(repeating: "x", count: 899_999) + "\n")
        let result = try workspace.run(
            ["check", "--current", "m.json", "--comment", "comment.md"],
            environment: Self.actions(workspace))
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try workspace.read("summary.md")
        #expect(summary.utf8.count <= 1_048_576)
        #expect(summary.utf8.count > 1_000_000, "the summary should use the room it has")
        #expect(summary.contains("rows are left out to keep this report under"))
        expectTablesIntact(String(summary.dropFirst(900_000)))
        #expect(summary.hasSuffix("\n"))
        let comment = try workspace.read("comment.md")
        #expect(comment.utf8.count <= 65_536)
        #expect(comment.hasPrefix("<!-- redline:report -->\n"))
        #expect(comment.contains("the job summary has the full report"))
        expectTablesIntact(comment)
    }

    @Test("annotations: worst first, at most 10 per severity and one line for the rest, escaped as the toolkit does")
    func annotations() throws {
        let workspace = try Workspace()
        var current: [String] = []
        var baseline: [String] = []
        for index in 0..<25 {
            current.append("\"slow %0A, :\(index)\": \(200 + index)")
            baseline.append("{\"name\": \"slow %0A, :\(index)\", \"value\": 100}")
            // As many steady metrics: the run as a whole did not shift, so each regression is its own finding.
            current.append("\"steady \(index)\": 100")
            baseline.append("{\"name\": \"steady \(index)\", \"value\": 100}")
        }
        try workspace.write("m.json", "{" + current.joined(separator: ", ") + "}")
        try workspace.write("baselines/main.json", "{\"metrics\": [" + baseline.joined(separator: ", ") + "]}")
        let result = try workspace.run(["check", "--current", "m.json"], environment: Self.actions(workspace))
        #expect(result.status == 1)
        let errors = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        #expect(errors.count == 11)
        #expect(errors.last == "::error title=redline::15 more failures in the job summary")
        // Worst first: the largest regression (index 24, +124%) leads.
        #expect(
            errors.first?.hasPrefix("::error title=redline%3A slow %250A%2C %3A24::slow %250A, :24: regressed") == true)
        for line in runnerLines(result) { expectNoInjectedCommand(line) }
        let outputs = parseOutputs(try workspace.read("outputs.txt"))
        #expect(
            outputs == [
                "verdict": "failed", "regressions": "25", "budget-errors": "0", "warnings": "0",
                "missing-required": "0", "reported-only-changes": "0", "baseline": "young", "report": "",
            ])
    }

    static let hostileNames = [
        "::stop-commands::tok", "::error::pwned", "  ::warning::x", "##[add-mask]secret", "a ##[group]b", "a|b|c",
        "back`tick``s", "<img src=x onerror=alert(1)>", "<!-- comment", "</details>", "@octocat", "#12",
        "[link](https://evil.example)", "https://evil.example", "::set-output name=verdict::passed", "%0A::error::x",
    ]

    @Test("hostile names and context: no line of stdout or stderr is a command, every table keeps its cells")
    func hostileNames() throws {
        let workspace = try Workspace()
        let entries = Self.hostileNames.enumerated().map { index, name in
            "{\"name\": \(jsonString(name)), \"value\": \(index + 10), \"unit\": \"ms\"}"
        }
        let baseline = Self.hostileNames.map { "{\"name\": \(jsonString($0)), \"value\": 1, \"unit\": \"ms\"}" }
        let context = #""context": {"branch": "x\n::error::from-context\r##[warning]cr", "runner": "\u202Ebidi\u2066"}"#
        try workspace.write("m.json", "{\(context), \"metrics\": [" + entries.joined(separator: ", ") + "]}")
        try workspace.write("baselines/main.json", "{\"metrics\": [" + baseline.joined(separator: ", ") + "]}")
        for arguments in [
            ["check", "--current", "m.json", "--report", "r.md", "--comment", "c.md"],
            ["check", "--current", "m.json", "--report", "-"], ["check", "--current", "m.json", "--json", "-"],
            ["convert", "--current", "m.json"], ["baseline", "show"], ["validate", "--current", "m.json"],
            ["calibrate", "--current", "m.json", "--current", "m.json"],
        ] {
            let result = try workspace.run(arguments, environment: Self.actions(workspace))
            #expect(result.status != 2 || arguments[0] == "calibrate", "\(arguments): \(result.stderr)")
            for line in runnerLines(result) { expectNoInjectedCommand(line) }
        }
        for file in ["r.md", "c.md", "summary.md"] {
            let markdown = try workspace.read(file)
            expectTablesIntact(markdown)
            #expect(!markdown.contains("\u{202E}"))
            // Names stand in code spans, where markdown renders no HTML.
            for line in markdown.split(separator: "\n") where line.contains("<img") {
                #expect(
                    line.contains("`<img src=x onerror=alert(1)>`"), "raw HTML outside a code span in \(file): \(line)")
            }
        }
        // A hostile key in a broken file: the error line is neutralised too.
        try workspace.write("bad.json", #"{"\n::error::a": 1, "\n::error::a": 2}"#)
        let bad = try workspace.run(["check", "--current", "bad.json"], environment: Self.actions(workspace))
        #expect(bad.status == 2)
        for line in runnerLines(bad) { expectNoInjectedCommand(line) }
    }

    @Test("outputs use the heredoc form with an unguessable delimiter, so no value forges another")
    func outputs() throws {
        let workspace = try exampleWorkspace()
        let first = try workspace.run(
            ["check", "--current", "examples/current.json", "--report", "report.md"],
            environment: Self.actions(workspace))
        #expect(first.status == 0)
        let text = try workspace.read("outputs.txt")
        #expect(
            parseOutputs(text) == [
                "verdict": "passed", "regressions": "0", "budget-errors": "0", "warnings": "0",
                "missing-required": "0", "reported-only-changes": "0", "baseline": "young", "report": "report.md",
            ])
        let delimiter = text.split(separator: "\n")[0].split(separator: "<<")[1]
        #expect(delimiter.count > 40)
        _ = try workspace.run(["check", "--current", "examples/current.json"], environment: Self.actions(workspace))
        let second = try workspace.read("outputs.txt").split(separator: "\n")[24].split(separator: "<<")[1]
        #expect(second != delimiter)
    }

    @Test("outside GitHub Actions nothing is annotated or written to the step files")
    func notInActions() throws {
        let workspace = try exampleWorkspace()
        var environment = Self.actions(workspace)
        environment["GITHUB_ACTIONS"] = "false"
        let result = try workspace.run(["check", "--current", "examples/regressed.json"], environment: environment)
        #expect(result.status == 1)
        #expect(!result.stdout.contains("::error"))
        #expect(!workspace.exists("summary.md"))
        #expect(!workspace.exists("outputs.txt"))
    }

    @Test("the comment points at the run's job summary when its link can be built")
    func commentLink() throws {
        let workspace = try exampleWorkspace()
        let environment = [
            "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/app", "GITHUB_RUN_ID": "42",
        ]
        _ = try workspace.run(
            ["check", "--current", "examples/regressed.json", "--comment", "c.md"], environment: environment)
        let comment = try workspace.read("c.md")
        #expect(comment.hasPrefix("<!-- redline:report -->\n**⚠️ Young baseline"))
        #expect(comment.contains("\n## ❌ redline: failed\n"))
        #expect(!comment.contains("left out"))
    }
}

/// A JSON string literal for test data.
func jsonString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}
