/// Google Benchmark's JSON (`--benchmark_format=json`, `--benchmark_out=FILE`).
///
/// Per benchmark: `NAME` is `real_time` in its own `time_unit`, `NAME [cpu_time]` the CPU
/// time, and `NAME [COUNTER]` every numeric counter (`items_per_second` in items/s and
/// `bytes_per_second` in B/s, both higher-is-better). Repetitions (`run_type: iteration`, or the
/// same name several times) become samples; aggregates (`mean`, `median`, `stddev`, `cv`, BigO)
/// are used only for a benchmark without repetitions, and then only `median` (else `mean`).
/// A benchmark that reported `error_occurred` is left out with a note.
enum GoogleBenchmark {
    static let knownKeys: Set<String> = [
        "name", "run_name", "run_type", "family_index", "per_family_instance_index", "repetitions",
        "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit", "aggregate_name",
        "aggregate_unit", "error_occurred", "error_message", "label", "big_o", "rms", "complexity_n",
    ]

    static func detect(_ root: JSONNode) -> Bool {
        guard let benchmarks = root["benchmarks"]?.elements else { return false }
        guard let first = benchmarks.first else { return root["context"]?.members != nil }
        return looksLikeEntry(first)
    }

    /// Whether one element of `benchmarks` has Google Benchmark's signature.
    static func looksLikeEntry(_ entry: JSONNode) -> Bool {
        entry["real_time"] != nil || entry["time_unit"] != nil || entry["run_type"] != nil
    }

    static func read(_ root: JSONNode, _ source: SourceText) throws -> ReadResult {
        guard let benchmarks = root["benchmarks"]?.elements else {
            throw RedlineError(source, at: root.offset, "a Google Benchmark file needs a `benchmarks` array",
                               hint: "write it with --benchmark_format=json or --benchmark_out")
        }
        var records = Records(source: source)
        for entry in benchmarks { try records.take(entry) }
        return try records.result(root)
    }

    /// Reads the `benchmarks` array one entry at a time, so that a large file never becomes a whole tree.
    struct Records: JSONRecordSink {
        private var collector: MetricCollector
        private var iterated: Set<String> = []
        /// Aggregates that may stand in for a benchmark without repetitions, by kind: what they
        /// measure, or the error reading them would raise, for when one is used.
        private var standIns: [String: [(name: String, measured: Result<[Measurement], any Error>)]] = [:]
        /// Every aggregate's kinds by benchmark name, for the note on benchmarks left out.
        private var aggregateKinds: [String: [String]] = [:]
        private(set) var streamed = false

        init(source: SourceText) {
            collector = MetricCollector(source: source)
        }

        mutating func accepts(key: String, first: JSONNode) -> Bool {
            streamed = key == "benchmarks" && GoogleBenchmark.looksLikeEntry(first)
            return streamed
        }

        mutating func take(_ entry: JSONNode) throws {
            let source = collector.source
            guard let name = entry["run_name"]?.string ?? entry["name"]?.string else {
                throw RedlineError(source, at: entry.offset, "a benchmark entry has no `name`",
                                   hint: "the file may be truncated or not Google Benchmark output")
            }
            if entry["error_occurred"]?.value.isTrue == true {
                let message = entry["error_message"]?.string ?? "no message"
                collector.notes.append("\(source.name): benchmark \"\(name)\" reported an error and is left out: \(message)")
                return
            }
            if entry["run_type"]?.string == "aggregate" {
                let kind = entry["aggregate_name"]?.string ?? ""
                aggregateKinds[name, default: []].append(kind)
                if ["median", "mean", ""].contains(kind) {
                    standIns[kind, default: []].append((name, Result { try measurements(of: entry, as: name, source: source) }))
                }
                return
            }
            iterated.insert(name)
            for measurement in try measurements(of: entry, as: name, source: source) {
                try collector.add(measurement, repeatsAreSamples: true)
            }
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
                let kinds = aggregateKinds[name]!.joined(separator: ", ")
                collector.notes.append("\(collector.source.name): benchmark \"\(name)\" has only \(kinds) aggregates, no repetitions, median or mean, and is left out")
            }
            return collector.result(.googleBenchmark, context: context(root))
        }
    }

    /// What one entry measures: real time, CPU time and every numeric counter.
    static func measurements(of entry: JSONNode, as name: String, source: SourceText) throws -> [Measurement] {
        let unit = Unit(entry["time_unit"]?.string ?? "ns")
        guard unit.dimension == "time" else {
            throw RedlineError(source, at: entry.offset, "benchmark \"\(name)\" has an unknown time_unit \"\(unit.symbol)\"")
        }
        guard let real = entry["real_time"]?.number else {
            throw RedlineError(source, at: entry.offset, "benchmark \"\(name)\" has no numeric `real_time`",
                               hint: "the file may be truncated")
        }
        var found = [Measurement(name: name, value: real, unit: unit, offset: entry.offset)]
        if let cpu = entry["cpu_time"]?.number {
            found.append(Measurement(name: name + " [cpu_time]", value: cpu, unit: unit, offset: entry.offset))
        }
        for member in entry.members ?? [] where !knownKeys.contains(member.key) {
            guard let value = member.node.number else { continue }
            let counterUnit: Unit?
            switch member.key {
            case "items_per_second": counterUnit = Unit("items/s")
            case "bytes_per_second": counterUnit = Unit("B/s")
            default: counterUnit = nil
            }
            found.append(Measurement(name: "\(name) [\(member.key)]", value: value, unit: counterUnit, offset: member.keyOffset))
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

extension JSONValue {
    /// Whether the value is JSON `true`.
    var isTrue: Bool {
        if case .bool(true) = self { return true }
        return false
    }
}
