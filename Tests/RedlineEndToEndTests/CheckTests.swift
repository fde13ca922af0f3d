import Foundation
import Testing

/// A workspace holding the repository's own example setup: budgets.json, baselines/, examples/.
func exampleWorkspace() throws -> Workspace {
    let workspace = try Workspace()
    try workspace.copy(fromRepository: "budgets.json")
    try workspace.copy(fromRepository: "baselines/main.json")
    try workspace.copy(fromRepository: "examples/current.json")
    try workspace.copy(fromRepository: "examples/regressed.json")
    return workspace
}

@Suite("redline check, end to end")
struct CheckTests {
    @Test("the README's main command passes on the shipped examples and prints the table")
    func examplesPass() throws {
        let workspace = try exampleWorkspace()
        let result = try workspace.run(["check", "--current", "examples/current.json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("apiResponseTime"))
        #expect(result.stdout.contains("redline: passed"))
        #expect(result.stderr.isEmpty)
        #expect(!result.stdout.contains("\u{1B}["), "NO_COLOR is set and stdout is not a TTY")
    }

    @Test("a regressed run exits 1 and writes the markdown report and the JSON result")
    func regressionFails() throws {
        let workspace = try exampleWorkspace()
        let result = try workspace.run([
            "check", "--current", "examples/regressed.json",
            "--report", "out/report.md", "--json", "out/result.json",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED"))
        let report = try workspace.read("out/report.md")
        // The shipped baseline holds one run: the report says so before anything else.
        #expect(report.hasPrefix("**⚠️ Young baseline: 1 run of the 5 a window needs"))
        #expect(report.contains("\n## ❌ redline: failed\n"))
        #expect(report.contains("| ❌ | `memoryUsage` | 182 MB | 540 MB | +196.70% | error |"))
        let json = try workspace.read("out/result.json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?["outcome"] as? String == "failed")
        #expect((object?["counts"] as? [String: Any])?["budgetErrors"] as? Int == 1)
    }

    @Test("--report - prints the markdown on stdout in place of the table")
    func reportToStdout() throws {
        let workspace = try exampleWorkspace()
        let result = try workspace.run(["check", "--current", "examples/current.json", "--report", "-"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("**⚠️ Young baseline"))
        #expect(result.stdout.contains("\n## ✅ redline: passed"))
        #expect(!result.stdout.contains("redline: passed ("))
    }

    @Test("the same input gives the same bytes")
    func deterministic() throws {
        let workspace = try exampleWorkspace()
        let first = try workspace.run([
            "check", "--current", "examples/regressed.json", "--report", "a.md", "--json", "a.json",
        ])
        let second = try workspace.run([
            "check", "--current", "examples/regressed.json", "--report", "b.md", "--json", "b.json",
        ])
        #expect(first.stdout == second.stdout)
        #expect(try workspace.read("a.md") == workspace.read("b.md"))
        #expect(try workspace.read("a.json") == workspace.read("b.json"))
    }

    @Test("without a baseline every metric is new and the run passes; the first line says nothing was compared")
    func firstRun() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1, "b": {"value": 2, "unit": "ms"}}"#)
        let result = try workspace.run(["check", "--current", "m.json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("2 new"))
        #expect(
            result.stdout.hasPrefix(
                "redline: no baseline yet: nothing was compared; the first push to the default branch records one"))
    }

    @Test("a budget error fails a first run: budgets apply without a baseline")
    func budgetWithoutBaseline() throws {
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "budgets.json")
        try workspace.write("m.json", #"{"apiResponseTime": 900}"#)
        let result = try workspace.run(["check", "--current", "m.json"])
        #expect(result.status == 1)
    }

    @Test("several --current files merge; a name in two of them is exit 2 at its line and column, naming both places")
    func merge() throws {
        let workspace = try Workspace()
        try workspace.write("a.json", #"{"x": 1}"#)
        try workspace.write("b.json", #"{"y": 1}"#)
        try workspace.write("c.json", #"{"x": 2}"#)
        #expect(try workspace.run(["check", "--current", "a.json", "--current", "b.json"]).status == 0)
        let clash = try workspace.run(["check", "--current", "a.json", "--current", "c.json"])
        #expect(clash.status == 2)
        #expect(
            clash.stderr
                == "redline: c.json:1:2: metric \"x\" is also in a.json:1:2; a metric may come from one --current file only; rename one of them\n"
        )
    }

    @Test("--fail-on warning turns a budget warning into a failure")
    func failOnWarning() throws {
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "budgets.json")
        try workspace.write("m.json", #"{"apiResponseTime": 250}"#)
        #expect(try workspace.run(["check", "--current", "m.json"]).status == 0)
        #expect(try workspace.run(["check", "--current", "m.json", "--fail-on", "warning"]).status == 1)
    }

    @Test("--max-regression changes the default threshold")
    func maxRegression() throws {
        let workspace = try Workspace()
        try workspace.write(
            "base.json", #"{"schema": "redline.baseline.v1", "metrics": [{"name": "x", "value": 100}]}"#)
        try workspace.write("m.json", #"{"x": 120}"#)
        #expect(try workspace.run(["check", "--current", "m.json", "--baseline", "base.json"]).status == 1)
        #expect(
            try workspace.run(["check", "--current", "m.json", "--baseline", "base.json", "--max-regression", "25%"])
                .status == 0)
    }
}
