import Foundation
import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput
@testable import RedlinePolicy
@testable import RedlineHistory
@testable import RedlineVerdict
@testable import RedlineBaseline
@testable import RedlineReport

/// Files as users keep them, read rather than refused whole, where the damage is not one format's:
/// two tools' runs appended, a byte-order mark, a wide encoding, a time in front of every line, a
/// series a budget gates that the reader left out. Each from real output (Tests/Corpus, see its
/// SOURCES.txt), damaged the way the class describes, with the values checked against the files by
/// hand. Damage that one format's reader handles (ab's appended runs and long targets, a Criterion
/// log twice, benchmark.js through gulp, a cut JTL, k6 points file or Google Benchmark JSON,
/// node_exporter's fixture, k6's browser metrics, a strict native file) is in that format's file in
/// Formats/.
@Suite("Real files are read, not refused whole")
struct RealFileDamageTests {
    // MARK: several runs in one file

    @Test("two wrk runs and two hey runs appended: samples of one metric per name (hey does not print its URL)")
    func wrkAndHeyAppended() throws {
        let wrk = try readBytes(try bytes("wrk-4.1.0/clean.txt") + bytes("wrk-4.1.0/non2xx.txt"), name: "wrk.txt")
        #expect(wrk.format == "wrk")
        #expect(wrk.notes.contains { $0.contains("wrk's results file holds 2 runs") })
        let hey = try readBytes(try bytes("hey-0.1.4/clean.txt") + bytes("hey-0.1.4/non200.txt"), name: "hey.txt")
        let (clean, non200) = (try readOwn("hey-0.1.4/clean.txt"), try readOwn("hey-0.1.4/non200.txt"))
        let p95 = try #require(hey.metrics["latency p95"])
        #expect(p95.samples == [clean.metrics["latency p95"]!.value, non200.metrics["latency p95"]!.value])
    }

    // MARK: byte-order marks

    @Test(
        "a UTF-8 byte-order mark before JSON, CSV and text is skipped with no note",
        arguments: [
            "doc-derived/autocannon.json", "locust-2.47.0/locust_stats.csv", "hey-0.1.4/clean.txt",
            "k6-1.1.0/summary.json",
            "prometheus-client-0.26.0/metrics.prom",
        ])
    func byteOrderMark(path: String) throws {
        let plain = try readBytes(try bytes(path), name: path)
        let marked = try readBytes([0xEF, 0xBB, 0xBF] + bytes(path), name: path)
        #expect(marked.format == plain.format)
        #expect(marked.metrics == plain.metrics)
        #expect(marked.notes == plain.notes)
    }

    @Test("UTF-16 and UTF-32 stay refused, naming the encoding")
    func wideEncodings() {
        let text = "Summary:\n  Total:\t1.0 secs\n"
        let cases: [([UInt8], String)] = [
            ([0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "UTF-16 little-endian"),
            ([0xFE, 0xFF] + Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, "UTF-16 big-endian"),
        ]
        for (bytes, encoding) in cases {
            #expect(throws: (any Error).self) { try readBytes(bytes) }
            do { _ = try readBytes(bytes) } catch {
                #expect(error.redlineErrors.first?.message == "the file is \(encoding), not UTF-8")
            }
        }
    }

    // MARK: a time in front of every line

    @Test("a downloaded GitHub Actions log (an ISO 8601 time on every line) reads as the tool's own output")
    func actionsTimestamps() throws {
        let plain = try readOwn("wrk-4.1.0/clean.txt")
        let text = try readOwnText("wrk-4.1.0/clean.txt")
        let stamped =
            text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated()
            .map { "2026-12-07T10:15:\(String(format: "%02d", $0.offset % 60)).1234567Z " + $0.element }.joined(
                separator: "\n") + "\n"
        let read = try readBytes(Array(stamped.utf8), name: "job.log")
        #expect(read.format == "wrk")
        #expect(read.metrics == plain.metrics)
    }

    @Test("an error in a stamped log points at the column in the file, after the time")
    func stampedColumns() throws {
        let text =
            "[10:00:00] test a ... bench:   1,234 ns/iter (+/- 5)\n[10:00:01] test b ... bench:   x ns/iter (+/- 5)\n"
        let error = try #require(readError(text))
        #expect(error.line == 2 && error.column == 12)
    }

    // MARK: telemetry with a series that breaks a rule

    @Test("a budget that gates a series the reader left out is exit 2 naming it; one that does not gate it is fine")
    func gatedSetAside() throws {
        let read = try readOwn("node-exporter/e2e-output.txt")
        let gated = try Budgets.read(
            SourceText(
                name: "budgets.json", text: #"{"metrics": {"arc": {"from": "node_zfs_arc_memory_available_bytes"}}}"#))
        do {
            _ = try gated.takingFrom(read.metrics, side: "the current run", required: true)
            Issue.record("a gated series that was left out passed")
        } catch {
            #expect(
                error.redlineErrors[0].message.hasPrefix(
                    "budget rule \"arc\" gates series \"node_zfs_arc_memory_available_bytes\""))
        }
        let reported = try Budgets.read(
            SourceText(
                name: "budgets.json",
                text: #"{"metrics": {"node_zfs_arc_memory_available_bytes": {"gate": false}}}"#))
        #expect(throws: Never.self) { try reported.takingFrom(read.metrics, side: "the current run", required: true) }
    }
}
