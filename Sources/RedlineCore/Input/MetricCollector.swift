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
        if existing == nil {
            if let problem = MetricRules.nameProblem(name) {
                throw RedlineError(source, at: offset, problem, hint: "rename the benchmark")
            }
            if let symbol = unit?.symbol, let problem = MetricRules.unitProblem(symbol) {
                throw RedlineError(source, at: offset, "unit of metric \"\(name)\": " + problem)
            }
        }
        try check(value, samples: samples, of: name, unit: unit, at: offset)
        if let existing {
            guard repeatsAreSamples else {
                throw RedlineError(source, at: offset, MetricRules.duplicate(name, first: source.position(of: entries[existing].offset)),
                                   hint: MetricRules.duplicateHint)
            }
            guard entries[existing].unit?.symbol == unit?.symbol else {
                throw RedlineError(source, at: offset,
                                   "metric \"\(name)\" is reported in \(unit?.symbol ?? "no unit") here but in \(entries[existing].unit?.symbol ?? "no unit") before")
            }
            entries[existing].values.append(value)
            return
        }
        index[name] = entries.count
        entries.append(Entry(name: name, values: [value], samples: samples, unit: unit, direction: direction, offset: offset))
    }

    /// Adds a measurement read by a format (see `add(_:value:unit:direction:samples:at:repeatsAreSamples:)`).
    mutating func add(_ measurement: Measurement, repeatsAreSamples: Bool = false) throws {
        try add(measurement.name, value: measurement.value, unit: measurement.unit, direction: measurement.direction,
                at: measurement.offset, repeatsAreSamples: repeatsAreSamples)
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

    /// What every value of a metric must be (`MetricRules.valueProblem`).
    private func check(_ value: Double, samples: [Double]?, of name: String, unit: Unit?, at offset: Int) throws {
        // No array of the candidates: this runs once per sample of a large file.
        if let problem = MetricRules.valueProblem(value, unit: unit) ?? samples?.lazy.compactMap({ MetricRules.valueProblem($0, unit: unit) }).first {
            throw RedlineError(source, at: offset, "metric \"\(name)\" " + problem)
        }
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

    /// The read result for the format called `format`.
    func result(_ format: String, context: [(key: String, value: String)] = []) -> ReadResult {
        ReadResult(metrics: MetricSet(metrics: metrics(), offsets: entries.map(\.offset), context: context, source: source),
                   format: format, notes: notes)
    }
}
