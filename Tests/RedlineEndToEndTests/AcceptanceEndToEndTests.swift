import Foundation
import Testing

@Suite("Accepted regressions, end to end")
struct AcceptanceEndToEndTests {
    static let budgets = """
        {"metrics": {"api": {"unit": "ms", "target": 100, "warning": 200, "error": 500,
          "accept": [{"change": "+25%", "until": "2026-01-31", "reason": "new auth check, #123"}]}}}
        """

    @Test(
        "check accepts a regression within it on its dates, and validate lists it as expired later and spent after the baseline moved"
    )
    func lifecycle() throws {
        let workspace = try Workspace()
        try workspace.write("budgets.json", Self.budgets)
        try workspace.write("old.json", #"{"api": {"value": 80, "unit": "ms"}}"#)
        try workspace.write("new.json", #"{"api": {"value": 96, "unit": "ms"}}"#)
        #expect(
            try workspace.run(
                ["baseline", "update", "--current", "old.json"], environment: ["SOURCE_DATE_EPOCH": "1764000000"]
            ).status == 0)
        // 2025-11-24: within +25%, accepted.
        let within = try workspace.run(
            ["check", "--current", "new.json", "--report", "report.md"],
            environment: ["SOURCE_DATE_EPOCH": "1764000000"])
        #expect(within.status == 0, "\(within.stdout)")
        #expect(try workspace.read("report.md").contains("### Accepted regressions"))
        // 2026-02-01: expired, so the regression fails again and the line to delete is named.
        let late = try workspace.run(
            ["check", "--current", "new.json"], environment: ["SOURCE_DATE_EPOCH": "1769904000"])
        #expect(late.status == 1)
        #expect(late.stdout.contains("Acceptance: api: the acceptance at budgets.json:2:14 expired on 2026-01-31"))
        let validateLate = try workspace.run(["validate"], environment: ["SOURCE_DATE_EPOCH": "1769904000"])
        #expect(validateLate.stdout.contains("acceptance: api: the acceptance at budgets.json:2:14 expired"))
        // After merge the baseline absorbs the new level: the acceptance is spent.
        #expect(
            try workspace.run(
                ["baseline", "update", "--current", "new.json"], environment: ["SOURCE_DATE_EPOCH": "1764000000"]
            ).status == 0)
        let validate = try workspace.run(
            ["validate", "--current", "new.json"], environment: ["SOURCE_DATE_EPOCH": "1764000000"])
        #expect(validate.status == 0)
        #expect(validate.stdout.contains("acceptance: api: the acceptance at budgets.json:2:14 is spent"))
        // More than 180 days ahead is refused.
        let early = try workspace.run(
            ["check", "--current", "new.json"], environment: ["SOURCE_DATE_EPOCH": "1740000000"])
        #expect(early.status == 2)
        #expect(early.stderr.contains("days from today; at most 180 are allowed"))
    }
}
