import RedlineModel
import RedlineJSON

/// BenchmarkDotNet's JSON exporter: one metric per benchmark, named by `FullName` (else
/// `Namespace.Type.Method(Parameters)`), `Statistics.Mean` in ns, with the workload result
/// `Measurements` (ns per operation) as samples. `Memory.BytesAllocatedPerOperation` becomes
/// `NAME [allocated]` in bytes.
enum BenchmarkDotNet: MetricsFormat {
    static let name = "benchmarkdotnet"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        input.root?["Benchmarks"]?.elements != nil ? .strong : .none
    }

    static func name(of benchmark: JSONNode) -> String? {
        if let full = benchmark["FullName"]?.string, !full.isEmpty { return full }
        let parts = [benchmark["Namespace"]?.string, benchmark["Type"]?.string, benchmark["Method"]?.string]
            .compactMap { $0 }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        var name = parts.joined(separator: ".")
        if let parameters = benchmark["Parameters"]?.string, !parameters.isEmpty { name += "(\(parameters))" }
        return name
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let benchmarks = try input.array("Benchmarks", needed: "a BenchmarkDotNet export needs a `Benchmarks` array")
        var collector = MetricCollector(source: source)
        for benchmark in benchmarks {
            guard let name = name(of: benchmark) else {
                throw RedlineError(
                    source, at: benchmark.offset, "a BenchmarkDotNet benchmark has no FullName, Type or Method")
            }
            guard let mean = benchmark["Statistics"]?["Mean"]?.number else {
                collector.notes.append(
                    "\(source.name): benchmark \"\(name)\" has no statistics (it did not run) and is left out")
                continue
            }
            let samples = (benchmark["Measurements"]?.elements ?? []).compactMap { measurement -> Double? in
                guard measurement["IterationMode"]?.string == "Workload",
                    measurement["IterationStage"]?.string == "Result",
                    let nanoseconds = measurement["Nanoseconds"]?.number,
                    let operations = measurement["Operations"]?.number, operations > 0
                else { return nil }
                return nanoseconds / operations
            }
            try collector.add(
                name, value: mean, unit: Unit("ns"), samples: samples.isEmpty ? nil : samples,
                at: benchmark.offset)
            if let bytes = benchmark["Memory"]?["BytesAllocatedPerOperation"]?.number {
                try collector.add(name + " [allocated]", value: bytes, unit: Unit("B"), at: benchmark.offset)
            }
        }
        return collector.result(Self.name)
    }
}
