import Foundation
import Testing

/// Files as users keep them, through the built executable: appended runs, a byte-order mark, a
/// stamped log, a cut log, telemetry with a series that breaks a rule (see RealFileDamageTests
/// and the format's file in RedlineCoreTests/Formats for the values read by hand).
@Suite("Real files are read, not refused whole, end to end")
struct RealFileDamageEndToEndTests {
    @Test("ab runs appended against two targets: check gates each target's metrics and says what it did")
    func appendedRuns() throws {
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "Tests/Corpus/ab-2.3/appended-two-targets.txt", to: "results.txt")
        try workspace.write(
            "budgets.json",
            #"{"metrics": {"apiResponseTime": {"from": "127.0.0.1:18080/users/1 latency p95", "unit": "ms", "error": 500}}}"#
        )
        let check = try workspace.run(["check", "--current", "results.txt", "--report", "-"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            check.stderr.contains(
                "ab's results file holds 3 runs against 2 targets (127.0.0.1:18080/users/1, 127.0.0.1:18081/search)"))
        #expect(check.stdout.contains("`apiResponseTime` ← `127.0.0.1:18080/users/1 latency p95`"), "\(check.stdout)")
    }

    @Test("a scrape with a wrapped gauge passes with a note; a budget that gates that gauge is exit 2 naming it")
    func setAsideSeries() throws {
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "Tests/Corpus/node-exporter/e2e-output.txt", to: "metrics.prom")
        try workspace.write(
            "budgets.json",
            #"{"metrics": {"load": {"from": "node_load1", "maxRegression": "50%"}, "*": {"gate": false}}}"#)
        let fine = try workspace.run(["check", "--current", "metrics.prom"])
        #expect(fine.status == 0, "\(fine.stderr)")
        #expect(
            fine.stderr.contains(
                "series \"node_zfs_arc_memory_available_bytes\" is -9.223372036854776e+17 B, but a size cannot be negative, and was left out"
            ))
        try workspace.write(
            "budgets.json",
            #"{"metrics": {"arc": {"from": "node_zfs_arc_memory_available_bytes", "unit": "MB", "error": 100}}}"#)
        let gated = try workspace.run(["check", "--current", "metrics.prom"])
        #expect(gated.status == 2)
        #expect(gated.stderr.split(separator: "\n").count == 1, "\(gated.stderr)")
        #expect(
            gated.stderr.contains(
                "budgets.json:1:14: budget rule \"arc\" gates series \"node_zfs_arc_memory_available_bytes\" of metrics.prom, which was left out: it is -9.223372036854776e+17 B, but a size cannot be negative"
            ))
    }

    @Test("a hey report saved with a byte-order mark and a GitHub Actions log of wrk read as the plain files do")
    func markAndStamps() throws {
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "Tests/Corpus/hey-0.1.4/clean.txt", to: "plain.txt")
        let plain = try workspace.read("plain.txt")
        try workspace.write("marked.txt", "\u{FEFF}" + plain)
        let marked = try workspace.run(["convert", "--current", "marked.txt"])
        let unmarked = try workspace.run(["convert", "--current", "plain.txt"])
        #expect(marked.status == 0 && marked.stdout == unmarked.stdout, "\(marked.stderr)")
        try workspace.copy(fromRepository: "Tests/Corpus/wrk-4.1.0/clean.txt", to: "wrk.txt")
        let stamped =
            try workspace.read("wrk.txt").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { "2026-12-07T10:15:02.1234567Z " + $0 }.joined(separator: "\n") + "\n"
        try workspace.write("job.log", stamped)
        let fromLog = try workspace.run(["convert", "--current", "job.log"])
        let fromFile = try workspace.run(["convert", "--current", "wrk.txt"])
        #expect(fromLog.status == 0 && fromLog.stdout == fromFile.stdout, "\(fromLog.stderr)")
    }

    @Test("a JTL cut at its last line is read without it, with a note naming the line")
    func cutLog() throws {
        let workspace = try Workspace()
        try workspace.copy(fromRepository: "Tests/Corpus/doc-derived/jmeter.jtl", to: "whole.jtl")
        let whole = try workspace.read("whole.jtl")
        let lines = whole.split(separator: "\n")
        try workspace.write("cut.jtl", whole + lines.last!.prefix(12))
        let cut = try workspace.run(["convert", "--current", "cut.jtl"])
        let full = try workspace.run(["convert", "--current", "whole.jtl"])
        #expect(cut.status == 0 && cut.stdout == full.stdout, "\(cut.stderr)")
        #expect(cut.stderr.contains("line \(lines.count + 1) of JMeter's results file is cut short"))
    }
}
