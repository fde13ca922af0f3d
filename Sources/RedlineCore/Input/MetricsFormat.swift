import RedlineModel
import RedlineJSON

/// How strongly an input looks like a format, for detection.
public enum FormatMatch: Int, Comparable, Sendable {
    /// Not this format.
    case none
    /// Plausibly this format: taken when no format's signature matches (redline's bare native
    /// object, a package-benchmark file not named `*.p90.json`).
    case weak
    /// The format's signature: the keys or lines only this tool writes.
    case strong
    /// The file names its format (redline's `schema`): that decides, whatever else matches.
    case declared

    public static func < (lhs: FormatMatch, rhs: FormatMatch) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What kind of run a format's files come from.
public enum FormatKind: Sendable {
    /// A benchmark suite: many independent benchmarks, each timed on its own.
    case benchmark
    /// A load generator or a service's telemetry: one service under load, whose statistics move
    /// together when it gets slower.
    case loadTest
}

/// Whether a format's files are JSON or text. A file that starts with `<` is offered as XML to the
/// text formats, with neither a document nor lines (`FormatInput.isXML`; Catch2 reads it).
enum FormatSyntax: Sendable {
    case json
    case text
}

/// What detection and reading see of one input: its bytes and, parsed once, its JSON document
/// (JSON formats) or its lines (text formats).
struct FormatInput {
    /// The input.
    let source: SourceText
    /// The parsed document, for JSON input. A streamed array holds only its first element here.
    let root: JSONNode?
    /// The lines, for text input.
    let lines: TextLines?

    /// The file's name without its folders (package-benchmark names its files by benchmark).
    var fileName: String { source.name.split(separator: "/").last.map(String.init) ?? source.name }

    /// Whether the text input is XML (Catch2's XML reporter).
    var isXML: Bool { lines == nil && root == nil }
}

/// What reading one metrics file produced, in any format.
public struct ReadResult: Sendable {
    /// The metrics, sorted by name.
    public var metrics: MetricSet
    /// The name of the format the file was read as (`native`, `google-benchmark`, ...).
    public var format: String
    /// Things the user should know that are not errors (a benchmark that reported an error and
    /// was left out, samples that were not numbers); the executable prints them on stderr.
    public var notes: [String]

    /// Creates a result.
    public init(metrics: MetricSet, format: String, notes: [String] = []) {
        self.metrics = metrics
        self.format = format
        self.notes = notes
    }
}

/// One input format: a file in `Input/Formats/` and a row in `MetricsFormats.all`. Detection,
/// `--format`, `convert`, the executable and the fuzzer all find formats there.
protocol MetricsFormat: Sendable {
    /// What reads the format's one large array one element at a time (`NoRecords` when it has none).
    associatedtype Records: JSONRecordSink = NoRecords
    /// The name `--format` takes, also recorded in a baseline's provenance.
    static var name: String { get }
    /// Whether the format's files are JSON or text.
    static var syntax: FormatSyntax { get }
    /// What kind of run its files come from (a benchmark suite unless it says otherwise).
    static var kind: FormatKind { get }
    /// Whether the format's text is JSON Lines (one JSON document per line, k6's `--out json`):
    /// detection offers a JSON Lines file to these text formats only.
    static var readsJSONLines: Bool { get }
    /// How strongly `input` looks like this format (its JSON document or its lines is set).
    static func match(_ input: FormatInput) -> FormatMatch
    /// Reads the metrics. `companions` holds the files of `companions(of:)` that exist.
    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult
    /// Files beside `path` that the format reads too, by name (Criterion's `benchmark.json`).
    static func companions(of path: String) -> [String]
    /// For a JSON format whose bulk is one array of the root object: a decoder that reads the
    /// elements one at a time as the document is parsed, so that a large file never becomes a tree.
    static func recordDecoder(_ source: SourceText) -> Records?
    /// Reads the metrics when the format's `recordDecoder` took the array.
    static func read(_ input: FormatInput, records: Records) throws -> ReadResult
}

extension MetricsFormat {
    static var kind: FormatKind { .benchmark }
    static var readsJSONLines: Bool { false }
    static func companions(of path: String) -> [String] { [] }

    /// The format's record decoder, tied to the format, so that what it took is read by the format
    /// it belongs to without a cast.
    static func streamingDecoder(_ source: SourceText) -> (any TakenRecords)? {
        recordDecoder(source).map { FormatRecords<Self>(records: $0) }
    }
}

extension MetricsFormat where Records == NoRecords {
    static func recordDecoder(_ source: SourceText) -> NoRecords? { nil }
    static func read(_ input: FormatInput, records: NoRecords) throws -> ReadResult { try read(input, companions: [:]) }
}

/// The records of a format that reads no array one element at a time: it accepts no array, so the
/// parser never hands it an element.
struct NoRecords: JSONRecordSink {
    mutating func accepts(key: String, first: JSONNode) -> Bool { false }
    mutating func take(_ record: FlatRecord) throws {}
    mutating func take(_ record: ObjectRecord) throws {}
    mutating func take(nonObject element: JSONNode) throws {}
}

/// A record decoder that knows which format it reads for, and reads the metrics once it has taken
/// the array.
protocol TakenRecords: JSONRecordSink {
    /// The name of the format it reads for.
    var formatName: String { get }
    /// The metrics, read by that format from the taken elements and the rest of the document.
    func read(_ input: FormatInput) throws -> ReadResult
}

/// `Format`'s records, with their format.
struct FormatRecords<Format: MetricsFormat>: TakenRecords {
    var records: Format.Records

    var formatName: String { Format.name }
    func read(_ input: FormatInput) throws -> ReadResult { try Format.read(input, records: records) }

    mutating func accepts(key: String, first: JSONNode) -> Bool { records.accepts(key: key, first: first) }
    mutating func take(_ record: FlatRecord) throws { try records.take(record) }
    mutating func take(_ record: ObjectRecord) throws { try records.take(record) }
    mutating func take(nonObject element: JSONNode) throws { try records.take(nonObject: element) }
}

/// The registry of input formats: adding a format is one file in `Input/Formats/` and one row here.
public enum MetricsFormats {
    /// Every format, in the order detection prefers among equal matches (the native format last).
    static let all: [any MetricsFormat.Type] = [
        GoogleBenchmark.self, Hyperfine.self, PytestBenchmark.self, JMH.self, BenchmarkDotNet.self,
        JuliaBenchmarkTools.self, CriterionEstimates.self, K6.self, CustomJSON.self, CustomSmallerIsBetter.self,
        CustomBiggerIsBetter.self, PackageBenchmark.self, Catch2.self, Cargo.self, GoBench.self, BenchmarkJS.self,
        Valgrind.self,
        // Load generators and telemetry.
        K6Points.self, Wrk.self, ApacheBench.self, Hey.self, Siege.self, SiegeText.self, Locust.self, LocustJSON.self,
        Autocannon.self, Artillery.self, Vegeta.self, JMeter.self, Gatling.self, Lighthouse.self, SizeLimit.self,
        OTLP.self, Prometheus.self,
        NativeFormat.self,
    ]

    /// The names `--format` takes: `auto` and every format's.
    public static var names: [String] { ["auto"] + all.map { $0.name } }

    /// The format called `name`; nil for `auto` and unknown names.
    static func named(_ name: String) -> (any MetricsFormat.Type)? {
        all.first { $0.name == name }
    }

    /// The kind of run the format called `name` reads (a benchmark suite for unknown names).
    public static func kind(of name: String) -> FormatKind { named(name)?.kind ?? .benchmark }

    /// Files beside `path` that a format may read with it, by name.
    public static func companions(of path: String, format: String) -> [String] {
        if let format = named(format) { return format.companions(of: path) }
        var names: [String] = []
        for format in all { names += format.companions(of: path).filter { !names.contains($0) } }
        return names
    }
}

extension FormatInput {
    /// The parsed JSON document; an error when the input was read as text (a JSON format's reader
    /// is only ever given a document, but a reader does not crash on the word of its caller).
    func document() throws -> JSONNode {
        guard let root else { throw RedlineError(source, at: 0, "expected a JSON document, got text") }
        return root
    }

    /// The root object, read with `ToolObject`'s rule; otherwise an error saying `needed`.
    func rootObject(_ what: String, needed: String, hint: String? = nil) throws -> ToolObject {
        guard let root, root.members != nil else {
            throw RedlineError(source, at: root?.offset ?? 0, needed, hint: hint)
        }
        return ToolObject(root, what, source: source)
    }

    /// The elements of the root array; otherwise an error saying `needed`.
    func rootArray(needed: String, hint: String? = nil) throws -> [JSONNode] {
        guard let elements = root?.elements else {
            throw RedlineError(source, at: root?.offset ?? 0, needed, hint: hint)
        }
        return elements
    }

    /// The elements of the root object's array `key`; otherwise an error saying `needed`.
    func array(_ key: String, needed: String, hint: String? = nil) throws -> [JSONNode] {
        guard let elements = root?[key]?.elements else {
            throw RedlineError(source, at: root?.offset ?? 0, needed, hint: hint)
        }
        return elements
    }

    /// The members of the root object's object `key`; otherwise an error saying `needed`.
    func object(_ key: String, needed: String) throws -> [JSONMember] {
        guard let members = root?[key]?.members else { throw RedlineError(source, at: root?.offset ?? 0, needed) }
        return members
    }

    /// The lines of a text input; an error when the input was parsed as something else.
    func textLines() throws -> TextLines {
        if let lines { return lines }
        return try TextLines(source)
    }
}
