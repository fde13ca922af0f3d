import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput
@testable import RedlinePolicy
@testable import RedlineHistory
@testable import RedlineVerdict
@testable import RedlineBaseline
@testable import RedlineReport

@Suite("Rules under the team's own names: from, gate, $schema, the starter budgets")
struct FromRuleTests {
    static let load = MetricSet(metrics: [
        Metric(name: "latency p95", value: 0.12, unit: Unit("s")),
        Metric(name: "latency p99", value: 0.2, unit: Unit("s")),
        Metric(name: "throughput", value: 900, unit: Unit("req/s"), direction: .higher),
        Metric(name: "errors", value: 0, unit: Unit("count")),
    ])

    @Test("a rule with from judges the tool's metric under the rule's name, in the rule's unit, on both sides")
    func takesFrom() throws {
        let policy = try readBudgets(
            """
            {"metrics": {"apiResponseTime": {"from": "latency p95", "unit": "ms", "target": 100, "warning": 200, "error": 500}}}
            """)
        // The baseline was recorded without budgets: its raw name is taken too.
        let baseline = Baseline(metrics: MetricSet(metrics: [Metric(name: "latency p95", value: 0.1, unit: Unit("s"))]))
        let judgement = try Judge.judge(current: Self.load, baseline: baseline, policy: policy)
        let api = try #require(judgement.metrics.first { $0.name == "apiResponseTime" })
        #expect(api.source == "latency p95")
        #expect(api.verdict == .regressed)
        #expect(api.budgetLevel == .overTarget)
        #expect(api.rule.key == "apiResponseTime")
        // The source is judged once, under the rule's name only.
        #expect(!judgement.metrics.contains { $0.name == "latency p95" })
        #expect(MarkdownReport.render(judgement).contains("`apiResponseTime` ← `latency p95`"))
        #expect(JSONResult.render(judgement).contains("\"name\": \"apiResponseTime\", \"from\": \"latency p95\""))
        // A baseline recorded with the budgets has the rule's name already.
        let recorded = try BaselineUpdate.merge(
            old: nil, current: Self.load, provenance: Provenance(), prune: false, policy: policy)
        #expect(recorded.baseline.metrics["apiResponseTime"]?.value == 0.12)
        #expect(recorded.baseline.metrics["latency p95"] == nil)
        let again = try Judge.judge(current: Self.load, baseline: recorded.baseline, policy: policy)
        #expect(again.metrics.first { $0.name == "apiResponseTime" }?.verdict == .unchanged)
    }

    @Test("from with a pattern must match exactly one metric of the run: none or several is a clear error")
    func fromMatches() throws {
        let one = try readBudgets(#"{"metrics": {"tail": {"from": "latency p9[5]"}}}"#)
        #expect(try Judge.judge(current: Self.load, baseline: nil, policy: one).metrics.contains { $0.name == "tail" })
        let several = try readBudgets(#"{"metrics": {"tail": {"from": "latency *"}}}"#)
        #expect {
            try Judge.judge(current: Self.load, baseline: nil, policy: several)
        } throws: { error in
            error.redlineErrors[0].description.contains(
                "`from` \"latency *\" matches 2 metrics of the current run (\"latency p95\", \"latency p99\")")
        }
        let none = try readBudgets(#"{"metrics": {"db": {"from": "db_query p95"}}}"#)
        #expect {
            try Judge.judge(current: Self.load, baseline: nil, policy: none)
        } throws: { error in
            let text = error.redlineErrors[0].description
            return text.contains("budgets.json:1:14") && text.contains("matches no metric of the current run")
        }
    }

    @Test("from is checked where it is written: a pattern key, an empty or broken from are errors")
    func fromErrors() {
        #expect(
            budgetProblems(#"{"metrics": {"api*": {"from": "latency p95"}}}"#).first?.message.contains(
                "must not be a pattern") == true)
        #expect(budgetProblems(#"{"metrics": {"api": {"from": ""}}}"#).first?.message.contains("is empty") == true)
        #expect(budgetProblems(#"{"metrics": {"api": {"from": "latency [p95"}}}"#).isEmpty == false)
        #expect(budgetProblems(#"{"metrics": {"api": {"from": 5}}}"#).isEmpty == false)
    }

    @Test("gate: false reports a metric but never warns or fails for it, and says so")
    func reportOnly() throws {
        let policy = try readBudgets(
            #"{"metrics": {"errors": {"gate": false}, "latency*": {"gate": false, "error": 0.1}}}"#)
        let baseline = Baseline(
            metrics: MetricSet(metrics: [
                Metric(name: "errors", value: 0, unit: Unit("count")),
                Metric(name: "latency p95", value: 0.05, unit: Unit("s")),
            ]))
        var current = Self.load.metrics
        current[current.firstIndex { $0.name == "errors" }!].value = 3
        let judgement = try Judge.judge(current: MetricSet(metrics: current), baseline: baseline, policy: policy)
        #expect(judgement.outcome == .passed)
        let errors = try #require(judgement.metrics.first { $0.name == "errors" })
        #expect(errors.verdict == .regressed && errors.severity == .ok)
        #expect(errors.isReportedOnlyFinding)
        #expect(Formatting.verdictWithNotes(of: errors).hasSuffix("; reported only"))
        #expect(judgement.metrics.first { $0.name == "latency p95" }?.budgetLevel == .error)
        #expect(
            budgetProblems(#"{"metrics": {"x": {"gate": "no"}}}"#).first?.message.contains("must be true or false")
                == true)
    }

    @Test("$schema is an editor's reference: accepted in budgets and metrics files, never a metric")
    func schemaKey() throws {
        _ = try readBudgets(#"{"$schema": "https://redline.dev/schemas/budgets.v1.json", "metrics": {}}"#)
        let bare = try readNative(#"{"$schema": "https://redline.dev/schemas/metrics.v1.json", "a": 1}"#)
        #expect(bare.metrics.map(\.name) == ["a"])
        let document = try readNative(#"{"$schema": "x", "metrics": [{"name": "a", "value": 1}]}"#)
        #expect(document.metrics.count == 1)
        #expect(throws: (any Error).self) { try readNative(#"{"schema": 5, "a": 1}"#) }
        // A baseline given as metrics reads as its metrics.
        let baseline = BaselineDocument.render(windowBaseline([1, 2, 3, 4, 5]))
        #expect(try readNative(baseline).metrics.map(\.name) == ["m"])
        #expect(throws: (any Error).self) {
            try readNative(#"{"metrics": [{"name": "a", "value": 1, "history": {"values": [1]}}]}"#)
        }
    }

    @Test(
        "the starter budgets: all three seed budgets and $schema; with a tool's output, each mapped by from where it exists"
    )
    func starter() throws {
        let plain = StarterBudgets.make()
        let policy = try readBudgets(plain.text)
        #expect(policy.exactNames.sorted() == ["apiResponseTime", "databaseQueryTime", "memoryUsage"])
        #expect(plain.text.contains("\"$schema\": \"https://redline.dev/schemas/budgets.v1.json\""))
        let telemetry = MetricSet(
            metrics: Self.load.metrics + [
                Metric(name: "db_query_duration_seconds p95", value: 0.002, unit: Unit("s")),
                Metric(name: "db_query_duration_seconds{query=\"a\"} p95", value: 0.002, unit: Unit("s")),
                Metric(name: "process_resident_memory_bytes", value: 3e7, unit: Unit("B")),
                Metric(name: "http_request_duration_seconds p95", value: 0.004, unit: Unit("s")),
            ])
        let mapped = StarterBudgets.make(from: [("load.txt", telemetry)])
        let pairs = Dictionary(uniqueKeysWithValues: mapped.mapped.map { ($0.budget, $0.metric) })
        #expect(pairs["apiResponseTime"] == "latency p95")
        #expect(pairs["databaseQueryTime"] == "db_query_duration_seconds p95")
        #expect(pairs["memoryUsage"] == "process_resident_memory_bytes")
        #expect(pairs["throughput"] == "throughput")
        #expect(mapped.unmapped.isEmpty)
        // The file it writes judges the output it was made from.
        let judged = try Judge.judge(current: telemetry, baseline: nil, policy: readBudgets(mapped.text))
        #expect(judged.metrics.first { $0.name == "databaseQueryTime" }?.budgetLevel == .withinTarget)
        let loadOnly = StarterBudgets.make(from: [("load.txt", Self.load)])
        #expect(loadOnly.unmapped == ["databaseQueryTime", "memoryUsage"])
    }

    @Test(
        "the starter from a load test and a scrape: each budget says its file, the rest is reported, every rule has floors"
    )
    func starterFromSeveralFiles() throws {
        let scrape = MetricSet(metrics: [
            Metric(name: "db_query_duration_seconds p95", value: 0.002, unit: Unit("s")),
            Metric(name: "process_resident_memory_bytes", value: 3e7, unit: Unit("B")),
        ])
        func hey(errorRate: Double) -> [Metric] {
            Self.load.metrics + [Metric(name: "error rate", value: errorRate, unit: Unit("%"))]
        }
        let starter = StarterBudgets.make(from: [
            ("hey.txt", MetricSet(metrics: hey(errorRate: 0))), ("metrics.prom", scrape),
        ])
        let files = Dictionary(uniqueKeysWithValues: starter.mapped.map { ($0.budget, $0.file) })
        #expect(
            files == [
                "apiResponseTime": "hey.txt", "databaseQueryTime": "metrics.prom", "memoryUsage": "metrics.prom",
                "throughput": "hey.txt", "errorRate": "hey.txt",
            ])
        let policy = try readBudgets(starter.text)
        #expect(try policy.rule(for: "latency p50")?.gate == false)
        for name in ["apiResponseTime", "databaseQueryTime", "memoryUsage"] {
            let rule = try #require(try policy.rule(for: name))
            #expect(rule.maxRegression == 0.2)
            #expect(rule.minDelta != nil)
        }
        // The error rate is a budget with a floor of one point: one stray error in thousands fails nothing.
        let errorRate = try #require(try policy.rule(for: "errorRate"))
        #expect(errorRate.minDelta == Quantity(value: 1, unit: Unit("%")))
        let stray = MetricSet(metrics: hey(errorRate: 0.03) + scrape.metrics)
        let baseline = Baseline(metrics: MetricSet(metrics: hey(errorRate: 0) + scrape.metrics))
        let judged = try Judge.judge(current: stray, baseline: baseline, policy: policy)
        #expect(judged.metrics.first { $0.name == "errorRate" }?.verdict == .unchanged)
        #expect(judged.outcome == .passed)
    }

    @Test("wrk prints no p95: the starter takes its p99 and says so in the rule's description")
    func starterStandIn() throws {
        let wrk = MetricSet(metrics: [
            Metric(name: "latency p50", value: 1, unit: Unit("ms")),
            Metric(name: "latency p99", value: 3, unit: Unit("ms")),
            Metric(name: "throughput", value: 900, unit: Unit("req/s")),
        ])
        let starter = StarterBudgets.make(from: [("wrk.txt", wrk)])
        let api = try #require(starter.mapped.first { $0.budget == "apiResponseTime" })
        #expect(api.metric == "latency p99")
        #expect(api.note == "wrk.txt has no 95th percentile of it: its p99 stands in (latency p99)")
        #expect(try readBudgets(starter.text).rules.first { $0.key == "apiResponseTime" }?.description == api.note)
        // k6's failure rate is a fraction, not a percentage: its levels are fractions.
        let k6 = MetricSet(metrics: [
            Metric(name: "http_req_duration p(95)", value: 20, unit: Unit("ms")),
            Metric(name: "http_req_failed rate", value: 0),
        ])
        let rules = try readBudgets(StarterBudgets.make(from: [("summary.json", k6)]).text)
        #expect(rules.rules.first { $0.key == "errorRate" }?.error == 0.05)
    }
}
