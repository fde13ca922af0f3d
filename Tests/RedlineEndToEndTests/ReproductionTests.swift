import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The input shapes that once let a real regression through, each as the user met it: they must
/// fail the gate (exit 1) or be refused (exit 2).
@Suite("Regressions that once passed now fail, end to end")
struct RegressionReproductionTests {
    @Test("zero median with samples: 0 allocs → 12 allocs with 5 samples a side regresses, reported from 0")
    func zeroMedianWithSamples() throws {
        let workspace = try Workspace()
        try workspace.write(
            "baselines/main.json", #"{"metrics":[{"name":"allocs","unit":"count","samples":[0,0,0,0,0]}]}"#)
        try workspace.write(
            "current.json", #"{"metrics":[{"name":"allocs","unit":"count","samples":[12,12,12,12,12]}]}"#)
        let result = try workspace.run(["check", "--current", "current.json", "--report", "-"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("from 0"))
        #expect(result.stdout.contains("regressed"))
        // The same with 4 samples (judged as points) and with a value alone: the same verdict.
        try workspace.write(
            "baselines/main.json", #"{"metrics":[{"name":"allocs","unit":"count","samples":[0,0,0,0]}]}"#)
        try workspace.write("current.json", #"{"metrics":[{"name":"allocs","unit":"count","samples":[12,12,12,12]}]}"#)
        #expect(try workspace.run(["check", "--current", "current.json"]).status == 1)
    }

    @Test("a higher-is-better rate falling to 0 regresses, with samples or without")
    func rateFallingToZero() throws {
        let workspace = try Workspace()
        try workspace.write(
            "baselines/main.json", #"{"metrics":[{"name":"rps","unit":"req/s","samples":[100,101,99,100,102]}]}"#)
        try workspace.write("current.json", #"{"metrics":[{"name":"rps","unit":"req/s","samples":[0,0,0,0,0]}]}"#)
        #expect(try workspace.run(["check", "--current", "current.json"]).status == 1)
        try workspace.write("baselines/main.json", #"{"metrics":[{"name":"rps","unit":"req/s","value":100}]}"#)
        try workspace.write("current.json", #"{"metrics":[{"name":"rps","unit":"req/s","value":0}]}"#)
        #expect(try workspace.run(["check", "--current", "current.json"]).status == 1)
    }

    @Test("a headline value that disagrees with the samples does not decide: the samples' +28% regresses")
    func headlineValue() throws {
        let workspace = try Workspace()
        try workspace.write(
            "baselines/main.json",
            #"{"metrics":[{"name":"t","unit":"ns","value":183.6,"samples":[100,101,102,103,104,105,106,107,108,900]}]}"#
        )
        try workspace.write(
            "current.json",
            #"{"metrics":[{"name":"t","unit":"ns","value":134.5,"samples":[130,131,132,133,134,135,136,137,138,139]}]}"#
        )
        let result = try workspace.run(["check", "--current", "current.json", "--json", "-"])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains(#""verdict": "regressed""#))
        // The Baseline and Current columns show the samples' medians, the figures that were judged.
        #expect(result.stdout.contains(#""baseline": 104.5, "current": 134.5"#))
    }

    @Test("a minDelta with a unit on a metric without one is refused naming the rule, by check and validate")
    func minDeltaWithUnit() throws {
        let workspace = try Workspace()
        try workspace.write("budgets.json", "{\n  \"defaults\": {\"minDelta\": \"1ms\"}\n}")
        try workspace.write("baselines/main.json", #"{"apiResponseTime":0.087}"#)
        try workspace.write("current.json", #"{"apiResponseTime":0.5}"#)
        let check = try workspace.run(["check", "--current", "current.json"])
        expectInputError(
            check,
            "budgets.json:2:16: `minDelta` \"1 ms\" of `defaults` is in ms, but metric \"apiResponseTime\" has no unit")
        let validate = try workspace.run(["validate"])
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("`minDelta` \"1 ms\" of `defaults` is in ms"))
        // Given a unit by a rule, the floor applies and the +474% regresses.
        try workspace.write(
            "budgets.json", #"{"defaults": {"minDelta": "1ms"}, "metrics": {"apiResponseTime": {"unit": "s"}}}"#)
        #expect(try workspace.run(["check", "--current", "current.json"]).status == 1)
    }

    @Test("unit precedence: a unitless current value takes its rule's unit before the baseline's")
    func unitPrecedence() throws {
        let workspace = try Workspace()
        try workspace.write("budgets.json", #"{"metrics": {"apiResponseTime": {"unit": "ms", "error": 500}}}"#)
        try workspace.write(
            "baselines/main.json", #"{"metrics": [{"name": "apiResponseTime", "value": 0.09, "unit": "s"}]}"#)
        try workspace.write("current.json", #"{"apiResponseTime": 87.5}"#)
        let result = try workspace.run(["check", "--current", "current.json", "--json", "-"])
        #expect(result.status == 0, "87.5 ms against 90 ms: \(result.stdout)")
        #expect(result.stdout.contains(#""unit": "ms", "direction": "lower", "baseline": 90, "current": 87.5"#))
    }

    @Test("a file that is two formats at once is refused naming both; hyperfine's empty export is hyperfine")
    func twoFormats() throws {
        let workspace = try Workspace()
        try workspace.write(
            "both.json",
            #"{"results": [{"command": "a", "median": 1, "times": [1, 1]}], "metrics": [{"name": "x", "value": 1}]}"#)
        expectInputError(
            try workspace.run(["check", "--current", "both.json"]),
            "this file matches two formats at once: hyperfine and native")
        try workspace.write(
            "schema.json", #"{"schema": "redline.metrics.v1", "results": [], "metrics": [{"name": "x", "value": 1}]}"#)
        expectInputError(try workspace.run(["check", "--current", "schema.json"]), "unknown key \"results\"")
        try workspace.write(
            "bogus.json", #"{"schema": "bogus.v9", "benchmarks": [{"name": "BM", "real_time": 1, "time_unit": "ns"}]}"#)
        expectInputError(try workspace.run(["check", "--current", "bogus.json"]), "unknown schema \"bogus.v9\"")
        try workspace.write("empty.json", #"{"results": []}"#)
        let empty = try workspace.run(["convert", "--current", "empty.json"])
        #expect(empty.status == 0)
        #expect(empty.stderr.contains("the hyperfine export has no results"))
        #expect(!empty.stdout.contains("\"results\""))
    }

    @Test("baseline update records the unit a budget rule gave a metric without one")
    func unitRecorded() throws {
        let workspace = try Workspace()
        try workspace.write("budgets.json", #"{"metrics": {"apiResponseTime": {"unit": "ms"}}}"#)
        try workspace.write("current.json", #"{"apiResponseTime": 120}"#)
        #expect(try workspace.run(["baseline", "update", "--current", "current.json"]).status == 0)
        #expect(try workspace.read("baselines/main.json").contains("\"value\": 120,\n      \"unit\": \"ms\""))
        #expect(try workspace.run(["baseline", "show"]).stdout.contains("120 ms"))
        // A later change of the rule's unit cannot reinterpret the stored 120 ms as seconds.
        try workspace.write("budgets.json", #"{"metrics": {"apiResponseTime": {"unit": "s"}}}"#)
        try workspace.write("later.json", #"{"apiResponseTime": 0.121}"#)
        #expect(try workspace.run(["check", "--current", "later.json"]).status == 0)
    }

    @Test("--json - in GitHub Actions: stdout is the JSON document alone; annotations go to stderr")
    func documentOnStdout() throws {
        let workspace = try Workspace()
        try workspace.write("baselines/main.json", #"{"metrics": [{"name": "t", "value": 100, "unit": "ms"}]}"#)
        try workspace.write("current.json", #"{"metrics": [{"name": "t", "value": 200, "unit": "ms"}]}"#)
        for flag in ["--json", "--report", "--comment"] {
            let result = try workspace.run(
                ["check", "--current", "current.json", flag, "-"], environment: ["GITHUB_ACTIONS": "true"])
            #expect(result.status == 1)
            #expect(!result.stdout.contains("::error"), "\(flag): \(result.stdout)")
            #expect(result.stderr.contains("::error title=redline"), "\(flag)")
            if flag == "--json" {
                #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil)
            }
        }
    }

    @Test("a direction that differs between baseline and current is judged as the current's, and said so")
    func directionNote() throws {
        let workspace = try Workspace()
        try workspace.write(
            "baselines/main.json", #"{"metrics": [{"name": "score", "value": 100, "direction": "higher"}]}"#)
        try workspace.write("current.json", #"{"metrics": [{"name": "score", "value": 100, "direction": "lower"}]}"#)
        let result = try workspace.run(["check", "--current", "current.json", "--report", "-"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("score: the baseline says higher-is-better, the current run lower-is-better"))
        #expect(result.stdout.contains("judged as lower-is-better"))
    }
}
