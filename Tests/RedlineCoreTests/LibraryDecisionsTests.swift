import Testing
import RedlineCore

/// Decisions the executable used to make itself, now pure functions of the library: when a
/// rerun is due and what it settled, which acceptances are stale, whose commit a baseline records.
@Suite("Decisions in the library: reruns, stale acceptances, provenance")
struct LibraryDecisionsTests {
    static let policy = Policy()
    static let baseline = Baseline(
        metrics: MetricSet(metrics: [
            Metric(name: "api", value: 100, unit: Unit("ms")), Metric(name: "db", value: 50, unit: Unit("ms")),
        ]))

    static func run(api: Double, db: Double) -> MetricSet {
        MetricSet(metrics: [
            Metric(name: "api", value: api, unit: Unit("ms")), Metric(name: "db", value: db, unit: Unit("ms")),
        ])
    }

    static func judge(_ first: MetricSet, reruns: [MetricSet] = []) throws -> Judgement {
        try Judge.judge(current: first, baseline: baseline, policy: policy, reruns: reruns)
    }

    @Test("a rerun is due while suspects remain; each rerun is judged with the runs before it and says what it settled")
    func rerunLoop() throws {
        let first = Self.run(api: 150, db: 80)
        var loop = RerunLoop(first: try Self.judge(first), limit: 3)
        #expect(loop.nextRerun == "rerun 1 of 2: 2 suspects (api, db)")
        // api back to normal twice: the median of 150, 100, 100 is 100; db stays slow.
        try loop.add(Self.run(api: 100, db: 80)) { try Self.judge(first, reruns: $0) }
        #expect(loop.nextRerun == "rerun 2 of 2: 2 suspects (api, db)")
        try loop.add(Self.run(api: 100, db: 80)) { try Self.judge(first, reruns: $0) }
        #expect(loop.nextRerun == nil, "three runs is the limit")
        let result = loop.result
        #expect(result.reruns == RerunRecord(used: 3, limit: 3, settled: [[], ["api"]], remaining: ["db"]))
        #expect(result.metrics.first { $0.name == "api" }?.verdict == .unchanged)
        #expect(result.outcome == .failed)
    }

    @Test("no suspect, no rerun: the record says one run was used")
    func noRerun() throws {
        let loop = RerunLoop(first: try Self.judge(Self.run(api: 100, db: 50)), limit: 3)
        #expect(loop.nextRerun == nil)
        #expect(loop.result.reruns == RerunRecord(used: 1, limit: 3, settled: [], remaining: []))
    }

    @Test("stale acceptances: every expired one, and the spent ones only when a run was judged")
    func staleAcceptances() throws {
        let policy = try readBudgets(
            #"""
            {"metrics": {
              "api": {"unit": "ms", "accept": [{"change": "+25%", "until": "2026-11-30", "reason": "old"}]},
              "db": {"unit": "ms", "accept": [{"change": "+25%", "until": "2027-01-31", "reason": "absorbed"}]}}}
            """#)
        #expect(
            policy.staleAcceptances(today: "2026-12-07", judgement: nil).map { [$0.metric, $0.state.rawValue] } == [
                ["api", "expired"]
            ])
        var options = JudgeOptions()
        options.today = "2026-12-07"
        // db is back within its threshold: its acceptance is spent.
        let judgement = try Judge.judge(
            current: Self.run(api: 100, db: 50), baseline: Self.baseline, policy: policy, options: options)
        #expect(
            policy.staleAcceptances(today: "2026-12-07", judgement: judgement).map { [$0.metric, $0.state.rawValue] }
                == [["api", "expired"], ["db", "spent"]])
        #expect(policy.staleAcceptances(today: "2026-11-01", judgement: nil).isEmpty)
    }

    @Test("provenance: the run's own commit and branch win over GitHub's; an empty variable is none")
    func provenance() {
        let tagged = MetricSet(metrics: [], context: [("commit", "abc123"), ("branch", "feature")])
        let environment = ["GITHUB_SHA": "def456", "GITHUB_REF_NAME": "main"]
        let own = BaselineUpdate.provenance(
            of: tagged, environment: environment, updatedAt: "2026-12-07T00:00:00Z", sources: [], reason: "why")
        #expect((own.commit, own.branch, own.reason) == ("abc123", "feature", "why"))
        let untagged = MetricSet(metrics: [])
        let github = BaselineUpdate.provenance(
            of: untagged, environment: environment, updatedAt: "t", sources: [], reason: nil)
        #expect((github.commit, github.branch) == ("def456", "main"))
        let empty = BaselineUpdate.provenance(
            of: untagged, environment: ["GITHUB_SHA": ""], updatedAt: "t", sources: [], reason: nil)
        #expect(empty.commit == nil && empty.branch == nil)
        #expect(github.redlineVersion == RedlineVersion.current)
    }
}
