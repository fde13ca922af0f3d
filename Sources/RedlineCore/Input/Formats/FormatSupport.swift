import FoundationEssentials
import Glibc

/// Navigation helpers for reading other tools' JSON: optional look-ups that never throw,
/// and `require…` variants that throw an error pointing at the node.
extension JSONNode {
    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    /// The number, or nil for anything else.
    public var number: Double? {
        if case .number(let number) = value { return number }
        return nil
    }

    /// The string, or nil for anything else.
    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// The elements of an array, or nil.
    public var elements: [JSONNode]? {
        if case .array(let elements) = value { return elements }
        return nil
    }

    /// The members of an object, or nil.
    public var members: [JSONMember]? {
        if case .object(let members) = value { return members }
        return nil
    }

    /// Whether the node is JSON null.
    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }
}

/// What reading one metrics file produced, in any format.
public struct ReadResult: Sendable {
    /// The metrics, sorted by name.
    public var metrics: MetricSet
    /// The format the file was read as.
    public var format: MetricsFormat
    /// Things the user should know that are not errors (a benchmark that reported an error and
    /// was left out, samples that were not numbers); the executable prints them on stderr.
    public var notes: [String]

    /// Creates a result.
    public init(metrics: MetricSet, format: MetricsFormat, notes: [String] = []) {
        self.metrics = metrics
        self.format = format
        self.notes = notes
    }
}

/// One value a format read, before the collector checks it.
struct Measurement {
    var name: String
    var value: Double
    var unit: Unit?
    /// Where it was read, for messages.
    var offset: Int
}

/// Collects the metrics a tool format reports, in order, with the checks every format needs:
/// valid names, finite values, one unit per metric, and repeats either as samples or as errors.
struct MetricCollector {
    struct Entry {
        var name: String
        var values: [Double]
        var samples: [Double]?
        var unit: Unit?
        var direction: Direction?
        var offset: Int
    }

    let source: SourceText
    private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]
    var notes: [String] = []

    init(source: SourceText) {
        self.source = source
    }

    /// Adds one measurement of `name`. With `repeatsAreSamples`, a name seen before adds a
    /// sample (repetitions, `-count`); otherwise a repeat is an error.
    mutating func add(_ name: String, value: Double, unit: Unit?, direction: Direction? = nil,
                      samples: [Double]? = nil, at offset: Int, repeatsAreSamples: Bool = false) throws {
        let unit = unit?.symbol.isEmpty == true ? nil : unit
        let existing = index[name]
        // A repeat (a repetition's sample) was checked when first seen, and must keep its unit.
        if existing == nil, let problem = NameRules.problem(with: name) {
            throw RedlineError(source, at: offset, problem, hint: "rename the benchmark")
        }
        // A unit obeys the rules of a name (length, no control characters), as in the native format,
        // so that whatever a tool's file held reads back the same from a baseline (found by fuzzing).
        if existing == nil, let symbol = unit?.symbol, let problem = NameRules.problem(with: symbol) {
            throw RedlineError(source, at: offset,
                               "unit of benchmark \"\(name)\": " + problem.replacing("metric name", with: "unit"))
        }
        try check(value, samples: samples, of: name, unit: unit, at: offset)
        if let existing {
            guard repeatsAreSamples else {
                let first = source.position(of: entries[existing].offset)
                throw RedlineError(source, at: offset,
                                   "benchmark \"\(name)\" appears twice (first at line \(first.line), column \(first.column))",
                                   hint: "give every benchmark a unique name")
            }
            guard entries[existing].unit?.symbol == unit?.symbol else {
                throw RedlineError(source, at: offset,
                                   "benchmark \"\(name)\" is reported in \(unit?.symbol ?? "no unit") here but in \(entries[existing].unit?.symbol ?? "no unit") before")
            }
            entries[existing].values.append(value)
            return
        }
        index[name] = entries.count
        entries.append(Entry(name: name, values: [value], samples: samples, unit: unit, direction: direction, offset: offset))
    }

    /// Where the metric `name` is, for `addSample(_:to:at:)`.
    func slot(of name: String) -> Int? {
        index[name]
    }

    /// Adds one more sample to the metric at `slot`, with the checks `add` makes of a repeat.
    mutating func addSample(_ value: Double, to slot: Int, at offset: Int) throws {
        try check(value, samples: nil, of: entries[slot].name, unit: entries[slot].unit, at: offset)
        entries[slot].values.append(value)
    }

    /// What every value of a metric must be: finite, and not negative where its unit cannot be.
    private func check(_ value: Double, samples: [Double]?, of name: String, unit: Unit?, at offset: Int) throws {
        guard value.isFinite, samples?.allSatisfy(\.isFinite) ?? true else {
            throw RedlineError(source, at: offset, "benchmark \"\(name)\" has a value that is not a finite number")
        }
        if let unit, !unit.admits(value) || !(samples?.allSatisfy(unit.admits) ?? true) {
            throw RedlineError(source, at: offset, "benchmark \"\(name)\" has a negative \(unit.dimensionName)")
        }
    }

    /// Adds a measurement read by a format (see `add(_:value:unit:direction:samples:at:repeatsAreSamples:)`).
    mutating func add(_ measurement: Measurement, repeatsAreSamples: Bool) throws {
        try add(measurement.name, value: measurement.value, unit: measurement.unit, at: measurement.offset,
                repeatsAreSamples: repeatsAreSamples)
    }

    /// The metrics: a metric seen several times gets its values as samples and their median as value.
    func metrics() -> [Metric] {
        entries.map { entry in
            if entry.values.count > 1 {
                return Metric(name: entry.name, value: Metric.median(entry.values)!, samples: entry.values,
                              unit: entry.unit, direction: entry.direction)
            }
            return Metric(name: entry.name, value: entry.values[0], samples: entry.samples, unit: entry.unit,
                          direction: entry.direction)
        }
    }

    /// The read result for `format`.
    func result(_ format: MetricsFormat, context: [(key: String, value: String)] = []) -> ReadResult {
        ReadResult(metrics: MetricSet(metrics: metrics(), offsets: entries.map(\.offset), context: context, source: source),
                   format: format, notes: notes)
    }
}

/// A text file split into lines, each with the byte offset where it starts (for positions in errors).
struct TextLines: Sendable {
    struct Line: Sendable {
        var text: Substring
        var offset: Int
    }

    let lines: [Line]

    /// Splits UTF-8 text on LF, dropping a CR before it; invalid UTF-8 is an error.
    init(_ source: SourceText) throws {
        if let bad = JSONReader.firstInvalidUTF8(source.bytes) {
            throw RedlineError(source, at: bad, "invalid UTF-8 byte 0x\(JSONReader.hex(source.bytes[bad]))",
                               hint: "save the file as UTF-8")
        }
        if let nul = source.bytes.firstIndex(of: 0) {
            throw RedlineError(source, at: nul, "the file contains a NUL byte", hint: "this is not a text report")
        }
        // Split on bytes: in a Swift String "\r\n" is one Character, so splitting on "\n" would miss it.
        var lines: [Line] = []
        var start = 0
        let bytes = source.bytes
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
            var end = index
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(Line(text: Substring(String(decoding: bytes[start..<end], as: UTF8.self)), offset: start))
            start = index + 1
        }
        self.lines = lines
    }
}

/// Parses numbers as tools print them: `1,234.5`, `1_000`, with an optional sign.
enum ToolNumber {
    /// The value of `text` with thousands separators removed, or nil.
    static func parse<S: StringProtocol>(_ text: S) -> Double? {
        let cleaned = String(text.filter { $0 != "," && $0 != "_" })
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }
}
