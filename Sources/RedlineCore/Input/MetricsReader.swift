/// The formats `--format` can name. `auto` detects the format from the content.
public enum MetricsFormat: String, Sendable, CaseIterable {
    case auto
    case native
    case googleBenchmark = "google-benchmark"
    case hyperfine
    case pytestBenchmark = "pytest-benchmark"
    /// github-action-benchmark's custom JSON, direction from each unit.
    case custom
    /// github-action-benchmark's `customSmallerIsBetter`.
    case customSmallerIsBetter
    /// github-action-benchmark's `customBiggerIsBetter`.
    case customBiggerIsBetter
    case go
    /// `cargo bench` text: libtest's `bench:` lines and Criterion's `time:` lines.
    case cargo
    /// Criterion's `estimates.json`.
    case criterion
    case jmh
    case benchmarkDotNet = "benchmarkdotnet"
    case k6
    case catch2
    case packageBenchmark = "package-benchmark"
    case julia
    case benchmarkJS = "benchmarkjs"

    /// The formats a user can name, for help and error text.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Reads metrics files of any supported format into `MetricSet`s, and merges several.
public enum MetricsReader {
    typealias JSONReading = @Sendable (JSONNode, SourceText) throws -> ReadResult
    typealias TextReading = @Sendable (TextLines, SourceText) throws -> ReadResult
    typealias JSONDetection = @Sendable (JSONNode, SourceText) -> Bool
    typealias TextDetection = @Sendable (TextLines) -> Bool

    /// JSON formats in the order detection tries them: the most specific signatures first,
    /// the native format (any object) last.
    static let jsonFormats: [(format: MetricsFormat, detect: JSONDetection, read: JSONReading)] = [
        (.googleBenchmark, { root, _ in GoogleBenchmark.detect(root) }, GoogleBenchmark.read),
        (.hyperfine, { root, _ in Hyperfine.detect(root) }, Hyperfine.read),
        (.pytestBenchmark, { root, _ in PytestBenchmark.detect(root) }, PytestBenchmark.read),
        (.jmh, { root, _ in JMH.detect(root) }, JMH.read),
        (.benchmarkDotNet, { root, _ in BenchmarkDotNet.detect(root) }, BenchmarkDotNet.read),
        (.julia, { root, _ in JuliaBenchmarkTools.detect(root) }, JuliaBenchmarkTools.read),
        (.criterion, { root, _ in CriterionEstimates.detect(root) }, CriterionEstimates.read),
        (.k6, { root, _ in K6.detect(root) }, K6.read),
        (.custom, { root, _ in CustomJSON.detect(root) }, { try CustomJSON.read($0, $1, direction: nil) }),
        (.packageBenchmark, PackageBenchmark.detect, PackageBenchmark.read),
        (.native, { root, _ in root.members != nil }, { root, source in
            ReadResult(metrics: try NativeFormat.decode(root, source: source, expecting: Schema.metrics).metrics, format: .native)
        }),
    ]

    /// Text formats in the order detection tries them.
    static let textFormats: [(format: MetricsFormat, detect: TextDetection, read: TextReading)] = [
        (.catch2, Catch2.detect, Catch2.read),
        (.cargo, Cargo.detect, Cargo.read),
        (.go, GoBench.detect, GoBench.read),
        (.benchmarkJS, BenchmarkJS.detect, BenchmarkJS.read),
    ]

    /// Reads one file; `auto` picks the format from the content. Notes for the user come back
    /// with the metrics. `companions` are files beside it that a format may need, by file name
    /// (Criterion's `benchmark.json`, which names the benchmark of an `estimates.json`).
    public static func read(_ source: SourceText, format: MetricsFormat,
                            companions: [String: SourceText] = [:]) throws -> ReadResult {
        switch format {
        case .auto:
            return try detectAndRead(source, companions: companions)
        case .criterion:
            return try readCriterion(JSONReader.parse(source), source, companions: companions)
        case .customSmallerIsBetter:
            return try CustomJSON.read(JSONReader.parse(source), source, direction: .lower)
        case .customBiggerIsBetter:
            return try CustomJSON.read(JSONReader.parse(source), source, direction: .higher)
        case .catch2 where startsWithXML(source):
            return try Catch2.readXML(source)
        case .googleBenchmark, .native:
            var records = StreamingReaders(source: source, only: format)
            let root = try JSONReader.parse(source, records: &records)
            if let read = try records.result(root, format: format) { return read }
            return try jsonFormats.first { $0.format == format }!.read(root, source)
        default:
            if let json = jsonFormats.first(where: { $0.format == format }) {
                return try json.read(JSONReader.parse(source), source)
            }
            if let text = textFormats.first(where: { $0.format == format }) {
                return try text.read(TextLines(source), source)
            }
            preconditionFailure("format \(format.rawValue) has no reader")
        }
    }

    static func firstNonSpace(_ source: SourceText) -> UInt8? {
        source.bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    /// Whether the first non-blank characters are `//` or `/*`, a comment before (what may be) JSON.
    static func startsWithComment(_ bytes: Bytes) -> Bool {
        guard let start = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
              start + 1 < bytes.count, bytes[start] == UInt8(ascii: "/") else { return false }
        return bytes[start + 1] == UInt8(ascii: "/") || bytes[start + 1] == UInt8(ascii: "*")
    }

    static func startsWithXML(_ source: SourceText) -> Bool {
        firstNonSpace(source) == UInt8(ascii: "<")
    }

    static var triedNames: String {
        (jsonFormats.map(\.format.rawValue) + textFormats.map(\.format.rawValue)).joined(separator: ", ")
    }

    /// Criterion's estimates, named from the `benchmark.json` beside them when there is one.
    static func readCriterion(_ root: JSONNode, _ source: SourceText, companions: [String: SourceText]) throws -> ReadResult {
        let benchmark = try companions["benchmark.json"].map(JSONReader.parse)
        return try CriterionEstimates.read(root, source, benchmarkJSON: benchmark)
    }

    static func detectAndRead(_ source: SourceText, companions: [String: SourceText]) throws -> ReadResult {
        let first = firstNonSpace(source)
        let bytes = source.bytes
        // A byte-order mark, UTF-16 or UTF-32, or a comment before JSON: the JSON reader says precisely what is wrong.
        let oddStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
            || (bytes.count >= 2 && (bytes[0] == 0 || bytes[1] == 0)) || startsWithComment(bytes)
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || oddStart {
            var records = StreamingReaders(source: source, only: nil)
            var root = try JSONReader.parse(source, records: &records)
            guard var match = jsonFormats.first(where: { $0.detect(root, source) }) else {
                throw RedlineError(source, at: root.offset, "this JSON matches none of the formats redline reads",
                                   hint: "formats tried: \(triedNames); name one with --format")
            }
            if records.streamed {
                // The streamed array's format is confirmed on the whole document; a wrong guess
                // (another format's file with a `metrics` array) is read again the ordinary way.
                do {
                    if let read = try records.result(root, format: match.format) { return read }
                } catch where match.format == .native {
                    throw nativeFallback(error)
                }
                root = try JSONReader.parse(source)
                match = jsonFormats.first { $0.detect(root, source) }!
            }
            if match.format == .criterion { return try readCriterion(root, source, companions: companions) }
            do {
                return try match.read(root, source)
            } catch where match.format == .native {
                // Nothing more specific matched: say so, so a tool's file is not mistaken for a broken native one.
                throw nativeFallback(error)
            }
        }
        if first == UInt8(ascii: "<") {
            return try Catch2.readXML(source)
        }
        let lines = try TextLines(source)
        guard let match = textFormats.first(where: { $0.detect(lines) }) else {
            let hint = "formats tried: \(triedNames); name one with --format"
            if first == nil { throw RedlineError(source, at: 0, "the file is empty", hint: hint) }
            if let scalar = try? JSONReader.parse(source) {
                throw RedlineError(source, at: scalar.offset, "expected a JSON object or array at the top level, got \(scalar.value.kindName)",
                                   hint: hint)
            }
            throw RedlineError(source, at: 0, "this file matches none of the formats redline reads", hint: hint)
        }
        return try match.read(lines, source)
    }

    /// An error of a file read as native only because nothing more specific matched: says so, so a
    /// tool's file is not mistaken for a broken native one.
    static func nativeFallback(_ error: any Error) -> RedlineErrors {
        var errors = error.redlineErrors
        errors[0].hint = (errors[0].hint.map { $0 + "; " } ?? "")
            + "read as redline's native format because it matches no tool's format (tried: \(triedNames)); name one with --format if it is a tool's output"
        return RedlineErrors(errors)
    }

    /// The record sink of a metrics file: Google Benchmark's `benchmarks` and the native `metrics`
    /// array are read one element at a time (the bulk of a large file), the rest as a tree.
    struct StreamingReaders: JSONRecordSink {
        var googleBenchmark: GoogleBenchmark.Records
        var native: NativeFormat.Records
        /// The one format to stream for, or nil for either.
        let only: MetricsFormat?

        init(source: SourceText, only: MetricsFormat?) {
            googleBenchmark = GoogleBenchmark.Records(source: source)
            native = NativeFormat.Records(source: source)
            self.only = only
        }

        var streamed: Bool { googleBenchmark.streamed || native.streamed }

        mutating func accepts(key: String, first: JSONNode) -> Bool {
            // One array per document: the first that fits.
            guard !streamed else { return false }
            if only != .native && googleBenchmark.accepts(key: key, first: first) { return true }
            return only != .googleBenchmark && native.accepts(key: key, first: first)
        }

        mutating func take(_ element: JSONNode) throws {
            if googleBenchmark.streamed { try googleBenchmark.take(element) } else { native.take(element) }
        }

        mutating func take(flat: JSONFlatObject, bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
            if googleBenchmark.streamed { return try googleBenchmark.take(flat: flat, bytes: bytes) }
            return native.take(flat: flat, bytes: bytes)
        }

        /// The metrics when the array streamed belongs to `format`; nil when it must be read again.
        func result(_ root: JSONNode, format: MetricsFormat) throws -> ReadResult? {
            if googleBenchmark.streamed && format == .googleBenchmark { return try googleBenchmark.result(root) }
            if native.streamed && format == .native {
                let decoded = try NativeFormat.decode(root, source: native.source, expecting: Schema.metrics, records: native)
                return ReadResult(metrics: decoded.metrics, format: .native)
            }
            return nil
        }
    }

    /// Merges the metrics of several files into one set; a name in two files is an error at the
    /// second one, naming where the first is. Context keys merge too; the first file's value of a key wins.
    public static func merge(_ sets: [(name: String, metrics: MetricSet)]) throws -> MetricSet {
        // One file (the usual case) is its own merge: no names to compare, nothing to sort again.
        if sets.count == 1 { return sets[0].metrics }
        var owner: [String: (set: Int, metric: Metric)] = [:]
        var metrics: [Metric] = []
        var context: [(key: String, value: String)] = []
        var files: [String] = []
        var problems = Problems()
        for (index, set) in sets.enumerated() {
            // Each file's metrics point into its own files, renumbered into the merged list.
            let shift = Int32(files.count)
            files += set.metrics.files
            for var metric in set.metrics.metrics {
                if let first = owner[metric.name] {
                    let earlier = sets[first.set]
                    let place = earlier.metrics.error(at: first.metric, fallbackFile: earlier.name, "").place
                    problems.add(set.metrics.error(at: metric, fallbackFile: set.name,
                                                   "metric \"\(metric.name)\" is also in \(place)",
                                                   hint: "a metric may come from one --current file only; rename one of them"))
                    continue
                }
                owner[metric.name] = (index, metric)
                metric.location?.file += shift
                metrics.append(metric)
            }
            for entry in set.metrics.context where !context.contains(where: { $0.key == entry.key }) {
                context.append(entry)
            }
        }
        try problems.throwIfAny()
        return MetricSet(metrics: metrics, context: context, files: files)
    }
}
