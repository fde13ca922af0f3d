import RedlineModel
import RedlineJSON

/// pytest-benchmark's `--benchmark-json` (and its saved runs): one metric per test, named by
/// `fullname` (else `name`), its median in seconds, with `stats.data` as samples when saved.
enum PytestBenchmark: MetricsFormat {
    static let name = "pytest-benchmark"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root, let benchmarks = root["benchmarks"]?.elements else { return .none }
        guard let first = benchmarks.first else { return root["machine_info"] != nil ? .strong : .none }
        return first["stats"] != nil ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (root, source) = (try input.document(), input.source)
        let benchmarks = try input.array("benchmarks", needed: "a pytest-benchmark file needs a `benchmarks` array")
        var collector = MetricCollector(source: source)
        for benchmark in benchmarks {
            guard let name = benchmark["fullname"]?.string ?? benchmark["name"]?.string else {
                throw RedlineError(source, at: benchmark.offset, "a pytest-benchmark entry has no `fullname` or `name`")
            }
            guard let stats = benchmark["stats"] else {
                throw RedlineError(
                    source, at: benchmark.offset, "benchmark \"\(name)\" has no `stats`",
                    hint: "the file may be truncated")
            }
            let statistics = ToolObject(stats, "`stats` of benchmark \"\(name)\"", source: source)
            guard let median = try statistics.optionalNumber("median") ?? statistics.optionalNumber("mean") else {
                throw RedlineError(source, at: stats.offset, "benchmark \"\(name)\" has no numeric median or mean")
            }
            var samples: [Double]?
            if let data = stats["data"]?.elements, !data.isEmpty {
                let numbers = data.compactMap(\.number)
                if numbers.count == data.count {
                    samples = numbers
                } else {
                    collector.note(
                        "benchmark \"\(name)\": `stats.data` holds values that are not numbers, so its samples are not used"
                    )
                }
            }
            try collector.add(name, value: median, unit: Unit("s"), samples: samples, at: benchmark.offset)
        }
        return collector.result(Self.name, context: context(root))
    }

    static func context(_ root: JSONNode) -> [(key: String, value: String)] {
        var context: [(key: String, value: String)] = []
        if let commit = root["commit_info"]?["id"]?.string { context.append(("commit", commit)) }
        if let branch = root["commit_info"]?["branch"]?.string { context.append(("branch", branch)) }
        if let time = root["datetime"]?.string { context.append(("datetime", time)) }
        return context
    }
}
