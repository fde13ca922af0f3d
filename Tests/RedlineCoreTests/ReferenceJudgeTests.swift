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

/// A second, deliberately plain implementation of the verdict rules as the README states them,
/// written apart from `Judge` (no shared helpers but the rank test's p-values, which
/// `StatisticsTests` checks against SciPy): its own unit table, its own centres, the
/// Hodges-Lehmann shift by sorting every pairwise difference, and the rules as a list of ifs.
enum ReferenceJudge {
    /// A unit as the reference knows it: its dimension and its size in the dimension's smallest unit.
    struct KnownUnit {
        var dimension: String
        var size: Double
        var higherByDefault: Bool
    }

    static let units: [String: KnownUnit] = [
        "ns": KnownUnit(dimension: "time", size: 1, higherByDefault: false),
        "us": KnownUnit(dimension: "time", size: 1_000, higherByDefault: false),
        "ms": KnownUnit(dimension: "time", size: 1_000_000, higherByDefault: false),
        "s": KnownUnit(dimension: "time", size: 1_000_000_000, higherByDefault: false),
        "B": KnownUnit(dimension: "size", size: 1, higherByDefault: false),
        "KB": KnownUnit(dimension: "size", size: 1_000, higherByDefault: false),
        "KiB": KnownUnit(dimension: "size", size: 1_024, higherByDefault: false),
        "MB": KnownUnit(dimension: "size", size: 1_000_000, higherByDefault: false),
        "count": KnownUnit(dimension: "count", size: 1, higherByDefault: false),
        "%": KnownUnit(dimension: "percent", size: 1, higherByDefault: false),
        "req/ms": KnownUnit(dimension: "rate", size: 1_000, higherByDefault: true),
        "req/s": KnownUnit(dimension: "rate", size: 1, higherByDefault: true),
    ]

    /// `value` from one unit into another of the same dimension, by the whole ratio of their sizes.
    static func convert(_ value: Double, from: String, to: String) -> Double {
        let a = units[from]!.size
        let b = units[to]!.size
        if a == b { return value }
        return a > b ? value * (a / b) : value / (b / a)
    }

    struct Rule {
        var unit: String?
        var direction: Direction?
        var maxRegression: Double?
        /// The floor and the unit it is written in (nil: bare, in the rule's unit or else the metric's).
        var minDelta: (value: Double, unit: String?)?
        var levels: (target: Double, warning: Double, error: Double)?
        var alpha: Double?
    }

    struct Defaults {
        var maxRegression = 0.1
        var minDelta: (value: Double, unit: String?)?
        var alpha = 0.05
    }

    struct Outcome: Equatable, CustomStringConvertible {
        var isError = false
        var verdict: Verdict?
        var level: BudgetLevel?
        var unit: String?
        var direction: Direction?
        var change: Double?

        var description: String {
            isError
                ? "error"
                : "\(verdict.map { "\($0)" } ?? "-") level \(level.map { "\($0)" } ?? "-") unit \(unit ?? "-") \(direction.map { "\($0)" } ?? "-") change \(change.map { "\($0)" } ?? "nil")"
        }

        static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            guard lhs.isError == rhs.isError, lhs.verdict == rhs.verdict, lhs.level == rhs.level, lhs.unit == rhs.unit,
                lhs.direction == rhs.direction
            else { return false }
            switch (lhs.change, rhs.change) {
            case (nil, nil): return true
            case (let a?, let b?): return abs(a - b) <= 1e-9 * max(1, abs(a))
            default: return false
            }
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let half = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[half] : sorted[half - 1] / 2 + sorted[half] / 2
    }

    static func judge(current: Metric?, baseline: Metric?, rule: Rule?, defaults: Defaults) -> Outcome {
        var outcome = Outcome()
        // Units: each side its own, else the rule's, else the other side's.
        let currentUnit = current == nil ? nil : current?.unit?.symbol ?? rule?.unit ?? baseline?.unit?.symbol
        let baselineUnit = baseline == nil ? nil : baseline?.unit?.symbol ?? rule?.unit ?? current?.unit?.symbol
        let unit = current != nil ? currentUnit : baselineUnit
        outcome.unit = unit
        if let a = currentUnit, let b = baselineUnit, units[a]!.dimension != units[b]!.dimension {
            return Outcome(isError: true)
        }
        let direction =
            rule?.direction ?? current?.direction ?? baseline?.direction
            ?? (unit.map { units[$0]!.higherByDefault ? Direction.higher : .lower } ?? .lower)
        outcome.direction = direction
        func toMetricUnit(_ value: Double, from given: String?) -> Double? {
            guard let given, let unit else { return value }
            guard units[given]!.dimension == units[unit]!.dimension else { return nil }
            return convert(value, from: given, to: unit)
        }
        // Levels: in the rule's unit, ordered for the direction in force.
        var levels: [Double]?
        if let given = rule?.levels {
            var converted: [Double] = []
            for level in [given.target, given.warning, given.error] {
                guard let value = toMetricUnit(level, from: rule?.unit) else { return Outcome(isError: true) }
                converted.append(value)
            }
            let ordered =
                direction == .lower
                ? given.target <= given.warning && given.warning <= given.error
                : given.target >= given.warning && given.warning >= given.error
            if !ordered { return Outcome(isError: true) }
            levels = converted
        }
        // The floor: a unit needs the metric to have one of the same dimension.
        var floor = 0.0
        if let given = rule?.minDelta ?? defaults.minDelta {
            let written = given.unit ?? (rule?.minDelta != nil ? rule?.unit : nil)
            if written != nil && unit == nil && current != nil && baseline != nil { return Outcome(isError: true) }
            guard let value = toMetricUnit(given.value, from: written) else { return Outcome(isError: true) }
            floor = value
        }
        let maxRegression = rule?.maxRegression ?? defaults.maxRegression
        let alpha = rule?.alpha ?? defaults.alpha
        guard let current else {
            outcome.verdict = .missing
            return outcome
        }
        let currentCentre = current.samples.map(median) ?? current.value
        if let baseline {
            var baselineSamples = baseline.samples
            var baselineCentre = baseline.samples.map(median) ?? baseline.value
            if let from = baselineUnit, let to = unit {
                baselineCentre = convert(baselineCentre, from: from, to: to)
                baselineSamples = baselineSamples?.map { convert($0, from: from, to: to) }
            }
            // The amount the current run is worse by, and the evidence on samples.
            var worsening: Double
            var pWorse: Double?
            var pBetter: Double?
            if let before = baselineSamples, let after = current.samples, before.count >= 5, after.count >= 5 {
                var differences: [Double] = []
                for value in after { for earlier in before { differences.append(value - earlier) } }
                let shift = median(differences)
                worsening = direction == .lower ? shift : -shift
                let tests = Statistics.uTests(baseline: before, current: after)
                pWorse = direction == .lower ? tests.larger.pValue : tests.smaller.pValue
                pBetter = direction == .lower ? tests.smaller.pValue : tests.larger.pValue
            } else {
                worsening = direction == .lower ? currentCentre - baselineCentre : baselineCentre - currentCentre
            }
            var change: Double?
            if baselineCentre != 0 {
                change = worsening / abs(baselineCentre)
            } else if worsening == 0 {
                change = 0
            }
            outcome.change = change
            let tolerance = 1e-9
            let worseEnough =
                worsening > floor * (1 + tolerance) && (change == nil || change! > maxRegression + tolerance)
            let betterEnough =
                -worsening > floor * (1 + tolerance) && (change == nil || -change! > maxRegression + tolerance)
            if worseEnough {
                outcome.verdict = pWorse.map { $0 < alpha } ?? true ? .regressed : .inconclusive
            } else if betterEnough && (pBetter.map { $0 < alpha } ?? true) {
                outcome.verdict = .improved
            } else {
                outcome.verdict = .unchanged
            }
        } else {
            outcome.verdict = .new
        }
        if let levels {
            let worse: (Double) -> Bool = { direction == .lower ? currentCentre > $0 : currentCentre < $0 }
            outcome.level =
                worse(levels[2]) ? .error : worse(levels[1]) ? .warning : worse(levels[0]) ? .overTarget : .withinTarget
        }
        return outcome
    }
}

/// Generates metric pairs and rules that cover the corners of the rules: zeros, ties, outliers,
/// values that disagree with their samples, every order of unit sources, both directions.
struct CaseGenerator {
    var generator: SeededGenerator

    static let dimensions: [[String]] = [
        ["ns", "us", "ms", "s"], ["B", "KB", "KiB", "MB"], ["count"], ["%"], ["req/s", "req/ms"],
    ]

    mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &generator)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < p }

    /// A rule; `dimension` is the index into `dimensions`, or nil for a rule without a unit.
    mutating func rule(dimension: Int?, floorUnit: String?) -> ReferenceJudge.Rule {
        var rule = ReferenceJudge.Rule()
        if let dimension, chance(0.7) { rule.unit = pick(Self.dimensions[dimension]) }
        if chance(0.4) { rule.direction = pick([.lower, .higher]) }
        if chance(0.5) { rule.maxRegression = pick([0, 0.05, 0.1, 0.25, 1]) }
        if chance(0.4) {
            if chance(0.5) {
                rule.minDelta = (pick([0, 0.5, 2, 10]), nil)
            } else if let floorUnit {
                rule.minDelta = (pick([0.001, 1, 5]), floorUnit)
            }
        }
        if chance(0.4) {
            let base = pick([1.0, 50, 100, 1000])
            let steps = [base, base * 2, base * 5]
            let effective =
                rule.direction
                ?? (rule.unit.map { ReferenceJudge.units[$0]!.higherByDefault } == true ? .higher : .lower)
            let ordered = effective == .lower ? steps : steps.reversed()
            rule.levels = (ordered[0], ordered[1], ordered[2])
        }
        if chance(0.3) { rule.alpha = pick([0.01, 0.05, 0.2]) }
        return rule
    }

    /// A centre value; zero often, negative only where `signed`.
    mutating func centre(signed: Bool) -> Double {
        let value = pick([0.0, 0, 1, 3, 87.5, 100, 100, 1000, 123_456, 0.002])
        return signed && chance(0.3) ? -value : value
    }

    mutating func samples(around centre: Double, count: Int) -> [Double] {
        let spread = pick([0.0, 0.01, 0.05, 0.2])
        var values = (0..<count).map { _ in centre * (1 + spread * Double.random(in: -1...1, using: &generator)) }
        if chance(0.3) { values = values.map { ($0 * 10).rounded() / 10 } }  // ties
        if count > 0 && chance(0.15) { values[0] = centre == 0 ? 50 : centre * 10 }  // an outlier
        if count > 0 && chance(0.1) { values[count - 1] = 0 }  // a zero
        return values
    }

    /// One side of a metric: a value, samples or both (a value that may disagree with the samples).
    mutating func side(name: String, centre: Double, unit: String?, direction: Direction?) -> Metric {
        let count = pick([0, 0, 1, 3, 4, 5, 5, 7, 10])
        let samples = count == 0 ? nil : self.samples(around: centre, count: count)
        var value = centre
        if let samples {
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: value = ReferenceJudge.median(samples)
            case 1: value = samples.reduce(0, +) / Double(samples.count)  // the mean, as JMH writes it
            default: value = centre * pick([0.5, 1.3, 2])  // anything
            }
        }
        return Metric(name: name, value: value, samples: samples, unit: unit.map(Unit.init), direction: direction)
    }

    /// A pair of sides for a metric under `rule`, with the current run changed by a factor from the
    /// baseline (boundaries such as exactly +10% included).
    mutating func pair(name: String, rule: ReferenceJudge.Rule?, dimension: Int?, mixDimensions: Bool)
        -> (current: Metric?, baseline: Metric?)
    {
        let signed = dimension == nil
        func unit() -> String? {
            guard let dimension else { return nil }
            if mixDimensions && chance(0.3) { return pick(Self.dimensions.flatMap { $0 }) }
            return chance(0.6) ? pick(Self.dimensions[dimension]) : nil
        }
        let currentUnit = unit()
        let baselineUnit = unit()
        let directions: [Direction?] = [nil, nil, .lower, .higher]
        let baselineDirection = pick(directions)
        let currentDirection = chance(0.8) ? baselineDirection : pick(directions)
        let base = centre(signed: signed)
        let factor = pick([1.0, 1.1, 0.9, 1.1000001, 1.05, 1.2, 0.8, 2, 0.5, 0, 1.0000000001])
        var now = base * factor + (chance(0.2) ? pick([1.0, 3, 0.5]) : 0)
        if !signed { now = max(0, now) }
        // Values in a side's unit: the same quantity written in that unit.
        func inUnit(_ value: Double, _ unit: String?) -> Double {
            guard let unit, let reference = Self.dimensions[dimension ?? 0].first, dimension != nil,
                ReferenceJudge.units[unit]!.dimension == ReferenceJudge.units[reference]!.dimension
            else { return value }
            return ReferenceJudge.convert(
                value, from: Self.dimensions[dimension!][1 % Self.dimensions[dimension!].count], to: unit)
        }
        let hasBaseline = chance(0.9)
        let hasCurrent = chance(0.93)
        let baseline =
            hasBaseline
            ? side(name: name, centre: inUnit(base, baselineUnit), unit: baselineUnit, direction: baselineDirection)
            : nil
        let current =
            hasCurrent || !hasBaseline
            ? side(name: name, centre: inUnit(now, currentUnit), unit: currentUnit, direction: currentDirection) : nil
        return (current, baseline)
    }
}

extension ReferenceJudge.Rule {
    /// The rule as budgets.json text.
    func json(key: String) -> String {
        var members: [String] = []
        if let unit { members.append(#""unit": "\#(unit)""#) }
        if let direction { members.append(#""direction": "\#(direction.rawValue)""#) }
        if let maxRegression { members.append(#""maxRegression": "\#(JSONWriter.number(maxRegression * 100))%""#) }
        if let minDelta {
            members.append(
                minDelta.unit.map { #""minDelta": "\#(JSONWriter.number(minDelta.value)) \#($0)""# }
                    ?? #""minDelta": \#(JSONWriter.number(minDelta.value))"#)
        }
        if let levels {
            members.append(
                #""target": \#(JSONWriter.number(levels.target)), "warning": \#(JSONWriter.number(levels.warning)), "error": \#(JSONWriter.number(levels.error))"#
            )
        }
        if let alpha { members.append(#""alpha": \#(JSONWriter.number(alpha))"#) }
        return #""\#(key)": {\#(members.joined(separator: ", "))}"#
    }
}

@Suite("The judge against a plain reference implementation of the rules")
struct ReferenceJudgeTests {
    /// What the library's judgement says, in the reference's terms.
    static func outcome(_ judged: MetricJudgement) -> ReferenceJudge.Outcome {
        ReferenceJudge.Outcome(
            verdict: judged.verdict, level: judged.budgetLevel, unit: judged.unit?.symbol,
            direction: judged.direction, change: judged.change)
    }

    @Test("≥ 100,000 generated metric pairs: identical verdicts, levels, units, directions and changes")
    func differential() throws {
        var cases = CaseGenerator(generator: SeededGenerator(seed: 2026_11_27))
        // Rules behind globs by prefix: r0_* … r59_*; metrics without a rule start with "free_".
        var rules: [(key: String, rule: ReferenceJudge.Rule, dimension: Int?)] = []
        for index in 0..<60 {
            let dimension: Int? = index % 6 == 5 ? nil : index % 5
            let floorUnit = dimension.map { CaseGenerator.dimensions[$0].last! }
            rules.append(("r\(index)_*", cases.rule(dimension: dimension, floorUnit: floorUnit), dimension))
        }
        let budgets =
            "{\"defaults\": {\"maxRegression\": \"10%\"}, \"metrics\": {"
            + rules.map { $0.rule.json(key: $0.key) }.joined(separator: ", ") + "}}"
        let policy = try Budgets.read(SourceText(name: "budgets.json", text: budgets))
        var current: [Metric] = []
        var baseline: [Metric] = []
        var expected: [String: ReferenceJudge.Outcome] = [:]
        var skipped = 0
        var index = 0
        while expected.count < 100_000 {
            index += 1
            let ruled = cases.chance(0.8)
            let template = ruled ? rules[index % rules.count] : nil
            let dimension =
                template.map { $0.dimension }
                ?? (cases.chance(0.2) ? nil : Int.random(in: 0..<5, using: &cases.generator))
            let name = (template.map { String($0.key.dropLast()) } ?? "free_") + "case\(index)"
            let sides = cases.pair(name: name, rule: template?.rule, dimension: dimension, mixDimensions: false)
            let reference = ReferenceJudge.judge(
                current: sides.current, baseline: sides.baseline, rule: template?.rule,
                defaults: ReferenceJudge.Defaults())
            // A case the rules refuse would refuse the whole run: those are checked one by one below.
            guard !reference.isError else {
                skipped += 1
                continue
            }
            expected[name] = reference
            if let metric = sides.current { current.append(metric) }
            if let metric = sides.baseline { baseline.append(metric) }
        }
        let judgement = try Judge.judge(
            current: MetricSet(metrics: current), baseline: Baseline(metrics: MetricSet(metrics: baseline)),
            policy: policy)
        var mismatches: [String] = []
        var verdicts: [Verdict: Int] = [:]
        for judged in judgement.metrics {
            guard let reference = expected[judged.name] else { continue }
            verdicts[judged.verdict, default: 0] += 1
            let library = Self.outcome(judged)
            if library != reference { mismatches.append("\(judged.name): judge \(library), reference \(reference)") }
        }
        #expect(judgement.metrics.count == expected.count)
        #expect(
            mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5).joined(separator: "\n"))"
        )
        // The generator reaches every verdict, and many cases sit on the rules' corners.
        for verdict in [Verdict.regressed, .improved, .unchanged, .inconclusive, .new, .missing] {
            #expect((verdicts[verdict] ?? 0) > 300, "only \(verdicts[verdict] ?? 0) \(verdict)")
        }
        #expect(skipped > 100, "the generator also makes cases the rules refuse")
    }

    @Test(
        "cases the rules refuse (units of two dimensions, floors with a unit on metrics without one, levels against the direction) throw exactly where the reference refuses"
    )
    func refusals() throws {
        var cases = CaseGenerator(generator: SeededGenerator(seed: 91))
        var refused = 0
        for index in 0..<6_000 {
            let dimension: Int? = cases.chance(0.25) ? nil : Int.random(in: 0..<5, using: &cases.generator)
            let ruleDimension = cases.chance(0.8) ? dimension : Int.random(in: 0..<5, using: &cases.generator)
            let rule =
                cases.chance(0.8)
                ? cases.rule(dimension: ruleDimension, floorUnit: cases.pick(["ms", "B", "count", nil])) : nil
            var defaults = ReferenceJudge.Defaults()
            if cases.chance(0.3) { defaults.minDelta = (1, cases.pick(["ms", "ns", "KB"])) }
            let sides = cases.pair(name: "m", rule: rule, dimension: dimension, mixDimensions: true)
            let reference = ReferenceJudge.judge(
                current: sides.current, baseline: sides.baseline, rule: rule, defaults: defaults)
            var budgets = #"{"defaults": {"#
            if let floor = defaults.minDelta {
                budgets += #""minDelta": "\#(JSONWriter.number(floor.value)) \#(floor.unit!)""#
            }
            budgets += #"}, "metrics": {"# + (rule.map { $0.json(key: "m") } ?? "") + "}}"
            guard let policy = try? Budgets.read(SourceText(name: "budgets.json", text: budgets)) else {
                // Budgets that validation refuses on their own (a floor in another dimension than the rule's unit).
                continue
            }
            let library: ReferenceJudge.Outcome
            do {
                let judgement = try Judge.judge(
                    current: MetricSet(metrics: sides.current.map { [$0] } ?? []),
                    baseline: sides.baseline.map { Baseline(metrics: MetricSet(metrics: [$0])) },
                    policy: policy)
                library = Self.outcome(judgement.metrics.first { $0.name == "m" }!)
            } catch {
                library = ReferenceJudge.Outcome(isError: true)
            }
            if reference.isError { refused += 1 }
            #expect(
                library.isError == reference.isError && (reference.isError || library == reference),
                "case \(index): judge \(library), reference \(reference); budgets \(budgets); current \(String(describing: sides.current)); baseline \(String(describing: sides.baseline))"
            )
        }
        #expect(refused > 500)
    }
}

@Suite("Metamorphic properties of verdicts")
struct MetamorphicTests {
    func verdict(_ current: Metric, _ baseline: Metric, budgets: String = "{}") throws -> Verdict {
        try judgeOne(current: current, baseline: baseline, budgets: budgets).verdict
    }

    /// Random sides without a unit: values or samples, zeros and outliers included.
    func sides(_ cases: inout CaseGenerator, signed: Bool) -> (Metric, Metric) {
        let pair = cases.pair(name: "m", rule: nil, dimension: signed ? nil : 2, mixDimensions: false)
        var current = pair.current ?? Metric(name: "m", value: 1)
        var baseline = pair.baseline ?? Metric(name: "m", value: 1)
        current.unit = nil
        baseline.unit = nil
        current.direction = nil
        baseline.direction = nil
        return (current, baseline)
    }

    func scaled(_ metric: Metric, by factor: Double, unit: String? = nil) -> Metric {
        var copy = metric
        copy.value *= factor
        copy.samples = copy.samples?.map { $0 * factor }
        copy.unit = unit.map(Unit.init) ?? metric.unit
        return copy
    }

    @Test("scaling both sides (and the floor) by a constant never changes a verdict")
    func scaling() throws {
        var cases = CaseGenerator(generator: SeededGenerator(seed: 5))
        for _ in 0..<10_000 {
            let (current, baseline) = sides(&cases, signed: true)
            let floor = cases.pick([0.0, 1, 4])
            let factor = cases.pick([2.0, 1000, 0.001, 7.5])
            let original = try verdict(
                current, baseline, budgets: #"{"defaults": {"minDelta": "\#(JSONWriter.number(floor))"}}"#)
            let bigger = try verdict(
                scaled(current, by: factor), scaled(baseline, by: factor),
                budgets: #"{"defaults": {"minDelta": "\#(JSONWriter.number(floor * factor))"}}"#)
            #expect(original == bigger, "×\(factor): \(current) vs \(baseline)")
        }
    }

    @Test("writing both sides in another unit of the same dimension never changes a verdict")
    func unitConversion() throws {
        var cases = CaseGenerator(generator: SeededGenerator(seed: 6))
        for _ in 0..<10_000 {
            let (current, baseline) = sides(&cases, signed: false)
            let floor = cases.pick(["0ms", "2ms", "0.5 s", "150us"])
            let budgets = #"{"defaults": {"minDelta": "\#(floor)"}}"#
            let inMilliseconds = try verdict(
                scaled(current, by: 1, unit: "ms"), scaled(baseline, by: 1, unit: "ms"), budgets: budgets)
            let inMicroseconds = try verdict(
                scaled(current, by: 1000, unit: "us"), scaled(baseline, by: 1000, unit: "us"), budgets: budgets)
            let mixed = try verdict(
                scaled(current, by: 1000, unit: "us"), scaled(baseline, by: 0.001, unit: "s"), budgets: budgets)
            #expect(inMilliseconds == inMicroseconds && inMilliseconds == mixed, "\(current) vs \(baseline), \(floor)")
        }
    }

    @Test("flipping the direction and negating every value never changes a verdict")
    func flipping() throws {
        var cases = CaseGenerator(generator: SeededGenerator(seed: 7))
        for _ in 0..<10_000 {
            var (current, baseline) = sides(&cases, signed: true)
            current.direction = .lower
            baseline.direction = .lower
            var flippedCurrent = scaled(current, by: -1)
            var flippedBaseline = scaled(baseline, by: -1)
            flippedCurrent.direction = .higher
            flippedBaseline.direction = .higher
            #expect(
                try verdict(current, baseline) == verdict(flippedCurrent, flippedBaseline), "\(current) vs \(baseline)")
        }
    }

    @Test(
        "a current run that is the baseline shifted past maxRegression and minDelta on every sample is never unchanged")
    func shiftedIsNeverUnchanged() throws {
        var cases = CaseGenerator(generator: SeededGenerator(seed: 8))
        for _ in 0..<10_000 {
            var (_, baseline) = sides(&cases, signed: true)
            let direction = cases.pick([Direction.lower, .higher])
            baseline.direction = direction
            let centre = baseline.centre
            let floor = cases.pick([0.0, 0.5, 3])
            // Past both thresholds, worse in the metric's direction.
            let amount = max(abs(centre) * 0.1, floor) * cases.pick([1.01, 1.5, 3]) + 1e-6
            let shift = direction == .lower ? amount : -amount
            var current = baseline
            current.value += shift
            current.samples = current.samples?.map { $0 + shift }
            let judged = try judgeOne(
                current: current, baseline: baseline,
                budgets: #"{"defaults": {"minDelta": "\#(JSONWriter.number(floor))"}}"#)
            #expect(
                judged.verdict == .regressed || judged.verdict == .inconclusive,
                "\(baseline) shifted by \(shift): \(judged.verdict)")
        }
    }
}
