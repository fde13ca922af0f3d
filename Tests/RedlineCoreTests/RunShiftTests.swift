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

/// A load test's metrics as hey and a /metrics scrape name them: one endpoint's latency
/// statistics, throughput and requests, and per route and per query the histogram statistics.
/// `factor` scales every time (and divides the work done): a service that got slower.
func loadTestRun(factor: Double, noise: () -> Double) -> MetricSet {
    var metrics: [Metric] = []
    func time(_ name: String, _ milliseconds: Double) {
        metrics.append(Metric(name: name, value: milliseconds * factor * (1 + noise()), unit: Unit("ms")))
    }
    for (statistic, value) in [("mean", 20.0), ("p50", 18), ("p90", 26), ("p95", 30), ("p99", 41), ("max", 60)] {
        time("latency \(statistic)", value)
    }
    metrics.append(Metric(name: "throughput", value: 400 / factor * (1 + noise()), unit: Unit("req/s")))
    metrics.append(
        Metric(name: "requests", value: 2000 / factor * (1 + noise()), unit: Unit("count"), direction: .higher))
    for route in ["/users/by-email", "/users/{id}/orders", "/users/{id}/summary", "/users/batch"] {
        let series = "http_request_duration_seconds{route=\"\(route)\"}"
        for (statistic, value) in [("mean", 12.0), ("p50", 10), ("p90", 16), ("p95", 19), ("p99", 25)] {
            time(series + " " + statistic, value)
        }
        metrics.append(
            Metric(
                name: series + " count", value: 500 / factor * (1 + noise()), unit: Unit("count"), direction: .higher))
    }
    for query in ["user_by_email", "orders_by_user_status", "users_by_ids"] {
        let series = "db_query_duration_seconds{query=\"\(query)\"}"
        for (statistic, value) in [("mean", 3.0), ("p50", 2.5), ("p90", 4), ("p95", 5), ("p99", 7)] {
            time(series + " " + statistic, value)
        }
    }
    metrics.append(Metric(name: "process_resident_memory_bytes", value: 6e7 * (1 + noise()), unit: Unit("B")))
    return MetricSet(metrics: metrics.sorted { $0.name < $1.name })
}

/// A baseline of `runs` runs of `run`.
func windowOf(_ runs: [MetricSet]) -> Baseline {
    var history: [String: MetricHistory] = [:]
    for metric in runs[0].metrics {
        history[metric.name] = MetricHistory(values: runs.map { $0[metric.name]?.value })
    }
    return Baseline(metrics: runs.last!, runs: (1...runs.count).map { BaselineRun(id: $0) }, history: history)
}

/// The seed's team's budgets on a load test: two gated figures, everything else reported.
let loadTestBudgets = """
    {"metrics": {
      "apiResponseTime": {"from": "latency p95", "unit": "ms", "target": 100, "warning": 200, "error": 500, "maxRegression": "20%", "minDelta": "5 ms"},
      "databaseQueryTime": {"from": "db_query_duration_seconds{query=\\"user_by_email\\"} p95", "unit": "ms", "target": 50, "warning": 100, "error": 200},
      "*": {"gate": false}
    }}
    """

@Suite("Run-wide shifts: independent measurements, the likelier cause, and failures never folded")
struct RunShiftTests {
    @Test(
        "several statistics of one distribution are one measurement",
        arguments: [
            ("latency p95", "latency"), ("latency mean", "latency"), ("GET /users latency p99", "GET /users latency"),
            ("http_req_duration p(95)", "http_req_duration"),
            ("http_req_duration{name:a} med", "http_req_duration{name:a}"),
            (#"db_query_duration_seconds{query="a"} p99.9"#, #"db_query_duration_seconds{query="a"}"#),
            (#"http_request_duration_seconds count"#, #"http_request_duration_seconds count"#),
            ("BM_Sort/1024 [cpu_time]", "BM_Sort/1024"), ("BM_Sort/1024", "BM_Sort/1024"), ("throughput", "throughput"),
            ("error rate", "error rate"), ("latency pmax", "latency pmax"), ("p95", "p95"),
        ])
    func measurement(name: String, expected: String) {
        #expect(MetricNames.measurement(of: name) == Substring(expected))
    }

    @Test(
        "a single service 30% slower: one finding of 15 measurements, likelier a real change, every failure shown and annotated"
    )
    func slowerService() throws {
        var generator = SeededGenerator(seed: 30)
        func noise() -> Double { 0.02 * normal(&generator) }
        let baseline = windowOf((0..<8).map { _ in loadTestRun(factor: 1, noise: noise) })
        let policy = try readBudgets(loadTestBudgets)
        var options = JudgeOptions()
        options.fromLoadTest = true
        let judgement = try Judge.judge(
            current: loadTestRun(factor: 1.3, noise: noise), baseline: baseline, policy: policy, options: options)
        #expect(judgement.outcome == .failed)
        let shift = try #require(judgement.runShift)
        // 8 hey metrics in 3 measurements (apiResponseTime is hey's p95 under the team's name),
        // 4 routes × 2, 3 queries and the resident memory: 15 measurements, not 53 metrics.
        #expect(shift.metrics == 15)
        #expect(abs(shift.change - 0.3) < 0.05)
        // The window's runs moved together by well under a percent: +30% is not the machine.
        #expect(shift.cause == .change)
        let failing = judgement.sections.failing.map(\.name)
        #expect(failing.contains("apiResponseTime"))
        // Gated verdicts only in the counts; the reported-only metrics that moved are counted apart.
        #expect(judgement.counts.regressed == failing.count)
        #expect(judgement.counts.reportedOnlyChanges > 30)
        // Every output shows the failing row before anything is folded, and annotates it.
        for markdown in [MarkdownReport.render(judgement), ReportOutputs.comment(judgement, context: OutputContext())] {
            let folded = markdown.range(of: "<details>")?.lowerBound ?? markdown.endIndex
            let row = try #require(markdown.range(of: "| `apiResponseTime` ← `latency p95` |"))
            #expect(row.lowerBound < folded)
            #expect(markdown.contains("likelier a real change"))
            #expect(!markdown.contains("rerun on another runner to tell them apart"))
        }
        let annotations = GitHub.annotations(judgement)
        #expect(annotations.contains { $0.hasPrefix("::error title=redline%3A apiResponseTime::") })
        #expect(annotations.contains { $0.hasPrefix("::notice title=redline%3A run-wide shift::") })
        #expect(TerminalReport.render(judgement, colour: false).contains("FAIL  apiResponseTime"))
    }

    @Test("from a load test without a window to compare with, a shift is still called likelier a change, and says why")
    func loadTestWithoutWindow() throws {
        var generator = SeededGenerator(seed: 31)
        func noise() -> Double { 0.01 * normal(&generator) }
        let baseline = windowOf([loadTestRun(factor: 1, noise: noise)])
        var options = JudgeOptions()
        options.fromLoadTest = true
        let judgement = try Judge.judge(
            current: loadTestRun(factor: 1.3, noise: noise), baseline: baseline,
            policy: try readBudgets(loadTestBudgets), options: options)
        let shift = try #require(judgement.runShift)
        #expect(shift.cause == .change)
        #expect(shift.machineSpread == nil)
        #expect(Formatting.runShiftCause(shift).contains("the metrics come from a load test"))
        // The same figures from a benchmark suite: nothing tells the two causes apart.
        let suite = try Judge.judge(
            current: loadTestRun(factor: 1.3, noise: noise), baseline: baseline, policy: Policy())
        #expect(suite.runShift?.cause == .either)
    }

    @Test("a benchmark suite on a runner that moves ±10% from run to run: a 15% shift is likelier the machine")
    func machineShift() throws {
        var generator = SeededGenerator(seed: 32)
        var runs: [MetricSet] = []
        for _ in 0..<12 {
            let machine = 1 + 0.10 * normal(&generator)
            runs.append(
                MetricSet(
                    metrics: (0..<20).map { index in
                        Metric(
                            name: "BM_\(index + 10)", value: 100 * machine * (1 + 0.01 * normal(&generator)),
                            unit: Unit("ns"))
                    }))
        }
        let baseline = windowOf(runs)
        let median = Metric.median(runs.map { $0.metrics.map(\.value).reduce(0, +) / 20 })!
        let current = MetricSet(
            metrics: (0..<20).map {
                Metric(
                    name: "BM_\($0 + 10)", value: median / 100 * 115 * (1 + 0.01 * normal(&generator)), unit: Unit("ns")
                )
            })
        let judgement = try Judge.judge(current: current, baseline: baseline, policy: Policy())
        let shift = try #require(judgement.runShift)
        #expect(shift.cause == .machine)
        let machine = try #require(shift.machineSpread)
        #expect(machine > 0.03, "\(machine)")
        #expect(Formatting.runShiftCause(shift).hasPrefix("likelier the machine"))
    }

    /// What `RunShift.find` must say, computed apart: group by measurement, take each group's
    /// median change, and apply the documented conditions.
    static func referenceShift(_ changes: [(name: String, change: Double)], maxRegression: Double) -> (
        found: Bool, measurements: Int
    ) {
        var groups: [String: [Double]] = [:]
        for (name, change) in changes {
            var base = name
            if base.hasSuffix(" [cpu_time]") { base.removeLast(" [cpu_time]".count) }
            if let space = base.lastIndex(of: " ") {
                let word = base[base.index(after: space)...]
                let statistic =
                    ["mean", "avg", "average", "min", "max", "med", "median", "stddev", "stdev"].contains(String(word))
                    || (word.hasPrefix("p") && word.count > 1
                        && word.dropFirst().allSatisfy { $0.isNumber || $0 == "." })
                if statistic { base = String(base[..<space]) }
            }
            groups[base, default: []].append(change)
        }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        let values = groups.values.map(median)
        guard values.count >= 8 else { return (false, values.count) }
        let centre = median(values)
        let agreeing = values.filter { centre > 0 ? $0 > 0 : $0 < 0 }.count
        let spread = 1.4826 * median(values.map { abs($0 - centre) })
        let found =
            Double(agreeing) >= 0.75 * Double(values.count) && abs(centre) >= maxRegression / 2 && centre > -1
            && spread <= abs(centre) / 2
        return (found, values.count)
    }

    @Test(
        "2,000 generated runs: the shift is found exactly when the reference finds it; more statistics of a measurement change nothing"
    )
    func generated() throws {
        var generator = SeededGenerator(seed: 33)
        var found = 0
        for _ in 0..<2_000 {
            let measurements = Int.random(in: 1...24, using: &generator)
            let shift = [0.0, 0.08, 0.2, 0.3, -0.25][Int.random(in: 0..<5, using: &generator)]
            let scatter = [0.005, 0.05, 0.2][Int.random(in: 0..<3, using: &generator)]
            var changes: [(String, Double)] = []
            for index in 0..<measurements {
                let centre = shift + scatter * normal(&generator)
                let statistics = ["mean", "p50", "p95", "p99", "max"].prefix(Int.random(in: 1...5, using: &generator))
                let kind = index % 3 == 0 ? "latency" : index % 3 == 1 ? "h{route=\"/\(index)\"}" : "BM_\(index)"
                for statistic in statistics {
                    changes.append(
                        (
                            kind == "latency" ? "e\(index) latency \(statistic)" : "\(kind) \(statistic)",
                            centre + 0.002 * normal(&generator)
                        ))
                }
            }
            let judged = changes.map { name, change in
                MetricJudgement(
                    name: name,
                    rule: ResolvedRule(direction: .lower, maxRegression: 0.1, minDelta: 0, missing: .warn, alpha: 0.05),
                    baseline: 100, current: 100 * (1 + change),
                    comparison: Comparison(
                        baseline: 100, current: 100 * (1 + change), worsening: 100 * change, change: change),
                    verdict: change > 0.1 ? .regressed : change < -0.1 ? .improved : .unchanged, severity: .ok)
            }.sorted { $0.name < $1.name }
            let expected = Self.referenceShift(changes, maxRegression: 0.1)
            let actual = RunShift.find(in: judged, maxRegression: 0.1)
            #expect((actual != nil) == expected.found, "\(changes)")
            if let actual {
                #expect(actual.metrics == expected.measurements)
                found += 1
            }
        }
        // The draws cover both outcomes well.
        #expect(found > 200 && found < 1_800)
    }
}
