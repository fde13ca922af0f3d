import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// One entry of BadInputs/manifest.json: a broken or hostile file, the option it is given to,
/// and a fragment of the one error line it must produce.
struct BadInput: Decodable, Sendable, CustomStringConvertible {
    var file: String
    var `as`: String
    var expect: String
    var description: String { file }
}

let badInputDirectory = Redline.packageRoot.appendingPathComponent("Tests/RedlineEndToEndTests/BadInputs")

let badInputs: [BadInput] = {
    let data = try! Data(contentsOf: badInputDirectory.appendingPathComponent("manifest.json"))
    return try! JSONDecoder().decode([BadInput].self, from: data)
}()

/// The contract for bad input: exit 2, one line on stderr naming the file (with line and column
/// when the problem is inside it), nothing on stdout, within the harness's time limit.
func expectRefused(
    _ result: Redline.Result, file: String, expect: String, position: Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectInputError(result, expect, sourceLocation: sourceLocation)
    let prefix = "redline: " + file + ":"
    #expect(result.stderr.hasPrefix(prefix), "does not name \(file): \(result.stderr)", sourceLocation: sourceLocation)
    if position {
        let located = result.stderr.dropFirst(prefix.count).prefix { $0 != " " }
        #expect(
            located.wholeMatch(of: #/\d+:\d+:/#) != nil, "no line:column in \(result.stderr)",
            sourceLocation: sourceLocation)
    }
}

@Suite("The bad-input corpus: every file is refused with one clear line", .serialized)
struct BadInputTests {
    @Test("there are at least 60 committed hostile inputs")
    func size() {
        #expect(badInputs.count >= 60)
    }

    @Test("each committed bad input", arguments: badInputs)
    func committed(_ input: BadInput) throws {
        let workspace = try Workspace()
        try FileManager.default.copyItem(
            at: badInputDirectory.appendingPathComponent(input.file),
            to: workspace.url.appendingPathComponent(input.file))
        try workspace.write("ok.json", #"{"a": 1}"#)
        let arguments: [String]
        switch input.as {
        case "budgets": arguments = ["check", "--current", "ok.json", "--budgets", input.file]
        case "baseline": arguments = ["check", "--current", "ok.json", "--baseline", input.file]
        default: arguments = ["check", "--current", input.file]
        }
        let result = try workspace.run(arguments)
        expectRefused(result, file: input.file, expect: input.expect, position: true)
        // validate reports the same problem the same way.
        let validate = try workspace.run(arguments.map { $0 == "check" ? "validate" : $0 })
        #expect(validate.status == 2)
        #expect(validate.stdout.isEmpty)
    }

    @Test("special files: a FIFO (no hang), a directory, a missing path, an unreadable file, a link out of the tree")
    func specialFiles() throws {
        let workspace = try Workspace()
        #expect(mkfifo(workspace.url.appendingPathComponent("fifo.json").path, 0o600) == 0)
        expectRefused(
            try workspace.run(["check", "--current", "fifo.json"]), file: "fifo.json",
            expect: "is not a regular file", position: false)
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent("dir.json"), withIntermediateDirectories: true)
        expectRefused(
            try workspace.run(["check", "--current", "dir.json"]), file: "dir.json", expect: "is a directory",
            position: false)
        expectRefused(
            try workspace.run(["check", "--current", "absent.json"]), file: "absent.json",
            expect: "No such file or directory", position: false)
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent(
            "redline-outside-\(UUID().uuidString).json")
        try Data(#"{"secret": 1}"#.utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        #expect(symlink(outside.path, workspace.url.appendingPathComponent("link.json").path) == 0)
        expectRefused(
            try workspace.run(["check", "--current", "link.json"]), file: "link.json",
            expect: "outside the working directory", position: false)
        #expect(symlink("/etc", workspace.url.appendingPathComponent("etc").path) == 0)
        expectRefused(
            try workspace.run(["check", "--current", "etc/hostname"]), file: "etc/hostname",
            expect: "outside the working directory", position: false)
        // A link that stays inside the tree is fine.
        try workspace.write("real.json", #"{"a": 1}"#)
        #expect(symlink("real.json", workspace.url.appendingPathComponent("inside.json").path) == 0)
        #expect(try workspace.run(["check", "--current", "inside.json"]).status == 0)
        if Workspace.canTestPermissions {
            try workspace.write("locked.json", #"{"a": 1}"#)
            #expect(chmod(workspace.url.appendingPathComponent("locked.json").path, 0) == 0)
            expectRefused(
                try workspace.run(["check", "--current", "locked.json"], unprivileged: true), file: "locked.json",
                expect: "Permission denied", position: false)
        }
    }

    @Test("a file past the mapping threshold (16 MiB) is read whole and right")
    func mappedFile() throws {
        let workspace = try Workspace()
        var text = "{\"metrics\": ["
        for index in 0..<200_000 {
            text +=
                (index == 0 ? "" : ",\n")
                + "{\"name\": \"suite/case_\(index)\", \"unit\": \"ns\", \"samples\": [101.5, 99.25, 100, 102, 98.5]}"
        }
        text += "]}"
        #expect(text.utf8.count > 16 << 20)
        try workspace.write("big.json", text)
        let big = try workspace.run(["convert", "--current", "big.json"])
        #expect(big.status == 0, "\(big.stderr)")
        // Every metric comes back with its samples: the mapped bytes are read like read(2)'s.
        #expect(big.stdout.components(separatedBy: "\"samples\": [101.5, 99.25, 100, 102, 98.5]").count - 1 == 200_000)
        #expect(big.stdout.contains("\"name\": \"suite/case_199999\""))
        let check = try workspace.run(["check", "--current", "big.json", "--baseline", "big.json"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            check.stdout.contains("redline: passed (200000 metrics, 200000 unchanged)"), "\(check.stdout.suffix(300))")
    }

    // A hang guard, not a timing: a quadratic scan of these files takes hours, a linear one
    // about a second (scripts/bench.py times the reader); the trait ends a test that never returns.
    @Test("a 100 MB broken file and a 10 MB name: refused, the name never echoed", .timeLimit(.minutes(3)))
    func largeInputs() throws {
        let workspace = try Workspace()
        var big =
            "{\"metrics\": [" + String(repeating: "{\"name\": \"m\", \"value\": 1.5},", count: 100 * 1_048_576 / 30)
        big += "{\"name\": \"m\""  // truncated, and full of duplicate names
        try workspace.write("big.json", big)
        let result = try workspace.run(["check", "--current", "big.json"])
        expectRefused(result, file: "big.json", expect: "unexpected end of file inside an object", position: true)
        // Valid JSON with millions of duplicate names, on one line: one problem per element once
        // cost a scan from the start of the file (quadratic); now a block's scan, and past
        // Problems.limit only a count.
        var duplicates =
            "{\"metrics\": [" + String(repeating: "{\"name\": \"m\", \"value\": 1.5},", count: 100 * 1_048_576 / 30)
        duplicates += "{\"name\": \"m\", \"value\": 1}]}"
        try workspace.write("duplicates.json", duplicates)
        expectRefused(
            try workspace.run(["check", "--current", "duplicates.json"]), file: "duplicates.json",
            expect: "metric \"m\" appears twice", position: true)
        try workspace.write("name.json", "{\"" + String(repeating: "n", count: 10 * 1_048_576) + "\": 1}")
        let name = try workspace.run(["check", "--current", "name.json"])
        expectRefused(name, file: "name.json", expect: "10485760 characters long", position: true)
        #expect(name.stderr.utf8.count < 1_000)
        // Limits: the size flag refuses before reading; the metric-count flag after.
        let limited = try workspace.run(["check", "--current", "big.json", "--max-input-size", "1MB"])
        expectRefused(
            limited, file: "big.json", expect: "the limit is 1000000 bytes; raise it with --max-input-size",
            position: false)
        try workspace.write("three.json", #"{"a": 1, "b": 2, "c": 3}"#)
        expectRefused(
            try workspace.run(["check", "--current", "three.json", "--max-metrics", "2"]), file: "three.json",
            expect: "holds 3 metrics; the limit is 2; raise it with --max-metrics", position: false)
        // Peak memory of every child so far stays bounded (the 100 MB file included).
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #expect(usage.ru_maxrss < 4_000_000, "a child used \(usage.ru_maxrss) KiB")
    }

    @Test("problems between files: a name in two --current files, units of two dimensions, a glob tie")
    func betweenFiles() throws {
        let workspace = try Workspace()
        try workspace.write("one.json", #"{"a": 1}"#)
        try workspace.write("two.json", #"{"a": 2}"#)
        expectRefused(
            try workspace.run(["check", "--current", "one.json", "--current", "two.json"]), file: "two.json",
            expect: "metric \"a\" is also in one.json", position: false)
        try workspace.write("baselines/main.json", #"{"metrics": [{"name": "t", "value": 1, "unit": "MB"}]}"#)
        try workspace.write("t.json", #"{"t": {"value": 1, "unit": "ms"}}"#)
        expectRefused(
            try workspace.run(["check", "--current", "t.json"]), file: "baselines/main.json",
            expect: "in MB (size) in the baseline but in ms (time)", position: false)
        try workspace.write("tie.json", #"{"metrics": {"BM_*": {}, "*ort": {}}}"#)
        try workspace.write("s.json", #"{"BM_Sort": 1}"#)
        expectRefused(
            try workspace.run(["check", "--current", "s.json", "--budgets", "tie.json"]), file: "tie.json",
            expect: "matches \"BM_*\" (line 1) and \"*ort\" (line 1) equally", position: true)
    }
}
