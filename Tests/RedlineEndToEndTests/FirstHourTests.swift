import Foundation
import Testing

extension Tools {
    static let cmarkGFM = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}

/// The reproductions of a web team's first hour (issue 21), each as the team met it.
@Suite("The first hour of a web team")
struct FirstHourTests {
    /// A load test and a scrape in redline's own format: hey's latency statistics, throughput and
    /// requests, per-route request histograms and the user-by-email query, scaled by `factor`
    /// (a service that got slower serves fewer requests in the same time).
    static func run(factor: Double, seed: Int) -> String {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) / Double(1 << 53) - 0.5) * 0.04
        }
        var entries: [String] = []
        func add(_ name: String, _ value: Double, _ unit: String, higher: Bool = false) {
            let escaped = name.replacingOccurrences(of: "\"", with: "\\\"")
            entries.append(
                "{\"name\": \"\(escaped)\", \"value\": \(value * (1 + noise())), \"unit\": \"\(unit)\""
                    + (higher ? ", \"direction\": \"higher\"" : "") + "}")
        }
        for (statistic, value) in [("mean", 24.0), ("p50", 22), ("p90", 30), ("p95", 33), ("p99", 45), ("max", 70)] {
            add("latency \(statistic)", value * factor, "ms")
        }
        add("throughput", 330 / factor, "req/s")
        add("requests", 1650 / factor, "count", higher: true)
        for route in ["/users/by-email", "/users/{id}/orders", "/users/{id}/summary", "/users/batch"] {
            for (statistic, value) in [("mean", 14.0), ("p50", 12), ("p95", 21), ("p99", 28)] {
                add("http_request_duration_seconds{route=\"\(route)\"} \(statistic)", value * factor, "ms")
            }
            add("http_request_duration_seconds{route=\"\(route)\"} count", 410 / factor, "count", higher: true)
        }
        for (statistic, value) in [("mean", 3.0), ("p50", 2.6), ("p95", 4.4)] {
            add("db_query_duration_seconds{query=\"user_by_email\"} \(statistic)", value * factor, "ms")
        }
        add("process_resident_memory_bytes", 6.1e7, "B")
        return "{\"metrics\": [" + entries.joined(separator: ",\n") + "]}\n"
    }

    static let budgets = """
        {"metrics": {
          "apiResponseTime": {"from": "latency p95", "unit": "ms", "target": 100, "warning": 200, "error": 500, "maxRegression": "20%", "minDelta": "5 ms"},
          "databaseQueryTime": {"from": "db_query_duration_seconds{query=\\"user_by_email\\"} p95", "unit": "ms", "target": 50, "warning": 100, "error": 200, "maxRegression": "20%", "minDelta": "0.5 ms"},
          "memoryUsage": {"from": "process_resident_memory_bytes", "unit": "MB", "target": 100, "warning": 200, "error": 500, "maxRegression": "20%", "minDelta": "5 MB"},
          "*": {"gate": false}
        }}
        """

    @Test(
        "the service 30% slower: the PR comment rendered by cmark-gfm shows the failing apiResponseTime row without a click",
        Tools.needs(Tools.cmarkGFM != nil, "cmark-gfm"))
    func slowerServiceComment() throws {
        guard Tools.require(Tools.cmarkGFM != nil, "cmark-gfm"), let cmark = Tools.cmarkGFM else { return }
        let workspace = try Workspace()
        try workspace.write("budgets.json", Self.budgets)
        try workspace.write("run.json", Self.run(factor: 1, seed: 0))
        let command = "cp run-next.json run.json"
        try workspace.write("run-next.json", Self.run(factor: 1, seed: 1))
        // Five runs: the first from run.json, four more through --rerun (each copying a fresh run in).
        var recorded = try workspace.run([
            "baseline", "update", "--current", "run.json", "--rerun", command, "--runs", "2",
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        for seed in 2..<5 {
            try workspace.write("run.json", Self.run(factor: 1, seed: seed))
            recorded = try workspace.run(["baseline", "update", "--current", "run.json"])
            #expect(recorded.status == 0)
        }
        #expect(recorded.stdout.contains("5 runs in the history"))
        try workspace.write("run.json", Self.run(factor: 1.3, seed: 9))
        let check = try workspace.run(
            ["check", "--current", "run.json", "--comment", "comment.md", "--json", "result.json"],
            environment: [
                "GITHUB_ACTIONS": "true",
                "GITHUB_STEP_SUMMARY": workspace.url.appendingPathComponent("summary.md").path,
                "GITHUB_OUTPUT": workspace.url.appendingPathComponent("outputs.txt").path,
            ])
        #expect(check.status == 1)
        // The finding says which cause is likelier, and every failing metric has its own annotation.
        #expect(check.stdout.contains("::error title=redline%3A apiResponseTime::"))
        #expect(check.stdout.contains("::notice title=redline%3A run-wide shift::"))
        #expect(check.stdout.contains("likelier a real change"))
        // The step outputs count gated verdicts.
        let outputs = parseOutputs(try workspace.read("outputs.txt"))
        #expect(outputs["regressions"] == "2", "\(outputs)")
        #expect(Int(outputs["reported-only-changes"] ?? "") ?? 0 > 10)
        let html = try runProgram(cmark, ["--extension", "table", "comment.md"], in: workspace.url)
        #expect(html.status == 0)
        let folded = html.stdout.range(of: "<details>")?.lowerBound ?? html.stdout.endIndex
        let row = try #require(html.stdout.range(of: "<td><code>apiResponseTime</code>"), "\(html.stdout)")
        #expect(row.lowerBound < folded, "the failing row is folded: \(html.stdout)")
        // The comment's first table has five columns, so it fits a pull request's width.
        let header = try #require(
            html.stdout.components(separatedBy: "</thead>").first?.components(separatedBy: "<thead>").last)
        #expect(header.components(separatedBy: "<th").count - 1 == 5, "\(header)")
        for summary in [try workspace.read("summary.md")] {
            let rendered = summary.range(of: "<details>")?.lowerBound ?? summary.endIndex
            #expect(try #require(summary.range(of: "| `apiResponseTime` ← `latency p95` |")).lowerBound < rendered)
        }
    }

    @Test(
        "a mistyped --baseline is exit 2 with the nearest file; a missing default baseline passes loudly; --require-baseline refuses it"
    )
    func missingBaseline() throws {
        let workspace = try exampleWorkspace()
        let typo = try workspace.run([
            "check", "--current", "examples/current.json", "--baseline", "baselines/mian.json",
        ])
        expectInputError(
            typo,
            "baselines/mian.json: the baseline named by --baseline does not exist; did you mean baselines/main.json?")
        let budgets = try workspace.run(["check", "--current", "examples/current.json", "--budgets", "budget.json"])
        expectInputError(
            budgets, "budget.json: the budgets file named by --budgets does not exist; did you mean budgets.json?")
        try FileManager.default.removeItem(at: workspace.url.appendingPathComponent("baselines/main.json"))
        let first = try workspace.run(
            ["check", "--current", "examples/current.json", "--report", "report.md", "--json", "result.json"],
            environment: ["GITHUB_ACTIONS": "true"])
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("::") == false)
        #expect(
            first.stdout.split(separator: "\n").first
                == "redline: no baseline yet: nothing was compared; the first push to the default branch records one (or `redline baseline update --current FILE`), and budgets still apply"
        )
        #expect(first.stdout.contains("::warning title=redline%3A no baseline::No baseline yet"))
        #expect(try workspace.read("report.md").hasPrefix("**⚠️ No baseline yet: nothing was compared"))
        #expect(try workspace.read("result.json").contains("\"present\": false"))
        let required = try workspace.run(["check", "--current", "examples/current.json", "--require-baseline"])
        expectInputError(
            required,
            "baselines/main.json: there is no baseline and --require-baseline is given; record one with `redline baseline update --current FILE` on the default branch"
        )
    }

    @Test("an unknown unit in a metrics file or in budgets.json is exit 2 with the unit it most likely meant")
    func unknownUnits() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"metrics": [{"name": "apiResponseTime", "value": 31, "unit": "msec"}]}"#)
        let metrics = try workspace.run(["check", "--current", "m.json"])
        #expect(metrics.status == 2)
        #expect(
            metrics.stderr.hasPrefix(
                "redline: m.json:1:14: metric \"apiResponseTime\" has an unknown unit \"msec\"; did you mean \"ms\"?"))
        try workspace.write("ok.json", #"{"apiResponseTime": {"value": 31, "unit": "ms"}}"#)
        try workspace.write(
            "budgets.json",
            #"{"metrics": {"apiResponseTime": {"unit": "msec", "target": 100}, "b": {"minDelta": "2 millis"}}}"#)
        let budgets = try workspace.run(["validate"])
        #expect(budgets.status == 2)
        #expect(
            budgets.stderr.contains(
                "`unit` of budget rule \"apiResponseTime\": unknown unit \"msec\"; did you mean \"ms\"?"))
        #expect(
            budgets.stderr.contains("`minDelta` of budget rule \"b\": unknown unit \"millis\"; did you mean \"ms\"?"))
    }

    @Test(
        "init takes a load test and a scrape, says which file each budget maps to, and prints the command that records a window"
    )
    func initFromSeveralFiles() throws {
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "Tests/Corpus/hey-0.1.4/clean.txt", to: "hey.txt")
        try workspace.copy(fromRepository: "Tests/Corpus/prometheus-client-0.26.0/metrics.prom", to: "metrics.prom")
        try workspace.copy(fromRepository: "Tests/Corpus/wrk-4.1.0/clean.txt", to: "wrk.txt")
        let result = try workspace.run(["init", "--from", "hey.txt", "--from", "metrics.prom"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  apiResponseTime ← latency p95 (hey.txt)"))
        #expect(result.stdout.contains("  memoryUsage ← process_resident_memory_bytes (metrics.prom)"))
        #expect(
            result.stdout.contains(
                "redline baseline update --current hey.txt --current metrics.prom --rerun 'COMMAND THAT RERUNS THE LOAD TEST' --runs 5"
            ))
        let budgets = try workspace.read("budgets.json")
        #expect(budgets.contains(#""*": {"gate": false}"#))
        // The same files judged against themselves under the starter: nothing fails.
        #expect(
            try workspace.run(["baseline", "update", "--current", "hey.txt", "--current", "metrics.prom"]).status == 0)
        let check = try workspace.run(["check", "--current", "hey.txt", "--current", "metrics.prom"])
        #expect(check.status == 0, "\(check.stdout)")
        try FileManager.default.removeItem(at: workspace.url.appendingPathComponent("budgets.json"))
        let wrk = try workspace.run(["init", "--from", "wrk.txt"])
        #expect(
            wrk.stdout.contains(
                "  apiResponseTime ← latency p99 (wrk.txt): wrk.txt has no 95th percentile of it: its p99 stands in (latency p99)"
            ))
        #expect(
            try workspace.read("budgets.json").contains(
                #""description": "wrk.txt has no 95th percentile of it: its p99 stands in (latency p99)""#))
    }

    @Test("baseline update --rerun --runs 5 records five runs; --runs without --rerun and a failing rerun are exit 2")
    func windowInOneGo() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": {"value": 10, "unit": "ms"}}"#)
        try workspace.write(
            "next.sh",
            "n=$(cat n 2>/dev/null || echo 10); n=$((n + 1)); echo $n > n; printf '{\"a\": {\"value\": %s, \"unit\": \"ms\"}}' $n > m.json\n"
        )
        let result = try workspace.run([
            "baseline", "update", "--current", "m.json", "--rerun", "sh next.sh", "--runs", "5",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("run 5 of 5: baselines/main.json: 1 metrics"))
        #expect(result.stdout.contains("5 runs in the history"))
        #expect(try workspace.read("baselines/main.json").contains("\"values\": [10, 11, 12, 13, 14]"))
        expectInputError(
            try workspace.run(["baseline", "update", "--current", "m.json", "--runs", "3"]),
            "redline baseline update: --runs needs --rerun COMMAND, which makes each run after the first; run `redline help baseline update`"
        )
        let failing = try workspace.run([
            "baseline", "update", "--current", "m.json", "--rerun", "exit 3", "--runs", "3",
        ])
        #expect(failing.status == 2)
        #expect(failing.stderr.contains("rerun 1 failed: the command exited with status 3"))
    }

    @Test("each run of --runs N is stamped with when it was read, not all with the time the update began")
    func windowRunTimes() throws {
        let workspace = try Workspace()
        try workspace.write("m.json", #"{"a": {"value": 10, "unit": "ms"}}"#)
        let result = try workspace.run([
            "baseline", "update", "--current", "m.json", "--rerun", "sleep 1.2", "--runs", "2",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(workspace.read("baselines/main.json").utf8)) as? [String: Any])
        let times = (document["runs"] as? [[String: Any]] ?? []).compactMap { $0["time"] as? String }
        #expect(times.count == 2 && times[0] < times[1], "\(times)")
    }

    @Test("--rerun runs again for a gated suspect only: a reported-only metric that moved is not a reason")
    func rerunGatedOnly() throws {
        let workspace = try Workspace()
        try workspace.write("budgets.json", #"{"metrics": {"gated": {"unit": "ms"}, "*": {"gate": false}}}"#)
        try workspace.write(
            "m.json", #"{"gated": {"value": 10, "unit": "ms"}, "resp read mean": {"value": 10, "unit": "ms"}}"#)
        #expect(try workspace.run(["baseline", "update", "--current", "m.json"]).status == 0)
        try workspace.write(
            "m.json", #"{"gated": {"value": 10, "unit": "ms"}, "resp read mean": {"value": 13, "unit": "ms"}}"#)
        let check = try workspace.run(["check", "--current", "m.json", "--rerun", "touch reran"])
        #expect(check.status == 0)
        #expect(!workspace.exists("reran"))
        #expect(
            check.stdout.contains(
                "redline: passed (2 metrics, 1 reported only, 1 unchanged; 1 change in reported-only metrics)"))
    }
}
