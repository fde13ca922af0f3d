import Foundation
import Testing

/// `redline ab`: the two sides run interleaved on this machine, through the built executable,
/// with commands that write their metrics (scripts here; Google Benchmark for real below).
@Suite("redline ab: interleaved A/B on one runner")
struct ABTests {
    /// A side that writes `m.json` (or prints it with `print`): latency `value` × a noise that
    /// each run draws from a counter, logging its side to `order.log`.
    static let side = """
        side=$1; value=$2; how=$3
        n=$(cat n 2>/dev/null || echo 0); n=$((n + 1)); echo $n > n
        echo "$side" >> order.log
        noise=$(( (n * 7919) % 7 ))
        doc=$(printf '{"metrics": [{"name": "latency p95", "value": %s.%s, "unit": "ms"}, {"name": "rss", "value": 50, "unit": "MB"}]}' "$value" "$noise")
        if [ "$how" = print ]; then echo "$doc"; else echo "$doc" > m.json; fi

        """

    func workspace() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.write("side.sh", Self.side)
        try workspace.write(
            "budgets.json", #"{"metrics": {"apiResponseTime": {"from": "latency p95", "unit": "ms", "error": 500}}}"#)
        return workspace
    }

    @Test("an unchanged head passes after the pairs it needs, saying A/B and the seed; the order flips each pair")
    func unchanged() throws {
        let workspace = try workspace()
        let result = try workspace.run([
            "ab", "--base", "sh side.sh base 100", "--head", "sh side.sh head 100", "--out", "m.json",
            "--seed", "7", "--json", "result.json", "--report", "report.md",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("redline: A/B, up to 5 pairs, seed 7"))
        #expect(result.stdout.contains("A/B on this runner, 5 pairs"))
        let order = try workspace.read("order.log").split(separator: "\n").map(String.init)
        #expect(order.count == 10)
        // Each pair's two runs are one base and one head, and the first side flips each pair.
        for pair in stride(from: 0, to: order.count, by: 2) {
            #expect(Set(order[pair...pair + 1]) == ["base", "head"])
        }
        #expect(order[0] != order[2] && order[0] == order[4])
        let result2 =
            try JSONSerialization.jsonObject(with: Data(try workspace.read("result.json").utf8)) as? [String: Any]
        #expect(result2?["pairs"] as? Int == 5)
        let rows = result2?["metrics"] as? [[String: Any]] ?? []
        let api = try #require(rows.first { $0["name"] as? String == "apiResponseTime" })
        #expect(api["basis"] as? String == "pairs" && api["verdict"] as? String == "unchanged")
        #expect(((api["pairs"] as? [String: Any])?["ratios"] as? [Double])?.count == 5)
        #expect(try workspace.read("report.md").contains("**A/B on this runner:**"))
        // The same seed runs the same order.
        try FileManager.default.removeItem(at: workspace.url.appendingPathComponent("order.log"))
        _ = try workspace.run([
            "ab", "--base", "sh side.sh base 100", "--head", "sh side.sh head 100", "--out", "m.json", "--seed", "7",
        ])
        #expect(try workspace.read("order.log").split(separator: "\n").map(String.init) == order)
    }

    @Test(
        "a head 30% slower fails on the gated metric with its row and the pairs; stdout metrics work as well as --out")
    func slower() throws {
        let workspace = try workspace()
        let result = try workspace.run([
            "ab", "--base", "sh side.sh base 100 print", "--head", "sh side.sh head 130 print",
            "--pairs", "8", "--comment", "comment.md",
        ])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("FAIL  apiResponseTime ← latency p95"))
        #expect(result.stdout.contains("regressed (limit 10%"))
        // Every pair worse: the run stops at the first look whose share of α the test can reach
        // (up to 8 pairs: each look before the last tests at 0.05 / 2 / 3; 7 pairs all worse give 1/128).
        #expect(result.stderr.contains("every gated metric is settled after 7 pairs"), "\(result.stderr)")
        #expect(try workspace.read("comment.md").contains("apiResponseTime"))
    }

    @Test("a side that fails or writes no metrics is exit 2 naming the side and the pair; bad options are usage errors")
    func failures() throws {
        let workspace = try workspace()
        let failing = try workspace.run([
            "ab", "--base", "sh side.sh base 100", "--head", "exit 3", "--out", "m.json", "--seed", "1",
        ])
        #expect(failing.status == 2)
        #expect(
            failing.stderr.contains("the head side failed in pair 1: the command exited with status 3"),
            "\(failing.stderr)")
        let unreadable = try workspace.run(["ab", "--base", "echo nothing", "--head", "sh side.sh head 100 print"])
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.contains("the base side's metrics in pair 1:"), "\(unreadable.stderr)")
        for (arguments, message) in [
            (["ab", "--head", "true"], "--base COMMAND is required"),
            (
                ["ab", "--base", "true", "--head", "true", "--pairs", "4"],
                "--pairs must be a whole number from 5 to 30"
            ),
            (
                ["ab", "--base", "true", "--head", "true", "--pairs", "31"],
                "--pairs must be a whole number from 5 to 30"
            ),
            (
                ["ab", "--base", "true", "--head", "true", "--out", "budgets.json"],
                "--out budgets.json is the budgets file"
            ),
        ] {
            let run = try workspace.run(arguments)
            #expect(run.status == 2 && run.stderr.contains(message), "\(run.stderr)")
        }
    }

    @Test("a metric whose unit changes dimension in a later pair is exit 2 naming it, not a ratio of two dimensions")
    func unitChange() throws {
        let workspace = try workspace()
        try workspace.write("budgets.json", "{}")
        try workspace.write(
            "flip.sh",
            "n=$(cat n 2>/dev/null || echo 0); n=$((n + 1)); echo $n > n\n"
                + "if [ $n -gt 4 ]; then u=MB; else u=ms; fi; echo \"{\\\"m\\\": {\\\"value\\\": 5, \\\"unit\\\": \\\"$u\\\"}}\"\n"
        )
        let run = try workspace.run(["ab", "--base", "sh flip.sh", "--head", "sh flip.sh", "--seed", "3"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("metric \"m\" is in MB in pair 3"), "\(run.stderr)")
    }

    /// Real Google Benchmark output through `ab`, with a head that does twice the work: caught even
    /// beside the other tests' load. Whether an A/A run passes and a 20% slower head is caught are
    /// timing questions for a quiet machine: scripts/ab-google-benchmark.sh, run alone in .ci/run.
    @Test(
        "Google Benchmark built twice from one source: a head doing twice the work fails on BM_Sort's CPU time",
        Tools.needs(Tools.hasGoogleBenchmark, "libbenchmark-dev and g++"))
    func googleBenchmark() throws {
        guard Tools.require(Tools.hasGoogleBenchmark, "libbenchmark-dev and g++") else { return }
        let workspace = try Workspace()
        try Tools.buildGoogleBenchmark(in: workspace, output: "bench-base")
        try Tools.buildGoogleBenchmark(in: workspace, output: "bench-head")
        // Gated: BM_Sort's CPU times; the rest is reported.
        // (`[` starts a character class in a budgets key: escaped, the name is exact.)
        try workspace.write(
            "budgets.json",
            #"{"metrics": {"BM_Sort/1024 \\[cpu_time]": {}, "BM_Sort/8192 \\[cpu_time]": {}, "*": {"gate": false}}}"#)
        let flags =
            "--benchmark_filter=BM_Sort --benchmark_repetitions=3 --benchmark_min_time=0.05 --benchmark_out=out.json --benchmark_out_format=json"
        let slower = try workspace.run([
            "ab", "--base", "./bench-base \(flags) >/dev/null",
            "--head", "REDLINE_SLOWDOWN=2 ./bench-head \(flags) >/dev/null",
            "--out", "out.json", "--pairs", "10", "--json", "result.json",
        ])
        #expect(slower.status == 1, "\(slower.stdout)\(slower.stderr)")
        let verdicts = try verdicts(in: try workspace.read("result.json"))
        for size in [1024, 8192] {
            #expect(
                verdicts["BM_Sort/\(size) [cpu_time]"]?.verdict == "regressed",
                "\(verdicts.filter { $0.key.hasPrefix("BM_Sort") })")
        }
        // The wall-clock series is read and reported beside the gated CPU times.
        #expect(verdicts["BM_Sort/8192"] != nil)
    }
}
