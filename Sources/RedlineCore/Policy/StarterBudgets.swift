import RedlineModel
import RedlineJSON

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
        if name.hasSuffix(" p95") || name.hasSuffix(" p(95)") {
            rank = 0
        } else if name.hasSuffix(" p99") || name.hasSuffix(" p(99)") {
            rank = 10
        } else if name.hasSuffix(" p90") || name.hasSuffix(" p(90)") {
            rank = 20
        } else if name.hasSuffix(" mean") || name.hasSuffix(" avg") {
            rank = 30
        }
        if name.contains("{") { rank += 5 }
        if name.contains("/") { rank += 3 }
        return rank + min(name.count, 200) / 40
    }

    static let seeds: [Seed] = [
        Seed(
            name: "apiResponseTime", unit: "ms", levels: (100, 200, 500), direction: .lower,
            measures: { name, unit in
                isTime(unit)
                    && [
                        "latency", "http_req_duration", "response_time", "request_duration", "http_request_duration",
                        "response time",
                    ].contains { name.contains($0) }
                    && !["db", "database", "query", "sql"].contains { name.contains($0) }
            },
            rank: { name in
                // What the users see first: the load tool's own latency, before the server's view of it.
                percentileRank(name) - (name.hasPrefix("latency ") || name.hasPrefix("http_req_duration ") ? 1 : 0)
            }),
        Seed(
            name: "databaseQueryTime", unit: "ms", levels: (50, 100, 200), direction: .lower,
            measures: { name, unit in
                isTime(unit) && ["db_", "database", "query", "sql"].contains { name.contains($0) }
            },
            rank: percentileRank),
        Seed(
            name: "memoryUsage", unit: "MB", levels: (100, 200, 500), direction: .lower,
            measures: { name, unit in
                unit?.dimension == .size && ["memory", "rss", "resident", "heap"].contains { name.contains($0) }
            }, rank: { $0.contains("resident") || $0.contains("rss") ? 0 : 10 }),
    ]

    /// The floors of a seed budget's rule: a relative threshold wider than the default (a load
    /// test's figures move more from run to run than a micro-benchmark's) and an absolute floor,
    /// a tenth of the target, below which no change counts however large in percent: the budget
    /// says what the team cares about, and a change of a tenth of it is the least worth a
    /// failure. (The example service on a shared 2-core machine moved its p95 by up to 9 ms on
    /// 32 ms, +29%, between unchanged runs; made 30% slower, by 15 ms.)
    static func floors(of seed: Seed) -> [JSONOutputMember] {
        [
            .init("maxRegression", .string("20%")),
            .init("minDelta", .string(JSONWriter.number(seed.levels.0 / 10) + " " + seed.unit)),
        ]
    }

    /// Throughput and error rate, mapped only when the files have them.
    static let throughputNames = ["throughput", "http_reqs rate", "requests/sec"]
    static let errorRateNames = ["error rate", "http_req_failed rate"]

    /// The throughput rule's threshold. A load test that saturates the service measures its
    /// throughput as the reciprocal of its latency, so the rule reaches as far as the latency
    /// seeds' floors do (20%, and at least a tenth of the target: +29% on a 35 ms p95), not
    /// further: at 20% with no floor it was the one rule that the runner's own drift crossed
    /// (the example service on a shared 2-core VM fell from 5,505 to 4,386 req/s unchanged,
    /// -20.3%, between runs a few minutes apart). 30% still catches a service 30% slower, whose
    /// throughput fell by 36-48% there.
    static let throughputThreshold = "30%"

    /// The error-rate rule: an absolute budget (target / warning / error) with a floor of one
    /// percentage point, so one stray error in thousands of requests fails nothing. A rate
    /// without a unit (k6's `http_req_failed rate`) is a fraction, and its levels are fractions.
    static func errorRateRule(for metric: Metric) -> [JSONOutputMember] {
        if metric.unit?.dimension == .percent {
            return [
                .init("unit", .string("%")), .init("target", .number(0.1)), .init("warning", .number(1)),
                .init("error", .number(5)),
                .init("minDelta", .string("1%")),
            ]
        }
        return [
            .init("target", .number(0.001)), .init("warning", .number(0.01)), .init("error", .number(0.05)),
            .init("minDelta", .number(0.01)),
        ]
    }

    /// What `init` writes, and which budgets were mapped to which metrics.
    public struct Starter: Sendable {
        /// The budgets.json text.
        public var text: String
        /// Each budget mapped onto a metric: (budget, the tool's metric, the file it is in, and
        /// what the reader should know about the choice, such as a p99 standing in for a p95).
        public var mapped: [(budget: String, metric: String, file: String, note: String?)]
        /// The seed budgets no file has a metric for.
        public var unmapped: [String]
    }

    /// The starter budgets; with `files` (tools' outputs, each with its name), each budget takes
    /// its metric by `from`, every other metric is reported without gating (`"*": {"gate": false}`),
    /// and every rule has floors that an unchanged rerun does not cross.
    public static func make(from files: [(name: String, metrics: MetricSet)] = []) -> Starter {
        var rules: [JSONOutputMember] = []
        var mapped: [(String, String, String, String?)] = []
        var unmapped: [String] = []
        let candidates = files.flatMap { file in file.metrics.metrics.map { (file: file.name, metric: $0) } }
        for seed in seeds {
            var rule: [JSONOutputMember] = []
            if !files.isEmpty {
                let matching = candidates.filter { seed.measures($0.metric.name.lowercased(), $0.metric.unit) }
                guard
                    let best = matching.min(by: {
                        (seed.rank($0.metric.name), $0.metric.name) < (seed.rank($1.metric.name), $1.metric.name)
                    })
                else {
                    unmapped.append(seed.name)
                    continue
                }
                let note = standIn(best.metric.name, file: best.file)
                rule.append(.init("from", .string(best.metric.name)))
                if let note { rule.append(.init("description", .string(note))) }
                mapped.append((seed.name, best.metric.name, best.file, note))
            }
            rule += [
                .init("unit", .string(seed.unit)), .init("target", .number(seed.levels.0)),
                .init("warning", .number(seed.levels.1)), .init("error", .number(seed.levels.2)),
            ]
            if !files.isEmpty { rule += floors(of: seed) }
            rules.append(.init(seed.name, .object(rule, inline: true)))
        }
        if !files.isEmpty {
            if let found = candidates.first(where: { throughputNames.contains($0.metric.name.lowercased()) }) {
                rules.append(
                    .init(
                        "throughput",
                        .object(
                            [
                                .init("from", .string(found.metric.name)),
                                .init("maxRegression", .string(throughputThreshold)),
                            ],
                            inline: true)))
                mapped.append(("throughput", found.metric.name, found.file, nil))
            }
            if let found = candidates.first(where: { errorRateNames.contains($0.metric.name.lowercased()) }) {
                rules.append(
                    .init(
                        "errorRate",
                        .object(
                            [.init("from", .string(found.metric.name))] + errorRateRule(for: found.metric),
                            inline: true)))
                mapped.append(("errorRate", found.metric.name, found.file, nil))
            }
            rules.append(.init("*", .object([.init("gate", .bool(false))], inline: true)))
        } else {
            rules.append(
                .init(
                    "BM_*",
                    .object([.init("maxRegression", .string("5%")), .init("minDelta", .string("200ns"))], inline: true))
            )
        }
        let document: JSONOutput = .object([
            .init("$schema", .string(schemaURL)),
            .init("schema", .string(Schema.budgets)),
            .init(
                "defaults",
                .object([.init("maxRegression", .string("10%")), .init("missing", .string("warn"))], inline: true)),
            .init("metrics", .object(rules)),
        ])
        return Starter(text: JSONWriter.write(document), mapped: mapped, unmapped: unmapped)
    }

    /// When the chosen metric is not the 95th percentile the seed budgets are written for, and
    /// the file has no p95 of the same measurement: which statistic stands in for it.
    static func standIn(_ chosen: String, file: String) -> String? {
        guard !(chosen.hasSuffix(" p95") || chosen.hasSuffix(" p(95)")), let space = chosen.lastIndex(of: " ") else {
            return nil
        }
        let statistic = chosen[chosen.index(after: space)...]
        // A gauge (resident memory) is one figure, not a distribution with percentiles.
        guard MetricNames.isStatistic(statistic) else { return nil }
        return "\(file) has no 95th percentile of it: its \(statistic) stands in (\(chosen))"
    }
}
