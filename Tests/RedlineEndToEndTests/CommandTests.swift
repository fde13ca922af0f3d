import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

@Suite("Other commands, end to end")
struct CommandTests {
    @Test("--help lists every command; help COMMAND and COMMAND --help document its options")
    func help() throws {
        let workspace = try Workspace()
        let overview = try workspace.run(["--help"])
        #expect(overview.status == 0)
        for command in ["check", "baseline update", "baseline show", "validate", "init", "convert"] {
            #expect(overview.stdout.contains("  \(command) "), "\(command) missing from --help")
        }
        let checkHelp = try workspace.run(["help", "check"])
        #expect(checkHelp.status == 0)
        for option in [
            "--current FILE", "--baseline FILE", "--budgets FILE", "--max-regression", "--fail-on", "--report FILE",
            "--json FILE",
        ] {
            #expect(checkHelp.stdout.contains(option))
        }
        #expect(try workspace.run(["baseline", "update", "--help"]).stdout.contains("--prune"))
        #expect(try workspace.run([]).stdout == overview.stdout)
    }

    @Test("--version prints the version")
    func version() throws {
        let result = try Workspace().run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("redline 0."))
    }

    @Test("baseline update writes a canonical, deterministic baseline with provenance")
    func baselineUpdate() throws {
        let workspace = try Workspace()
        try workspace.write(
            "m.json", #"{"context": {"branch": "main"}, "metrics": {"b": 2, "a": {"value": 1.5, "unit": "ms"}}}"#)
        let environment = ["SOURCE_DATE_EPOCH": "1764000000", "GITHUB_SHA": "abc1234"]
        let result = try workspace.run(
            ["baseline", "update", "--current", "m.json", "--reason", "first"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == "baselines/main.json: 2 metrics (2 added, 0 updated, 0 unchanged, 0 kept from before); 1 run in the history\n"
        )
        let text = try workspace.read("baselines/main.json")
        let versionLine = try workspace.run(["--version"]).stdout.dropFirst("redline ".count).trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(
            text == """
                {
                  "schema": "redline.baseline.v1",
                  "provenance": {
                    "commit": "abc1234",
                    "branch": "main",
                    "updatedAt": "2025-11-24T16:00:00Z",
                    "redlineVersion": "\(versionLine)",
                    "sources": [
                      {
                        "file": "m.json",
                        "format": "native"
                      }
                    ],
                    "reason": "first"
                  },
                  "context": {
                    "branch": "main"
                  },
                  "runs": [
                    {"id": 1, "commit": "abc1234", "time": "2025-11-24T16:00:00Z", "sources": [{"file": "m.json", "format": "native"}]}
                  ],
                  "metrics": [
                    {
                      "name": "a",
                      "value": 1.5,
                      "unit": "ms",
                      "history": {
                        "values": [1.5]
                      }
                    },
                    {
                      "name": "b",
                      "value": 2,
                      "history": {
                        "values": [2]
                      }
                    }
                  ]
                }

                """)
        // The same update again on a copy gives the same bytes: the output depends on the inputs only.
        _ = try workspace.run(
            ["baseline", "update", "--current", "m.json", "--reason", "first", "--baseline", "copy/main.json"],
            environment: environment)
        #expect(try workspace.read("copy/main.json") == text)
        // A second update appends the run to each metric's history.
        _ = try workspace.run(
            ["baseline", "update", "--current", "m.json", "--reason", "first"], environment: environment)
        #expect(try workspace.read("baselines/main.json").contains("\"values\": [1.5, 1.5]"))
        // The new baseline gates the same run green.
        #expect(try workspace.run(["check", "--current", "m.json"]).status == 0)
    }

    @Test("baseline update keeps metrics absent from the run unless --prune")
    func keepAndPrune() throws {
        let workspace = try Workspace()
        try workspace.write("one.json", #"{"a": 1, "b": 2}"#)
        try workspace.write("two.json", #"{"a": 3}"#)
        _ = try workspace.run(["baseline", "update", "--current", "one.json"])
        let kept = try workspace.run(["baseline", "update", "--current", "two.json"])
        #expect(kept.stdout.contains("1 updated, 0 unchanged, 1 kept from before"))
        #expect(try workspace.read("baselines/main.json").contains("\"name\": \"b\""))
        let pruned = try workspace.run(["baseline", "update", "--current", "two.json", "--prune"])
        #expect(pruned.stdout.contains("1 pruned"))
        #expect(!(try workspace.read("baselines/main.json").contains("\"name\": \"b\"")))
    }

    @Test("baseline update keeps the old file's mode")
    func keepsMode() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        _ = try workspace.run(["baseline", "update", "--current", "m.json"])
        let path = workspace.url.appendingPathComponent("baselines/main.json").path
        #expect(chmod(path, 0o640) == 0)
        try workspace.write("m.json", #"{"a": 2}"#)
        #expect(try workspace.run(["baseline", "update", "--current", "m.json"]).status == 0)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o640)
    }

    @Test(
        "a failed write (read-only directory) is exit 2 and leaves the old baseline byte for byte",
        .enabled(if: Workspace.canTestPermissions, "needs a non-root user or setpriv"))
    func readOnlyDirectory() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        _ = try workspace.run(["baseline", "update", "--current", "m.json"])
        let before = try workspace.read("baselines/main.json")
        #expect(chmod(workspace.url.appendingPathComponent("baselines").path, 0o555) == 0)
        try workspace.write("m.json", #"{"a": 2}"#)
        let result = try workspace.run(["baseline", "update", "--current", "m.json"], unprivileged: true)
        expectInputError(result, "baselines: cannot hold a temporary file for the output: Permission denied")
        #expect(try workspace.read("baselines/main.json") == before)
    }

    @Test("a write that cannot complete leaves the old baseline intact and no temporary file behind")
    func failedWriteKeepsOld() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        _ = try workspace.run(["baseline", "update", "--current", "m.json"])
        let before = try workspace.read("baselines/main.json")
        // The target's directory path runs through a regular file: the write must fail cleanly.
        try workspace.write("m.json", #"{"a": 2}"#)
        let result = try workspace.run(["baseline", "update", "--current", "m.json", "--baseline", "m.json/main.json"])
        #expect(result.status == 2)
        #expect(try workspace.read("baselines/main.json") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: workspace.url.appendingPathComponent("baselines").path)
        #expect(leftovers == ["main.json"])
    }

    @Test("baseline update refuses on pull-request events unless --allow-pr-update")
    func refusesOnPullRequest() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        for event in ["pull_request", "pull_request_target", "workflow_run"] {
            let result = try workspace.run(
                ["baseline", "update", "--current", "m.json"],
                environment: ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event])
            expectInputError(result, "not updated: this is a \(event) event")
            #expect(!workspace.exists("baselines/main.json"))
        }
        let allowed = try workspace.run(
            ["baseline", "update", "--current", "m.json", "--allow-pr-update"],
            environment: ["GITHUB_EVENT_NAME": "pull_request"])
        #expect(allowed.status == 0)
        #expect(workspace.exists("baselines/main.json"))
    }

    @Test("baseline update refuses to overwrite an invalid baseline")
    func invalidOldBaseline() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": 1}"#)
        try workspace.write("baselines/main.json", "{ broken")
        let result = try workspace.run(["baseline", "update", "--current", "m.json"])
        expectInputError(result, "the existing baseline is invalid: fix it or delete it first")
        #expect(try workspace.read("baselines/main.json") == "{ broken")
    }

    @Test("baseline show prints provenance and metrics")
    func baselineShow() throws {
        let workspace = try exampleWorkspace()
        let result = try workspace.run(["baseline", "show"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("commit: 3f2c9e1"))
        #expect(result.stdout.contains("throughput"))
        #expect(result.stdout.contains("higher is better"))
        let missing = try Workspace().run(["baseline", "show"])
        expectInputError(missing, "baselines/main.json: no baseline here")
    }

    @Test("validate lists every problem across files, one line each")
    func validate() throws {
        let workspace = try Workspace()
        try workspace.write(
            "budgets.json",
            #"{"metrics": {"a": {"maxRegression": 10}, "b": {"target": 5, "error": 1}, "c": {"tagret": 1}}}"#)
        try workspace.write("m.json", #"{"x": "1", "y": NaN}"#)
        let result = try workspace.run(["validate", "--current", "m.json"])
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 4, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let valid = try exampleWorkspace()
        let ok = try valid.run(["validate", "--current", "examples/current.json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        // As many rules as the shipped budgets.json has keys under `metrics`.
        let budgets =
            try JSONSerialization.jsonObject(with: Data(contentsOf: valid.url.appendingPathComponent("budgets.json")))
            as? [String: Any]
        let ruleCount = (budgets?["metrics"] as? [String: Any])?.count ?? -1
        #expect(ok.stdout.contains("ok: budgets.json: \(ruleCount) rules"), "\(ok.stdout)")
    }

    @Test("validate finds problems between files: a glob tie for a metric of the run")
    func validateTie() throws {
        let workspace = try Workspace()
        try workspace.write("budgets.json", #"{"metrics": {"BM_*": {}, "*ort": {}}}"#)
        try workspace.write("m.json", #"{"BM_Sort": 1}"#)
        let result = try workspace.run(["validate", "--current", "m.json"])
        expectInputError(result, "matches \"BM_*\" (line 1) and \"*ort\" (line 1) equally")
        expectInputError(try workspace.run(["check", "--current", "m.json"]), "equally")
    }

    @Test("init writes a starter budgets.json and baselines/, and never overwrites")
    func initCommand() throws {
        let workspace = try Workspace()
        let first = try workspace.run(["init"])
        #expect(first.status == 0)
        #expect(workspace.exists("budgets.json"))
        #expect(workspace.exists("baselines/.gitkeep"))
        #expect(try workspace.run(["validate"]).status == 0)
        try workspace.write("budgets.json", "{}")
        let second = try workspace.run(["init"])
        #expect(second.stdout.contains("kept budgets.json"))
        #expect(try workspace.read("budgets.json") == "{}")
    }

    @Test("convert prints native JSON that reads back to the same metrics")
    func convert() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"b": 2, "a": {"samples": [3, 1, 2], "unit": "ms"}}"#)
        let result = try workspace.run(["convert", "--current", "m.json"])
        #expect(result.status == 0)
        try workspace.write("converted.json", result.stdout)
        let again = try workspace.run(["convert", "--current", "converted.json"])
        #expect(again.stdout == result.stdout)
        #expect(result.stdout.contains("\"samples\": [3, 1, 2]"))
    }
}

@Suite("redline calibrate, end to end")
struct CalibrateTests {
    @Test("prints a budgets.json fragment on stdout that validates, and the noise table on stderr")
    func fragment() throws {
        let workspace = try Workspace()
        try workspace.write("a.json", #"{"x": {"value": 100, "unit": "ns"}, "y": 10}"#)
        try workspace.write("b.json", #"{"x": {"value": 104, "unit": "ns"}, "y": 12}"#)
        try workspace.write("c.json", #"{"x": {"value": 98, "unit": "ns"}, "y": 11}"#)
        let result = try workspace.run([
            "calibrate", "--current", "a.json", "--current", "b.json", "--current", "c.json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("robust CV"))
        #expect(result.stderr.contains("too noisy to gate"))
        try workspace.write("budgets.json", result.stdout)
        #expect(try workspace.run(["validate"]).status == 0)
        // 98 → 104 is the largest change, +6.12%: with the margin, 8%.
        #expect(result.stdout.contains(#""x": {"maxRegression": "8%", "minDelta": "7.5 ns"}"#))
        #expect(try workspace.run(["check", "--current", "b.json", "--baseline", "c.json"]).status != 2)
    }

    @Test("one run is not enough: exit 2")
    func oneRun() throws {
        let workspace = try Workspace()
        try workspace.write("a.json", #"{"x": 1}"#)
        expectInputError(try workspace.run(["calibrate", "--current", "a.json"]), "give at least two --current runs")
    }
}
