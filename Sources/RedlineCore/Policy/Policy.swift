import RedlineModel
import RedlineJSON

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
        guard numberEnd > trimmed.startIndex, let value = Double(trimmed[..<numberEnd]), value.isFinite else {
            return nil
        }
        let symbol = trimmed[numberEnd...].trimmingSpaces
        return Quantity(value: value, unit: symbol.isEmpty ? nil : Unit(symbol))
    }

    /// `"200 ns"`, for messages.
    public var text: String {
        JSONWriter.number(value) + (unit.map { " " + $0.symbol } ?? "")
    }
}

/// The policy's numbers for a baseline's history: how many runs it keeps and how many the judge
/// needs before it judges against the window (read by budgets' `history`, `baseline update
/// --history` and the judge).
public enum HistoryLimits {
    /// The largest window `--history` accepts.
    public static let maximumRuns = 200
    /// The window when nothing says otherwise.
    public static let defaultRuns = 20
    /// The fewest runs in a window for it to be judged against as a distribution; with fewer,
    /// the last run is the baseline, as for a baseline without history.
    public static let minimumRuns = 5
}

/// A percentage threshold such as `maxRegression: "10%"`, held as a fraction (0.1).
public enum Percentage {
    /// Parses `"10%"` or `"2.5 %"` into 0.1 or 0.025; nil for anything else (a bare number included).
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces
        guard trimmed.hasSuffix("%") else { return nil }
        let number = trimmed.dropLast().trimmingSpaces
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number), value.isFinite, value >= 0
        else { return nil }
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
    /// `"gate": false`: the metrics it matches are judged and shown, but never warn or fail.
    public var gate: Bool?
    /// Intended regressions accepted with a reason and an expiry.
    public var accept: [Acceptance] = []
    /// What the rule measures and why, for people (`description`); never judged.
    public var description: String?
    /// The tool's metric this rule takes its value from (`from`: an exact name or a pattern that
    /// must match exactly one metric); the metric is then judged under the rule's name.
    public var from: Glob?
    /// Where the rule is in budgets.json, for messages.
    public var line: Int
    /// Column of the rule's key.
    public var column: Int

    /// Whether the rule has any of target, warning, error.
    public var hasLevels: Bool { target != nil || warning != nil || error != nil }

    /// The exact metric name, for a rule without wildcards.
    public var exactName: String? { glob.literal }
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
    /// How many recent runs `baseline update` keeps per metric; nil: `--history`, else 20.
    public var history: Int?
    /// Where `minDelta` is written in budgets.json (line, column), for messages.
    public var minDeltaPosition: (line: Int, column: Int)?

    public static func == (lhs: PolicyDefaults, rhs: PolicyDefaults) -> Bool {
        lhs.maxRegression == rhs.maxRegression && lhs.minDelta == rhs.minDelta && lhs.missing == rhs.missing
            && lhs.alpha == rhs.alpha && lhs.history == rhs.history
    }

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
    public var rules: [BudgetRule] { didSet { lookup = RuleLookup(rules) } }
    /// The rules indexed for `rule(for:)`, which runs once per metric.
    private var lookup: RuleLookup

    /// A policy; with no arguments, the built-in defaults and no rules.
    public init(file: String = "", defaults: PolicyDefaults = PolicyDefaults(), rules: [BudgetRule] = []) {
        self.file = file
        self.defaults = defaults
        self.rules = rules
        self.lookup = RuleLookup(rules)
    }

    /// The names of exact rules: they are judged even when absent from both runs.
    public var exactNames: [String] { rules.compactMap(\.exactName) }

    /// The rule that applies to `name`: the exact rule, else the matching glob with the most literal
    /// characters. Two matching globs equally specific are an error: which one applies would be a guess.
    public func rule(for name: String) throws -> BudgetRule? {
        if let exact = lookup.exact[name] { return rules[exact] }
        // The matching patterns with the most literal characters: the first, and a second if tied.
        var best = -1
        var winner: Int?
        var tied: Int?
        for index in lookup.patterns where rules[index].glob.matches(name) {
            let count = rules[index].glob.literalCount
            if count > best {
                (best, winner, tied) = (count, index, nil)
            } else if count == best, tied == nil {
                tied = index
            }
        }
        guard let winner else { return nil }
        if let tied {
            let keys = [winner, tied].map { "\"\(rules[$0].key)\" (line \(rules[$0].line))" }.joined(separator: " and ")
            throw RedlineError(
                file: file, line: rules[tied].line, column: rules[tied].column,
                message: "metric \"\(name)\" matches \(keys) equally: \(best) literal characters each",
                hint: "make one pattern more specific or add a rule for the exact name")
        }
        return rules[winner]
    }
}

/// The rules of a policy indexed for lookup by metric name: exact names in a table (the first
/// rule of a name wins, as a search in order would find it), patterns in order.
private struct RuleLookup: Sendable, Equatable {
    let exact: [String: Int]
    let patterns: [Int]

    init(_ rules: [BudgetRule]) {
        var exact: [String: Int] = [:]
        var patterns: [Int] = []
        for (index, rule) in rules.enumerated() {
            if let name = rule.glob.literal {
                if exact[name] == nil { exact[name] = index }
            } else {
                patterns.append(index)
            }
        }
        (self.exact, self.patterns) = (exact, patterns)
    }
}

/// What applies to one metric once its rule is settled against the metric's own unit and direction:
/// every figure in the metric's unit.
public struct ResolvedRule: Sendable, Equatable {
    /// The budgets.json key of the rule, or nil for the defaults.
    public var key: String?
    /// The metric's unit: the current run's own, else the rule's, else the baseline's.
    public var unit: Unit?
    /// The unit the baseline's values are written in (its own, else the rule's), to convert from.
    public var baselineUnit: Unit?
    /// The direction in force: the rule's, else the current run's, else the baseline's, else the unit's default.
    public var direction: Direction
    /// The budget levels, in `unit`.
    public var target: Double?
    /// The warning level, in `unit`.
    public var warning: Double?
    /// The error level, in `unit`.
    public var error: Double?
    /// The largest accepted worsening, as a fraction.
    public var maxRegression: Double
    /// The noise floor in `unit`; 0 when none.
    public var minDelta: Double
    /// What to do when the metric is absent from the current run.
    public var missing: MissingPolicy
    /// The significance level of the sample test.
    public var alpha: Double
    /// Things the reader of the report should know about how the metric was judged.
    public var notes: [String] = []
    /// Whether the metric can fail or warn (`"gate": false` reports it only).
    public var gates = true
    /// The rule's acceptances.
    public var accept: [Acceptance] = []

    package init(
        key: String? = nil, unit: Unit? = nil, baselineUnit: Unit? = nil, direction: Direction,
        target: Double? = nil, warning: Double? = nil, error: Double? = nil, maxRegression: Double,
        minDelta: Double, missing: MissingPolicy, alpha: Double, notes: [String] = [], gates: Bool = true,
        accept: [Acceptance] = []
    ) {
        (self.key, self.unit, self.baselineUnit, self.direction) = (key, unit, baselineUnit, direction)
        (self.target, self.warning, self.error) = (target, warning, error)
        (self.maxRegression, self.minDelta, self.missing, self.alpha) = (maxRegression, minDelta, missing, alpha)
        (self.notes, self.gates, self.accept) = (notes, gates, accept)
    }
}

extension Policy {
    /// The rule for `name` settled against the metric's sides (either may be absent): its unit,
    /// its direction, and the levels and floor in that unit. Throws when the rule cannot apply: a
    /// level or floor in another dimension than the metric's, a floor with a unit on a metric whose
    /// unit is unknown, levels out of order for the direction in force, or two globs that tie.
    /// `baselineSet` and `baselineFile` place an error about the baseline's unit at its metric.
    public func resolve(
        name: String, current: Metric?, baseline: Metric?, defaults: PolicyDefaults? = nil,
        baselineSet: MetricSet? = nil, baselineFile: String = "baseline"
    ) throws -> ResolvedRule {
        let defaults = defaults ?? self.defaults
        let rule = try rule(for: name)
        let unit = current.map { $0.unit ?? rule?.unit ?? baseline?.unit } ?? baseline?.unit ?? rule?.unit
        let baselineUnit = baseline.flatMap { $0.unit ?? rule?.unit }
        if let baseline, let from = baselineUnit, let to = unit, from.convert(1, to: to) == nil {
            throw (baselineSet ?? MetricSet(metrics: [])).error(
                at: baseline, fallbackFile: baselineFile,
                "metric \"\(name)\" is in \(from.symbol) (\(from.dimensionName)) in the baseline but in \(to.symbol) (\(to.dimensionName)) in the current run",
                hint: "values of different dimensions cannot be compared; update the baseline or rename the metric")
        }
        var notes: [String] = []
        let direction: Direction
        if let ruled = rule?.direction {
            direction = ruled
        } else if let own = current?.direction ?? baseline?.direction {
            direction = own
            if let before = baseline?.direction, let after = current?.direction, before != after {
                notes.append(
                    "the baseline says \(before)-is-better, the current run \(after)-is-better: judged as \(after)-is-better"
                )
            }
        } else {
            direction = unit?.defaultDirection ?? .lower
        }

        func ruleError(_ message: String, hint: String? = nil) -> RedlineError {
            RedlineError(file: file, line: rule?.line, column: rule?.column, message: message, hint: hint)
        }
        // Names for messages, built only for an error: this runs once per metric.
        var ruleName: String { rule.map { "budget rule \"\($0.key)\"" } ?? "`defaults`" }
        /// A figure written in `given` (nil: the metric's own unit), in the metric's unit.
        func inMetricUnit(_ value: Double?, from given: Unit?, what: String) throws -> Double? {
            guard let value else { return nil }
            guard let given, let unit else { return value }
            guard let converted = given.convert(value, to: unit) else {
                throw ruleError(
                    "\(ruleName) gives \(what) in \(given.symbol) (\(given.dimensionName)), but metric \"\(name)\" is in \(unit.symbol) (\(unit.dimensionName))",
                    hint: "set the rule's unit to one of the metric's dimension")
            }
            return converted
        }

        var resolved = ResolvedRule(
            key: rule?.key, unit: unit, baselineUnit: baselineUnit, direction: direction,
            target: try inMetricUnit(rule?.target, from: rule?.unit, what: "`target`"),
            warning: try inMetricUnit(rule?.warning, from: rule?.unit, what: "`warning`"),
            error: try inMetricUnit(rule?.error, from: rule?.unit, what: "`error`"),
            maxRegression: rule?.maxRegression ?? defaults.maxRegression, minDelta: 0,
            missing: rule?.missing ?? defaults.missing, alpha: rule?.alpha ?? defaults.alpha, notes: notes,
            gates: rule?.gate ?? true, accept: rule?.accept ?? [])
        if let rule, rule.hasLevels, let problem = Budgets.levelOrderProblem(rule, direction: direction) {
            throw ruleError(
                "budget rule \"\(rule.key)\" applies to metric \"\(name)\": \(problem)",
                hint: "set \"direction\" in the rule to the metric's direction, or fix the order")
        }
        if let floor = rule?.minDelta ?? defaults.minDelta {
            // Where the floor is written: its rule, or `minDelta` in `defaults`.
            var owner: String { rule?.minDelta != nil ? ruleName : "`defaults`" }
            let place =
                rule?.minDelta != nil ? rule.map { (line: $0.line, column: $0.column) } : defaults.minDeltaPosition
            func floorError(_ message: String, hint: String) -> RedlineError {
                RedlineError(file: file, line: place?.line, column: place?.column, message: message, hint: hint)
            }
            if let floorUnit = floor.unit {
                guard let unit else {
                    // A floor with a unit never silently becomes a bare number; it only matters
                    // where there is a change to measure against it.
                    guard current != nil && baseline != nil else { return resolved }
                    throw floorError(
                        "`minDelta` \"\(floor.text)\" of \(owner) is in \(floorUnit.symbol), but metric \"\(name)\" has no unit",
                        hint: "give the metric a unit in its file, or a \"unit\" in a budget rule for it")
                }
                guard let converted = floorUnit.convert(floor.value, to: unit) else {
                    throw floorError(
                        "`minDelta` \"\(floor.text)\" of \(owner) is a \(floorUnit.dimensionName), but metric \"\(name)\" is in \(unit.symbol) (\(unit.dimensionName))",
                        hint: "give metrics of that dimension a rule with a `minDelta` in their unit")
                }
                resolved.minDelta = converted
            } else {
                resolved.minDelta = floor.value
            }
        }
        return resolved
    }
}

extension Policy {
    /// Acceptances whose `until` is more than `Acceptance.longestDays` after `today`: an
    /// acceptance is a short, reviewed exception, never a standing one.
    public func acceptanceProblems(today: String) -> Problems {
        var problems = Problems()
        guard let now = CalendarDay.number(today) else { return problems }
        for rule in rules {
            for acceptance in rule.accept {
                guard let until = CalendarDay.number(acceptance.until), until - now > Acceptance.longestDays else {
                    continue
                }
                problems.add(
                    RedlineError(
                        file: file, line: acceptance.line, column: acceptance.column,
                        message:
                            "the acceptance of budget rule \"\(rule.key)\" runs until \(acceptance.until), \(until - now) days from today; at most \(Acceptance.longestDays) are allowed",
                        hint: "accept it for a shorter time and look again then"))
            }
        }
        return problems
    }

    /// `set` with each metric that a rule's `from` names renamed to the rule's name (a metric may
    /// feed several rules), and for each renamed metric the tool's name it had. A side that
    /// already has a metric under the rule's name keeps it (a baseline recorded with the budgets).
    /// `side` names the set in messages ("the current run"); `required`: a `from` that matches
    /// nothing is an error (the current run) rather than an absent metric (a baseline).
    public func takingFrom(_ set: MetricSet, side: String, required: Bool) throws -> (
        set: MetricSet, sources: [String: String]
    ) {
        if required { try refuseSetAside(set) }
        let rules = self.rules.filter { $0.from != nil }
        guard !rules.isEmpty else { return (set, [:]) }
        var problems = Problems()
        var sources: [String: String] = [:]
        var added: [Metric] = []
        var taken = Set<String>()
        for rule in rules {
            guard set[rule.key] == nil, let from = rule.from else { continue }
            let matches = set.metrics.filter { from.matches($0.name) }
            if matches.count == 1 {
                var metric = matches[0]
                metric.name = rule.key
                added.append(metric)
                taken.insert(matches[0].name)
                sources[rule.key] = matches[0].name
                continue
            }
            guard matches.count > 1 || required else { continue }
            let pattern = from.pattern
            let message =
                matches.isEmpty
                ? "budget rule \"\(rule.key)\": `from` \"\(pattern)\" matches no metric of \(side)"
                : "budget rule \"\(rule.key)\": `from` \"\(pattern)\" matches \(matches.count) metrics of \(side) ("
                    + matches.prefix(3).map { "\"\($0.name)\"" }.joined(separator: ", ")
                    + (matches.count > 3 ? ", …" : "") + ")"
            let hint =
                matches.isEmpty
                ? "`redline convert --current FILE` lists the names the tool's output gives"
                : "make `from` an exact name or a narrower pattern: it must match exactly one metric"
            problems.add(RedlineError(file: file, line: rule.line, column: rule.column, message: message, hint: hint))
        }
        try problems.throwIfAny()
        guard !added.isEmpty else { return (set, sources) }
        var metrics = set.metrics.filter { !taken.contains($0.name) }
        metrics += added
        return (MetricSet(metrics: metrics, context: set.context, files: set.files), sources)
    }

    /// An error for each gated rule that names (by its key or its `from`) a series the reader set
    /// aside: left out of a scrape is fine for a series nobody gates, never for one a budget does.
    public func refuseSetAside(_ set: MetricSet) throws {
        guard !set.setAside.isEmpty else { return }
        var problems = Problems()
        for rule in rules where rule.gate != false {
            let named: SetAsideSeries?
            if let from = rule.from {
                named =
                    set.metrics.contains(where: { from.matches($0.name) })
                    ? nil : set.setAside.first { from.matches($0.name) }
            } else {
                named = rule.exactName.flatMap { name in set[name] == nil ? set.setAside.first { $0.name == name } : nil
                }
            }
            guard let series = named else { continue }
            problems.add(
                RedlineError(
                    file: file, line: rule.line, column: rule.column,
                    message:
                        "budget rule \"\(rule.key)\" gates series \"\(series.name.prefix(160))\" of \(series.file), which was left out: it \(series.reason)",
                    hint: "fix the series where it is produced, or gate another one"))
        }
        try problems.throwIfAny()
    }

    /// Every problem between the files, without judging: each metric of the union of `current`,
    /// `baseline` and the exact rules, resolved against its rule (levels out of order for its
    /// direction, floors it cannot take, globs that tie, units of two dimensions).
    public func problems(current: MetricSet, baseline: MetricSet?, baselineFile: String) -> Problems {
        var problems = Problems()
        let union = MetricSet.union(current, baseline, names: exactNames)
        for index in 0..<union.count {
            let pair = union[index]
            problems.attempt {
                _ = try resolve(
                    name: pair.name, current: pair.current, baseline: pair.baseline,
                    baselineSet: baseline, baselineFile: baselineFile)
            }
        }
        return problems
    }
}
