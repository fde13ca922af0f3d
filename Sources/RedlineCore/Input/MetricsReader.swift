import RedlineModel
import RedlineJSON

/// Reads metrics files of any supported format into `MetricSet`s, and merges several.
public enum MetricsReader {
    /// Reads one file as the format called `format` (`auto`: detected from the content). Notes for
    /// the user come back with the metrics. `companions` are files beside it that a format may
    /// need, by file name (Criterion's `benchmark.json`, which names the benchmark of an `estimates.json`).
    public static func read(
        _ source: SourceText, format: String = "auto",
        companions: [String: SourceText] = [:]
    ) throws -> ReadResult {
        var result = try readFormat(source, format: format, companions: companions)
        if result.format != NativeFormat.name { result.notes += unitNotes(result.metrics, of: source.name) }
        return result
    }

    /// A note for each unit in a tool's output that redline does not know but that a known unit
    /// is a slip away from (`a;locs/op`, `msec`): the tool wrote it, so it is kept and compared
    /// only with itself, but the user should hear what it most likely meant. (A native file with
    /// such a unit is refused: a person wrote it there.)
    static func unitNotes(_ metrics: MetricSet, of file: String) -> [String] {
        var seen: Set<String> = []
        var notes: [String] = []
        for metric in metrics.metrics {
            guard let symbol = metric.unit?.symbol, !seen.contains(symbol),
                let problem = Unit.recognitionProblem(symbol)
            else { continue }
            seen.insert(symbol)
            notes.append(
                "\(file): metric \"\(metric.name)\" has an \(problem.message), kept as written and compared only with itself; "
                    + (problem.hint.split(separator: "?").first.map { $0 + "?" } ?? ""))
        }
        return notes
    }

    static func readFormat(_ source: SourceText, format: String, companions: [String: SourceText]) throws -> ReadResult
    {
        guard let forced = MetricsFormats.named(format) else {
            return try detectAndRead(source, companions: companions)
        }
        switch forced.syntax {
        case .json:
            // A tool's text summary given as its JSON format (`--format k6` on k6's console output).
            if let first = firstNonSpace(source), first != UInt8(ascii: "{"), first != UInt8(ascii: "["),
                let pasted = TextSummaries.recognise(source)
            {
                throw pasted
            }
            var sink = StreamingSink(source: source, formats: [forced])
            let root = try JSONReader.parse(source, records: &sink)
            let input = FormatInput(source: source, root: root, lines: nil)
            if let records = sink.taken { return try records.read(input) }
            return try forced.read(input, companions: companions)
        case .text:
            let input =
                startsWithXML(source)
                ? FormatInput(source: source, root: nil, lines: nil)
                : FormatInput(source: source, root: nil, lines: try TextLines(source))
            return try forced.read(input, companions: companions)
        }
    }

    static func firstNonSpace(_ source: SourceText) -> UInt8? {
        source.bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    /// Whether the first non-blank characters are `//` or `/*`, a comment before (what may be) JSON.
    static func startsWithComment(_ bytes: Bytes) -> Bool {
        guard let start = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
            start + 1 < bytes.count, bytes[start] == UInt8(ascii: "/")
        else { return false }
        return bytes[start + 1] == UInt8(ascii: "/") || bytes[start + 1] == UInt8(ascii: "*")
    }

    /// Whether the file is JSON Lines (k6 `--out json`): its first line is a whole JSON document and
    /// another document starts on a later line. A pretty-printed document never has a whole
    /// document on its first line and more after it.
    static func isJSONLines(_ source: SourceText) -> Bool {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        func opensDocument(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") }
        let lines: (first: Range<Int>, next: Int)? = source.bytes.withUnsafeBufferPointer { bytes in
            guard let start = bytes.firstIndex(where: { !isBlank($0) }), opensDocument(bytes[start]) else { return nil }
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var next = end
            while next < bytes.count && isBlank(bytes[next]) { next += 1 }
            guard next < bytes.count, opensDocument(bytes[next]) else { return nil }
            return (start..<end, next)
        }
        guard let lines else { return false }
        return (try? JSONReader.parse(source, in: lines.first)) != nil
    }

    /// Whether the first line that is not blank starts with a time a log put there.
    static func startsWithTimestamp(_ source: SourceText) -> Bool {
        let head = source.bytes.prefix(256)
        guard let start = head.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            return false
        }
        let line = head[start...].prefix { $0 != 0x0A }
        return TextLines.TimestampKind.prefix(of: Substring(String(decoding: line, as: UTF8.self))) != nil
    }

    static func startsWithXML(_ source: SourceText) -> Bool {
        firstNonSpace(source) == UInt8(ascii: "<")
    }

    /// How to name a format: `--format NAME`.
    static let forceHint = "name the format with --format NAME (`redline help check` lists them)"

    static func detectAndRead(_ source: SourceText, companions: [String: SourceText]) throws -> ReadResult {
        let first = firstNonSpace(source)
        let bytes = source.bytes
        // UTF-16 or UTF-32, or a comment before JSON: the JSON reader says precisely what is wrong.
        let oddStart = JSONReader.wideEncoding(bytes) != nil || startsWithComment(bytes)
        let jsonLines = !oddStart && isJSONLines(source)
        // `[21:16:43] …` is a log with a time on each line, not a JSON array.
        let timed = first == UInt8(ascii: "[") && startsWithTimestamp(source)
        if (first == UInt8(ascii: "{") || (first == UInt8(ascii: "[") && !timed) || oddStart) && !jsonLines {
            do {
                return try detectJSON(source, companions: companions)
            } catch {
                // Locust's console lines start with `[2026-…]`: text for people, not broken JSON.
                if first == UInt8(ascii: "["), let pasted = TextSummaries.recognise(source) { throw pasted }
                throw error
            }
        }
        if first == UInt8(ascii: "<") {
            let xml = FormatInput(source: source, root: nil, lines: nil)
            if let format = try choose(xml, among: MetricsFormats.all.filter { $0.syntax == .text }) {
                return try format.read(xml, companions: companions)
            }
            throw RedlineError(
                source, at: 0, "this XML file matches none of the formats redline reads", hint: forceHint)
        }
        let lines = try TextLines(source)
        let input = FormatInput(source: source, root: nil, lines: lines)
        let candidates = MetricsFormats.all.filter { $0.syntax == .text && (!jsonLines || $0.readsJSONLines) }
        if let format = try choose(input, among: candidates) {
            // A weak match could be a summary written for people that happens to look like a format.
            if format.match(input) == .weak, let pasted = TextSummaries.recognise(source, lines: lines) { throw pasted }
            return try format.read(input, companions: companions)
        }
        if let pasted = TextSummaries.recognise(source, lines: lines) { throw pasted }
        if first == nil { throw RedlineError(source, at: 0, "the file is empty", hint: forceHint) }
        if jsonLines {
            throw RedlineError(
                source, at: 0,
                "this file holds one JSON document per line (JSON Lines) and matches none of the formats redline reads",
                hint:
                    "k6 --out json is read as is; of a file with one report per line (OTLP file exporter, vegeta -every), pass the last line alone"
            )
        }
        if let scalar = try? JSONReader.parse(source) {
            throw RedlineError(
                source, at: scalar.offset,
                "expected a JSON object or array at the top level, got \(scalar.value.kindName)",
                hint: forceHint)
        }
        throw RedlineError(source, at: 0, "this file matches none of the formats redline reads", hint: forceHint)
    }

    static func detectJSON(_ source: SourceText, companions: [String: SourceText]) throws -> ReadResult {
        let formats = MetricsFormats.all.filter { $0.syntax == .json }
        var sink = StreamingSink(source: source, formats: formats)
        var root = try JSONReader.parse(source, records: &sink)
        var input = FormatInput(source: source, root: root, lines: nil)
        guard let format = try choose(input, among: formats) else {
            guard root.members != nil else {
                throw RedlineError(
                    source, at: root.offset, "this JSON matches none of the formats redline reads", hint: forceHint)
            }
            // An object that looks like nothing known: the native reader says what is wrong with it,
            // and the hint says how to name a tool's format in case that is what it is.
            do {
                return try NativeFormat.read(input, companions: companions)
            } catch {
                // Only a file shaped like some tool's output (arrays, objects that are not
                // metrics) gets the hint; a hand-written native file gets the native reader's words.
                let members = root.members ?? []
                guard
                    members.contains(where: {
                        $0.node.elements != nil || ($0.node.members != nil && !NativeFormat.isMetric($0.node))
                    })
                else { throw error }
                var errors = error.redlineErrors
                errors[0].hint =
                    (errors[0].hint.map { $0 + "; " } ?? "") + "it matches no tool's format either: " + forceHint
                throw RedlineErrors(errors)
            }
        }
        if let taken = sink.taken {
            if taken.formatName == format.name { return try taken.read(input) }
            // Another format's decoder took the array (the detected format has an array of the same
            // name): read the document again, whole.
            root = try JSONReader.parse(source)
            input = FormatInput(source: source, root: root, lines: nil)
        }
        return try format.read(input, companions: companions)
    }

    /// The format `input` is: the one it declares, else the one whose signature matches, else the
    /// first that matches weakly. Two signatures at once are an error: which one was meant would be
    /// a guess.
    static func choose(_ input: FormatInput, among formats: [any MetricsFormat.Type]) throws -> (
        any MetricsFormat.Type
    )? {
        let matches = formats.map { ($0, $0.match(input)) }
        if let declared = matches.first(where: { $0.1 == .declared }) { return declared.0 }
        let strong = matches.filter { $0.1 == .strong }.map { $0.0 }
        if strong.count > 1 {
            let names = strong.map { $0.name }
            let native =
                names.contains(NativeFormat.name)
                ? ", or add \"schema\": \"\(Schema.metrics)\" if it is redline's own format" : ""
            throw RedlineError(
                input.source, at: input.root?.offset ?? 0,
                "this file matches two formats at once: \(names.joined(separator: " and "))",
                hint: "name one with --format " + names.joined(separator: " or --format ") + native)
        }
        return strong.first ?? matches.first { $0.1 == .weak }?.0
    }

    /// The record sink of a metrics file: each format whose bulk is one array of the root object
    /// has a decoder; the first that accepts the array's first element reads its elements one at a
    /// time, and the rest of the document stays a tree.
    struct StreamingSink: JSONRecordSink {
        var decoders: [any TakenRecords]
        /// Which decoder took the array.
        var chosen: Int?

        init(source: SourceText, formats: [any MetricsFormat.Type]) {
            decoders = formats.compactMap { $0.streamingDecoder(source) }
        }

        /// The decoder that took the array, if one did.
        var taken: (any TakenRecords)? { chosen.map { decoders[$0] } }

        /// The parser asks once, before any decoder is chosen; yes would hand Google Benchmark's
        /// records nested objects as bytes that it never parses, so nothing would check them.
        var takesNestedObjectsAsBytes: Bool { false }

        mutating func accepts(key: String, first: JSONNode) -> Bool {
            // One array per document: the first that fits.
            guard chosen == nil else { return false }
            for index in decoders.indices where decoders[index].accepts(key: key, first: first) {
                chosen = index
                return true
            }
            return false
        }

        // The parser hands over elements only after `accepts` said yes, so `chosen` is set.
        mutating func take(_ record: FlatRecord) throws { try decoders[chosen!].take(record) }
        mutating func take(_ record: ObjectRecord) throws { try decoders[chosen!].take(record) }
        mutating func take(nonObject element: JSONNode) throws { try decoders[chosen!].take(nonObject: element) }
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
        var setAside: [SetAsideSeries] = []
        var problems = Problems()
        for (index, set) in sets.enumerated() {
            setAside += set.metrics.setAside
            // Each file's metrics point into its own files, renumbered into the merged list.
            let shift = Int32(files.count)
            files += set.metrics.files
            for var metric in set.metrics.metrics {
                if let first = owner[metric.name] {
                    let earlier = sets[first.set]
                    let place = earlier.metrics.error(at: first.metric, fallbackFile: earlier.name, "").place
                    problems.add(
                        set.metrics.error(
                            at: metric, fallbackFile: set.name,
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
        var merged = MetricSet(metrics: metrics, context: context, files: files)
        merged.setAside = setAside
        return merged
    }
}
