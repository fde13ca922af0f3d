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

// Helpers shared by the format tests (one file per format in this folder) and the cross-format
// tests beside it: reading text and corpus files, and expecting a metric's value, unit and direction.

// MARK: reading text

func readText(_ text: String, name: String = "out.txt", format: String = "auto") throws -> ReadResult {
    try MetricsReader.read(SourceText(name: name, text: text), format: format)
}

func readError(_ text: String, name: String = "out.txt", format: String = "auto") -> RedlineError? {
    do {
        _ = try readText(text, name: name, format: format)
        return nil
    } catch {
        return error.redlineErrors.first
    }
}

func readNative(_ text: String) throws -> MetricSet {
    try NativeFormat.read(SourceText(name: "current.json", text: text))
}

// MARK: the repository's corpus (Tests/Corpus)

/// The repository's own corpus: output of real runs of the tools (Tests/Corpus, see its SOURCES.txt
/// and the scripts in scripts/real-tools that made them).
let ownCorpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Corpus")

/// Reads a file of the repository's corpus as `--format auto` would, with the companions a format asks for.
func readOwn(_ path: String, format: String = "auto") throws -> ReadResult {
    let url = ownCorpus.appendingPathComponent(path)
    let source = SourceText(name: path, bytes: Array(try Data(contentsOf: url)))
    var companions: [String: SourceText] = [:]
    for name in MetricsFormats.companions(of: path, format: format) {
        let sibling = url.deletingLastPathComponent().appendingPathComponent(name)
        if let data = try? Data(contentsOf: sibling) { companions[name] = SourceText(name: name, bytes: Array(data)) }
    }
    return try MetricsReader.read(source, format: format, companions: companions)
}

/// The JSON document of a corpus file, for checking read values against what the tool wrote.
func ownJSON(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: ownCorpus.appendingPathComponent(path))) as! [String: Any]
}

/// A corpus file as text (invalid UTF-8 replaced).
func readOwnText(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: ownCorpus.appendingPathComponent(path)), as: UTF8.self)
}

/// Real files written by other tools and by peers' test suites (Tests/Corpus/peers, see its
/// SOURCES.txt for the repository, path, commit and licence of each).
let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Corpus/peers")

/// Reads a corpus file with format detection, the way `--format auto` does (with Criterion's
/// `benchmark.json` companion when it is beside the file).
func readCorpus(_ path: String, format: String = "auto") throws -> ReadResult {
    let url = corpusDirectory.appendingPathComponent(path)
    let source = SourceText(name: path, bytes: Array(try Data(contentsOf: url)))
    var companions: [String: SourceText] = [:]
    let sibling = url.deletingLastPathComponent().appendingPathComponent("benchmark.json")
    if url.lastPathComponent == "estimates.json", let data = try? Data(contentsOf: sibling) {
        companions["benchmark.json"] = SourceText(name: "benchmark.json", bytes: Array(data))
    }
    return try MetricsReader.read(source, format: format, companions: companions)
}

/// The bytes of a file of the repository's corpus.
func bytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: ownCorpus.appendingPathComponent(path)))
}

/// Reads `bytes` as a file named `name`, in `format`.
func readBytes(_ bytes: [UInt8], name: String = "file", format: String = "auto") throws -> ReadResult {
    try MetricsReader.read(SourceText(name: name, bytes: bytes), format: format)
}

// MARK: expectations

/// The metric `name` of `result`, which must exist.
func metric(_ result: ReadResult, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Metric {
    try #require(
        result.metrics[name], "no metric \"\(name)\" in \(result.metrics.metrics.map(\.name))",
        sourceLocation: sourceLocation)
}

/// Expects `name` to read `value` in `unit` with the effective direction `direction`.
func expectMetric(
    _ result: ReadResult, _ name: String, _ value: Double, _ unit: String?, _ direction: Direction = .lower,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let found = try metric(result, name, sourceLocation: sourceLocation)
    #expect(
        abs(found.value - value) <= 1e-9 * max(1, abs(value)), "\(name): \(found.value) ≠ \(value)",
        sourceLocation: sourceLocation)
    #expect(found.unit?.symbol == unit, "\(name): unit \(found.unit?.symbol ?? "none")", sourceLocation: sourceLocation)
    #expect(found.effectiveDirection == direction, "\(name): direction", sourceLocation: sourceLocation)
    #expect(found.samples == nil, "\(name) keeps no raw samples", sourceLocation: sourceLocation)
}
