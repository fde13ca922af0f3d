import RedlineModel
import RedlineJSON

/// Julia BenchmarkTools' JSON (`BenchmarkTools.save`): nested `BenchmarkGroup`s whose keys join
/// with `/` into names (`fib/20`). A `TrialEstimate` gives its `time` in ns; a `Trial` gives the
/// median of its `times` with the times as samples. `NAME [memory]` (B) and `NAME [allocs]` follow.
enum JuliaBenchmarkTools: MetricsFormat {
    static let name = "julia"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let items = input.root?.elements, items.count == 2 else { return .none }
        return items[0]["BenchmarkTools"] != nil ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (root, source) = (try input.document(), input.source)
        guard let items = root.elements, items.count == 2, let groups = items[1].elements else {
            throw RedlineError(
                source, at: root.offset, "a BenchmarkTools file is [header, [groups]]",
                hint: "write it with BenchmarkTools.save")
        }
        var collector = MetricCollector(source: source)
        for group in groups { try walk(group, path: [], into: &collector, source: source) }
        return collector.result(Self.name)
    }

    static func walk(_ node: JSONNode, path: [String], into collector: inout MetricCollector, source: SourceText) throws
    {
        guard let pair = node.elements, pair.count == 2, let kind = pair[0].string else {
            throw RedlineError(source, at: node.offset, "expected a [\"Type\", {...}] pair in a BenchmarkTools file")
        }
        let body = pair[1]
        let name = path.joined(separator: "/")
        switch kind {
        case "BenchmarkGroup":
            let what = name.isEmpty ? "`data` of the top BenchmarkGroup" : "`data` of BenchmarkGroup \"\(name)\""
            for child in try ToolJSON(source).object(body["data"], what, in: body) {
                try walk(child.node, path: path + [child.key], into: &collector, source: source)
            }
        case "TrialEstimate":
            guard let time = body["time"]?.number else {
                throw RedlineError(source, at: body.offset, "TrialEstimate \"\(name)\" has no `time`")
            }
            try add(name, time: time, samples: nil, body: body, into: &collector, source: source)
        case "Trial":
            let times = try ToolObject(body, "Trial \"\(name)\"", source: source).optionalNumbers("times") ?? []
            guard let median = Metric.median(times) else {
                throw RedlineError(source, at: body.offset, "Trial \"\(name)\" has no `times`")
            }
            try add(name, time: median, samples: times, body: body, into: &collector, source: source)
        default:
            throw RedlineError(
                source, at: node.offset, "unknown BenchmarkTools type \"\(kind)\" at \"\(name)\"",
                hint: "redline reads BenchmarkGroup, Trial and TrialEstimate")
        }
    }

    static func add(
        _ name: String, time: Double, samples: [Double]?, body: JSONNode,
        into collector: inout MetricCollector, source: SourceText
    ) throws {
        try collector.add(name, value: time, unit: Unit("ns"), samples: samples, at: body.offset)
        let fields = ToolObject(body, "\"\(name)\"", source: source)
        if let memory = try fields.optionalNumber("memory") {
            try collector.add(name + " [memory]", value: memory, unit: Unit("B"), at: body.offset)
        }
        if let allocs = try fields.optionalNumber("allocs") {
            try collector.add(name + " [allocs]", value: allocs, unit: Unit("count"), at: body.offset)
        }
    }
}
