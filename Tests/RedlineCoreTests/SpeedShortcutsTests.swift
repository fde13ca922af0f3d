import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineHistory
@testable import RedlinePolicy
@testable import RedlineJSON
@testable import RedlineBaseline

/// The shortcuts issue 23 took for speed give what the plain computation gives: the rule lookup
/// by table, the glob's prefix test, the memo of Student's t quantiles, a history read without a tree.
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

    /// A history object as a hand edit or a damaged file might hold it: valid most of the time,
    /// else with one of the faults the decoder must name.
    static func historyText(_ random: inout SeededGenerator) -> String {
        func number() -> String {
            [
                "1", "12.5", "0", "-3", "1e3", "2.25E-2", "1000.125", "\"7\"", "null", "true", "[]", "{}",
            ].randomElement(using: &random)!
        }
        func list(_ count: Int, _ entry: () -> String) -> String {
            "[" + (0..<count).map { _ in entry() }.joined(separator: ", ") + "]"
        }
        let runs = Int.random(in: 0...4, using: &random)
        let clean = Bool.random(using: &random)
        func value() -> String {
            clean ? ["1", "12.5", "1000.125", "null", "3e2"].randomElement(using: &random)! : number()
        }
        var members: [String] = []
        if Int.random(in: 0..<8, using: &random) > 0 { members.append("\"values\": " + list(runs, value)) }
        if Bool.random(using: &random) {
            let length = Int.random(in: 0..<8, using: &random) == 0 ? runs + 1 : runs
            members.append("\"spreads\": " + list(length, value))
            members.append(
                "\"counts\": " + list(runs) { clean ? ["1", "10", "null"].randomElement(using: &random)! : number() })
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: members.append("\"steps\": []")
        case 1: members.append("\"steps\": [{\"run\": 2, \"change\": 0.2, \"p\": 0.001}]")
        case 2: members.append("\"extra\": 1")
        case 3: members.append("\"values\": [1]")
        case 4: members.append("\"steps\": [5]")
        default: break
        }
        members.shuffle(using: &random)
        return "{" + members.joined(separator: ", ") + "}"
    }

    @Test(
        "a history read by the flat scan decodes as its tree does: the same history or the same message (5,000 generated)"
    )
    func flatHistoryAgreesWithTree() throws {
        var random = SeededGenerator(seed: 25)
        let runs = (1...3).map { BaselineRun(id: $0) }
        let unit = Unit("ms")
        var readFlat = 0
        for _ in 0..<5_000 {
            let text = "  " + Self.historyText(&random)
            let source = SourceText(name: "baseline.json", text: text)
            let range = 2..<source.bytes.count
            func outcome(_ decode: () throws -> MetricHistory?) -> String {
                do { return try decode().map { "\($0)" } ?? "needs the tree" } catch { return "\(error)" }
            }
            let tree = outcome {
                guard let record = ObjectRecord(try JSONReader.parse(source, in: range)) else { return nil }
                return try BaselineFormat.decodeHistory(record, of: "m", unit: unit, runs: runs, source: source)
            }
            let flat = outcome {
                try JSONReader.scanFlat(source, in: range) {
                    try BaselineFormat.decodeHistory($0, of: "m", unit: unit, runs: runs, source: source)
                }
            }
            if flat != "needs the tree" {
                readFlat += 1
                #expect(flat == tree, "\(text)")
            }
            let either = outcome {
                try NestedObject.bytes(range).decode(
                    in: source,
                    with: BaselineFormat.HistoryDecoder(name: "m", unit: unit, runs: runs, source: source))
            }
            #expect(either == tree, "\(text)")
        }
        // A third of the cases take the flat scan (a null or a string sends the rest to the tree).
        #expect(readFlat > 1_000)
    }
}
