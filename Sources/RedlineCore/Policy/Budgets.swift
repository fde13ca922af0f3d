import RedlineModel
import RedlineJSON

/// Reads `budgets.json` (`redline.budgets.v1`) into a `Policy`, reporting every problem it finds.
public enum Budgets {
    /// Keys of a rule under `metrics`.
    public static let ruleKeys = [
        "from", "description", "unit", "direction", "target", "warning", "error", "maxRegression", "minDelta",
        "missing", "alpha", "gate", "accept",
    ]
    /// Keys of `defaults`.
    public static let defaultKeys = ["maxRegression", "minDelta", "missing", "alpha", "history"]

    /// Parses and checks a budgets file: unknown keys, wrong types, levels out of order,
    /// thresholds that are not percentages and patterns that do not compile are all errors.
    public static func read(_ source: SourceText) throws -> Policy {
        let root = try JSONReader.parse(source)
        var problems = Problems()
        var fields = try ObjectFields(root, source: source, what: "the top level of the budgets file")
        if let schema = problems.attempt({ try fields.string("schema") }) ?? nil {
            problems.attempt {
                try Schema.check(
                    schema, source: source, at: fields.record.valueOffset(fields.take("schema")!),
                    expecting: Schema.budgets)
            }
        }
        // An editor's JSON Schema reference, for redline a comment.
        _ = problems.attempt { try fields.string("$schema") }
        var policy = Policy(file: source.name)
        if let node = fields.node("defaults") {
            if let defaults = decodeDefaults(node, source: source, problems: &problems) { policy.defaults = defaults }
        }
        if let node = fields.node("metrics") {
            if case .object(let entries) = node.value {
                for entry in entries {
                    if let rule = decodeRule(entry, source: source, problems: &problems) {
                        policy.rules.append(rule)
                    }
                }
            } else {
                problems.add(
                    RedlineError(
                        source, at: node.offset,
                        "`metrics` must be an object of metric name or pattern to rule, got \(node.value.kindName)"))
            }
        }
        for error in fields.unknownKeys(allowed: ["schema", "$schema", "defaults", "metrics"]) { problems.add(error) }
        try problems.throwIfAny()
        return policy
    }

    static func decodeDefaults(_ node: JSONNode, source: SourceText, problems: inout Problems) -> PolicyDefaults? {
        guard var fields = problems.attempt({ try ObjectFields(node, source: source, what: "`defaults`") }) else {
            return nil
        }
        var defaults = PolicyDefaults()
        if let value = problems.attempt({ try maxRegression(&fields) }) ?? nil { defaults.maxRegression = value }
        if let node = fields.record.members.first(where: { $0.key == "minDelta" }) {
            let position = source.position(of: node.keyOffset)
            defaults.minDeltaPosition = (position.line, position.column)
        }
        if let value = problems.attempt({ try minDelta(&fields, unit: nil) }) ?? nil { defaults.minDelta = value }
        if let value = problems.attempt({ try missing(&fields) }) ?? nil { defaults.missing = value }
        if let value = problems.attempt({ try alpha(&fields) }) ?? nil { defaults.alpha = value }
        if let value = problems.attempt({ try history(&fields) }) ?? nil { defaults.history = value }
        for error in fields.unknownKeys(allowed: defaultKeys) { problems.add(error) }
        return defaults
    }

    static func decodeRule(_ entry: JSONMember, source: SourceText, problems: inout Problems) -> BudgetRule? {
        let glob: Glob
        do {
            glob = try Glob(entry.key)
        } catch {
            problems.add(
                RedlineError(
                    source, at: entry.keyOffset, "budget key \"\(entry.key)\": \(error.message)",
                    hint: "escape a literal [ or * with \\"))
            return nil
        }
        let position = source.position(of: entry.keyOffset)
        guard
            var fields = problems.attempt({
                try ObjectFields(entry.node, source: source, what: "budget rule \"\(entry.key)\"")
            })
        else {
            return nil
        }
        var rule = BudgetRule(key: entry.key, glob: glob, line: position.line, column: position.column)
        if let pattern = problems.attempt({ try fields.string("from") }) ?? nil {
            let at = fields.take("from")!
            if glob.isPattern {
                problems.add(
                    fields.error(
                        at: at,
                        "budget rule \"\(entry.key)\" has `from`, so it names one metric: its key must not be a pattern",
                        hint: "name the rule plainly, e.g. \"apiResponseTime\", and put the pattern in `from`"))
            } else if pattern.isEmpty {
                problems.add(
                    fields.error(
                        at: at, "`from` of budget rule \"\(entry.key)\" is empty", hint: "give the tool's metric name"))
            } else {
                do {
                    rule.from = try Glob(pattern)
                } catch {
                    problems.add(
                        fields.error(
                            at: at, "`from` of budget rule \"\(entry.key)\": \(error.message)",
                            hint: "escape a literal [ or * with \\"))
                }
            }
        }
        // Words for the people who read the file and the report: what the rule measures, and why.
        rule.description = problems.attempt { try fields.string("description") } ?? nil
        if let symbol = problems.attempt({ try fields.string("unit") }) ?? nil, !symbol.isEmpty {
            if let problem = Unit.recognitionProblem(symbol) {
                problems.add(
                    fields.error(
                        at: fields.take("unit")!, "`unit` of \(fields.what): " + problem.message, hint: problem.hint))
            } else {
                rule.unit = Unit(symbol)
            }
        }
        if let word = problems.attempt({ try fields.string("direction") }) ?? nil {
            if let direction = Direction(rawValue: word) {
                rule.direction = direction
            } else {
                problems.add(
                    fields.error(
                        at: fields.take("direction")!,
                        "`direction` of \(fields.what) must be \"lower\" or \"higher\", got \"\(word)\""))
            }
        }
        rule.target = problems.attempt { try fields.number("target") } ?? nil
        rule.warning = problems.attempt { try fields.number("warning") } ?? nil
        rule.error = problems.attempt { try fields.number("error") } ?? nil
        rule.maxRegression = problems.attempt { try maxRegression(&fields) } ?? nil
        rule.minDelta = problems.attempt { try minDelta(&fields, unit: rule.unit) } ?? nil
        rule.missing = problems.attempt { try missing(&fields) } ?? nil
        rule.alpha = problems.attempt { try alpha(&fields) } ?? nil
        if let node = fields.node("accept") {
            rule.accept = decodeAcceptances(node, rule: entry.key, unit: rule.unit, source: source, problems: &problems)
        }
        if let index = fields.take("gate") {
            if let flag = fields.record.bool(index) {
                rule.gate = flag
            } else {
                problems.add(
                    fields.error(
                        at: index,
                        "`gate` of \(fields.what) must be true or false, got \(fields.record.kindName(index))"))
            }
        }
        for error in fields.unknownKeys(allowed: ruleKeys) { problems.add(error) }
        if let problem = levelOrderProblem(rule, direction: rule.direction ?? rule.unit?.defaultDirection ?? .lower) {
            problems.add(
                RedlineError(
                    source, at: entry.node.offset, "budget rule \"\(entry.key)\": \(problem)",
                    hint: rule.direction == nil
                        ? "fix the order, or set \"direction\": \"higher\" if more is better"
                        : "fix the order of the levels"))
        }
        return rule
    }

    /// Why the rule's levels are out of order for `direction`, or nil when they are in order.
    public static func levelOrderProblem(_ rule: BudgetRule, direction: Direction) -> String? {
        let levels = [("target", rule.target), ("warning", rule.warning), ("error", rule.error)]
            .compactMap { name, value in value.map { (name, $0) } }
        for (earlier, later) in zip(levels, levels.dropFirst()) {
            let ordered = direction == .lower ? earlier.1 <= later.1 : earlier.1 >= later.1
            if !ordered {
                let relation = direction == .lower ? "≤" : "≥"
                return "for a \(direction)-is-better metric \(earlier.0) \(relation) \(later.0) must hold, "
                    + "got \(earlier.0) \(JSONWriter.number(earlier.1)) and \(later.0) \(JSONWriter.number(later.1))"
            }
        }
        return nil
    }

    static func maxRegression(_ fields: inout ObjectFields<ObjectRecord>) throws -> Double? {
        guard let node = fields.node("maxRegression") else { return nil }
        switch node.value {
        case .string(let text):
            guard let fraction = Percentage.parse(text) else {
                throw fields.error(
                    node: node,
                    "`maxRegression` of \(fields.what) must be a percentage such as \"10%\", got \"\(text)\"")
            }
            return fraction
        case .number(let number):
            throw fields.error(
                node: node,
                "`maxRegression` of \(fields.what) must be a percentage such as \"10%\", got \(JSONWriter.number(number))",
                hint: "write \"\(JSONWriter.number(number))%\" with quotes and a percent sign")
        default:
            throw fields.error(
                node: node,
                "`maxRegression` of \(fields.what) must be a percentage such as \"10%\", got \(node.value.kindName)")
        }
    }

    static func minDelta(_ fields: inout ObjectFields<ObjectRecord>, unit: Unit?) throws -> Quantity? {
        guard let node = fields.node("minDelta") else { return nil }
        let quantity: Quantity
        switch node.value {
        case .string(let text):
            guard let parsed = Quantity.parse(text) else {
                throw fields.error(
                    node: node,
                    "`minDelta` of \(fields.what) must be an amount with a unit such as \"200ns\", got \"\(text)\"")
            }
            if let symbol = parsed.unit?.symbol, let problem = Unit.recognitionProblem(symbol) {
                throw fields.error(node: node, "`minDelta` of \(fields.what): " + problem.message, hint: problem.hint)
            }
            quantity = parsed
        case .number(let number):
            quantity = Quantity(value: number, unit: unit)
        default:
            throw fields.error(
                node: node,
                "`minDelta` of \(fields.what) must be an amount with a unit such as \"200ns\", got \(node.value.kindName)"
            )
        }
        if quantity.value < 0 {
            throw fields.error(node: node, "`minDelta` of \(fields.what) must not be negative, got \(quantity.text)")
        }
        if let given = quantity.unit, let ruleUnit = unit, given.convert(1, to: ruleUnit) == nil {
            throw fields.error(
                node: node,
                "`minDelta` of \(fields.what) is in \(given.symbol) (\(given.dimensionName)), but the rule's unit \(ruleUnit.symbol) is a \(ruleUnit.dimensionName)"
            )
        }
        return quantity
    }

    static func alpha(_ fields: inout ObjectFields<ObjectRecord>) throws -> Double? {
        guard let value = try fields.number("alpha") else { return nil }
        guard value > 0 && value < 0.5 else {
            throw fields.error(
                at: fields.take("alpha")!,
                "`alpha` of \(fields.what) must be between 0 and 0.5 (exclusive), got \(JSONWriter.number(value))",
                hint: "0.05 is the usual choice; smaller is stricter")
        }
        return value
    }

    /// Keys of an acceptance.
    public static let acceptanceKeys = ["change", "by", "until", "reason"]

    /// Reads a rule's `accept`: objects with `change` and/or `by`, `until` (a date) and a `reason`.
    static func decodeAcceptances(
        _ node: JSONNode, rule: String, unit: Unit?, source: SourceText,
        problems: inout Problems
    ) -> [Acceptance] {
        guard case .array(let elements) = node.value else {
            problems.add(
                RedlineError(
                    source, at: node.offset,
                    "`accept` of budget rule \"\(rule)\" must be an array of acceptances, got \(node.value.kindName)",
                    hint: "\"accept\": [{\"change\": \"+25%\", \"until\": \"YYYY-MM-DD\", \"reason\": \"why\"}]"))
            return []
        }
        var acceptances: [Acceptance] = []
        for element in elements {
            let what = "an acceptance of budget rule \"\(rule)\""
            let position = source.position(of: element.offset)
            guard var fields = problems.attempt({ try ObjectFields(element, source: source, what: what) }) else {
                continue
            }
            var acceptance = Acceptance(until: "", reason: "", line: position.line, column: position.column)
            var valid = true
            if let text = problems.attempt({ try fields.string("change") }) ?? nil {
                let unsigned = text.trimmingSpaces.hasPrefix("+") ? String(text.trimmingSpaces.dropFirst()) : text
                if let fraction = Percentage.parse(unsigned), fraction > 0 {
                    acceptance.change = fraction
                } else {
                    problems.add(
                        fields.error(
                            at: fields.take("change")!,
                            "`change` of \(what) must be a worsening such as \"+25%\", got \"\(text)\""))
                    valid = false
                }
            }
            if let by = fields.node("by") {
                var quantity: Quantity?
                switch by.value {
                case .string(let text): quantity = Quantity.parse(text)
                case .number(let number): quantity = Quantity(value: number, unit: unit)
                default: break
                }
                if let symbol = quantity?.unit?.symbol, let problem = Unit.recognitionProblem(symbol) {
                    problems.add(fields.error(node: by, "`by` of \(what): " + problem.message, hint: problem.hint))
                    valid = false
                } else if let quantity, quantity.value > 0,
                    quantity.unit.map({ given in unit.map { given.convert(1, to: $0) != nil } ?? true }) ?? true
                {
                    acceptance.by = quantity
                } else {
                    problems.add(
                        fields.error(
                            node: by,
                            "`by` of \(what) must be a positive amount such as \"30 ms\"\(unit.map { " in a unit of \($0.dimensionName)" } ?? "")"
                        ))
                    valid = false
                }
            }
            if acceptance.change == nil && acceptance.by == nil && valid {
                problems.add(
                    RedlineError(
                        source, at: element.offset,
                        "\(what) says neither `change` nor `by`: how much worse is accepted?",
                        hint: "add \"change\": \"+25%\" or \"by\": \"30 ms\""))
                valid = false
            }
            let until = problems.attempt { try fields.string("until") } ?? nil
            if let until, CalendarDay.number(until) != nil {
                acceptance.until = until
            } else {
                problems.add(
                    RedlineError(
                        source, at: fields.take("until").map { fields.record.valueOffset($0) } ?? element.offset,
                        "\(what) needs `until`, a date such as \"2027-01-31\"\(until.map { ", got \"\($0)\"" } ?? "")",
                        hint: "an acceptance expires: at most \(Acceptance.longestDays) days ahead"))
                valid = false
            }
            let reason = (problems.attempt { try fields.string("reason") } ?? nil)?.trimmingSpaces ?? ""
            if reason.isEmpty {
                problems.add(
                    RedlineError(
                        source, at: fields.take("reason").map { fields.record.valueOffset($0) } ?? element.offset,
                        "\(what) has no `reason`",
                        hint: "say why the regression is intended, e.g. \"new auth check, #123\""))
                valid = false
            }
            acceptance.reason = reason
            for error in fields.unknownKeys(allowed: acceptanceKeys) {
                problems.add(error)
                valid = false
            }
            if valid { acceptances.append(acceptance) }
        }
        return acceptances
    }

    /// `history`: how many runs the baseline keeps per metric, 1 to `HistoryLimits.maximumRuns`.
    static func history(_ fields: inout ObjectFields<ObjectRecord>) throws -> Int? {
        guard let value = try fields.number("history") else { return nil }
        guard value >= 1, value <= Double(HistoryLimits.maximumRuns), value == value.rounded() else {
            throw fields.error(
                at: fields.take("history")!,
                "`history` of \(fields.what) must be a whole number of runs from 1 to \(HistoryLimits.maximumRuns), got \(JSONWriter.number(value))",
                hint:
                    "\(HistoryLimits.defaultRuns) is the default; the judge needs \(HistoryLimits.minimumRuns) runs to use the window"
            )
        }
        return Int(value)
    }

    static func missing(_ fields: inout ObjectFields<ObjectRecord>) throws -> MissingPolicy? {
        guard let word = try fields.string("missing") else { return nil }
        guard let policy = MissingPolicy(rawValue: word) else {
            throw fields.error(
                at: fields.take("missing")!,
                "`missing` of \(fields.what) must be \"fail\", \"warn\" or \"ignore\", got \"\(word)\"")
        }
        return policy
    }
}
