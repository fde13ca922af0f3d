import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// A metrics file with `count` metrics whose values depend on `seed`.
func largeMetrics(count: Int, seed: Int) -> String {
    let entries = (0..<count).map { index in
        "{\"name\": \"suite/case_\(index)\", \"unit\": \"ns\", \"samples\": [\(index + seed), \(index + seed + 1), \(index + seed + 2), \(index + seed + 3), \(index + seed + 4)]}"
    }
    return "{\"metrics\": [" + entries.joined(separator: ",\n") + "]}"
}

@Suite("Crash-safe baseline writes", .serialized)
struct CrashSafetyTests {
    @Test("SIGKILL at 200 random moments: the baseline is always the old bytes or the new bytes")
    func killedUpdates() throws {
        let workspace = try Workspace()
        let environment = ["SOURCE_DATE_EPOCH": "1764000000"]
        try workspace.write("old.json", largeMetrics(count: 5_000, seed: 1))
        try workspace.write("new.json", largeMetrics(count: 5_000, seed: 7))
        #expect(
            try workspace.run(["baseline", "update", "--current", "old.json"], environment: environment).status == 0)
        let baselineURL = workspace.url.appendingPathComponent("baselines/main.json")
        let oldBytes = try Data(contentsOf: baselineURL)
        // The new bytes (the old run and the new one in the history), made once without
        // interruption over a copy of the old baseline in a directory of its own.
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("expected"), withIntermediateDirectories: true)
        try oldBytes.write(to: workspace.url.appendingPathComponent("expected/main.json"))
        #expect(
            try workspace.run(
                ["baseline", "update", "--current", "new.json", "--baseline", "expected/main.json"],
                environment: environment
            ).status == 0)
        let newBytes = try Data(contentsOf: workspace.url.appendingPathComponent("expected/main.json"))
        #expect(oldBytes != newBytes)

        // How long one update over the old baseline takes, to spread the kills over all of it.
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("timing"), withIntermediateDirectories: true)
        var durations: [TimeInterval] = []
        for _ in 0..<3 {
            try oldBytes.write(to: workspace.url.appendingPathComponent("timing/main.json"))
            let started = Date()
            _ = try workspace.run(
                ["baseline", "update", "--current", "new.json", "--baseline", "timing/main.json"],
                environment: environment)
            durations.append(Date().timeIntervalSince(started))
        }
        let duration = durations.sorted()[1]

        var generator = SystemRandomNumberGenerator()
        var sawOld = 0
        var sawNew = 0
        for _ in 0..<200 {
            try oldBytes.write(to: baselineURL)
            let process = Process()
            process.executableURL = Redline.executable
            process.arguments = ["baseline", "update", "--current", "new.json"]
            process.currentDirectoryURL = workspace.url
            process.environment = ["PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1764000000"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Double.random(in: 0...(duration * 1.3), using: &generator) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let bytes = try Data(contentsOf: baselineURL)
            #expect(bytes == oldBytes || bytes == newBytes, "a torn baseline of \(bytes.count) bytes")
            if bytes == oldBytes { sawOld += 1 } else if bytes == newBytes { sawNew += 1 }
        }
        // Both outcomes happened: the kills really landed before and after the rename.
        #expect(sawOld > 0 && sawNew > 0, "old \(sawOld), new \(sawNew)")
        // A later update removes the temporary files that killed ones left behind.
        #expect(
            try workspace.run(["baseline", "update", "--current", "new.json"], environment: environment).status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: workspace.url.appendingPathComponent("baselines").path)
        #expect(leftovers == ["main.json"])
    }

    @Test("concurrent updates never interleave: each sees the other's metrics, none is lost")
    func concurrentUpdates() throws {
        let workspace = try Workspace()
        for round in 0..<10 {
            try? FileManager.default.removeItem(at: workspace.url.appendingPathComponent("baselines"))
            try workspace.write("a.json", "{\"a_\(round)\": 1, \"shared\": 1}")
            try workspace.write("b.json", "{\"b_\(round)\": 2, \"shared\": 2}")
            let processes = ["a.json", "b.json"].map { file -> Process in
                let process = Process()
                process.executableURL = Redline.executable
                process.arguments = ["baseline", "update", "--current", file]
                process.currentDirectoryURL = workspace.url
                process.environment = ["PATH": "/usr/bin:/bin"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in processes { try process.run() }
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }
            let text = try workspace.read("baselines/main.json")
            #expect(text.contains("\"name\": \"a_\(round)\""), "round \(round) lost a's metric")
            #expect(text.contains("\"name\": \"b_\(round)\""), "round \(round) lost b's metric")
        }
    }
}
