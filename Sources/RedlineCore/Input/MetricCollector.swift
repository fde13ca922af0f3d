import RedlineModel
import RedlineJSON

/// One value a format read, before the collector checks it.
struct Measurement {
    var name: String
    var value: Double
    var unit: Unit?
    var direction: Direction? = nil
    /// Where it was read, for messages.
    var offset: Int
}

/// Collects the metrics a tool format reports, in order, with the rules every metric obeys
/// (`MetricRules`: names, units, values) and repeats either as samples or as errors.
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
    /// Notes for the user, each starting with the file's name (`note(_:)` adds it).
    private(set) var notes: [String] = []
    /// Telemetry (a `/metrics` scrape, an OTLP export): thousands of series of which one may
    /// break a rule (a gauge the kernel reports wrapped, a summary with no observations); such a
    /// series is set aside with the reason instead of refusing the scrape. Off for benchmarks.
    let setsAsideBadSeries: Bool
    /// The series set aside, with why, in the file's order.
    private(set) var setAside: [(name: String, reason: String)] = []
    /// A tool's name too long for a metric, and the readable, unique name it got instead.
    private var shortened: [String: String] = [:]

    /// Adds a note for the user about this file: `NAME: text`.
    mutating func note(_ text: String) { notes.append("\(source.name): \(text)") }

    /// Adds notes about another file that start with its name (a companion's, Locust's failures).
    mutating func add(notesOf other: [String]) { notes += other }

    init(source: SourceText, setsAsideBadSeries: Bool = false) {
        self.source = source
        self.setsAsideBadSeries = setsAsideBadSeries
    }

    /// Adds one measurement of `name`. With `repeatsAreSamples`, a name seen before adds a
    /// sample (repetitions, `-count`); otherwise a repeat is an error.
    mutating func add(
        _ name: String, value: Double, unit: Unit?, direction: Direction? = nil,
        samples: [Double]? = nil, at offset: Int, repeatsAreSamples: Bool = false
    ) throws {
        let unit = unit?.symbol.isEmpty == true ? nil : unit
        let written = name
        var name = shortened[name] ?? name
        let existing = index[name]
        // A repeat (a repetition's sample) was checked when first seen, and must keep its unit.
        if existing == nil {
            if let problem = MetricRules.nameProblem(name) {
                // A name the tool made too long (a series with many labels, a long command) gets a
                // readable, unique short name; the full one is said in a note.
                if let short = MetricRules.shortName(name), MetricRules.nameProblem(short) == nil, index[short] == nil {
                    shortened[name] = short
                    name = short
                } else if setsAsideBadSeries {
                    setAside.append((written, "cannot be a metric name (\(problem))"))
                    return
                } else {
                    throw RedlineError(source, at: offset, problem, hint: "rename it in the tool that wrote the file")
                }
            }
            if let symbol = unit?.symbol, let problem = MetricRules.unitProblem(symbol) {
                if setsAsideBadSeries {
                    setAside.append((name, "has a unit that cannot be used (\(problem))"))
                    return
                }
                throw RedlineError(source, at: offset, "unit of metric \"\(name)\": " + problem)
            }
        }
        if setsAsideBadSeries, existing == nil,
            let problem = MetricRules.valueProblem(value, unit: unit)
                ?? samples?.lazy.compactMap({ MetricRules.valueProblem($0, unit: unit) }).first
        {
            setAside.append((name, problem))
            return
        }
        try check(value, samples: samples, of: name, unit: unit, at: offset)
        if let existing {
            guard repeatsAreSamples else {
                throw RedlineError(
                    source, at: offset,
                    MetricRules.duplicate(name, first: source.position(of: entries[existing].offset)),
                    hint:
                        "the tool wrote this name twice in one report; if the file holds several reports, save each to its own file"
                )
            }
            // A repeat in another unit of the same dimension (Criterion prints 980 µs, then 1.02 ms).
            var value = value
            if entries[existing].unit?.symbol != unit?.symbol, let from = unit, let to = entries[existing].unit,
                let converted = from.convert(value, to: to)
            {
                value = converted
            } else if entries[existing].unit?.symbol != unit?.symbol {
                throw RedlineError(
                    source, at: offset,
                    "metric \"\(name)\" is reported in \(unit?.symbol ?? "no unit") here but in \(entries[existing].unit?.symbol ?? "no unit") before"
                )
            }
            entries[existing].values.append(value)
            return
        }
        index[name] = entries.count
        entries.append(
            Entry(name: name, values: [value], samples: samples, unit: unit, direction: direction, offset: offset))
    }

    /// Adds a measurement read by a format (see `add(_:value:unit:direction:samples:at:repeatsAreSamples:)`).
    mutating func add(_ measurement: Measurement, repeatsAreSamples: Bool = false) throws {
        try add(
            measurement.name, value: measurement.value, unit: measurement.unit, direction: measurement.direction,
            at: measurement.offset, repeatsAreSamples: repeatsAreSamples)
    }

    /// Where the metric `name` is, for `addSample(_:to:at:)`.
    func slot(of name: String) -> Int? {
        // A name that was too long is kept under its short name.
        index[shortened[name] ?? name]
    }

    /// Adds one more sample to the metric at `slot`, with the checks `add` makes of a repeat.
    mutating func addSample(_ value: Double, to slot: Int, at offset: Int) throws {
        try check(value, samples: nil, of: entries[slot].name, unit: entries[slot].unit, at: offset)
        entries[slot].values.append(value)
    }

    /// What every value of a metric must be (`MetricRules.valueProblem`).
    private func check(_ value: Double, samples: [Double]?, of name: String, unit: Unit?, at offset: Int) throws {
        // No array of the candidates: this runs once per sample of a large file.
        if let problem = MetricRules.valueProblem(value, unit: unit)
            ?? samples?.lazy.compactMap({ MetricRules.valueProblem($0, unit: unit) }).first
        {
            throw RedlineError(source, at: offset, "metric \"\(name)\" " + problem)
        }
    }

    /// The metrics: a metric seen several times gets its values as samples and their median as value.
    func metrics() -> [Metric] {
        entries.map { entry in
            if entry.values.count > 1 {
                return Metric(
                    name: entry.name, value: Metric.median(entry.values)!, samples: entry.values,
                    unit: entry.unit, direction: entry.direction)
            }
            return Metric(
                name: entry.name, value: entry.values[0], samples: entry.samples, unit: entry.unit,
                direction: entry.direction)
        }
    }

    /// The read result for the format called `format`; the series set aside are said in one
    /// note that names the first and counts the others.
    func result(_ format: String, context: [(key: String, value: String)] = []) -> ReadResult {
        var notes = self.notes
        // The names shortened, said once each up to three, then counted.
        let long = shortened.sorted { $0.value < $1.value }
        for (full, short) in long.prefix(3) { notes.append("\(source.name): \"\(short)\" stands for \(full)") }
        if long.count > 3 {
            notes.append(
                "\(source.name): \(long.count - 3) more names longer than \(MetricRules.maximumLength) characters were shortened the same way "
                    + "(`redline convert` lists them)")
        }
        if let first = setAside.first {
            func shown(_ name: String) -> String { "\"" + name.prefix(120) + (name.count > 120 ? "…" : "") + "\"" }
            let others = setAside.dropFirst()
            var note = "\(source.name): series \(shown(first.name)) \(first.reason), and was left out"
            if !others.isEmpty {
                note +=
                    ", as were \(others.count) other series that break a rule: "
                    + others.prefix(3).map { shown($0.name) }.joined(separator: ", ")
                    + (others.count > 3 ? ", …" : "")
            }
            notes.append(note)
        }
        var set = MetricSet(metrics: metrics(), offsets: entries.map(\.offset), context: context, source: source)
        set.setAside = setAside.map { SetAsideSeries(name: $0.name, reason: $0.reason, file: source.name) }
        return ReadResult(metrics: set, format: format, notes: notes)
    }
}
