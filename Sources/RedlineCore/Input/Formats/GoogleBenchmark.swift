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
        return first["real_time"] != nil || first["time_unit"] != nil || first["run_type"] != nil
    }

    static func read(_ root: JSONNode, _ source: SourceText) throws -> ReadResult {
        guard let benchmarks = root["benchmarks"]?.elements else {
            throw RedlineError(source, at: root.offset, "a Google Benchmark file needs a `benchmarks` array",
                               hint: "write it with --benchmark_format=json or --benchmark_out")
        }
        var collector = MetricCollector(source: source)
        var iterated: Set<String> = []
        var aggregates: [(name: String, kind: String, node: JSONNode)] = []
        for entry in benchmarks {
            guard let name = entry["run_name"]?.string ?? entry["name"]?.string else {
                throw RedlineError(source, at: entry.offset, "a benchmark entry has no `name`",
                                   hint: "the file may be truncated or not Google Benchmark output")
            }
            if entry["error_occurred"]?.value.isTrue == true {
                let message = entry["error_message"]?.string ?? "no message"
                collector.notes.append("\(source.name): benchmark \"\(name)\" reported an error and is left out: \(message)")
                continue
            }
            if entry["run_type"]?.string == "aggregate" {
                aggregates.append((name, entry["aggregate_name"]?.string ?? "", entry))
                continue
            }
            iterated.insert(name)
            try add(entry, as: name, to: &collector, source: source)
        }
        // Aggregates stand in only for benchmarks without repetitions (--benchmark_report_aggregates_only):
        // the median, else the mean, else (older files) unnamed aggregates as samples.
        for kind in ["median", "mean", ""] {
            for aggregate in aggregates where aggregate.kind == kind && !iterated.contains(aggregate.name) {
                try add(aggregate.node, as: aggregate.name, to: &collector, source: source)
            }
            iterated.formUnion(aggregates.filter { $0.kind == kind }.map(\.name))
        }
        for name in Set(aggregates.map(\.name)).subtracting(iterated).sorted() {
            let kinds = aggregates.filter { $0.name == name }.map(\.kind).joined(separator: ", ")
            collector.notes.append("\(source.name): benchmark \"\(name)\" has only \(kinds) aggregates, no repetitions, median or mean, and is left out")
        }
        return collector.result(.googleBenchmark, context: context(root))
    }

    static func add(_ entry: JSONNode, as name: String, to collector: inout MetricCollector, source: SourceText) throws {
        let unit = Unit(entry["time_unit"]?.string ?? "ns")
        guard unit.dimension == "time" else {
            throw RedlineError(source, at: entry.offset, "benchmark \"\(name)\" has an unknown time_unit \"\(unit.symbol)\"")
        }
        guard let real = entry["real_time"]?.number else {
            throw RedlineError(source, at: entry.offset, "benchmark \"\(name)\" has no numeric `real_time`",
                               hint: "the file may be truncated")
        }
        try collector.add(name, value: real, unit: unit, at: entry.offset, repeatsAreSamples: true)
        if let cpu = entry["cpu_time"]?.number {
            try collector.add(name + " [cpu_time]", value: cpu, unit: unit, at: entry.offset, repeatsAreSamples: true)
        }
        for member in entry.members ?? [] where !knownKeys.contains(member.key) {
            guard let value = member.node.number else { continue }
            let counterUnit: Unit?
            switch member.key {
            case "items_per_second": counterUnit = Unit("items/s")
            case "bytes_per_second": counterUnit = Unit("B/s")
            default: counterUnit = nil
            }
            try collector.add("\(name) [\(member.key)]", value: value, unit: counterUnit, at: member.keyOffset,
                              repeatsAreSamples: true)
        }
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
