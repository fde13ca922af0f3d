import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Asserts the contract for bad input: exit 2, exactly one line on stderr that starts with
/// `redline: ` and contains `expected`, and nothing on stdout.
func expectInputError(_ result: Redline.Result, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 2, "status \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderrLines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    // `redline: FILE:…` for input, `redline COMMAND: …` for arguments; never the prefix twice.
    #expect(result.stderr.hasPrefix("redline: ") || result.stderr.hasPrefix("redline "), sourceLocation: sourceLocation)
    #expect(!result.stderr.contains("redline: redline"), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(expected), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
}

@Suite("Bad input and bad arguments, end to end")
struct ErrorTests {
    @Test(
        "invalid metrics files: exit 2 and one line with file, line and column",
        arguments: [
            (#"{"a": 1, "a": 2}"#, "m.json:1:10: duplicate key \"a\""),
            ("{\n  \"a\": NaN\n}", "m.json:2:8: NaN and Infinity are not JSON numbers"),
            (#"{"metrics": [{"name": "x", "value": "12"}]}"#, "m.json:1:37: `value` of metric 1 must be a number"),
            (#"{"a": 1e400}"#, "m.json:1:7: number 1e400 is out of range"),
            ("", "m.json:1:1: the file is empty"),
            ("null", "m.json:1:1: expected a JSON object or array at the top level, got null"),
            (#"{"a": [1,"#, "m.json:1:10: unexpected end of file"),
        ])
    func invalidMetrics(text: String, expected: String) throws {
        let workspace = try Workspace()
        try workspace.write("m.json", text)
        expectInputError(try workspace.run(["check", "--current", "m.json"]), expected)
    }

    @Test("invalid budgets are config errors with position and advice")
    func invalidBudgets() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        try workspace.write("budgets.json", "{\n  \"metrics\": {\n    \"a\": { \"maxRegression\": 10 }\n  }\n}\n")
        expectInputError(
            try workspace.run(["check", "--current", "m.json"]),
            "budgets.json:3:29: `maxRegression` of budget rule \"a\" must be a percentage such as \"10%\", got 10; write \"10%\" with quotes and a percent sign"
        )
    }

    @Test("an explicit --budgets file that does not exist is an error; the default one is optional")
    func missingBudgets() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        expectInputError(
            try workspace.run(["check", "--current", "m.json", "--budgets", "nope.json"]),
            "nope.json: the budgets file named by --budgets does not exist; check the path, or leave --budgets out to use budgets.json when it exists"
        )
    }

    @Test(
        "argument mistakes: exit 2 with what to do",
        arguments: [
            (["check"], "redline check: --current FILE is required; run `redline help check`"),
            (["check", "--current"], "--current needs a value (FILE)"),
            (["check", "--current", "m.json", "--bogus"], "unknown option --bogus; run `redline help check`"),
            (["check", "--current", "m.json", "extra"], "unexpected argument \"extra\""),
            (
                ["check", "--current", "m.json", "--max-regression", "10"],
                "--max-regression must be a percentage such as 10%"
            ),
            (["check", "--current", "m.json", "--fail-on", "notice"], "--fail-on must be error or warning"),
            (
                ["check", "--current", "m.json", "--format", "xml"],
                "--format must be one of auto, google-benchmark, hyperfine"
            ),
            (["check", "--current", "m.json", "--baseline", "a", "--baseline", "b"], "--baseline is given twice"),
            (["frobnicate"], "unknown command \"frobnicate\""),
            (["baseline"], "expected `update`, `fetch` or `show`"),
            (["help", "nothing"], "no command called \"nothing\""),
        ])
    func argumentErrors(arguments: [String], expected: String) throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        expectInputError(try workspace.run(arguments), expected)
    }

    @Test("a FIFO is refused at once instead of hanging; a directory and a missing file are refused")
    func specialFiles() throws {
        let workspace = try Workspace()
        #expect(mkfifo(workspace.url.appendingPathComponent("pipe").path, 0o600) == 0)
        expectInputError(try workspace.run(["check", "--current", "pipe"]), "pipe: is not a regular file")
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("dir"), withIntermediateDirectories: true)
        expectInputError(try workspace.run(["check", "--current", "dir"]), "dir: is a directory")
        expectInputError(
            try workspace.run(["check", "--current", "absent.json"]), "absent.json: cannot be opened: No such file")
    }

    @Test("an unreadable file is exit 2 with the reason", .enabled(if: Workspace.canTestPermissions))
    func unreadable() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        #expect(chmod(workspace.url.appendingPathComponent("m.json").path, 0o000) == 0)
        expectInputError(
            try workspace.run(["check", "--current", "m.json"], unprivileged: true),
            "m.json: cannot be opened: Permission denied; check the file's permissions")
    }

    @Test("control characters from input never reach the terminal raw")
    func controlCharactersEscaped() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", "{\"a\\u001b[31m\\n::error::x\": 1, \"a\\u001b[31m\\n::error::x\": 2}")
        let result = try workspace.run(["check", "--current", "m.json"])
        expectInputError(result, "duplicate key")
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(!result.stderr.dropLast().contains("\n"))
    }

    @Test(
        "units of different dimensions between baseline and current: exit 2 at the metric's line and column in the baseline"
    )
    func dimensionMismatch() throws {
        let workspace = try Workspace()
        try workspace.write("baselines/main.json", #"{"metrics": [{"name": "m", "value": 1, "unit": "MB"}]}"#)
        try workspace.write("m.json", #"{"m": {"value": 1, "unit": "ms"}}"#)
        expectInputError(
            try workspace.run(["check", "--current", "m.json"]),
            "baselines/main.json:1:14: metric \"m\" is in MB (size) in the baseline but in ms (time) in the current run"
        )
    }
}
