import RedlineModel
import RedlineJSON

/// Google Benchmark's JSON (`--benchmark_format=json`, `--benchmark_out=FILE`).
///
/// Per benchmark: `NAME` is `real_time` in its own `time_unit`, `NAME [cpu_time]` the CPU
/// time, and `NAME [COUNTER]` every numeric counter (`items_per_second` in items/s and
/// `bytes_per_second` in B/s, both higher-is-better). Repetitions (`run_type: iteration`, or the
/// same name several times) become samples; aggregates (`mean`, `median`, `stddev`, `cv`, BigO)
/// are used only for a benchmark without repetitions, and then only `median` (else `mean`).
/// A benchmark that reported `error_occurred` is left out with a note.
enum GoogleBenchmark: MetricsFormat {
    static let name = "google-benchmark"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root, let benchmarks = root["benchmarks"]?.elements else { return .none }
        guard let first = benchmarks.first else { return root["context"]?.members != nil ? .strong : .none }
        return looksLikeEntry(first) ? .strong : .none
    }

    /// Whether one element of `benchmarks` has Google Benchmark's signature.
    static func looksLikeEntry(_ entry: JSONNode) -> Bool {
        entry["real_time"] != nil || entry["time_unit"] != nil || entry["run_type"] != nil
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let benchmarks = try input.array(
            "benchmarks", needed: "a Google Benchmark file needs a `benchmarks` array",
            hint: "write it with --benchmark_format=json or --benchmark_out")
        var records = Records(source: input.source)
        for entry in benchmarks {
            if let record = ObjectRecord(entry) { try records.take(record) } else { try records.take(nonObject: entry) }
        }
        return try records.result(try input.document())
    }

    static func recordDecoder(_ source: SourceText) -> Records? { Records(source: source) }

    static func read(_ input: FormatInput, records: Records) throws -> ReadResult {
        try records.result(try input.document())
    }

    /// Reads the `benchmarks` array one entry at a time, so that a large file never becomes a whole tree.
    struct Records: JSONRecordSink {
        private var collector: MetricCollector
        private var iterated: Set<String> = []
        /// The last benchmark read from iterations: what it measured and where its metrics are.
        private var previous: (name: String, timeUnit: String?, hasCPUTime: Bool, counters: [String], slots: [Int])?
        /// Aggregates that may stand in for a benchmark without repetitions, by kind: what they
        /// measure, or the error reading them would raise, for when one is used.
        private var standIns: [String: [(name: String, measured: Result<[Measurement], any Error>)]] = [:]
        /// Every aggregate's kinds by benchmark name, for the note on benchmarks left out.
        private var aggregateKinds: [String: [String]] = [:]
        private(set) var streamed = false
        /// The keys already said to hold a number in quotes: one note per key, not per repetition.
        private var noted: Set<String> = []

        init(source: SourceText) {
            collector = MetricCollector(source: source)
        }

        mutating func accepts(key: String, first: JSONNode) -> Bool {
            streamed = key == "benchmarks" && GoogleBenchmark.looksLikeEntry(first)
            return streamed
        }

        mutating func take(_ record: FlatRecord) throws { try take(Entry(record)) }
        mutating func take(_ record: ObjectRecord) throws { try take(Entry(record)) }

        mutating func take(nonObject element: JSONNode) throws {
            throw RedlineError(
                collector.source, at: element.offset,
                "a benchmark entry must be an object, got \(element.value.kindName)",
                hint: "the file may be truncated or not Google Benchmark output")
        }

        mutating func take(_ entry: Entry) throws {
            let source = collector.source
            guard let name = entry.runName ?? entry.name else {
                throw RedlineError(
                    source, at: entry.offset, "a benchmark entry has no `name`",
                    hint: "the file may be truncated or not Google Benchmark output")
            }
            if entry.errorOccurred {
                let message = entry.errorMessage ?? "no message"
                collector.note(
                    "benchmark \"\(name)\" reported an error and is left out: \(message)")
                return
            }
            if entry.skipped {
                collector.note(
                    "benchmark \"\(name)\" was skipped and is left out: \(entry.skipMessage ?? "no message")")
                return
            }
            for quoted in entry.quoted where noted.insert(quoted.key).inserted {
                collector.note(
                    "benchmark \"\(name)\": `\(quoted.key)` holds the string \"\(quoted.text.prefix(40))\", a number in quotes; a counter is a number, so it is not read"
                )
            }
            if entry.runType == "aggregate" {
                let kind = entry.aggregateName ?? ""
                aggregateKinds[name, default: []].append(kind)
                if kind == "median" || kind == "mean" || kind == "" {
                    standIns[kind, default: []].append(
                        (name, Result { try measurements(of: entry, as: name, source: source) }))
                }
                return
            }
            // Repetitions come one after another: one that measures what the one before measured
            // adds its values to the same metrics, without building and hashing their names again.
            if let previous, entry.misTyped == nil, previous.name == name, previous.timeUnit == entry.timeUnit,
                let real = entry.realTime, (entry.cpuTime != nil) == previous.hasCPUTime,
                previous.counters.elementsEqual(entry.counters.lazy.map(\.key))
            {
                var values = [(real, entry.offset)]
                if let cpu = entry.cpuTime { values.append((cpu, entry.offset)) }
                for counter in entry.counters { values.append((counter.value, counter.offset)) }
                for (slot, value) in zip(previous.slots, values) {
                    try collector.addSample(value.0, to: slot, at: value.1)
                }
                return
            }
            iterated.insert(name)
            let found = try measurements(of: entry, as: name, source: source)
            for measurement in found { try collector.add(measurement, repeatsAreSamples: true) }
            let slots = found.compactMap { collector.slot(of: $0.name) }
            previous =
                slots.count == found.count
                ? (name, entry.timeUnit, entry.cpuTime != nil, entry.counters.map(\.key), slots) : nil
        }

        /// The metrics. Aggregates stand in only for benchmarks without repetitions
        /// (--benchmark_report_aggregates_only): the median, else the mean, else (older files)
        /// unnamed aggregates as samples.
        func result(_ root: JSONNode) throws -> ReadResult {
            var collector = collector
            var covered = iterated
            for kind in ["median", "mean", ""] {
                let candidates = standIns[kind] ?? []
                for candidate in candidates where !covered.contains(candidate.name) {
                    for measurement in try candidate.measured.get() {
                        try collector.add(measurement, repeatsAreSamples: true)
                    }
                }
                covered.formUnion(candidates.map(\.name))
            }
            for name in aggregateKinds.keys.filter({ !covered.contains($0) }).sorted() {
                let kinds = aggregateKinds[name, default: []].joined(separator: ", ")
                collector.note(
                    "benchmark \"\(name)\" has only \(kinds) aggregates, no repetitions, median or mean, and is left out"
                )
            }
            return collector.result(GoogleBenchmark.name, context: context(root))
        }
    }

    /// What one entry of `benchmarks` says, read from a tree or from a flat record alike.
    struct Entry {
        var offset: Int
        var name: String?
        var runName: String?
        var runType: String?
        var aggregateName: String?
        var errorOccurred = false
        var errorMessage: String?
        /// `SkipWithMessage` (library 1.8 and later): the entry has no measurement.
        var skipped = false
        var skipMessage: String?
        var timeUnit: String?
        var realTime: Double?
        var cpuTime: Double?
        /// Numeric members under keys the library does not define: user counters.
        var counters: [(key: String, value: Double, offset: Int)] = []
        /// The first time that is not a number (a quoted number among them), which reading the
        /// entry's measurements refuses rather than drop.
        var misTyped: (key: String, offset: Int, got: String)?
        /// Keys the library does not define that hold a number in quotes: a counter broken, or a
        /// newer library's text; said in a note rather than refused or dropped in silence.
        var quoted: [(key: String, text: String)] = []

        /// Reads an entry from a record, parsed or flat alike: strings only where a string is expected.
        init<Record: JSONRecord>(_ record: Record) {
            offset = record.offset
            for index in 0..<record.count {
                switch GoogleBenchmark.field(of: record, index) {
                case .name: name = record.string(index)
                case .runName: runName = record.string(index)
                case .runType: runType = record.string(index)
                case .aggregateName: aggregateName = record.string(index)
                case .errorOccurred: errorOccurred = record.bool(index) == true
                case .errorMessage: errorMessage = record.string(index)
                case .skipped: skipped = record.bool(index) == true
                case .skipMessage: skipMessage = record.string(index)
                case .timeUnit: timeUnit = record.string(index)
                case .realTime: realTime = time(record, index)
                case .cpuTime: cpuTime = time(record, index)
                case .other: break
                case nil:
                    if let number = record.number(index) {
                        counters.append((record.key(index), number, record.keyOffset(index)))
                    } else if let text = record.string(index), ToolNumber.parse(Substring(text)) != nil {
                        quoted.append((record.key(index), text))
                    }
                }
            }
        }

        /// The time of member `index`: its number, nil for null; anything else is nil too, and
        /// kept in `misTyped` (the first such member) for reading the measurements to refuse.
        private mutating func time<Record: JSONRecord>(_ record: Record, _ index: Int) -> Double? {
            if let number = record.number(index) { return number }
            if misTyped == nil && record.kindName(index) != "null" {
                let got = record.string(index).map { "the string \"\($0.prefix(40))\"" } ?? record.kindName(index)
                misTyped = (record.key(index), record.valueOffset(index), got)
            }
            return nil
        }
    }

    /// The keys an entry is read by; `other` is a key the library defines that holds no metric.
    enum Field {
        case name, runName, runType, aggregateName, errorOccurred, errorMessage, skipped, skipMessage, timeUnit
        case realTime, cpuTime, other
    }

    /// The keys the library writes, with what each one is.
    static let fields: [(key: StaticString, field: Field)] = [
        ("name", .name), ("run_name", .runName), ("run_type", .runType), ("family_index", .other),
        ("per_family_instance_index", .other), ("repetitions", .other), ("repetition_index", .other),
        ("threads", .other),
        ("iterations", .other), ("real_time", .realTime), ("cpu_time", .cpuTime), ("time_unit", .timeUnit),
        ("aggregate_name", .aggregateName), ("aggregate_unit", .other), ("error_occurred", .errorOccurred),
        ("error_message", .errorMessage), ("skipped", .skipped), ("skip_message", .skipMessage), ("label", .other),
        ("big_o", .other), ("rms", .other),
        ("complexity_n", .other),
    ]

    /// Which known key member `index` has, or nil for a counter.
    static func field<Record: JSONRecord>(of record: Record, _ index: Int) -> Field? {
        for known in fields where record.key(index, is: known.key) { return known.field }
        return nil
    }

    /// The library's time units, parsed once: every entry names one.
    static let timeUnits = Dictionary(uniqueKeysWithValues: ["ns", "us", "ms", "s"].map { ($0, Unit($0)) })

    static func timeUnit(_ symbol: String) -> Unit {
        timeUnits[symbol] ?? Unit(symbol)
    }

    /// What one entry measures: real time, CPU time and every numeric counter.
    static func measurements(of entry: Entry, as name: String, source: SourceText) throws -> [Measurement] {
        let unit = timeUnit(entry.timeUnit ?? "ns")
        guard unit.dimension == .time else {
            throw RedlineError(
                source, at: entry.offset, "benchmark \"\(name)\" has an unknown time_unit \"\(unit.symbol)\"")
        }
        if let misTyped = entry.misTyped {
            throw JSONNumbers.notANumber(
                source, at: misTyped.offset, what: "`\(misTyped.key)` of benchmark \"\(name)\"", got: misTyped.got)
        }
        guard let real = entry.realTime else {
            throw RedlineError(
                source, at: entry.offset, "benchmark \"\(name)\" has no numeric `real_time`",
                hint: "the file may be truncated")
        }
        var found = [Measurement(name: name, value: real, unit: unit, offset: entry.offset)]
        if let cpu = entry.cpuTime {
            found.append(Measurement(name: name + " [cpu_time]", value: cpu, unit: unit, offset: entry.offset))
        }
        for counter in entry.counters {
            let counterUnit: Unit?
            switch counter.key {
            case "items_per_second": counterUnit = Unit("items/s")
            case "bytes_per_second": counterUnit = Unit("B/s")
            default: counterUnit = nil
            }
            found.append(
                Measurement(
                    name: "\(name) [\(counter.key)]", value: counter.value, unit: counterUnit, offset: counter.offset))
        }
        return found
    }

    /// The run's context: host, date, executable, as strings.
    static func context(_ root: JSONNode) -> [(key: String, value: String)] {
        guard let members = root["context"]?.members else { return [] }
        return members.compactMap { member in
            if let text = member.node.string { return (member.key, text) }
            if let number = member.node.number { return (member.key, JSONWriter.number(number)) }
            return nil
        }
    }
}
