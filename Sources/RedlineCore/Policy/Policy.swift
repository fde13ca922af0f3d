import FoundationEssentials
import Glibc

/// What to do when a metric of the baseline or of the budgets is absent from the current run.
public enum MissingPolicy: String, Sendable, CaseIterable {
    /// The run fails.
    case fail
    /// A warning, the default.
    case warn
    /// Shown in the report only.
    case ignore
}

/// An absolute amount with an optional unit, such as a `minDelta` of `"200ns"`.
public struct Quantity: Sendable, Equatable {
    /// The amount.
    public var value: Double
    /// Its unit; nil means "in the metric's own unit".
    public var unit: Unit?

    /// Creates a quantity.
    public init(value: Double, unit: Unit?) {
        self.value = value
        self.unit = unit
    }

    /// Parses `"200ns"`, `"0.5 ms"` or `"3"`; nil when the text is not a number with an optional unit.
    public static func parse(_ text: String) -> Quantity? {
        let trimmed = text.trimmingSpaces
        // The longest run of number characters, backed off until it parses: "1e3ms" is 1e3 and "ms",
        // "2em" is 2 and "em".
        var numberEnd = trimmed.prefix { "0123456789.+-eE".contains($0) }.endIndex
        while numberEnd > trimmed.startIndex, Double(trimmed[..<numberEnd]) == nil {
            numberEnd = trimmed.index(before: numberEnd)
        }
        guard numberEnd > trimmed.startIndex, let value = Double(trimmed[..<numberEnd]), value.isFinite else { return nil }
        let symbol = trimmed[numberEnd...].trimmingSpaces
        return Quantity(value: value, unit: symbol.isEmpty ? nil : Unit(symbol))
    }

    /// `"200 ns"`, for messages.
    public var text: String {
        JSONWriter.number(value) + (unit.map { " " + $0.symbol } ?? "")
    }
}

/// A percentage threshold such as `maxRegression: "10%"`, held as a fraction (0.1).
public enum Percentage {
    /// Parses `"10%"` or `"2.5 %"` into 0.1 or 0.025; nil for anything else (a bare number included).
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces
        guard trimmed.hasSuffix("%") else { return nil }
        let number = trimmed.dropLast().trimmingSpaces
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value / 100
    }

    /// `0.1` → `"10%"`, for reports.
    public static func text(_ fraction: Double) -> String {
        JSONWriter.number((fraction * 100 * 1e9).rounded() / 1e9) + "%"
    }
}

/// One entry of `budgets.json`'s `metrics`: an exact name or a glob, and what applies to matching metrics.
public struct BudgetRule: Sendable, Equatable {
    /// The key as written in budgets.json.
    public var key: String
    /// The compiled key; exact names are globs without wildcards.
    public var glob: Glob
    /// The unit the levels and a bare-number `minDelta` are written in.
    public var unit: Unit?
    /// Which way is better; overrides the metrics file.
    public var direction: Direction?
    /// Budget level: at or better than this is "within target".
    public var target: Double?
    /// Budget level: worse than this is a warning.
    public var warning: Double?
    /// Budget level: worse than this fails the run.
    public var error: Double?
    /// The largest accepted worsening, as a fraction; nil takes the default.
    public var maxRegression: Double?
    /// Changes smaller than this never count; nil takes the default.
    public var minDelta: Quantity?
    /// What to do when the metric is absent; nil takes the default.
    public var missing: MissingPolicy?
    /// The significance level of the sample test; nil takes the default.
    public var alpha: Double?
    /// Where the rule is in budgets.json, for messages.
    public var line: Int
    /// Column of the rule's key.
    public var column: Int

    /// Whether the rule has any of target, warning, error.
    public var hasLevels: Bool { target != nil || warning != nil || error != nil }

    /// The exact metric name, for a rule without wildcards.
    public var exactName: String? {
        glob.isPattern ? nil : String(String.UnicodeScalarView(glob.tokens.compactMap {
            if case .literal(let scalar) = $0 { return scalar } else { return nil }
        }))
    }
}

/// The defaults that apply where no rule says otherwise.
public struct PolicyDefaults: Sendable, Equatable {
    /// The largest accepted worsening as a fraction: 10% unless budgets.json or `--max-regression` says otherwise.
    public var maxRegression: Double = 0.10
    /// Changes smaller than this never count.
    public var minDelta: Quantity?
    /// What to do when a metric is absent.
    public var missing: MissingPolicy = .warn
    /// The significance level of the one-sided sample test: a worsening beyond the threshold
    /// counts as a regression only when p < alpha (metrics with enough samples on both sides).
    public var alpha: Double = 0.05

    /// The built-in defaults.
    public init() {}
}

/// budgets.json, read: defaults and rules, with the lookup that picks the rule for a metric.
public struct Policy: Sendable, Equatable {
    /// The file the policy came from, for messages; empty when there is none.
    public var file: String
    /// The defaults.
    public var defaults: PolicyDefaults
    /// The rules in file order.
    public var rules: [BudgetRule]

    /// A policy; with no arguments, the built-in defaults and no rules.
    public init(file: String = "", defaults: PolicyDefaults = PolicyDefaults(), rules: [BudgetRule] = []) {
        self.file = file
        self.defaults = defaults
        self.rules = rules
    }

    /// The names of exact rules: they are judged even when absent from both runs.
    public var exactNames: [String] { rules.compactMap(\.exactName) }

    /// The rule that applies to `name`: the exact rule, else the matching glob with the most literal
    /// characters. Two matching globs equally specific are an error: which one applies would be a guess.
    public func rule(for name: String) throws -> BudgetRule? {
        if let exact = rules.first(where: { $0.exactName == name }) { return exact }
        let matching = rules.filter { $0.glob.isPattern && $0.glob.matches(name) }
        guard let best = matching.map(\.glob.literalCount).max() else { return nil }
        let winners = matching.filter { $0.glob.literalCount == best }
        if winners.count > 1 {
            let keys = winners.map { "\"\($0.key)\" (line \($0.line))" }.joined(separator: " and ")
            throw RedlineError(file: file, line: winners[1].line, column: winners[1].column,
                               message: "metric \"\(name)\" matches \(keys) equally: \(best) literal characters each",
                               hint: "make one pattern more specific or add a rule for the exact name")
        }
        return winners[0]
    }
}
