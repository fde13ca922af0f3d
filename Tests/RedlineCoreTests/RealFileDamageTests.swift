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

/// Files as users keep them, read rather than refused whole: several runs appended in one file,
/// a byte-order mark, a time in front of every line, a log cut at its last line, telemetry with a
/// series that breaks a rule, k6's browser metrics. Each from real output (Tests/Corpus, see its
/// SOURCES.txt), damaged the way the class describes where the damage is the point, with the
/// values checked against the files by hand.
@Suite("Real files are read, not refused whole")
struct RealFileDamageTests {
    func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: ownCorpus.appendingPathComponent(path)))
    }

    func readBytes(_ bytes: [UInt8], name: String = "file", format: String = "auto") throws -> ReadResult {
        try MetricsReader.read(SourceText(name: name, bytes: bytes), format: format)
    }

    // MARK: several runs in one file

    @Test(
        "three ab runs against two targets: each metric is named after its target; the repeated target's runs are samples"
    )
    func abAppended() throws {
        let read = try readOwn("ab-2.3/appended-two-targets.txt")
        #expect(read.format == "ab")
        // Read by hand: runs 1 and 3 against 127.0.0.1:18080/users/1, run 2 against 127.0.0.1:18081/search.
        let first = try #require(read.metrics["127.0.0.1:18080/users/1 requests"])
        #expect(first.samples == [300, 300])
        #expect(read.metrics["127.0.0.1:18081/search requests"]?.value == 200)
        #expect(read.metrics["127.0.0.1:18081/search requests"]?.samples == nil)
        #expect(read.metrics["requests"] == nil)
        #expect(read.notes.contains { $0.contains("ab's results file holds 3 runs against 2 targets") })
    }

    @Test("the same ab report appended to itself is one target run twice: samples of one metric, names unchanged")
    func abRepeated() throws {
        let once = try readOwn("ab-2.3/clean.txt")
        let twice = try readBytes(try bytes("ab-2.3/clean.txt") + bytes("ab-2.3/clean.txt"), name: "twice.txt")
        #expect(twice.metrics.metrics.map(\.name) == once.metrics.metrics.map(\.name))
        for metric in once.metrics.metrics {
            #expect(twice.metrics[metric.name]?.value == metric.value)
            #expect(twice.metrics[metric.name]?.samples == [metric.value, metric.value])
        }
        #expect(twice.notes.contains { $0.contains("ab's results file holds 2 runs against 127.0.0.1") })
    }

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

    @Test(
        "a Criterion log with each benchmark twice (two runs appended) reads each as samples, in the first run's unit")
    func criterionAppended() throws {
        let read = try readBytes(
            try bytes("criterion-0.3.6/run1-base.txt") + bytes("criterion-0.3.6/run2-change.txt"), name: "bench.log")
        let (one, two) = (try readOwn("criterion-0.3.6/run1-base.txt"), try readOwn("criterion-0.3.6/run2-change.txt"))
        for metric in one.metrics.metrics {
            let other = try #require(two.metrics[metric.name])
            let samples = try #require(read.metrics[metric.name]?.samples)
            #expect(samples.count == 2)
            #expect(samples[0] == metric.value)
            #expect(abs(samples[1] - other.unit!.convert(other.value, to: metric.unit!)!) < 1e-9 * samples[1])
        }
        #expect(read.notes.contains { $0.contains("the log holds 2 runs of") })
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

    @Test("benchmark.js printed through gulp ([HH:MM:SS] on every line) is detected and its names carry no time")
    func gulpTimestamps() throws {
        let plain = try readOwn("benchmarkjs-2.1.4/console.txt")
        let text = try readOwnText("benchmarkjs-2.1.4/console.txt")
        var lines = ["[21:16:43] Using gulpfile ~/project/gulpfile.js", "[21:16:43] Starting 'bench'..."]
        lines += text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "[21:16:49] " + $0 }
        lines.append("[21:17:02] Finished 'bench' after 19 s")
        let read = try readBytes(Array((lines.joined(separator: "\n") + "\n").utf8), name: "gulp.log")
        #expect(read.format == "benchmarkjs")
        #expect(read.metrics == plain.metrics)
        #expect(!read.metrics.metrics.contains { $0.name.contains(":") && $0.name.contains("[") })
    }

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

    // MARK: a log cut at its last line

    @Test("a JMeter JTL whose last line was cut mid-write is read without it, with a note naming the line")
    func jtlCut() throws {
        let whole = try bytes("doc-derived/jmeter.jtl")
        let lines = String(decoding: whole, as: UTF8.self).split(separator: "\n")
        let cut = lines.joined(separator: "\n") + "\n" + lines.last!.prefix(20)
        let read = try readBytes(Array(cut.utf8), name: "results.jtl")
        let plain = try readOwn("doc-derived/jmeter.jtl")
        #expect(read.metrics == plain.metrics)
        #expect(read.notes.contains { $0.contains("line \(lines.count + 1) of JMeter's results file is cut short") })
    }

    @Test("a short last line that ends with a line end is a broken line, not a cut one: an error")
    func jtlShortLastLineEnded() throws {
        let lines = try readOwnText("doc-derived/jmeter.jtl").split(separator: "\n").map(String.init)
        let damaged = lines.joined(separator: "\n") + "\n" + lines.last!.prefix(20) + "\n"
        #expect(throws: (any Error).self) { try readBytes(Array(damaged.utf8)) }
    }

    @Test("ab runs against a target whose URL is longer than a name may be: the names are shortened, said in a note")
    func abLongTarget() throws {
        var text = try readOwnText("ab-2.3/appended-two-targets.txt")
        let long = "/search?" + String(repeating: "q=abcdefghij&", count: 30)
        text = text.replacingOccurrences(of: "Document Path:          /search", with: "Document Path:          " + long)
        let read = try readBytes(Array(text.utf8), name: "ab.txt")
        #expect(read.metrics.metrics.allSatisfy { MetricRules.nameProblem($0.name) == nil })
        #expect(read.notes.contains { $0.contains("stands for 127.0.0.1:18081" + long) })
    }

    @Test("a short line in the middle of a JTL stays an error")
    func jtlShortInside() throws {
        let lines = try readOwnText("doc-derived/jmeter.jtl").split(separator: "\n").map(String.init)
        var damaged = lines
        damaged[2] = String(damaged[2].prefix(20))
        #expect(throws: (any Error).self) { try readBytes(Array((damaged.joined(separator: "\n") + "\n").utf8)) }
    }

    @Test("k6's JSON output cut mid-point is read without its last line; a broken line inside stays an error")
    func k6PointsCut() throws {
        let whole = try readOwnText("k6-1.1.0/points.ndjson")
        var lines = whole.split(separator: "\n").map(String.init)
        let last = lines.removeLast()
        let cut = lines.joined(separator: "\n") + "\n" + last.prefix(last.count / 2)
        let read = try readBytes(Array(cut.utf8), name: "points.ndjson")
        #expect(read.format == "k6-ndjson")
        #expect(read.notes.contains { $0.contains("line \(lines.count + 1) of k6's JSON output is cut short") })
        var inside = lines
        inside[3] = String(inside[3].prefix(10))
        #expect(throws: (any Error).self) { try readBytes(Array((inside.joined(separator: "\n") + "\n").utf8)) }
    }

    @Test("a Google Benchmark JSON cut off mid-array is still refused at its line and column")
    func googleBenchmarkCut() throws {
        let whole = try readOwnText("peers/google-benchmark/test1_run1.json")
        let cut = String(whole.prefix(whole.count / 2))
        do {
            _ = try readBytes(Array(cut.utf8), name: "cut.json")
            Issue.record("a cut JSON document was read")
        } catch {
            let first = error.redlineErrors[0]
            #expect(first.line != nil && first.column != nil)
        }
    }

    // MARK: telemetry with a series that breaks a rule

    @Test(
        "node_exporter's own end-to-end fixture: the long series is shortened, the wrapped gauge left out with one note"
    )
    func nodeExporter() throws {
        let read = try readOwn("node-exporter/e2e-output.txt")
        #expect(read.format == "prometheus")
        #expect(read.metrics.metrics.count > 2000)
        // Read by hand: line 4607, `node_zfs_arc_memory_available_bytes -9.223372036854776e+17`.
        #expect(read.metrics["node_zfs_arc_memory_available_bytes"] == nil)
        #expect(read.metrics.setAside.map(\.name).contains("node_zfs_arc_memory_available_bytes"))
        #expect(
            read.notes.contains {
                $0.contains(
                    "series \"node_zfs_arc_memory_available_bytes\" is -9.223372036854776e+17 B, but a size cannot be negative"
                )
            })
        // Line 1318: node_dmi_info with 17 labels, 538 characters: shortened, unique, still 1.
        let dmi = try #require(
            read.metrics.metrics.first { $0.name.hasPrefix("node_dmi_info{bios_date=\"04/12/2021\"") })
        #expect(dmi.value == 1)
        #expect(dmi.name.unicodeScalars.count <= MetricRules.maximumLength)
        #expect(read.notes.contains { $0.contains("\"\(dmi.name)\" stands for node_dmi_info{") })
        // A plain series reads as written: `node_boot_time_seconds 1.418183276e+09`.
        #expect(read.metrics["node_boot_time_seconds"]?.value == 1.418183276e+09)
    }

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

    @Test("a native file keeps its strictness: a negative size and a long name are errors")
    func nativeStrict() {
        #expect(readError(#"{"metrics": [{"name": "m", "value": -1, "unit": "B"}]}"#, name: "m.json") != nil)
        let long = String(repeating: "x", count: 300)
        #expect(readError(#"{"metrics": [{"name": "\#(long)", "value": 1}]}"#, name: "m.json") != nil)
    }

    // MARK: k6's browser metrics

    @Test(
        "k6 --summary-export with the browser module: web vitals and browser HTTP timings in ms, browser data in B, cls without a unit"
    )
    func k6Browser() throws {
        let read = try readOwn("doc-derived/k6-browser-summary-export.json")
        #expect(read.format == "k6")
        #expect(read.metrics["browser_web_vital_ttfb p(95)"]?.unit?.symbol == "ms")
        #expect(read.metrics["browser_web_vital_ttfb p(95)"]?.value == 585.07)
        for name in [
            "browser_web_vital_inp avg", "browser_web_vital_fid max", "browser_http_req_duration med",
            "browser_web_vital_lcp p(90)",
        ] {
            #expect(read.metrics[name]?.unit?.symbol == "ms", "\(name)")
        }
        #expect(read.metrics["browser_web_vital_cls avg"]?.unit == nil)
        #expect(read.metrics["browser_data_received count"]?.unit?.symbol == "B")
        #expect(read.metrics["browser_data_received rate"]?.unit?.symbol == "B/s")
        #expect(read.metrics["browser_http_req_failed value"]?.effectiveDirection == .lower)
        #expect(read.metrics["browser_http_req_failed passes"]?.effectiveDirection == .lower)
    }
}
