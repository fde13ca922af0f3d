import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The kind of file at `path` (`S_IFREG`, `S_IFIFO`, `S_IFCHR`...), without following a link; nil when absent.
func fileKind(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
}

/// The permission bits of the file at `path`.
func fileMode(_ path: String) -> mode_t {
    var info = stat()
    _ = stat(path, &info)
    return info.st_mode & 0o7777
}

/// Sizes of files, for tests.
enum FileSystemSize {
    static func of(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }
}

/// Runs `script` with /bin/sh in the workspace, `redline` standing for the built executable.
func runShell(_ script: String, in workspace: Workspace, timeout: TimeInterval = 60) throws -> Redline.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = workspace.url
    return try runProcess(
        process,
        environment: [
            "PATH": "/usr/bin:/bin", "HOME": workspace.url.path, "NO_COLOR": "1",
            "REDLINE": Redline.executable.path,
        ], timeout: timeout)
}

@Suite("Outputs never replace what they do not own", .serialized)
struct OutputSafetyTests {
    /// A workspace with a small passing run.
    func passingRun() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.write("baselines/main.json", #"{"metrics": [{"name": "t", "value": 100, "unit": "ms"}]}"#)
        try workspace.write("current.json", #"{"metrics": [{"name": "t", "value": 101, "unit": "ms"}]}"#)
        return workspace
    }

    @Test("a FIFO is written by opening it and stays a FIFO; a FIFO nobody reads is exit 2 at once, not a hang")
    func fifo() throws {
        let workspace = try passingRun()
        let fifo = workspace.url.appendingPathComponent("out.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat out.fifo > got.json"]
        reader.currentDirectoryURL = workspace.url
        try reader.run()
        // Wait until the reader has the FIFO open, then write the result through it.
        var result = try workspace.run(["check", "--current", "current.json", "--json", "out.fifo"])
        for _ in 0..<200 where result.status == 2 && result.stderr.contains("no process is reading") {
            usleep(20_000)
            result = try workspace.run(["check", "--current", "current.json", "--json", "out.fifo"])
        }
        reader.waitUntilExit()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(fileKind(fifo) == S_IFIFO)
        #expect(
            (try? JSONSerialization.jsonObject(with: Data(contentsOf: workspace.url.appendingPathComponent("got.json"))))
                != nil)
        let started = Date()
        let unread = try workspace.run(["check", "--current", "current.json", "--report", "out.fifo"])
        expectInputError(unread, "out.fifo: is a FIFO that no process is reading")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(fileKind(fifo) == S_IFIFO)
    }

    @Test("--json /dev/null writes nothing anywhere and leaves /dev/null a character device")
    func devNull() throws {
        let workspace = try passingRun()
        let result = try workspace.run([
            "check", "--current", "current.json", "--json", "/dev/null", "--report", "/dev/null",
        ])
        // Two outputs on one path are refused before anything is written...
        expectInputError(result, "--json would write over --report")
        #expect(fileKind("/dev/null") == S_IFCHR)
        // ...and one alone goes into the device.
        #expect(try workspace.run(["check", "--current", "current.json", "--json", "/dev/null"]).status == 0)
        #expect(fileKind("/dev/null") == S_IFCHR)
    }

    @Test(
        "an output that is an input, or another output, is refused before anything is written",
        arguments: [
            (["--report", "baselines/main.json"], "--report would write over the input baselines/main.json"),
            (["--json", "current.json"], "--json would write over the input current.json"),
            (["--json", "r.json", "--report", "./r.json"], "--json would write over --report"),
            (["--json", "out/r.json", "--comment", "link/r.json"], "--comment would write over --json"),
            (["--report", "budgets.json"], "--report would write over the input budgets.json"),
        ])
    func outputOverInput(arguments: [String], expected: String) throws {
        let workspace = try passingRun()
        try workspace.write("budgets.json", "{}")
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("out"), withIntermediateDirectories: true)
        try workspace.write("out/r.json", "old")
        #expect(symlink("out", workspace.url.appendingPathComponent("link").path) == 0)
        let before = try workspace.read("baselines/main.json")
        let result = try workspace.run(["check", "--current", "current.json"] + arguments)
        expectInputError(result, expected)
        #expect(try workspace.read("baselines/main.json") == before)
        #expect(try workspace.read("current.json").contains("101"))
        #expect(try workspace.read("out/r.json") == "old")
        #expect(!workspace.exists("r.json"))
    }

    @Test("only the read and write bits of an old file are kept: no setuid, setgid or execute, through a link neither")
    func modeBits() throws {
        let workspace = try passingRun()
        try workspace.write("report.md", "old")
        #expect(chmod(workspace.url.appendingPathComponent("report.md").path, 0o6755) == 0)
        try workspace.write("target.md", "target")
        #expect(chmod(workspace.url.appendingPathComponent("target.md").path, 0o4775) == 0)
        #expect(symlink("target.md", workspace.url.appendingPathComponent("linked.md").path) == 0)
        #expect(
            try workspace.run(["check", "--current", "current.json", "--report", "report.md", "--comment", "linked.md"])
                .status == 0)
        #expect(fileMode(workspace.url.appendingPathComponent("report.md").path) == 0o644)
        #expect(fileMode(workspace.url.appendingPathComponent("linked.md").path) == 0o664)
        #expect(
            fileKind(workspace.url.appendingPathComponent("linked.md").path) == S_IFREG,
            "the link is replaced, not followed")
        #expect(try workspace.read("target.md") == "target")
        #expect(fileMode(workspace.url.appendingPathComponent("target.md").path) == 0o4775)
    }

    @Test("a legal file name of 240 bytes can be written (its temporary name is short)")
    func longName() throws {
        let workspace = try passingRun()
        let name = String(repeating: "r", count: 235) + ".json"
        #expect(try workspace.run(["check", "--current", "current.json", "--json", name]).status == 0)
        #expect(workspace.exists(name))
    }

    @Test("temporary files of writers that are gone are swept; those of a live writer are kept")
    func staleTemporaries() throws {
        let workspace = try passingRun()
        var dead: pid_t = 999_999
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        try workspace.write(".redline-1234abcd-\(dead)-5.tmp", "left by a killed run")
        try workspace.write(".redline-1234abcd-\(getpid())-6.tmp", "being written")
        try workspace.write(".redline-notes.txt", "not ours")
        #expect(try workspace.run(["check", "--current", "current.json", "--json", "r.json"]).status == 0)
        #expect(!workspace.exists(".redline-1234abcd-\(dead)-5.tmp"))
        #expect(workspace.exists(".redline-1234abcd-\(getpid())-6.tmp"))
        #expect(workspace.exists(".redline-notes.txt"))
        let left = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(left == [".redline-1234abcd-\(getpid())-6.tmp"])
    }

    @Test(
        "SIGINT or SIGTERM while the JSON result is written leaves no temporary file and no result",
        arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) throws {
        let workspace = try Workspace()
        var text = "{\"metrics\": ["
        for index in 0..<150_000 {
            text +=
                (index == 0 ? "" : ",")
                + "{\"name\": \"suite/case_\(index)\", \"value\": \(index % 97 + 1), \"unit\": \"ns\"}"
        }
        text += "]}"
        try workspace.write("current.json", text)
        let process = Process()
        process.executableURL = Redline.executable
        process.arguments = ["check", "--current", "current.json", "--json", "out/r.json"]
        process.currentDirectoryURL = workspace.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("out"), withIntermediateDirectories: true)
        try process.run()
        var seen = false
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            let names =
                (try? FileManager.default.contentsOfDirectory(atPath: workspace.url.appendingPathComponent("out").path))
                ?? []
            if names.contains(where: { $0.hasSuffix(".tmp") }) {
                seen = true
                kill(process.processIdentifier, signal)
                break
            }
            usleep(500)
        }
        process.waitUntilExit()
        #expect(seen, "the temporary file was never seen: the run ended before it could be interrupted")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        let left = try FileManager.default.contentsOfDirectory(atPath: workspace.url.appendingPathComponent("out").path)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test(
        "a step summary that cannot be written is a warning: the verdict decides the exit status and the outputs are written"
    )
    func summaryFailure() throws {
        let workspace = try passingRun()
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("summary-dir"), withIntermediateDirectories: true)
        let outputs = workspace.url.appendingPathComponent("outputs.txt").path
        let result = try workspace.run(
            ["check", "--current", "current.json"],
            environment: [
                "GITHUB_ACTIONS": "true",
                "GITHUB_STEP_SUMMARY": workspace.url.appendingPathComponent("summary-dir").path,
                "GITHUB_OUTPUT": outputs,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("redline: passed"))
        #expect(result.stderr.contains("warning: the report could not be added to the step summary"))
        #expect(try String(contentsOfFile: outputs, encoding: .utf8).contains("verdict<<"))
    }

    @Test("a step summary nearly full gets nothing, and a note says so")
    func summaryFull() throws {
        let workspace = try passingRun()
        let summary = workspace.url.appendingPathComponent("summary.md").path
        try String(repeating: "x", count: 1_048_576 - 100).write(toFile: summary, atomically: false, encoding: .utf8)
        let result = try workspace.run(
            ["check", "--current", "current.json"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary])
        #expect(result.status == 0)
        #expect(result.stderr.contains("the step summary has 100 bytes of room left"))
        #expect(FileSystemSize.of(summary) == 1_048_576 - 100)
        #expect(FileManager.default.fileExists(atPath: summary))
    }

    @Test(
        "`-` is standard output for every output flag, one at a time; --current - reads standard input within the size limit"
    )
    func standardStreams() throws {
        let workspace = try passingRun()
        let comment = try workspace.run(["check", "--current", "current.json", "--comment", "-"])
        #expect(comment.stdout.hasPrefix("<!-- redline:report -->"))
        #expect(!workspace.exists("-"))
        expectInputError(
            try workspace.run(["check", "--current", "current.json", "--comment", "-", "--json", "-"]),
            "both ask for standard output")
        let piped = try workspace.run(
            ["check", "--current", "-"], input: Data(try workspace.read("current.json").utf8))
        #expect(piped.status == 0, "\(piped.stderr)")
        let big = Data(("{\"a\": 1" + String(repeating: " ", count: 4_000) + "}").utf8)
        expectInputError(
            try workspace.run(["check", "--current", "-", "--max-input-size", "2KiB"], input: big),
            "(standard input): is 4008 bytes; the limit is 2048 bytes")
    }

    @Test("a file size limit (ulimit -f) makes the baseline write fail with one clear line; the old baseline is kept")
    func fileSizeLimit() throws {
        let workspace = try Workspace()
        try workspace.write("baselines/main.json", #"{"metrics": [{"name": "old", "value": 1}]}"#)
        var text = "{\"metrics\": ["
        for index in 0..<500 {
            text += (index == 0 ? "" : ",") + "{\"name\": \"metric_\(index)\", \"value\": \(index)}"
        }
        try workspace.write("current.json", text + "]}")
        let before = try workspace.read("baselines/main.json")
        let result = try runShell(
            "ulimit -f 8; exec \"$REDLINE\" baseline update --current current.json", in: workspace)
        expectInputError(
            result,
            "baselines/main.json: cannot be written: File too large; the file size limit (ulimit -f) is too small for this file"
        )
        #expect(try workspace.read("baselines/main.json") == before)
        let left = try FileManager.default.contentsOfDirectory(
            atPath: workspace.url.appendingPathComponent("baselines").path)
        #expect(left == ["main.json"])
    }
}

@Suite("Exit 2 says one thing, once")
struct MessageTests {
    @Test("a note that would come first (no baseline) never joins the error line")
    func oneLine() throws {
        let workspace = try Workspace()
        try workspace.write("current.json", #"{"a": 1}"#)
        try workspace.write("budgets.json", #"{"bogus": 1}"#)
        expectInputError(try workspace.run(["check", "--current", "current.json"]), "unknown key \"bogus\"")
    }

    @Test(
        "--max-input-size refuses fractions of a byte and limits under 1 KiB",
        arguments: [
            ("0.5", "must be a whole number of bytes"), ("100", "must be at least 1KiB"),
            ("1KB", "must be at least 1KiB"),
            ("1000.5", "must be a whole number of bytes"),
        ])
    func sizeLimit(value: String, expected: String) throws {
        let workspace = try Workspace()
        try workspace.write("current.json", #"{"a": 1}"#)
        expectInputError(
            try workspace.run(["check", "--current", "current.json", "--max-input-size", value]), expected)
        #expect(try workspace.run(["check", "--current", "current.json", "--max-input-size", "1KiB"]).status == 0)
    }
}
