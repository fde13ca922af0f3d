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

func readBudgets(_ text: String) throws -> Policy {
    try Budgets.read(SourceText(name: "budgets.json", text: text))
}

/// Every problem reading a budgets file raises.
func budgetProblems(_ text: String) -> [RedlineError] {
    do {
        _ = try readBudgets(text)
        return []
    } catch {
        return error.redlineErrors
    }
}

@Suite("budgets.json")
struct BudgetsTests {
    static let specExample = """
        {
          "schema": "redline.budgets.v1",
          "defaults": { "maxRegression": "10%", "missing": "warn" },
          "metrics": {
            "apiResponseTime":   { "unit": "ms", "target": 100, "warning": 200, "error": 500 },
            "databaseQueryTime": { "unit": "ms", "target": 50,  "warning": 100, "error": 200 },
            "memoryUsage":       { "unit": "MB", "target": 100, "warning": 200, "error": 500 },
            "throughput":        { "unit": "req/s", "direction": "higher", "target": 1000, "warning": 800, "error": 500 },
            "BM_*":              { "maxRegression": "5%", "minDelta": "200ns", "missing": "fail" }
          }
        }
        """

    @Test("the SPEC's example reads into defaults and five rules")
    func specExample() throws {
        let policy = try readBudgets(Self.specExample)
        #expect(policy.defaults.maxRegression == 0.1)
        #expect(policy.defaults.missing == .warn)
        #expect(policy.rules.count == 5)
        let bm = try #require(try policy.rule(for: "BM_Sort/8"))
        #expect(bm.key == "BM_*")
        #expect(bm.maxRegression == 0.05)
        #expect(bm.minDelta == Quantity(value: 200, unit: Unit("ns")))
        #expect(bm.missing == .fail)
        #expect(try policy.rule(for: "throughput")?.direction == .higher)
        #expect(policy.exactNames.sorted() == ["apiResponseTime", "databaseQueryTime", "memoryUsage", "throughput"])
    }

    @Test("{\"metrics\": {}} is a valid, empty budgets file")
    func empty() throws {
        #expect(try readBudgets(#"{"metrics": {}}"#).rules.isEmpty)
        #expect(try readBudgets("{}").rules.isEmpty)
    }

    @Test(
        "config errors, each with its message",
        arguments: [
            (
                #"{"metrics": {"a": {"maxRegression": 10}}}"#,
                "`maxRegression` of budget rule \"a\" must be a percentage such as \"10%\", got 10"
            ),
            (#"{"metrics": {"a": {"maxRegression": "10"}}}"#, "must be a percentage such as \"10%\", got \"10\""),
            (#"{"metrics": {"a": {"maxRegression": "-5%"}}}"#, "must be a percentage"),
            (
                #"{"metrics": {"a": {"target": 200, "warning": 100}}}"#,
                "target ≤ warning must hold, got target 200 and warning 100"
            ),
            (#"{"metrics": {"a": {"warning": 300, "error": 200}}}"#, "warning ≤ error must hold"),
            (#"{"metrics": {"a": {"direction": "higher", "target": 500, "error": 800}}}"#, "target ≥ error must hold"),
            (
                #"{"metrics": {"a": {"unit": "req/s", "target": 500, "error": 800}}}"#,
                "higher-is-better metric target ≥ error"
            ),
            (#"{"metrics": {"a": {"tagret": 1}}}"#, "unknown key \"tagret\" in budget rule \"a\""),
            (#"{"metrics": {}, "default": {}}"#, "unknown key \"default\""),
            (#"{"defaults": {"maxRegresion": "5%"}}"#, "unknown key \"maxRegresion\" in `defaults`"),
            (#"{"metrics": {"a": {"missing": "error"}}}"#, "must be \"fail\", \"warn\" or \"ignore\""),
            (#"{"metrics": {"a": {"minDelta": "fast"}}}"#, "must be an amount with a unit"),
            (
                #"{"metrics": {"a": {"unit": "ms", "minDelta": "2MB"}}}"#,
                "is in MB (size), but the rule's unit ms is a time"
            ),
            (#"{"metrics": {"a": {"direction": "down"}}}"#, "must be \"lower\" or \"higher\""),
            (#"{"metrics": {"a": {"target": "100"}}}"#, "`target` of budget rule \"a\" must be a number"),
            (#"{"metrics": {"a[": {}}}"#, "a `[` is never closed"),
            (#"{"metrics": {"a": 5}}"#, "budget rule \"a\" must be an object"),
            (#"{"metrics": []}"#, "`metrics` must be an object"),
            (#"{"schema": "redline.metrics.v1"}"#, "but a redline.budgets.v1 file was expected"),
        ])
    func configErrors(text: String, expected: String) throws {
        let problems = budgetProblems(text)
        let first = try #require(problems.first, "accepted: \(text)")
        #expect(first.message.contains(expected), "got: \(first.description)")
        #expect(first.file == "budgets.json")
        #expect(first.line != nil && first.column != nil)
    }

    @Test("every problem in the file is reported")
    func everyProblem() {
        let problems = budgetProblems(
            #"{"metrics": {"a": {"maxRegression": 10, "x": 1}, "b": {"target": 5, "error": 1}}}"#)
        #expect(problems.count == 3)
    }

    @Test("an exact name beats any glob; among globs the most literal characters win")
    func precedence() throws {
        let policy = try readBudgets(#"{"metrics": {"*": {}, "BM_*": {}, "BM_Sort*": {}, "BM_Sort/8": {}}}"#)
        #expect(try policy.rule(for: "BM_Sort/8")?.key == "BM_Sort/8")
        #expect(try policy.rule(for: "BM_Sort/16")?.key == "BM_Sort*")
        #expect(try policy.rule(for: "BM_Hash")?.key == "BM_*")
        #expect(try policy.rule(for: "other")?.key == "*")
    }

    @Test("two globs that match a metric equally are an error naming both")
    func tie() throws {
        let policy = try readBudgets(#"{"metrics": {"BM_*": {}, "*ort": {}}}"#)
        #expect(try policy.rule(for: "BM_Hash")?.key == "BM_*")
        #expect(throws: RedlineError.self) { try policy.rule(for: "BM_Sort") }
        do {
            _ = try policy.rule(for: "BM_Sort")
        } catch {
            let message = error.redlineErrors[0].message
            #expect(message.contains("\"BM_*\" (line 1) and \"*ort\" (line 1) equally: 3 literal characters each"))
        }
    }

    @Test(
        "percentages and quantities parse as written",
        arguments: [
            ("10%", 0.1), ("2.5 %", 0.025), ("0%", 0.0), ("150%", 1.5),
        ])
    func percentages(text: String, fraction: Double) {
        #expect(Percentage.parse(text) == fraction)
    }

    @Test("quantities: a number and an optional unit")
    func quantities() {
        #expect(Quantity.parse("200ns") == Quantity(value: 200, unit: Unit("ns")))
        #expect(Quantity.parse("0.5 ms") == Quantity(value: 0.5, unit: Unit("ms")))
        #expect(Quantity.parse("1e3ms") == Quantity(value: 1000, unit: Unit("ms")))
        #expect(Quantity.parse("3") == Quantity(value: 3, unit: nil))
        #expect(Quantity.parse("ms") == nil)
    }
}

@Suite("Glob patterns")
struct GlobTests {
    @Test(
        "matching",
        arguments: [
            ("BM_*", "BM_Sort/8", true), ("BM_*", "XBM_", false), ("*", "", true), ("a?c", "abc", true),
            ("a?c", "ac", false), ("[ab]x", "bx", true), ("[!ab]x", "bx", false), ("[a-c]1", "c1", true),
            ("sort/[0-9]*", "sort/1024", true), ("*/*", "a/b", true), ("a\\*", "a*", true), ("a\\*", "ab", false),
            ("*a*a*a*a*a*b", String(repeating: "a", count: 2000), false), ("é*", "éclair", true),
        ])
    func matching(pattern: String, name: String, expected: Bool) throws {
        #expect(try Glob(pattern).matches(name) == expected)
    }

    @Test("literal counts decide precedence")
    func literalCount() throws {
        #expect(try Glob("BM_*").literalCount == 3)
        #expect(try Glob("*_Sort").literalCount == 5)
        #expect(try Glob("a?[xy]*").literalCount == 1)
    }
}
