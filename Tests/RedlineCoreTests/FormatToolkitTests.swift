import Foundation
import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput

/// The format toolkit's promises, held over every tool's real JSON in the corpus: a value of the
/// wrong type is an error or a note, never a metric silently lost; detection is the formats' own
/// `match`, XML and a declared schema included; a format's records come back to the format.
@Suite("Format toolkit: one strictness rule over every tool's JSON")
struct FormatToolkitTests {
    /// Every JSON file of the corpus that reads as a tool's format (not native), with that format.
    static let toolJSON: [(path: String, source: SourceText, format: String)] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Corpus")
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var files: [(String, SourceText, String)] = []
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "json", let data = try? Data(contentsOf: url), data.count < 256 * 1024 else {
                continue
            }
            let path = String(url.path.dropFirst(root.path.count + 1))
            let source = SourceText(name: path, bytes: Array(data))
            guard let result = try? MetricsReader.read(source), result.format != "native" else { continue }
            files.append((path, source, result.format))
        }
        return files.sorted { $0.0 < $1.0 }
    }()

    /// Where the number literals of `bytes` are: each a range of the characters of one JSON number
    /// that is a value (not inside a string).
    static func numberLiterals(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
                index += 1
                continue
            }
            if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                let start = index
                while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                ranges.append(start..<index)
                continue
            }
            index += 1
        }
        return ranges
    }

    @Test("the corpus holds tool JSON of many formats to damage")
    func enoughFormats() {
        #expect(Set(Self.toolJSON.map(\.format)).count >= 15, "\(Set(Self.toolJSON.map(\.format)).sorted())")
    }

    /// The number literals of a document by where they are: each literal's path (array positions
    /// as `*`) and its start, in the file's order.
    static func numberPaths(_ node: JSONNode, path: String = "") -> [(path: String, offset: Int)] {
        if node.number != nil { return [(path, node.offset)] }
        if let members = node.members { return members.flatMap { numberPaths($0.node, path: path + "." + $0.key) } }
        return (node.elements ?? []).flatMap { numberPaths($0, path: path + "[*]") }
    }

    /// The literals to damage in one file: the first of each path (every key a format may read is
    /// hit once), and at most 40 more spread over the file.
    static func literalsToDamage(_ source: SourceText) throws -> (firstOfPath: [Range<Int>], spread: [Range<Int>]) {
        let literals = numberLiterals(Array(source.bytes))
        let byStart = Dictionary(uniqueKeysWithValues: literals.map { ($0.lowerBound, $0) })
        var seen: Set<String> = []
        let firstOfPath = numberPaths(try JSONReader.parse(source)).compactMap { number in
            seen.insert(number.path).inserted ? byStart[number.offset] : nil
        }
        let step = max(1, literals.count / 40)
        return (firstOfPath, stride(from: 0, to: literals.count, by: step).map { literals[$0] })
    }

    /// Metamorphic over real files: each number of a tool's JSON, written as a string (`"12.5"`,
    /// what a hand-edited or re-serialised file may hold), is read under the file's own format,
    /// and the first of each path also through detection. The result must be an error, or the same
    /// metrics (a key the format does not read, or a count that protobuf's JSON may quote), or a
    /// new note saying what was left out. A metric that changes or disappears with nothing said is
    /// a value silently ignored.
    @Test("a number written as a string is an error, read the same, or said in a note: never silently dropped")
    func quotedNumbers() throws {
        var silent: [String] = []
        var damaged = 0
        for file in Self.toolJSON {
            let original = try MetricsReader.read(file.source, format: file.format)
            let (firstOfPath, spread) = try Self.literalsToDamage(file.source)
            let cases = firstOfPath.map { ($0, [file.format, "auto"]) } + spread.map { ($0, [file.format]) }
            for (range, formats) in cases {
                var bytes = Array(file.source.bytes)
                bytes.insert(UInt8(ascii: "\""), at: range.upperBound)
                bytes.insert(UInt8(ascii: "\""), at: range.lowerBound)
                let source = SourceText(name: file.path, bytes: bytes)
                for format in formats {
                    damaged += 1
                    guard let result = try? MetricsReader.read(source, format: format) else { continue }
                    if result.metrics.metrics != original.metrics.metrics && result.notes.count <= original.notes.count
                    {
                        let text = String(decoding: file.source.bytes[range], as: UTF8.self)
                        let line = file.source.position(of: range.lowerBound).line
                        silent.append("\(file.path) (--format \(format)) line \(line): \"\(text)\"")
                    }
                }
            }
        }
        #expect(damaged > 1000)
        #expect(silent.isEmpty, "values silently lost:\n\(silent.prefix(30).joined(separator: "\n"))")
    }

    @Test("XML is offered to the formats: Catch2's reporter matches by its root, other XML only weakly")
    func xmlDetection() throws {
        let catch2 = SourceText(
            name: "c.xml", text: "<?xml version=\"1.0\"?>\n<Catch2TestRun name=\"t\"></Catch2TestRun>")
        let other = SourceText(name: "junit.xml", text: "<?xml version=\"1.0\"?>\n<testsuites></testsuites>")
        #expect(Catch2.match(FormatInput(source: catch2, root: nil, lines: nil)) == .strong)
        #expect(Catch2.match(FormatInput(source: other, root: nil, lines: nil)) == .weak)
        for format in MetricsFormats.all where format.name != Catch2.name {
            #expect(format.match(FormatInput(source: other, root: nil, lines: nil)) == .none, "\(format.name)")
        }
    }

    @Test("a native schema is declared by the file: it wins over a tool's signature in the same document")
    func declaredSchema() throws {
        let text = #"{"schema": "redline.metrics.v1", "benchmarks": [{"name": "a", "real_time": 1}], "metrics": []}"#
        let source = SourceText(name: "m.json", text: text)
        let input = FormatInput(source: source, root: try JSONReader.parse(source), lines: nil)
        #expect(NativeFormat.match(input) == .declared)
        #expect(GoogleBenchmark.match(input) == .strong)
        let chosen = try MetricsReader.choose(input, among: MetricsFormats.all.filter { $0.syntax == .json })
        #expect(chosen?.name == "native")
    }

    @Test("a streamed array comes back to the format whose decoder took it, typed")
    func streamedRecords() throws {
        let text = #"{"context": {}, "benchmarks": [{"name": "BM_a", "real_time": 2, "time_unit": "ns"}]}"#
        let source = SourceText(name: "gb.json", text: text)
        var sink = MetricsReader.StreamingSink(source: source, formats: MetricsFormats.all)
        let root = try JSONReader.parse(source, records: &sink)
        #expect(sink.taken?.formatName == "google-benchmark")
        let result = try #require(try sink.taken?.read(FormatInput(source: source, root: root, lines: nil)))
        #expect(result.metrics.metrics.map(\.name) == ["BM_a"])
    }

    @Test("Artillery 1.x named with --format but without `aggregate.latency` is an error, not a crash")
    func artilleryWithoutLatency() {
        let source = SourceText(name: "a.json", text: #"{"aggregate": {"rps": {"mean": 3}}}"#)
        #expect {
            try MetricsReader.read(source, format: "artillery")
        } throws: {
            "\($0)".contains("`aggregate.latency` is missing")
        }
    }

    @Test("every note of a tool's format starts with the file's name")
    func notesNameTheFile() throws {
        var notes = 0
        for file in Self.toolJSON {
            for note in try MetricsReader.read(file.source, format: file.format).notes {
                notes += 1
                #expect(note.hasPrefix(file.path + ": "), "\(note)")
            }
        }
        #expect(notes >= 5)
    }
}
