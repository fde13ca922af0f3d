import Foundation
import Testing

/// The top-level `runs` object of a redline.result.v1 file.
func runsRecord(in result: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any]
    return object?["runs"] as? [String: Any] ?? [:]
}

/// The basis each metric of a redline.result.v1 file was judged on.
func bases(in result: String) throws -> [String: String] {
    let object = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any]
    var bases: [String: String] = [:]
    for metric in object?["metrics"] as? [[String: Any]] ?? [] {
        bases[metric["name"] as! String] = metric["basis"] as? String
    }
    return bases
}

@Suite("History, reruns and steps, end to end", .serialized)
struct HistoryEndToEndTests {
    /// A workspace whose baseline remembers `values` of metric `api` (ms), one update each.
    static func workspace(with values: [Double], extra: [String: Double] = [:]) throws -> Workspace {
        let workspace = try Workspace()
        for (index, value) in values.enumerated() {
            var metrics = ["\"api\": {\"value\": \(value), \"unit\": \"ms\"}"]
            for (name, level) in extra.sorted(by: { $0.key < $1.key }) {
                metrics.append("\"\(name)\": {\"value\": \(level), \"unit\": \"ms\"}")
            }
            try workspace.write("run.json", "{\"metrics\": {" + metrics.joined(separator: ", ") + "}}")
            let update = try workspace.run(
                ["baseline", "update", "--current", "run.json"],
                environment: ["SOURCE_DATE_EPOCH": String(1_764_000_000 + index * 3600), "GITHUB_SHA": "c\(index + 1)"])
            #expect(update.status == 0, "\(update.stderr)")
        }
        return workspace
    }

    static let steady: [Double] = [100, 102, 99, 101, 98, 100, 103, 100]

    @Test("a noisy-neighbour run is settled by a rerun: exit 0, the log and the result say which rerun settled what")
    func rerunSettles() throws {
        let workspace = try Self.workspace(with: Self.steady)
        try workspace.write("m.json", #"{"api": {"value": 160, "unit": "ms"}}"#)
        try workspace.write("rerun.sh", "printf '{\"api\": {\"value\": 101, \"unit\": \"ms\"}}' > m.json\n")
        let result = try workspace.run(
            [
                "check", "--current", "m.json", "--rerun", "sh rerun.sh", "--json", "result.json",
                "--report", "report.md",
            ], environment: ["GITHUB_ACTIONS": "true"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("redline: rerun 1 of 2: 1 suspect (api)"))
        #expect(result.stderr.contains("::notice title=redline rerun::rerun 1 of 2"))
        // Two runs, 160 and 101, cannot tell which one is right: their median (130.5) is still a
        // suspect, and the third run outvotes the noisy one.
        let runs = try runsRecord(in: workspace.read("result.json"))
        #expect(runs["used"] as? Int == 3)
        #expect(runs["max"] as? Int == 3)
        #expect((runs["settled"] as? [[String]]) == [[], ["api"]])
        #expect(
            try workspace.read("report.md").contains(
                "**Reruns:** 3 of 3 runs used: rerun 1 settled nothing; rerun 2 settled `api`"))
        #expect(try bases(in: workspace.read("result.json"))["api"] == "window")
    }

    @Test("a real regression stays: every run is used and the gate fails")
    func rerunConfirms() throws {
        let workspace = try Self.workspace(with: Self.steady)
        try workspace.write("m.json", #"{"api": {"value": 160, "unit": "ms"}}"#)
        try workspace.write("rerun.sh", "printf '{\"api\": {\"value\": 158, \"unit\": \"ms\"}}' > m.json\n")
        let result = try workspace.run([
            "check", "--current", "m.json", "--rerun", "sh rerun.sh", "--max-runs", "4",
            "--json", "result.json",
        ])
        #expect(result.status == 1)
        let runs = try runsRecord(in: workspace.read("result.json"))
        #expect(runs["used"] as? Int == 4)
        #expect((runs["remaining"] as? [String]) == ["api"])
        #expect(result.stdout.contains("Reruns: 4 of 4 runs used"))
    }

    @Test("a rerun that fails or leaves an unreadable file ends the check with exit 2 and says which run")
    func rerunFails() throws {
        let workspace = try Self.workspace(with: Self.steady)
        try workspace.write("m.json", #"{"api": {"value": 160, "unit": "ms"}}"#)
        let failing = try workspace.run(["check", "--current", "m.json", "--rerun", "exit 3"])
        #expect(failing.status == 2)
        #expect(failing.stderr.contains("rerun 1 failed: the command exited with status 3"))
        try workspace.write("m.json", #"{"api": {"value": 160, "unit": "ms"}}"#)
        let garbled = try workspace.run(["check", "--current", "m.json", "--rerun", "printf '{\"api\": ' > m.json"])
        #expect(garbled.status == 2)
        #expect(garbled.stderr.contains("rerun 1: "))
        #expect(
            garbled.stderr.split(separator: "\n").count == 2, "one line per rerun note and the error: \(garbled.stderr)"
        )
    }

    @Test("--rerun and --max-runs are checked before anything runs")
    func rerunOptions() throws {
        let workspace = try Self.workspace(with: Self.steady)
        try workspace.write("m.json", #"{"api": {"value": 100, "unit": "ms"}}"#)
        for arguments in [
            ["--rerun", "true", "--max-runs", "11"], ["--rerun", "true", "--max-runs", "0"], ["--max-runs", "3"],
            ["--rerun", " "],
        ] {
            let result = try workspace.run(["check", "--current", "m.json"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.hasPrefix("redline check: "), "\(result.stderr)")
        }
        let stdin = try workspace.run(["check", "--current", "-", "--rerun", "true"], input: Data("{\"api\": 1}".utf8))
        #expect(stdin.status == 2)
        #expect(stdin.stderr.contains("--rerun cannot read standard input again"))
        // No suspect: the command never runs.
        let quiet = try workspace.run(["check", "--current", "m.json", "--rerun", "echo ran > ran.txt"])
        #expect(quiet.status == 0)
        #expect(!workspace.exists("ran.txt"))
    }

    @Test(
        "baseline update keeps --history runs, finds a step, reports it in the job summary, fails on it only when asked"
    )
    func stepsAndWindow() throws {
        let workspace = try Self.workspace(with: Self.steady + [130, 131])
        try workspace.write("run.json", #"{"api": {"value": 129, "unit": "ms"}}"#)
        try workspace.write("summary.md", "")
        let environment = [
            "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": workspace.url.appendingPathComponent("summary.md").path,
            "SOURCE_DATE_EPOCH": "1764100000", "GITHUB_SHA": "c12",
        ]
        let update = try workspace.run(
            ["baseline", "update", "--current", "run.json", "--fail-on-step"], environment: environment)
        #expect(update.status == 1, "\(update.stdout)\(update.stderr)")
        #expect(update.stdout.contains("step: api: "))
        #expect(update.stdout.contains("worse) from run 9 (commit c9"), "\(update.stdout)")
        let summary = try workspace.read("summary.md")
        #expect(summary.contains("## redline: 1 step in `baselines/main.json`"))
        // The judge now compares with the runs since the step (too few: the last run, today's rule).
        try workspace.write("m.json", #"{"api": {"value": 131, "unit": "ms"}}"#)
        let check = try workspace.run(["check", "--current", "m.json", "--json", "result.json"])
        #expect(check.status == 0, "\(check.stdout)")
        // --history cuts the window.
        try workspace.write("run.json", #"{"api": {"value": 130.5, "unit": "ms"}}"#)
        let short = try workspace.run(["baseline", "update", "--current", "run.json", "--history", "3"])
        #expect(short.status == 0)
        #expect(short.stdout.contains("; 3 runs in the history"))
        #expect(try workspace.run(["baseline", "update", "--current", "run.json", "--history", "201"]).status == 2)
        let show = try workspace.run(["baseline", "show"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("history: 3 runs"))
        #expect(show.stdout.contains("▁") || show.stdout.contains("▄"))
    }

    @Test("a baseline written before history still judges and updates: a window of one, then two")
    func oldBaseline() throws {
        let workspace = try Workspace()
        try workspace.write(
            "baselines/main.json",
            """
            {"schema": "redline.baseline.v1", "provenance": {"commit": "old1", "updatedAt": "2026-01-01T00:00:00Z"},
             "metrics": [{"name": "api", "value": 100, "unit": "ms"}]}
            """)
        try workspace.write("m.json", #"{"api": {"value": 105, "unit": "ms"}}"#)
        let check = try workspace.run(["check", "--current", "m.json", "--json", "result.json"])
        #expect(check.status == 0)
        #expect(try bases(in: workspace.read("result.json"))["api"] == "point")
        #expect(try workspace.run(["baseline", "update", "--current", "m.json"]).status == 0)
        let text = try workspace.read("baselines/main.json")
        #expect(text.contains("{\"id\": 1, \"commit\": \"old1\", \"time\": \"2026-01-01T00:00:00Z\"}"))
        #expect(text.contains("\"values\": [100, 105]"))
    }
}

@Suite("History with real tools: a window of fresh runs, then the same code and a slowed variant", .serialized)
struct HistoryRealToolTests {
    /// Records `runs` runs made by `record(file)` into the baseline, then checks `current` with reruns.
    static func window(_ workspace: Workspace, runs: Int, record: (String) throws -> Void) throws {
        for index in 0..<runs {
            try record("run.json")
            let update = try workspace.run(
                ["baseline", "update", "--current", "run.json"],
                environment: ["SOURCE_DATE_EPOCH": String(1_764_000_000 + index)])
            #expect(update.status == 0, "\(update.stderr)")
        }
    }

    @Test(
        "Google Benchmark: judged against its window, rerun with the real binary, the slowed variant fails",
        Tools.needs(Tools.hasGoogleBenchmark, "libbenchmark-dev and g++"))
    func googleBenchmark() throws {
        guard Tools.require(Tools.hasGoogleBenchmark, "libbenchmark-dev and g++") else { return }
        let workspace = try Workspace()
        try Tools.buildGoogleBenchmark(in: workspace)
        let arguments =
            "--benchmark_repetitions=3 --benchmark_min_time=0.02 --benchmark_out_format=json --benchmark_filter=BM_Sort"
        try Self.window(workspace, runs: 6) { file in
            let run = try runProgram(
                "/bin/sh", ["-c", "./bench \(arguments) --benchmark_out=\(file) > /dev/null"], in: workspace.url)
            try #require(run.status == 0, "\(run.stdout)")
        }
        for (slowdown, expected) in [("1", [Int32(0), 1]), ("6", [1])] {
            let command = "REDLINE_SLOWDOWN=\(slowdown) ./bench \(arguments) --benchmark_out=current.json > /dev/null"
            #expect(try runProgram("/bin/sh", ["-c", command], in: workspace.url).status == 0)
            let check = try workspace.run(
                [
                    "check", "--current", "current.json", "--rerun", command, "--max-runs", "3",
                    "--json", "result.json",
                ], environment: ["PATH": "/usr/bin:/bin"])
            #expect(expected.contains(check.status), "slowdown \(slowdown): \(check.stdout)\(check.stderr)")
            let result = try workspace.read("result.json")
            #expect(try bases(in: result)["BM_Sort/1024"] == "window")
            if slowdown == "6" {
                #expect(try verdicts(in: result)["BM_Sort/8192"]?.verdict == "regressed")
                #expect(try runsRecord(in: result)["used"] as? Int == 3)
            }
        }
    }

    @Test(
        "hyperfine: judged against its window; the slowed command fails after its reruns",
        Tools.needs(Tools.hyperfine != nil, "hyperfine"))
    func hyperfine() throws {
        guard Tools.require(Tools.hyperfine != nil, "hyperfine") else { return }
        let workspace = try Workspace()
        func command(_ sleep: String, _ file: String) -> String {
            "\(Tools.hyperfine!) --runs 5 --warmup 1 --style none --export-json \(file) -n sleeper 'sleep \(sleep)' > /dev/null"
        }
        try Self.window(workspace, runs: 5) { file in
            let run = try runProgram("/bin/sh", ["-c", command("0.02", file)], in: workspace.url)
            #expect(run.status == 0)
        }
        #expect(try runProgram("/bin/sh", ["-c", command("0.1", "current.json")], in: workspace.url).status == 0)
        let check = try workspace.run([
            "check", "--current", "current.json", "--rerun", command("0.1", "current.json"),
            "--json", "result.json",
        ])
        #expect(check.status == 1, "\(check.stdout)")
        let result = try workspace.read("result.json")
        #expect(try bases(in: result)["sleeper"] == "window")
        #expect(try verdicts(in: result)["sleeper"]?.verdict == "regressed")
        #expect(try runsRecord(in: result)["used"] as? Int == 3)
    }
}

extension HistoryRealToolTests {
    @Test(
        "hey, a load-test tool: its real output builds the window, the same server passes, a slowed one fails",
        Tools.needs(Tools.hey != nil, "hey"))
    func hey() throws {
        guard Tools.require(Tools.hey != nil, "hey"), let hey = Tools.hey, let python = Tools.python else { return }
        let workspace = try Workspace()
        // Every answer takes `delay` seconds (read per request, so one server serves both variants).
        // The server runs detached with its output in a file, and stops itself when `stop` appears,
        // when its directory is removed, or after five minutes.
        try workspace.write(
            "server.py",
            """
            import http.server, os, threading, time
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    time.sleep(float(open("delay").read()))
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                def log_message(self, *args):
                    pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            server.daemon_threads = True
            def watchdog():
                deadline = time.time() + 300
                # Also gone with the workspace, which the test removes right after writing `stop`.
                while os.path.exists("server.py") and not os.path.exists("stop") and time.time() < deadline:
                    time.sleep(0.1)
                os._exit(0)
            threading.Thread(target=watchdog, daemon=True).start()
            open("port.tmp", "w").write(str(server.server_address[1]))
            os.rename("port.tmp", "port")
            server.serve_forever()
            """)
        try workspace.write("delay", "0.01")
        // Started by a launcher that exits at once, with every inherited descriptor closed: Foundation's
        // Process counts a program as running while any descendant holds one of its descriptors.
        let launcher = """
            import subprocess, sys
            log = open("server.log", "w")
            subprocess.Popen([sys.executable, "server.py"], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                             close_fds=True, start_new_session=True)
            """
        let start = try runProgram(python, ["-c", launcher], in: workspace.url, timeout: 30)
        try #require(start.status == 0, "\(start.stdout)")
        defer { _ = try? workspace.write("stop", "") }
        var port = ""
        for _ in 0..<200 where port.isEmpty {
            usleep(50_000)
            port = (try? workspace.read("port")) ?? ""
        }
        try #require(!port.isEmpty, "the test server did not start: \((try? workspace.read("server.log")) ?? "")")
        // The team's name for hey's p95, set before the window is recorded so it is recorded under it.
        try workspace.write(
            "budgets.json",
            #"{"metrics": {"apiResponseTime": {"from": "latency p95", "unit": "ms", "minDelta": "20 ms"}, "*": {"gate": false}}}"#
        )
        let load = "\(hey) -n 100 -c 4 http://127.0.0.1:\(port)/ > load.txt"
        try Self.window(workspace, runs: 5) { file in
            let run = try runProgram("/bin/sh", ["-c", load + " && cp load.txt \(file)"], in: workspace.url)
            try #require(run.status == 0, "\(run.stdout)")
        }
        // A floor of 20 ms against answers of 10 ms: a loaded runner cannot fail the same server,
        // answers of 100 ms always fail.
        for (delay, status, expected) in [
            ("0.01", Int32(0), ["unchanged", "improved"]), ("0.1", Int32(1), ["regressed"]),
        ] {
            try workspace.write("delay", delay)
            #expect(try runProgram("/bin/sh", ["-c", load], in: workspace.url).status == 0)
            let check = try workspace.run(["check", "--current", "load.txt", "--rerun", load, "--json", "result.json"])
            #expect(check.status == status, "delay \(delay): \(check.stdout)\(check.stderr)")
            let result = try workspace.read("result.json")
            #expect(try bases(in: result)["apiResponseTime"] == "window")
            #expect(expected.contains(try verdicts(in: result)["apiResponseTime"]?.verdict ?? "none"))
        }
    }
}
