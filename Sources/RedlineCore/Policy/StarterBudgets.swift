/// The budgets.json `redline init` writes: the three budgets a web-service team starts from
/// (`apiResponseTime` 100/200/500 ms, `databaseQueryTime` 50/100/200 ms, `memoryUsage`
/// 100/200/500 MB), and with `--from FILE` each one mapped by `from` onto the tool's metric that
/// measures it, where the file has one, plus throughput and error rate when it has them.
public enum StarterBudgets {
    /// Where editors find the schema of budgets.json (the repository's `schemas/` folder).
    public static let schemaURL = "https://redline.dev/schemas/budgets.v1.json"

    /// One budget the starter file may hold.
    struct Seed: Sendable {
        let name: String
        let unit: String
        let levels: (Double, Double, Double)
        let direction: Direction
        /// Whether a metric measures it: by its name (lowercased) and unit.
        let measures: @Sendable (String, Unit?) -> Bool
        /// Among the metrics that measure it, the best first: a lower rank wins.
        let rank: @Sendable (String) -> Int
    }

    static func isTime(_ unit: Unit?) -> Bool { unit?.dimension == .time }

    /// A high percentile (p95 first, then p99, p90) of an aggregate (no labels, no endpoint) wins.
    static func percentileRank(_ name: String) -> Int {
        var rank = 50
        if name.hasSuffix(" p95") || name.hasSuffix(" p(95)") { rank = 0 } else if name.hasSuffix(" p99") || name.hasSuffix(" p(99)") {
            rank = 10
        } else if name.hasSuffix(" p90") || name.hasSuffix(" p(90)") { rank = 20 } else if name.hasSuffix(" mean") || name.hasSuffix(" avg") {
            rank = 30
        }
        if name.contains("{") { rank += 5 }
        if name.contains("/") { rank += 3 }
        return rank + min(name.count, 200) / 40
    }

    static let seeds: [Seed] = [
        Seed(name: "apiResponseTime", unit: "ms", levels: (100, 200, 500), direction: .lower,
             measures: { name, unit in
                 isTime(unit) && ["latency", "http_req_duration", "response_time", "request_duration", "http_request_duration",
                                  "response time"].contains { name.contains($0) } && !["db", "database", "query", "sql"].contains { name.contains($0) }
             }, rank: { name in
                 // What the users see first: the load tool's own latency, before the server's view of it.
                 percentileRank(name) - (name.hasPrefix("latency ") || name.hasPrefix("http_req_duration ") ? 1 : 0)
             }),
        Seed(name: "databaseQueryTime", unit: "ms", levels: (50, 100, 200), direction: .lower,
             measures: { name, unit in isTime(unit) && ["db_", "database", "query", "sql"].contains { name.contains($0) } },
             rank: percentileRank),
        Seed(name: "memoryUsage", unit: "MB", levels: (100, 200, 500), direction: .lower,
             measures: { name, unit in
                 unit?.dimension == .size && ["memory", "rss", "resident", "heap"].contains { name.contains($0) }
             }, rank: { $0.contains("resident") || $0.contains("rss") ? 0 : 10 }),
    ]

    /// Throughput and error rate, mapped only when the file has them.
    static let extras: [(name: String, names: [String], rule: [JSONOutputMember])] = [
        ("throughput", ["throughput", "http_reqs rate", "requests/sec"], [.init("maxRegression", .string("20%"))]),
        ("errorRate", ["error rate", "http_req_failed rate"], [.init("maxRegression", .string("10%"))]),
    ]

    /// What `init` writes, and which budgets were mapped to which metrics.
    public struct Starter: Sendable {
        /// The budgets.json text.
        public var text: String
        /// Each budget mapped onto a metric of the file: (budget, the tool's metric).
        public var mapped: [(budget: String, metric: String)]
        /// The seed budgets the file has no metric for.
        public var unmapped: [String]
    }

    /// The starter budgets; with `metrics` (a tool's output), each budget takes its metric by `from`.
    public static func make(from metrics: MetricSet? = nil) -> Starter {
        var rules: [JSONOutputMember] = []
        var mapped: [(String, String)] = []
        var unmapped: [String] = []
        for seed in seeds {
            var rule: [JSONOutputMember] = []
            if let metrics {
                let candidates = metrics.metrics.filter { seed.measures($0.name.lowercased(), $0.unit) }
                guard let best = candidates.min(by: { (seed.rank($0.name), $0.name) < (seed.rank($1.name), $1.name) }) else {
                    unmapped.append(seed.name)
                    continue
                }
                rule.append(.init("from", .string(best.name)))
                mapped.append((seed.name, best.name))
            }
            rule += [.init("unit", .string(seed.unit)), .init("target", .number(seed.levels.0)),
                     .init("warning", .number(seed.levels.1)), .init("error", .number(seed.levels.2))]
            rules.append(.init(seed.name, .object(rule, inline: true)))
        }
        if let metrics {
            for extra in extras {
                guard let metric = metrics.metrics.first(where: { extra.names.contains($0.name.lowercased()) }) else { continue }
                rules.append(.init(extra.name, .object([.init("from", .string(metric.name))] + extra.rule, inline: true)))
                mapped.append((extra.name, metric.name))
            }
        } else {
            rules.append(.init("BM_*", .object([.init("maxRegression", .string("5%")), .init("minDelta", .string("200ns"))], inline: true)))
        }
        let document: JSONOutput = .object([
            .init("$schema", .string(schemaURL)),
            .init("schema", .string(Schema.budgets)),
            .init("defaults", .object([.init("maxRegression", .string("10%")), .init("missing", .string("warn"))], inline: true)),
            .init("metrics", .object(rules)),
        ])
        return Starter(text: JSONWriter.write(document), mapped: mapped, unmapped: unmapped)
    }
}
