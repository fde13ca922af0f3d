import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineHistory
@testable import RedlinePolicy

/// The shortcuts issue 23 took for speed give what the plain computation gives: the rule lookup
/// by table, the glob's prefix test, the memo of Student's t quantiles.
@Suite("Speed shortcuts agree with the plain computation")
struct SpeedShortcutsTests {
    /// A glob matcher by recursion over the pattern's text, the reference for `Glob.matches`
    /// (patterns of `*`, `?` and literals only).
    static func reference(_ pattern: [Character], _ name: [Character]) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        let rest = Array(pattern.dropFirst())
        switch first {
        case "*": return (0...name.count).contains { reference(rest, Array(name.dropFirst($0))) }
        case "?": return !name.isEmpty && reference(rest, Array(name.dropFirst()))
        default: return name.first == first && reference(rest, Array(name.dropFirst()))
        }
    }

    static func word(_ alphabet: [Character], _ length: ClosedRange<Int>, _ random: inout SeededGenerator) -> String {
        String((0..<Int.random(in: length, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    @Test("Glob.matches agrees with a recursive matcher (20,000 generated patterns and names)")
    func globMatchesReference() throws {
        var random = SeededGenerator(seed: 23)
        for _ in 0..<20_000 {
            let pattern = Self.word(["a", "b", "/", "*", "?"], 0...6, &random)
            let name = Self.word(["a", "b", "/"], 0...7, &random)
            let expected = Self.reference(Array(pattern), Array(name))
            #expect(try Glob(pattern).matches(name) == expected, "pattern \(pattern), name \(name)")
        }
    }

    /// The rule lookup as it was written before the table: the first exact rule, else the
    /// matching patterns with the most literal characters, an error when two tie.
    static func referenceRule(_ rules: [BudgetRule], _ name: String) -> (key: String?, tie: Bool) {
        if let exact = rules.first(where: { $0.exactName == name }) { return (exact.key, false) }
        let matching = rules.filter { $0.glob.isPattern && $0.glob.matches(name) }
        guard let best = matching.map(\.glob.literalCount).max() else { return (nil, false) }
        let winners = matching.filter { $0.glob.literalCount == best }
        return (winners[0].key, winners.count > 1)
    }

    @Test("Policy.rule(for:) finds the rule the search in file order finds, ties included (2,000 generated policies)")
    func ruleLookupAgreesWithSearch() throws {
        var random = SeededGenerator(seed: 24)
        for _ in 0..<2_000 {
            var rules: [BudgetRule] = []
            for line in 1...Int.random(in: 1...6, using: &random) {
                let key = Self.word(["a", "b", "/", "*", "?"], 1...4, &random)
                rules.append(BudgetRule(key: key, glob: try Glob(key), line: line, column: 3))
            }
            var policy = Policy(file: "budgets.json", rules: Array(rules.dropLast()))
            policy.rules.append(rules.last!)  // the table follows a change of the rules
            for _ in 0..<10 {
                let name = Self.word(["a", "b", "/"], 1...4, &random)
                let expected = Self.referenceRule(rules, name)
                let keys = rules.map(\.key)
                if expected.tie {
                    #expect(throws: RedlineError.self, "rules \(keys), name \(name)") { try policy.rule(for: name) }
                } else {
                    #expect(try policy.rule(for: name)?.key == expected.key, "rules \(keys), name \(name)")
                }
            }
        }
    }

    @Test("a memo's Student quantile is the one computed afresh, for every α and degrees of freedom it keeps")
    func studentQuantileMemo() {
        let memo = Statistics.Memo()
        for _ in 0..<2 {
            for alpha in [0.001, 0.01, 0.05, 0.1] {
                for degrees in [1.0, 2, 4, 9, 19, 199] {
                    let remembered = memo.studentQuantile(
                        upperTail: alpha, degrees: degrees, computing: WindowStatistics.studentQuantile)
                    #expect(remembered == WindowStatistics.studentQuantile(upperTail: alpha, degrees: degrees))
                }
            }
        }
        #expect(memo.studentQuantiles.count == 24)
    }
}
