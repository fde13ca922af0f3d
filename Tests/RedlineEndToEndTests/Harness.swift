import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `redline` executable as a process, as a user or CI would.
struct Redline {
    /// What one run produced.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The lines of standard error, without the final empty one.
        var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }
    }

    /// The executable beside the test bundle in the build directory.
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("redline")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/redline")
    }()

    /// The repository root (for `examples/`, `budgets.json` and `Tests/Corpus`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `redline arguments` in `directory` with a clean environment plus `environment`;
    /// kills it after `timeout` seconds (a hang is a failure, never a stuck test run).
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        timeout: TimeInterval = 60, unprivileged: Bool = false, input: Data? = nil
    ) throws -> Result {
        let process = Process()
        if unprivileged && getuid() == 0 {
            // root ignores file permissions; drop to nobody so permission failures are real.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var variables = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "NO_COLOR": "1"]
        for (key, value) in environment { variables[key] = value }
        return try runProcess(process, environment: variables, timeout: timeout, input: input)
    }
}

/// Runs a configured process with `environment` and no standard input, killing it after
/// `timeout` seconds (a hang is a failure, never a stuck test run); collects its output.
func runProcess(_ process: Process, environment: [String: String], timeout: TimeInterval, input: Data? = nil) throws
    -> Redline.Result
{
    process.environment = environment
    let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("redline-stdout-\(UUID().uuidString)")
    let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("redline-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    process.standardOutput = outHandle
    process.standardError = errHandle
    var inputURL: URL?
    if let input {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("redline-stdin-\(UUID().uuidString)")
        try input.write(to: url)
        inputURL = url
        process.standardInput = try FileHandle(forReadingFrom: url)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    defer { if let inputURL { try? FileManager.default.removeItem(at: inputURL) } }
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw HarnessError(
            message:
                "\(process.executableURL?.path ?? "process") \((process.arguments ?? []).joined(separator: " ")) did not finish in \(timeout) s"
        )
    }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return Redline.Result(
        status: process.terminationStatus,
        stdout: try String(contentsOf: outURL, encoding: .utf8),
        stderr: try String(contentsOf: errURL, encoding: .utf8))
}

struct HarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A fresh temporary working directory, removed when the value is dropped by the test.
final class Workspace {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("redline-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        // Restore permissions a test may have taken away, so the directory can be removed.
        if let paths = FileManager.default.enumerator(atPath: url.path) {
            for case let path as String in paths {
                chmod(url.appendingPathComponent(path).path, 0o755)
            }
        }
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes a file (creating folders) and returns its path relative to the workspace.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return path
    }

    /// Copies a file of the repository into the workspace under the same relative path.
    func copy(fromRepository path: String, to target: String? = nil) throws {
        let destination = url.appendingPathComponent(target ?? path)
        try FileManager.default.createDirectory(
            at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.copyItem(at: Redline.packageRoot.appendingPathComponent(path), to: destination)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path)
    }

    func run(
        _ arguments: [String], environment: [String: String] = [:], unprivileged: Bool = false,
        input: Data? = nil
    ) throws -> Redline.Result {
        try Redline.run(arguments, in: url, environment: environment, unprivileged: unprivileged, input: input)
    }

    /// Whether permission tests can run: as a normal user, or as root through setpriv.
    static var canTestPermissions: Bool {
        getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }
}
