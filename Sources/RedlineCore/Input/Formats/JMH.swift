import RedlineModel
import RedlineJSON

/// JMH's JSON (`-rf json`): one metric per benchmark and parameter set,
/// `org.x.Bench.method` or `org.x.Bench.method (size=10, kind=a)`, its `primaryMetric.score`
/// in `scoreUnit` (`ops/s` and other rates are higher-is-better, `ns/op` and other times per
/// operation lower), `rawData` as samples. Secondary metrics become `NAME [KEY]`.
enum JMH: MetricsFormat {
    static let name = "jmh"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let first = input.root?.elements?.first else { return .none }
        return first["benchmark"] != nil && first["primaryMetric"] != nil ? .strong : .none
    }

    /// A JMH score unit as a redline unit: `ns/op` is nanoseconds, `ops/ms` a rate.
    static func unit(_ text: String) -> Unit {
        if text.hasSuffix("/op") {
            let time = Unit(String(text.dropLast(3)))
            if time.dimension == .time { return time }
        }
        return Unit(text)
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (root, source) = (try input.document(), input.source)
        guard let items = root.elements else {
            throw RedlineError(
                source, at: root.offset, "a JMH result file must be an array, got \(root.value.kindName)")
        }
        var collector = MetricCollector(source: source)
        for item in items {
            guard let benchmark = item["benchmark"]?.string else {
                throw RedlineError(source, at: item.offset, "a JMH entry has no `benchmark`")
            }
            var name = benchmark
            if let params = item["params"]?.members, !params.isEmpty {
                name +=
                    " ("
                    + params.map { "\($0.key)=\($0.node.string ?? $0.node.number.map(JSONWriter.number) ?? "?")" }
                    .joined(separator: ", ") + ")"
            }
            let throughput = item["mode"]?.string == "thrpt"
            try addScore(
                item["primaryMetric"], name: name, throughput: throughput, item: item, to: &collector, source: source)
            for secondary in item["secondaryMetrics"]?.members ?? [] {
                try addScore(
                    secondary.node, name: "\(name) [\(secondary.key)]", throughput: false, item: secondary.node,
                    to: &collector, source: source)
            }
        }
        return collector.result(Self.name)
    }

    /// What JMH writes for a score that is not finite (`JSONResultFormat`): not a number to judge.
    static let nonFinite: Set<String> = ["NaN", "+INF", "-INF"]

    static func addScore(
        _ metric: JSONNode?, name: String, throughput: Bool, item: JSONNode,
        to collector: inout MetricCollector, source: SourceText
    ) throws {
        if let written = metric?["score"]?.string, nonFinite.contains(written) {
            collector.note("JMH benchmark \"\(name)\" scored \(written) and is left out")
            return
        }
        guard let metric, let score = metric["score"]?.number else {
            throw RedlineError(
                source, at: item.offset, "JMH benchmark \"\(name)\" has no numeric `score`",
                hint: "the file may be truncated")
        }
        let fields = ToolObject(metric, "JMH benchmark \"\(name)\"", source: source)
        let unit = unit(try fields.optionalString("scoreUnit") ?? "")
        // The unit decides where it can (s/op is a time even in throughput mode); a throughput
        // score in an unknown unit is still higher-is-better.
        let direction: Direction? = unit.dimension == .time ? .lower : (throughput || unit.isRate ? .higher : nil)
        // `rawData` holds one array of scores per fork; a score that is not finite is left out.
        var raw: [Double] = []
        var leftOut = 0
        for fork in try fields.optionalArray("rawData") ?? [] {
            for value in try fields.json.array(fork, "a fork of `rawData` of \"\(name)\"", in: metric) {
                if let written = value.string, nonFinite.contains(written) {
                    leftOut += 1
                    continue
                }
                raw.append(try JSONNumbers.number(value, source: source, what: "a score in `rawData` of \"\(name)\""))
            }
        }
        if leftOut > 0 {
            collector.note(
                "JMH benchmark \"\(name)\": \(leftOut) raw scores that are not finite are left out of its samples")
        }
        try collector.add(
            name, value: score, unit: unit.symbol.isEmpty ? nil : unit, direction: direction,
            samples: raw.isEmpty ? nil : raw, at: item.offset)
    }
}
