import RedlineModel
import RedlineJSON

/// ordo-one package-benchmark's `metricP90AbsoluteThresholds` export, one file per benchmark
/// named `TARGET.BENCHMARK.p90.json`, holding each metric's 90th percentile as a whole number.
/// Metrics are named `TARGET.BENCHMARK METRIC` (`P90AbsoluteThresholdsBenchmark.P90Date
/// mallocCountTotal`); time metrics are in ns, memory in B, throughput per second; a custom
/// metric keeps its own name and has no unit. (Its `jsonSmallerIsBetter` / `jsonBiggerIsBetter`
/// exports are github-action-benchmark's custom format: `custom`.)
enum PackageBenchmark: MetricsFormat {
    static let name = "package-benchmark"
    static let syntax = FormatSyntax.json

    static let timeMetrics: Set<String> = ["wallClock", "cpuUser", "cpuSystem", "cpuTotal"]
    static let sizeMetrics: Set<String> = [
        "peakMemoryResident", "peakMemoryResidentDelta", "peakMemoryVirtual", "allocatedResidentMemory", "memoryLeaked",
        "memoryLeakedBytes", "mallocBytesCount", "readBytesLogical", "writeBytesLogical", "readBytesPhysical",
        "writeBytesPhysical",
    ]
    static let countMetrics: Set<String> = [
        "mallocCountSmall", "mallocCountLarge", "mallocCountTotal", "freeCountTotal", "mallocFreeDelta", "syscalls",
        "contextSwitches", "threads", "threadsRunning", "readSyscalls", "writeSyscalls", "instructions", "retainCount",
        "releaseCount", "retainReleaseDelta", "objectAllocCount",
    ]
    /// Metric names that other files use too (a hand-written `{"throughput": 1250}`): they alone
    /// do not make a file package-benchmark's.
    static let commonWords: Set<String> = ["throughput", "instructions", "threads", "syscalls", "contextSwitches"]

    static func unit(for metric: String) -> Unit? {
        if timeMetrics.contains(metric) { return Unit("ns") }
        if sizeMetrics.contains(metric) { return Unit("B") }
        if countMetrics.contains(metric) { return Unit("count") }
        if metric == "throughput" { return Unit("/s") }
        return nil
    }

    /// Strong for an object of numbers in a file named `*.p90.json`, custom metrics included;
    /// weak for an object of numbers with a metric name only package-benchmark uses (`wallClock`,
    /// `mallocCountTotal`), which the native format's bare object yields to.
    static func match(_ input: FormatInput) -> FormatMatch {
        guard let members = input.root?.members, !members.isEmpty, members.allSatisfy({ $0.node.number != nil }) else {
            return .none
        }
        if input.fileName.hasSuffix(".p90.json") { return .strong }
        return members.contains { unit(for: $0.key) != nil && !commonWords.contains($0.key) } ? .weak : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (root, source) = (try input.document(), input.source)
        guard let members = root.members else {
            throw RedlineError(source, at: root.offset, "a package-benchmark p90 file is an object of metric to value")
        }
        // The benchmark is named by the file: TARGET.BENCHMARK.p90.json.
        let file = input.fileName
        let benchmark =
            [".p90.json", ".json"].first(where: file.hasSuffix).map { String(file.dropLast($0.count)) } ?? file
        var collector = MetricCollector(source: source)
        for member in members {
            guard let value = member.node.number else {
                throw RedlineError(source, at: member.node.offset, "metric \"\(member.key)\" must be a number")
            }
            try collector.add(
                "\(benchmark) \(member.key)", value: value, unit: unit(for: member.key), at: member.keyOffset)
        }
        return collector.result(Self.name)
    }
}
