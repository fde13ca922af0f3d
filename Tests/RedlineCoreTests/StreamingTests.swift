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

/// The bulk of a large file (Google Benchmark's `benchmarks`, the native `metrics`) is read one
/// element at a time; these tests prove the streamed read equals the whole-tree read, and that a
/// wrong guess of the format is read again the ordinary way.
@Suite("Reading large arrays one element at a time")
struct StreamingTests {
    /// The corpus's Google Benchmark files, from the library itself and from github-action-benchmark's fixtures.
    static let googleBenchmarkFiles = [
        "google-benchmark/test1_run1.json", "google-benchmark/test1_run2.json",
        "google-benchmark/test2_run.json", "github-action-benchmark/googlecpp_output.json",
    ]

    @Test("streamed Google Benchmark reads equal the whole-tree read, notes included", arguments: googleBenchmarkFiles)
    func googleBenchmarkCorpus(path: String) throws {
        let source = SourceText(
            name: path, bytes: Array(try Data(contentsOf: corpusDirectory.appendingPathComponent(path))))
        let tree = try GoogleBenchmark.read(
            FormatInput(source: source, root: JSONReader.parse(source), lines: nil), companions: [:])
        let streamed = try MetricsReader.read(source, format: "auto")
        let forced = try MetricsReader.read(source, format: "google-benchmark")
        #expect(streamed.format == "google-benchmark")
        #expect(streamed.metrics == tree.metrics && forced.metrics == tree.metrics)
        #expect(streamed.notes == tree.notes)
        #expect(!tree.metrics.metrics.isEmpty)
    }

    @Test("only the first element of a streamed array stays in the tree")
    func treeKeepsFirst() throws {
        let source = SourceText(
            name: "m.json",
            text:
                #"{"metrics": [{"name": "a", "value": 1}, {"name": "b", "value": 2}], "schema": "redline.metrics.v1"}"#)
        var records = NativeFormat.Records(source: source)
        let root = try JSONReader.parse(source, records: &records)
        #expect(records.streamed)
        #expect(root["metrics"]?.elements?.count == 1)
        #expect(records.metrics.map(\.name) == ["a", "b"])
    }

    @Test(
        "a file that is two formats at once (a native `metrics` array and Google Benchmark's `benchmarks`) is refused, naming both"
    )
    func twoFormats() throws {
        let text = """
            {"metrics": [{"name": "x", "value": 1}],
             "benchmarks": [{"name": "BM_a", "run_type": "iteration", "real_time": 5, "cpu_time": 4, "time_unit": "ns"}]}
            """
        do {
            _ = try MetricsReader.read(SourceText(name: "both.json", text: text), format: "auto")
            Issue.record("a file of two formats was read")
        } catch {
            #expect(
                error.redlineErrors[0].message == "this file matches two formats at once: google-benchmark and native")
            #expect(error.redlineErrors[0].hint?.contains("--format google-benchmark or --format native") == true)
        }
        // Named, each format reads its part; a `schema` makes it native, which refuses the other key.
        let forced = try MetricsReader.read(SourceText(name: "both.json", text: text), format: "google-benchmark")
        #expect(forced.metrics.metrics.map(\.name) == ["BM_a", "BM_a [cpu_time]"])
        let schema = text.replacingOccurrences(
            of: "{\"metrics\"", with: "{\"schema\": \"redline.metrics.v1\", \"metrics\"")
        #expect(throws: RedlineErrors.self) {
            try MetricsReader.read(SourceText(name: "both.json", text: schema), format: "auto")
        }
    }

    @Test("native problems found while streaming are all reported, numbered by position")
    func nativeProblems() {
        let text = #"{"metrics": [{"name": "a", "value": 1}, {"name": "a", "value": 2}, {"value": 3}]}"#
        do {
            _ = try MetricsReader.read(SourceText(name: "m.json", text: text), format: "auto")
            Issue.record("expected problems")
        } catch {
            let messages = error.redlineErrors.map(\.message)
            #expect(messages.count == 2)
            #expect(messages[0].hasPrefix("metric \"a\" appears twice"))
            #expect(messages[1] == "metric 3 has no `name`")
        }
    }

    @Test("a syntax error after streamed elements wins over their problems")
    func syntaxErrorWins() {
        let text = #"{"metrics": [{"name": "a", "value": 1}, {"name": "a", "value": 2}, {"name": "#
        #expect(readError(text, name: "m.json")?.message == "unexpected end of file, expected a value")
    }

    @Test("problems past the limit are counted in one line, not kept")
    func problemLimit() {
        var problems = Problems()
        for index in 0..<(Problems.limit + 5) { problems.add(RedlineError(file: "f", message: "p\(index)")) }
        #expect(problems.errors.count == Problems.limit && problems.omitted == 5)
        do {
            try problems.throwIfAny()
        } catch {
            #expect(error.redlineErrors.last?.message == "5 more problems are not listed")
        }
    }

    @Test(
        "positions, one at a time from checkpoints or many in one pass, equal a count from the start, on long lines and many lines"
    )
    func positions() {
        var rng = SeededGenerator(seed: 7)
        var bytes: [UInt8] = []
        for _ in 0..<400_000 {
            let roll = Int.random(in: 0..<100, using: &rng)
            bytes += roll < 2 ? [0x0A] : roll < 5 ? Array("é".utf8) : [UInt8(ascii: "x")]
        }
        bytes += [UInt8](repeating: UInt8(ascii: "y"), count: 200_000)  // one line over several blocks
        let source = SourceText(name: "f", bytes: bytes)
        let offsets =
            [0, 1, 65_535, 65_536, 65_537, 131_072, 300_001, bytes.count - 1, bytes.count]
            + (0..<200).map({ _ in
                Int.random(in: 0...bytes.count, using: &rng)
            })
        var expected: [(line: Int, column: Int)] = []
        for offset in offsets {
            var line = 1
            var column = 1
            for byte in bytes[0..<offset] {
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            expected.append((line, column))
            let position = source.position(of: offset)
            #expect(position.line == line && position.column == column, "offset \(offset)")
        }
        // The batch scan, in the given (unsorted, repeated) order and in increasing order.
        for batch in [offsets, offsets.sorted(), offsets + offsets.prefix(20)] {
            let found = source.positions(of: batch)
            for (offset, position) in zip(batch, found) {
                let reference = expected[offsets.firstIndex(of: offset)!]
                #expect(
                    position.line == reference.line && position.column == reference.column, "batch offset \(offset)")
            }
        }
        // Offsets at and right after line feeds, where the scan's two loops meet.
        let feeds = SourceText(name: "g", text: "\n\nab\né\n\n")
        #expect(
            feeds.positions(of: Array(0...10)).map { [$0.line, $0.column] }
                == [[1, 1], [2, 1], [3, 1], [3, 2], [3, 3], [4, 1], [4, 2], [4, 2], [5, 1], [6, 1], [6, 1]])
    }

    /// The outcome of a read, comparable: the metrics, or every error line.
    static func outcome(_ body: () throws -> MetricSet) -> String {
        do {
            let metrics = try body()
            return BaselineDocument.metricsDocument(metrics)
        } catch {
            return error.redlineErrors.map(\.description).joined(separator: "\n")
        }
    }

    /// Pieces of metric objects, valid and not, for the seeded documents below.
    static let nativePieces = [
        #""name": "a""#, #""name": "b/c""#, #""name": 3"#, #""name": "\u0001x""#, #""name": "caf\u00e9""#,
        #""value": 1.5"#, #""value": -2"#, #""value": "7""#, #""value": null"#, #""samples": [1, 2, 3]"#,
        #""samples": []"#, #""samples": [1, "2"]"#, #""samples": [[1]]"#, #""unit": "ms""#, #""unit": """#,
        #""unit": "widgets/s""#, #""direction": "higher""#, #""direction": "up""#, #""extra": true"#,
        #""name": "a""#, #""value": 1e400"#, #""samples": [-1, 2]"#,
    ]

    @Test("native: the fast path and the tree agree on every seeded document, errors included")
    func nativeFastPathAgrees() {
        var rng = SeededGenerator(seed: 2026)
        for _ in 0..<400 {
            let objects = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                "{"
                    + (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                        StreamingTests.nativePieces.randomElement(using: &rng)!
                    }
                    .joined(separator: ", ") + "}"
            }
            let text = #"{"schema": "redline.metrics.v1", "metrics": ["# + objects.joined(separator: ",\n") + "]}"
            let source = SourceText(name: "m.json", text: text)
            let streamed = StreamingTests.outcome { try NativeFormat.read(source) }
            let tree = StreamingTests.outcome {
                try NativeFormat.decode(JSONReader.parse(source), source: source, expecting: Schema.metrics).metrics
            }
            #expect(streamed == tree, "\(text)")
        }
    }

    /// Histories of a baseline's metrics, valid and not (all valid JSON: a syntax error is tested
    /// on its own below), with strings that hold brackets and escaped quotes to step over.
    static let historyPieces = [
        #""history": {"values": [1, 2], "spreads": [0.5, null], "counts": [5, null]}"#,
        #""history": {"values": [3]}"#, #""history": {"values": []}"#, #""history": {"values": [1, 2, 3]}"#,
        #""history": {"values": [-4]}"#, #""history": {"values": "x"}"#, #""history": 3"#, #""history": []"#,
        #""history": {"values": [1], "note": "}{]["}"#, #""history": {"values": [1], "n\"}": "a\"]"}"#,
        #""history": {"values": [1, 2], "steps": [{"run": 2, "from": 1, "to": 2}]}"#,
        #""history": {"values": [1], "spreads": [-1], "counts": [0]}"#, #""history": {}"#,
    ]

    /// A baseline read (or refused) as a value that compares: the baseline, or every error line.
    static func baselineOutcome(_ body: () throws -> Baseline) -> Result<Baseline, StreamingTests.Lines> {
        do { return .success(try body()) } catch {
            return .failure(Lines(text: error.redlineErrors.map(\.description)))
        }
    }

    struct Lines: Error, Equatable { var text: [String] }

    @Test("baselines: histories stepped over as bytes by the fast path read as the tree reads them, errors included")
    func historyBytesAgree() {
        var rng = SeededGenerator(seed: 1127)
        for _ in 0..<400 {
            let metrics = (0..<Int.random(in: 1...6, using: &rng)).map { index -> String in
                var pieces = [#""name": "m\#(index)""#, #""unit": "ms""#, #""value": 1.5"#]
                if Int.random(in: 0..<4, using: &rng) > 0 {
                    pieces.append(StreamingTests.historyPieces.randomElement(using: &rng)!)
                }
                return "{" + pieces.shuffled(using: &rng).joined(separator: ", ") + "}"
            }
            let text =
                #"{"schema": "redline.baseline.v1", "runs": [{"id": 1}, {"id": 2}], "metrics": ["#
                + metrics.joined(separator: ",\n") + "]}"
            let source = SourceText(name: "b.json", text: text)
            let streamed = StreamingTests.baselineOutcome { try BaselineFormat.read(source) }
            let tree = StreamingTests.baselineOutcome {
                try BaselineFormat.baseline(
                    of: NativeFormat.decode(JSONReader.parse(source), source: source, expecting: Schema.baseline),
                    source: source)
            }
            #expect(streamed == tree, "\(text)")
        }
    }

    @Test("a syntax error inside a history the fast path stepped over is still found, at its line and column")
    func historySyntaxError() throws {
        let text = """
            {"schema": "redline.baseline.v1", "runs": [{"id": 1}], "metrics": [
              {"name": "a", "value": 1},
              {"name": "b", "value": 2, "history": {"values": [1,, 2]}}
            ]}
            """
        let source = SourceText(name: "b.json", text: text)
        let error = try #require(StreamingTests.baselineOutcome { try BaselineFormat.read(source) }.failureLines)
        let tree = try #require(
            StreamingTests.baselineOutcome {
                _ = try JSONReader.parse(source)
                return Baseline(metrics: MetricSet(metrics: []))
            }.failureLines)
        #expect(error == tree)
        #expect(error.first?.hasPrefix("b.json:3:54:") == true, "\(error)")
        // The same file given as --current (a baseline read as metrics) is refused the same way.
        let current = try #require(
            StreamingTests.baselineOutcome {
                Baseline(metrics: try NativeFormat.read(source))
            }.failureLines)
        #expect(current == tree)
    }

    /// Pieces of Google Benchmark entries, valid and not.
    static let googlePieces = [
        #""name": "BM_a""#, #""name": "BM_b/8""#, #""run_name": "BM_a""#, #""run_name": 4"#,
        #""run_type": "iteration""#,
        #""run_type": "aggregate""#, #""aggregate_name": "median""#, #""aggregate_name": "stddev""#,
        #""real_time": 10"#,
        #""real_time": "10""#, #""cpu_time": 9.5"#, #""time_unit": "us""#, #""time_unit": "parsec""#,
        #""items_per_second": 1e6"#, #""error_occurred": true"#, #""error_message": "boom""#, #""label": "x""#,
        #""iterations": 100"#, #""my_counter": [1, 2]"#, #""nested": {"a": 1}"#, #""esc\"aped": 1"#, #""name": "BM_a""#,
    ]

    @Test("Google Benchmark: the fast path and the tree agree on every seeded document, errors and notes included")
    func googleFastPathAgrees() {
        var rng = SeededGenerator(seed: 1124)
        for _ in 0..<400 {
            let entries = (0..<Int.random(in: 1...6, using: &rng)).map { index -> String in
                // Keys unique within an entry: a duplicate key is a syntax error, which the whole-tree
                // read finds before any entry is read and a streamed read only when it gets there.
                var pieces = index == 0 ? [#""name": "BM_first""#, #""real_time": 1"#] : []
                for _ in 0..<Int.random(in: 0...5, using: &rng) {
                    let piece = StreamingTests.googlePieces.randomElement(using: &rng)!
                    let key = piece.prefix { $0 != ":" }
                    if !pieces.contains(where: { $0.hasPrefix(key) }) { pieces.append(piece) }
                }
                return "{" + pieces.joined(separator: ", ") + "}"
            }
            let text = #"{"context": {"host_name": "h"}, "benchmarks": ["# + entries.joined(separator: ",\n") + "]}"
            let source = SourceText(name: "gb.json", text: text)
            var notes: [[String]] = []
            let streamed = StreamingTests.outcome {
                let read = try MetricsReader.read(source, format: "google-benchmark")
                notes.append(read.notes)
                return read.metrics
            }
            let tree = StreamingTests.outcome {
                let read = try GoogleBenchmark.read(
                    FormatInput(source: source, root: JSONReader.parse(source), lines: nil), companions: [:])
                notes.append(read.notes)
                return read.metrics
            }
            #expect(streamed == tree, "\(text)")
            if notes.count == 2 { #expect(notes[0] == notes[1]) }
        }
    }
}

extension Result where Failure == StreamingTests.Lines {
    /// The error lines of a refusal; nil for a baseline.
    var failureLines: [String]? {
        if case .failure(let lines) = self { return lines.text }
        return nil
    }
}
