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
            let fields = ToolObject(benchmark, "benchmark \"\(name)\"", source: source)
            // A benchmark that did not run has `"Statistics": null`.
            guard let statistics = try fields.optionalObject("Statistics") else {
                collector.note("benchmark \"\(name)\" has no statistics (it did not run) and is left out")
                continue
            }
            guard let mean = try number(statistics, "Mean") else {
                collector.note("benchmark \"\(name)\" has a mean that is not finite and is left out")
                continue
            }
            var samples: [Double] = []
            for measurement in try fields.optionalArray("Measurements") ?? [] {
                let measured = ToolObject(measurement, "a measurement of \"\(name)\"", source: source)
                guard try measured.optionalString("IterationMode") == "Workload",
                    try measured.optionalString("IterationStage") == "Result"
                else { continue }
                guard let operations = try number(measured, "Operations"),
                    let nanoseconds = try number(measured, "Nanoseconds"), operations > 0
                else { continue }
                samples.append(nanoseconds / operations)
            }
            try collector.add(
                name, value: mean, unit: Unit("ns"), samples: samples.isEmpty ? nil : samples,
                at: benchmark.offset)
            if let bytes = try fields.optionalObject("Memory")?.optionalNumber("BytesAllocatedPerOperation") {
                try collector.add(name + " [allocated]", value: bytes, unit: Unit("B"), at: benchmark.offset)
            }
        }
        return collector.result(Self.name)
    }

    /// A number of the export, required; nil for `""`, which BenchmarkDotNet's JSON writes for NaN
    /// and ±∞ (its exporter replaces the numbers JSON cannot hold).
    static func number(_ fields: ToolObject, _ key: String) throws -> Double? {
        fields[key]?.string == "" ? nil : try fields.number(key)
    }
}
