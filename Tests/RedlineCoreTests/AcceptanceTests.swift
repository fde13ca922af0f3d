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

@Suite("Accepted regressions: within, beyond, expired, spent")
struct AcceptanceTests {
    static func policy(_ accept: String, unit: String = "ms") throws -> Policy {
        try readBudgets(#"{"metrics": {"api": {"unit": "\#(unit)", "accept": [\#(accept)]}}}"#)
    }

    static func judge(_ current: Double, baseline: Double = 100, policy: Policy, today: String = "2026-12-01") throws
        -> Judgement
    {
        var options = JudgeOptions()
        options.today = today
        return try Judge.judge(
            current: MetricSet(metrics: [Metric(name: "api", value: current, unit: Unit("ms"))]),
            baseline: Baseline(metrics: MetricSet(metrics: [Metric(name: "api", value: baseline, unit: Unit("ms"))])),
            policy: policy, options: options)
    }

    static let accept25 = #"{"change": "+25%", "until": "2027-01-31", "reason": "new auth check, #123"}"#

    @Test("within: accepted, a notice with the reason in every output, never a failure")
    func within() throws {
        let judgement = try Self.judge(120, policy: Self.policy(Self.accept25))
        let api = judgement.metrics[0]
        #expect(api.verdict == .accepted)
        #expect(api.severity == .notice)
        #expect(judgement.outcome == .passed)
        #expect(api.notes.contains("within the acceptance of +25% until 2027-01-31 (new auth check, #123)"))
        #expect(judgement.counts.accepted == 1)
        let markdown = MarkdownReport.render(judgement)
        #expect(markdown.contains("### Accepted regressions"))
        #expect(markdown.contains("new auth check, #123"))
        #expect(JSONResult.render(judgement).contains("\"state\": \"used\""))
        #expect(GitHub.annotations(judgement).contains { $0.hasPrefix("::notice") && $0.contains("new auth check") })
    }

    @Test("beyond: still regressed, naming the acceptance it exceeded")
    func beyond() throws {
        let judgement = try Self.judge(130, policy: Self.policy(Self.accept25))
        #expect(judgement.metrics[0].verdict == .regressed)
        #expect(judgement.outcome == .failed)
        #expect(judgement.metrics[0].notes.contains { $0.hasPrefix("beyond the acceptance of +25%") })
        #expect(judgement.acceptances.map(\.state) == [.exceeded])
    }

    @Test("by: an absolute amount, in any unit of the metric's dimension; both limits when both are given")
    func absolute() throws {
        #expect(
            try Self.judge(125, policy: Self.policy(#"{"by": "30 ms", "until": "2027-01-31", "reason": "r"}"#)).metrics[
                0
            ].verdict == .accepted)
        #expect(
            try Self.judge(125, policy: Self.policy(#"{"by": "0.02 s", "until": "2027-01-31", "reason": "r"}"#))
                .metrics[0].verdict == .regressed)
        let both = try Self.policy(#"{"change": "+25%", "by": "10 ms", "until": "2027-01-31", "reason": "r"}"#)
        #expect(try Self.judge(115, policy: both).metrics[0].verdict == .regressed)
        #expect(try Self.judge(109, baseline: 100, policy: both).metrics[0].verdict == .unchanged)
        // From 0 there is no percentage: only `by` accepts it.
        #expect(try Self.judge(5, baseline: 0, policy: Self.policy(Self.accept25)).metrics[0].verdict == .regressed)
        #expect(
            try Self.judge(
                5, baseline: 0, policy: Self.policy(#"{"by": "10 ms", "until": "2027-01-31", "reason": "r"}"#)
            )
            .metrics[0].verdict == .accepted)
    }

    @Test("expired: ignored for judging, a warning naming the line to delete")
    func expired() throws {
        let judgement = try Self.judge(120, policy: Self.policy(Self.accept25), today: "2027-02-01")
        let api = judgement.metrics[0]
        #expect(api.verdict == .regressed)
        #expect(judgement.acceptances.map(\.state) == [.expired])
        #expect(judgement.acceptances[0].sentence(file: "budgets.json").contains("budgets.json:1:"))
        // On its last day it still applies.
        #expect(
            try Self.judge(120, policy: Self.policy(Self.accept25), today: "2027-01-31").metrics[0].verdict == .accepted
        )
        // Expired on a metric that no longer regresses: a warning all the same.
        let quiet = try Self.judge(101, policy: Self.policy(Self.accept25), today: "2027-02-01")
        #expect(quiet.metrics[0].severity == .warning)
        #expect(MarkdownReport.render(quiet).contains("**Acceptances to delete:**"))
    }

    @Test("spent: after the baseline absorbed the new level, the acceptance is reported for deletion")
    func spent() throws {
        let judgement = try Self.judge(121, baseline: 120, policy: Self.policy(Self.accept25))
        #expect(judgement.metrics[0].verdict == .unchanged)
        #expect(judgement.acceptances.map(\.state) == [.spent])
        #expect(judgement.acceptances[0].sentence(file: "budgets.json").contains("is spent"))
    }

    @Test("an acceptance without a reason, without until, or further than 180 days ahead is a config error")
    func invalid() throws {
        #expect(
            budgetProblems(#"{"metrics": {"api": {"accept": [{"change": "+25%", "until": "2027-01-31"}]}}}"#).first?
                .message.contains("has no `reason`") == true)
        #expect(
            budgetProblems(
                #"{"metrics": {"api": {"accept": [{"change": "+25%", "until": "2027-01-31", "reason": "  "}]}}}"#
            ).isEmpty == false)
        #expect(
            budgetProblems(#"{"metrics": {"api": {"accept": [{"change": "+25%", "reason": "r"}]}}}"#).first?.message
                .contains("needs `until`") == true)
        #expect(
            budgetProblems(
                #"{"metrics": {"api": {"accept": [{"change": "+25%", "until": "2027-02-30", "reason": "r"}]}}}"#
            ).isEmpty == false)
        #expect(
            budgetProblems(#"{"metrics": {"api": {"accept": [{"until": "2027-01-31", "reason": "r"}]}}}"#).first?
                .message.contains("neither `change` nor `by`") == true)
        #expect(
            budgetProblems(
                #"{"metrics": {"api": {"accept": [{"change": "25", "until": "2027-01-31", "reason": "r"}]}}}"#
            ).isEmpty == false)
        #expect(
            budgetProblems(
                #"{"metrics": {"api": {"unit": "ms", "accept": [{"by": "3 MB", "until": "2027-01-31", "reason": "r"}]}}}"#
            ).isEmpty == false)
        #expect(budgetProblems(#"{"metrics": {"api": {"accept": {"change": "+25%"}}}}"#).isEmpty == false)
        let policy = try Self.policy(Self.accept25)
        #expect(policy.acceptanceProblems(today: "2026-12-01").isEmpty)
        let far = policy.acceptanceProblems(today: "2026-07-01")
        #expect(far.errors.first?.message.contains("214 days from today; at most 180") == true)
    }

    @Test("calendar days: dates round-trip and differences are exact across leap years")
    func days() {
        #expect(CalendarDay.number("1970-01-01") == 0)
        #expect(CalendarDay.number("2000-03-01")! - CalendarDay.number("2000-02-28")! == 2)
        #expect(CalendarDay.number("2100-03-01")! - CalendarDay.number("2100-02-28")! == 1)
        #expect(CalendarDay.number("2027-13-01") == nil)
        #expect(CalendarDay.date(secondsSince1970: 1_764_000_000) == "2025-11-24")
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<2_000 {
            let day = Int.random(in: -100_000...100_000, using: &generator)
            #expect(CalendarDay.number(CalendarDay.date(secondsSince1970: Double(day) * 86_400 + 5)) == day)
        }
    }
}
