/// ordo-one package-benchmark's `metricP90AbsoluteThresholds` export, one file per benchmark
/// named `TARGET.BENCHMARK.p90.json`, holding each metric's 90th percentile. Metrics are named
/// `TARGET.BENCHMARK METRIC` (`P90AbsoluteThresholdsBenchmark.P90Date mallocCountTotal`); time
/// metrics are in ns, memory in B, throughput per second. (Its `jsonSmallerIsBetter` /
/// `jsonBiggerIsBetter` exports are github-action-benchmark's custom format: `custom`.)
enum PackageBenchmark: MetricsFormat {
    static let name = "package-benchmark"
    static let syntax = FormatSyntax.json

    static let timeMetrics: Set<String> = ["wallClock", "cpuUser", "cpuSystem", "cpuTotal"]
    static let sizeMetrics: Set<String> = [
        "peakMemoryResident", "peakMemoryResidentDelta", "peakMemoryVirtual", "allocatedResidentMemory", "memoryLeaked",
        "readBytesLogical", "writeBytesLogical", "readBytesPhysical", "writeBytesPhysical",
    ]
    static let countMetrics: Set<String> = [
        "mallocCountSmall", "mallocCountLarge", "mallocCountTotal", "syscalls", "contextSwitches", "threads",
        "threadsRunning", "readSyscalls", "writeSyscalls", "instructions", "retainCount", "releaseCount",
        "retainReleaseDelta", "objectAllocCount",
    ]

    static func unit(for metric: String) -> Unit? {
        if timeMetrics.contains(metric) { return Unit("ns") }
        if sizeMetrics.contains(metric) { return Unit("B") }
        if countMetrics.contains(metric) { return Unit("count") }
        if metric == "throughput" { return Unit("/s") }
        return nil
    }

    static func match(_ input: FormatInput) -> FormatMatch {
        guard input.fileName.hasSuffix(".p90.json"), let members = input.root?.members, !members.isEmpty else { return .none }
        return members.allSatisfy { $0.node.number != nil && unit(for: $0.key) != nil } ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (root, source) = (input.root!, input.source)
        guard let members = root.members else {
            throw RedlineError(source, at: root.offset, "a package-benchmark p90 file is an object of metric to value")
        }
        let file = source.name.split(separator: "/").last.map(String.init) ?? source.name
        let benchmark = file.hasSuffix(".p90.json") ? String(file.dropLast(".p90.json".count)) : file
        var collector = MetricCollector(source: source)
        for member in members {
            guard let value = member.node.number else {
                throw RedlineError(source, at: member.node.offset, "metric \"\(member.key)\" must be a number")
            }
            try collector.add("\(benchmark) \(member.key)", value: value, unit: unit(for: member.key), at: member.keyOffset)
        }
        return collector.result(Self.name)
    }
}
