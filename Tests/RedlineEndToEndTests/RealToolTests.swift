import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Runs any program with a timeout in the test's own environment plus `environment`;
/// standard error is appended to standard output.
func runProgram(
    _ path: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    timeout: TimeInterval = 300
) throws -> Redline.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var variables = ProcessInfo.processInfo.environment
    for (key, value) in environment { variables[key] = value }
    var result = try runProcess(process, environment: variables, timeout: timeout)
    result.stdout += result.stderr
    return result
}

/// The real benchmark tools, when installed (`.ci/run` installs them; in CI their absence fails).
enum Tools {
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let compiler = ["/usr/bin/g++", "/usr/bin/c++"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let hasGoogleBenchmark =
        FileManager.default.fileExists(atPath: "/usr/include/benchmark/benchmark.h") && compiler != nil
    static let hyperfine = ["/usr/bin/hyperfine", "/usr/local/bin/hyperfine"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let comparePy = "/usr/share/benchmark/compare.py"
    /// The python3 first on PATH: the one `pip install` in .ci/run installed into.
    static let python =
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? ["/usr/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var hasPytestBenchmark: Bool {
        guard let python else { return false }
        let result = try? runProgram(python, ["-c", "import pytest_benchmark"], in: URL(fileURLWithPath: "/tmp"))
        return result?.status == 0
    }
    static var hasComparePy: Bool {
        guard let python, FileManager.default.fileExists(atPath: comparePy) else { return false }
        let result = try? runProgram(python, ["-c", "import numpy, scipy"], in: URL(fileURLWithPath: "/tmp"))
        return result?.status == 0
    }

    /// Compiles the Google Benchmark program of `RealTools/bench.cpp` into `output` in `workspace`.
    static func buildGoogleBenchmark(in workspace: Workspace, output: String = "bench") throws {
        let source = Redline.packageRoot.appendingPathComponent("Tests/RedlineEndToEndTests/RealTools/bench.cpp").path
        let build = try runProgram(
            compiler!, ["-O2", "-std=c++17", source, "-o", output, "-lbenchmark", "-lpthread"],
            in: workspace.url)
        try #require(build.status == 0, "compiling the benchmark failed: \(build.stdout)")
    }

    /// The trait of a test that needs a tool: where the tool is missing the test shows as
    /// skipped, except in CI, where it runs and `require` fails it (.ci/run must install it).
    static func needs(_ available: Bool, _ what: String) -> ConditionTrait {
        .enabled(if: available || inCI, "needs \(what)")
    }

    static let hey = ["/usr/bin/hey", "/usr/local/bin/hey"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Fails the test in CI when a tool is missing (so the proof cannot skip silently there).
    static func require(_ available: Bool, _ what: String) -> Bool {
        if !available && inCI { Issue.record("\(what) is not installed in CI; .ci/run must install it") }
        return available
    }
}

/// The verdict of each metric in a redline.result.v1 file.
func verdicts(in result: String) throws -> [String: (verdict: String, change: Double?)] {
    let object = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any]
    let metrics = object?["metrics"] as? [[String: Any]] ?? []
    var verdicts: [String: (String, Double?)] = [:]
    for metric in metrics {
        verdicts[metric["name"] as! String] = (metric["verdict"] as! String, metric["change"] as? Double)
    }
    return verdicts
}

/// Gates `slowed` against a baseline made from `first`, after checking that `same` (the same code
/// run again) reads and compares without error. Returns the verdicts of the slowed run.
func gate(first: String, same: String, slowed: String, in workspace: Workspace) throws -> [String: (
    verdict: String, change: Double?
)] {
    let update = try workspace.run(["baseline", "update", "--current", first])
    #expect(update.status == 0, "\(update.stderr)")
    let again = try workspace.run(["check", "--current", same, "--json", "same.json"])
    #expect(again.status == 0 || again.status == 1, "same code must be read and compared: \(again.stderr)")
    let sameVerdicts = try verdicts(in: workspace.read("same.json"))
    #expect(!sameVerdicts.isEmpty)
    #expect(!sameVerdicts.values.contains { $0.verdict == "missing" || $0.verdict == "new" })
    let slow = try workspace.run(["check", "--current", slowed, "--json", "slowed.json", "--report", "slowed.md"])
    #expect(slow.status == 1, "a deliberately slowed run must fail the gate: \(slow.stdout)")
    return try verdicts(in: workspace.read("slowed.json"))
}

@Suite("Real tool output, generated now and gated end to end", .serialized)
struct RealToolTests {
    @Test(
        "Google Benchmark: a fresh run gates against an earlier one; the slowed variant is flagged",
        Tools.needs(Tools.hasGoogleBenchmark, "libbenchmark-dev and g++"))
    func googleBenchmark() throws {
        guard Tools.require(Tools.hasGoogleBenchmark, "libbenchmark-dev and g++") else { return }
        let workspace = try Workspace()
        try Tools.buildGoogleBenchmark(in: workspace)
        for (file, slowdown) in [("first.json", "1"), ("same.json-in", "1"), ("slowed.json-in", "6")] {
            let run = try runProgram(
                workspace.url.appendingPathComponent("bench").path,
                [
                    "--benchmark_repetitions=3", "--benchmark_min_time=0.02",
                    "--benchmark_out=\(file)", "--benchmark_out_format=json",
                ],
                in: workspace.url, environment: ["REDLINE_SLOWDOWN": slowdown])
            try #require(run.status == 0, "\(run.stdout)")
        }
        let converted = try workspace.run(["convert", "--current", "first.json"])
        #expect(converted.stdout.contains("\"name\": \"BM_Sort/1024 [items_per_second]\""))
        #expect(converted.stdout.contains("\"samples\": ["))
        let verdicts = try gate(first: "first.json", same: "same.json-in", slowed: "slowed.json-in", in: workspace)
        #expect(verdicts["BM_Sort/8192"]?.verdict == "regressed")
        #expect(verdicts["BM_Sort/1024"]?.verdict == "regressed")
        #expect(verdicts["BM_Sort/8192 [items_per_second]"]?.verdict == "regressed")
        #expect(verdicts["BM_Sum"]?.verdict != "missing")

        // compare.py on the same fresh pair: its `_median` rows compare the medians of the
        // repetitions, which is what redline compares for each benchmark.
        guard Tools.require(Tools.hasComparePy, "compare.py (libbenchmark-tools) with numpy and scipy") else { return }
        let theirs = try comparePyChanges("first.json", "slowed.json-in", in: workspace)
        var compared = 0
        for (name, change) in theirs where name.hasSuffix("_median") {
            let benchmark = String(name.dropLast("_median".count))
            let ours = try #require(verdicts[benchmark]?.change, "redline has no change for \(benchmark)")
            #expect(abs(ours - change.time) < 1e-9, "\(benchmark): redline \(ours), compare.py \(change.time)")
            let cpu = try #require(verdicts[benchmark + " [cpu_time]"]?.change)
            #expect(abs(cpu - change.cpu) < 1e-9, "\(benchmark) [cpu_time]: redline \(cpu), compare.py \(change.cpu)")
            compared += 1
        }
        #expect(compared == 3)
    }

    @Test(
        "hyperfine: a fresh export gates against an earlier one; the slowed command is flagged",
        Tools.needs(Tools.hyperfine != nil, "hyperfine"))
    func hyperfine() throws {
        guard Tools.require(Tools.hyperfine != nil, "hyperfine") else { return }
        let workspace = try Workspace()
        for (file, sleep) in [("first.json", "0.01"), ("same.json-in", "0.01"), ("slowed.json-in", "0.1")] {
            let run = try runProgram(
                Tools.hyperfine!,
                [
                    "--runs", "5", "--warmup", "1", "--style", "none", "--export-json", file,
                    "-n", "sleeper", "sleep \(sleep)", "-n", "truth", "true",
                ],
                in: workspace.url)
            try #require(run.status == 0, "\(run.stdout)")
        }
        let verdicts = try gate(first: "first.json", same: "same.json-in", slowed: "slowed.json-in", in: workspace)
        #expect(verdicts["sleeper"]?.verdict == "regressed")
        #expect(verdicts["truth"] != nil)
    }

    @Test(
        "pytest-benchmark: a fresh --benchmark-json gates against an earlier one; the slowed test is flagged",
        Tools.needs(Tools.hasPytestBenchmark, "pytest-benchmark"))
    func pytestBenchmark() throws {
        guard Tools.require(Tools.hasPytestBenchmark, "pytest-benchmark") else { return }
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "Tests/RedlineEndToEndTests/RealTools/test_work.py", to: "test_work.py")
        for (file, slowdown) in [("first.json", "1"), ("same.json-in", "1"), ("slowed.json-in", "8")] {
            let run = try runProgram(
                Tools.python!,
                [
                    "-m", "pytest", "-q", "-p", "no:cacheprovider", "--benchmark-json", file,
                    "--benchmark-min-rounds=5", "--benchmark-max-time=0.1", "test_work.py",
                ],
                in: workspace.url, environment: ["REDLINE_SLOWDOWN": slowdown])
            try #require(run.status == 0, "\(run.stdout)")
        }
        let converted = try workspace.run(["convert", "--current", "first.json"])
        #expect(converted.stdout.contains("\"name\": \"test_work.py::test_squares\""))
        let verdicts = try gate(first: "first.json", same: "same.json-in", slowed: "slowed.json-in", in: workspace)
        #expect(verdicts["test_work.py::test_squares"]?.verdict == "regressed")
    }

    @Test(
        "redline's changes equal compare.py's for the same pair of Google Benchmark files",
        Tools.needs(Tools.hasComparePy, "compare.py (libbenchmark-tools) with numpy and scipy"))
    func comparePy() throws {
        guard Tools.require(Tools.hasComparePy, "compare.py (libbenchmark-tools) with numpy and scipy") else { return }
        let workspace = try Workspace()
        let corpus = Redline.packageRoot.appendingPathComponent("Tests/Corpus/peers/google-benchmark")
        for name in ["test1_run1.json", "test1_run2.json"] {
            try FileManager.default.copyItem(
                at: corpus.appendingPathComponent(name), to: workspace.url.appendingPathComponent(name))
        }
        let theirs = try comparePyChanges("test1_run1.json", "test1_run2.json", in: workspace)
        _ = try workspace.run(["baseline", "update", "--current", "test1_run1.json"])
        let check = try workspace.run(["check", "--current", "test1_run2.json", "--json", "result.json"])
        #expect(check.status == 1)
        let ours = try verdicts(in: workspace.read("result.json"))
        for (name, change) in theirs {
            let real = try #require(ours[name]?.change, "redline has no change for \(name)")
            let cpuChange = try #require(ours[name + " [cpu_time]"]?.change)
            #expect(abs(real - change.time) < 1e-9, "\(name): redline \(real), compare.py \(change.time)")
            #expect(
                abs(cpuChange - change.cpu) < 1e-9, "\(name) [cpu_time]: redline \(cpuChange), compare.py \(change.cpu)"
            )
        }
        #expect(theirs.count == 13)
    }
}

/// compare.py's relative changes (time and CPU) per benchmark row, from its `-d` JSON dump.
func comparePyChanges(_ old: String, _ new: String, in workspace: Workspace) throws -> [String: (
    time: Double, cpu: Double
)] {
    let compare = try runProgram(
        Tools.python!, [Tools.comparePy, "--no-color", "-d", "compare.json", "benchmarks", old, new],
        in: workspace.url)
    try #require(compare.status == 0, "\(compare.stdout)")
    let rows =
        try JSONSerialization.jsonObject(with: Data(workspace.read("compare.json").utf8)) as? [[String: Any]] ?? []
    var changes: [String: (Double, Double)] = [:]
    for row in rows {
        guard let name = row["name"] as? String, name != "OVERALL_GEOMEAN",
            let measurement = (row["measurements"] as? [[String: Any]])?.first,
            let time = measurement["time"] as? Double, let cpu = measurement["cpu"] as? Double
        else { continue }
        changes[name] = (time, cpu)
    }
    return changes
}
