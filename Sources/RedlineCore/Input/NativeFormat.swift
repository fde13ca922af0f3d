import RedlineModel
import RedlineJSON

/// redline's own metrics format (`redline.metrics.v1`) in its three shapes:
/// `{"metrics": [{"name": …, "value": …}]}`, `{"metrics": {"name": 1.5 or {…}}}`,
/// and a bare `{"name": 1.5}` object. Baselines are this format plus `provenance`.
package enum NativeFormat: MetricsFormat {
    static let name = "native"
    static let syntax = FormatSyntax.json

    /// Keys of one metric object.
    static let metricKeys = ["name", "value", "samples", "unit", "direction"]

    /// Declared by a `schema` string (a redline file may not be read as something else; an unknown
    /// schema is then refused by the reader); strong for a `metrics` member shaped as redline writes
    /// it; weak for a bare object of names to numbers or metric objects, the shape a hand-written
    /// file most often has, which any tool's signature overrides.
    static func match(_ input: FormatInput) -> FormatMatch {
        guard let members = input.root?.members else { return .none }
        if input.root?["schema"]?.string != nil { return .declared }
        if let metrics = input.root?["metrics"] {
            if let elements = metrics.elements {
                return elements.first.map { $0["name"] != nil } ?? true ? .strong : .none
            }
            if let entries = metrics.members {
                return entries.first.map { isMetric($0.node) } ?? true ? .strong : .none
            }
            return .none
        }
        return members.prefix(16).allSatisfy { isMetric($0.node) } ? .weak : .none
    }

    /// Whether a member of the object shapes is a metric: a number, or an object of metric keys
    /// with a value or samples.
    static func isMetric(_ node: JSONNode) -> Bool {
        if node.number != nil { return true }
        guard let keys = node.members?.map(\.key) else { return false }
        return (keys.contains("value") || keys.contains("samples")) && keys.allSatisfy(metricKeys.contains)
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        ReadResult(
            metrics: try decode(try input.document(), source: input.source, expecting: Schema.metrics).metrics,
            format: name)
    }

    static func recordDecoder(_ source: SourceText) -> Records? { Records(source: source) }

    static func read(_ input: FormatInput, records: Records) throws -> ReadResult {
        ReadResult(
            metrics: try decode(try input.document(), source: input.source, expecting: Schema.metrics, records: records)
                .metrics, format: name)
    }

    /// Reads a native metrics file; every problem in it is reported, not only the first.
    public static func read(_ source: SourceText) throws -> MetricSet {
        try document(source, expecting: Schema.metrics).metrics
    }

    /// A decoded native document. A baseline's parts beyond the metrics come undecoded, for
    /// `BaselineFormat` to read: its `provenance`, its `runs` and each metric's `history`.
    package struct Document {
        package var metrics: MetricSet
        package var provenance: JSONNode?
        package var runs: JSONNode?
        package var histories: [(name: String, object: NestedObject)]
    }

    /// Parses and decodes a native document (metrics or baseline), streaming its `metrics` array.
    package static func document(_ source: SourceText, expecting schema: String) throws -> Document {
        var records = Records(source: source)
        let root = try JSONReader.parse(source, records: &records)
        return try decode(root, source: source, expecting: schema, records: records)
    }

    /// Decodes a parsed native document. `expecting` is the schema the caller reads
    /// (metrics or baseline); a baseline also carries `provenance`, returned undecoded.
    /// `records` holds the metrics when the parse streamed the `metrics` array into it.
    static func decode(_ root: JSONNode, source: SourceText, expecting schema: String, records: Records? = nil) throws
        -> Document
    {
        guard case .object(let members) = root.value else {
            throw RedlineError(
                source, at: root.offset, "expected a JSON object at the top level, got \(root.value.kindName)",
                hint: "write {\"metrics\": [...]} or {\"name\": value, ...}")
        }
        // A baseline is read as one, whether asked for or given as metrics (`--current` of a baseline).
        let isBaseline = schema == Schema.baseline || root["schema"]?.string == Schema.baseline
        var list = records?.streamed == true ? records! : Records(source: source)
        var context: [(key: String, value: String)] = []
        var provenance: JSONNode?
        var runs: JSONNode?

        if members.contains(where: { $0.key == "metrics" }) {
            var fields = try ObjectFields(root, source: source, what: "the top-level object")
            list.problems.attempt {
                if let name = try fields.string("schema") {
                    try Schema.check(
                        name, source: source, at: fields.record.valueOffset(fields.take("schema")!), expecting: schema)
                }
                // An editor's JSON Schema reference, for redline a comment.
                _ = try fields.string("$schema")
            }
            if let node = fields.node("context") {
                context = list.problems.attempt { try decodeContext(node, source: source) } ?? []
            }
            if isBaseline { (provenance, runs) = (fields.node("provenance"), fields.node("runs")) }
            if let node = fields.node("metrics") {
                switch node.value {
                case .array(let elements) where !list.streamed:
                    for element in elements {
                        if let record = ObjectRecord(element) {
                            list.takeRecord(record)
                        } else {
                            list.take(nonObject: element)
                        }
                    }
                case .array:
                    break
                case .object(let entries):
                    for entry in entries {
                        list.add(list.problems.attempt { try decodeKeyed(entry, source: source) }, at: entry.keyOffset)
                    }
                default:
                    list.problems.add(
                        RedlineError(
                            source, at: node.offset,
                            "`metrics` must be an array of metric objects or an object of name to value, got \(node.value.kindName)"
                        ))
                }
            }
            var allowed = ["schema", "$schema", "context", "metrics"]
            if isBaseline { allowed += ["provenance", "runs"] }
            for error in fields.unknownKeys(allowed: allowed) { list.problems.add(error) }
        } else {
            for entry in members {
                if entry.key == "schema" || entry.key == "$schema" {
                    guard case .string(let name) = entry.node.value else {
                        list.problems.add(
                            RedlineError(
                                source, at: entry.node.offset,
                                "`\(entry.key)` must be a string, got \(entry.node.value.kindName)",
                                hint:
                                    "\"schema\": \"\(Schema.metrics)\" names the format; a metric cannot be called \(entry.key)"
                            ))
                        continue
                    }
                    if entry.key == "schema" {
                        list.problems.attempt {
                            try Schema.check(name, source: source, at: entry.node.offset, expecting: schema)
                        }
                    }
                    continue
                }
                list.add(list.problems.attempt { try decodeKeyed(entry, source: source) }, at: entry.keyOffset)
            }
        }
        if isBaseline && schema != Schema.baseline {
            // A baseline read as metrics (`--current` of a baseline): its histories are not used,
            // but the bytes the fast path stepped over must still be valid JSON.
            for (_, object) in list.histories {
                list.problems.attempt { _ = try object.node(in: source) }
            }
        }
        // A person wrote this file (or a script did): a unit that names nothing redline knows is a
        // slip to point at now, not a unit that only matches itself later. A baseline is redline's
        // own file and keeps the units its tools gave.
        if !isBaseline {
            for (metric, offset) in zip(list.metrics, list.offsets) {
                guard let symbol = metric.unit?.symbol, let problem = Unit.recognitionProblem(symbol) else { continue }
                list.problems.add(
                    RedlineError(
                        source, at: offset, "metric \"\(metric.name)\" has an \(problem.message)", hint: problem.hint))
            }
        }
        if !isBaseline, let first = list.histories.first {
            list.problems.add(
                RedlineError(
                    source, at: first.object.offset,
                    "metric \"\(first.name)\" has a `history`, which only a baseline has",
                    hint: "remove it, or give the file \"schema\": \"\(Schema.baseline)\""))
        }
        try list.problems.throwIfAny()
        return Document(
            metrics: MetricSet(metrics: list.metrics, offsets: list.offsets, context: context, source: source),
            provenance: provenance, runs: runs, histories: list.histories)
    }

    /// The metrics of a document, decoded one at a time; as the parse's record sink it takes the
    /// elements of the root's `metrics` array as they are read, flat or as trees alike. Every
    /// problem is kept, not only the first.
    struct Records: JSONRecordSink {
        let source: SourceText
        private(set) var metrics: [Metric] = []
        /// The `history` of each metric that has one, undecoded: as bytes when the fast path read
        /// the metric, so that a baseline of many metrics never holds all their histories as trees.
        private(set) var histories: [(name: String, object: NestedObject)] = []
        /// Where each of `metrics` starts in the file.
        private(set) var offsets: [Int] = []
        private var seen: [String: Int] = [:]
        /// How many elements of the `metrics` array came so far.
        private var count = 0
        var problems = Problems()
        private(set) var streamed = false

        init(source: SourceText) {
            self.source = source
        }

        mutating func accepts(key: String, first: JSONNode) -> Bool {
            streamed = key == "metrics" && first.members != nil
            return streamed
        }

        /// Every history is parsed: by `BaselineFormat.read`, or by `decode` for a metrics file.
        var takesNestedObjectsAsBytes: Bool { true }

        mutating func take(_ record: FlatRecord) { takeRecord(record) }
        mutating func take(_ record: ObjectRecord) { takeRecord(record) }

        mutating func take(nonObject element: JSONNode) {
            count += 1
            guard !problems.isFull else {
                problems.unchecked += 1
                return
            }
            problems.add(
                RedlineError(
                    source, at: element.offset, "metric \(count) must be an object, got \(element.value.kindName)"))
        }

        /// One metric object of the array, however it was read.
        mutating func takeRecord<Record: JSONRecord>(_ record: Record) {
            count += 1
            let position = count
            // Past the problem limit each further message would only be counted: do not build them.
            guard !problems.isFull else {
                problems.unchecked += 1
                return
            }
            var fields = ObjectFields(record, source: source, what: "metric \(position)")
            // Only a baseline may have a history: `decode` says so when a metrics file does.
            let history = fields.take("history")
            let metric = problems.attempt { try decodeMetric(&fields, keyed: nil) }
            add(metric, at: record.offset)
            guard let history, let metric else { return }
            guard let object = record.object(history) else {
                problems.add(
                    fields.error(
                        at: history,
                        "`history` of metric \"\(metric.name)\" must be an object, got \(record.kindName(history))"))
                return
            }
            histories.append((metric.name, object))
        }

        mutating func add(_ metric: Metric?, at offset: Int) {
            guard let metric else { return }
            if let first = seen[metric.name] {
                problems.add(
                    RedlineError(
                        source, at: offset, MetricRules.duplicate(metric.name, first: source.position(of: first)),
                        hint: MetricRules.duplicateHint))
                return
            }
            seen[metric.name] = offset
            metrics.append(metric)
            offsets.append(offset)
        }
    }

    static func decodeContext(_ node: JSONNode, source: SourceText) throws -> [(key: String, value: String)] {
        guard case .object(let members) = node.value else {
            throw RedlineError(
                source, at: node.offset, "`context` must be an object of strings, got \(node.value.kindName)")
        }
        return try members.map { member in
            switch member.node.value {
            case .string(let text): return (member.key, text)
            case .number(let value): return (member.key, JSONWriter.number(value))
            case .bool(let flag): return (member.key, flag ? "true" : "false")
            default:
                throw RedlineError(
                    source, at: member.node.offset,
                    "context value \"\(member.key)\" must be a string, number or boolean, got \(member.node.value.kindName)"
                )
            }
        }
    }

    /// A metric of the object shapes, named by its key: a bare number or a metric object.
    static func decodeKeyed(_ entry: JSONMember, source: SourceText) throws -> Metric {
        if case .number(let number) = entry.node.value {
            try checkName(entry.key, source: source, at: entry.keyOffset)
            return Metric(name: entry.key, value: number)
        }
        var fields = try ObjectFields(entry.node, source: source, what: "metric \"\(entry.key)\"")
        return try decodeMetric(&fields, keyed: (entry.key, entry.keyOffset))
    }

    /// Decodes one metric object, read as a tree or flat alike; `keyed` is its name and where it
    /// is when its key names it (the object shapes).
    static func decodeMetric<Record: JSONRecord>(_ fields: inout ObjectFields<Record>, keyed: (String, Int)?) throws
        -> Metric
    {
        let record = fields.record
        let source = fields.source
        let name: String
        let nameOffset: Int
        if let keyed {
            name = keyed.0
            nameOffset = keyed.1
            if fields.take("name") != nil {
                throw RedlineError(
                    source, at: record.offset, "\(fields.what) has a `name` key, but its name is already its key",
                    hint: "remove `name`")
            }
        } else {
            guard let given = try fields.string("name") else {
                throw RedlineError(
                    source, at: record.offset, "\(fields.what) has no `name`", hint: "add \"name\": \"...\"")
            }
            name = given
            nameOffset = record.valueOffset(fields.take("name")!)
        }
        try checkName(name, source: source, at: nameOffset)
        let label = "metric \"\(name)\""
        var unit: Unit?
        if let symbol = try fields.string("unit"), !symbol.isEmpty {
            if let problem = MetricRules.unitProblem(symbol) {
                throw fields.error(at: fields.take("unit")!, "unit of \(label): " + problem)
            }
            unit = Unit(symbol)
        }
        var direction: Direction?
        if let word = try fields.string("direction") {
            guard let parsed = Direction(rawValue: word) else {
                throw fields.error(
                    at: fields.take("direction")!,
                    "`direction` of \(label) must be \"lower\" or \"higher\", got \"\(word)\"")
            }
            direction = parsed
        }
        var value: Double?
        if let number = try fields.number("value") {
            if let problem = MetricRules.valueProblem(number, unit: unit) {
                throw fields.error(at: fields.take("value")!, "\(label) " + problem)
            }
            value = number
        }
        var samples: [Double]?
        if let index = fields.take("samples") {
            guard let count = record.elementCount(index) else {
                throw fields.error(
                    at: index, "`samples` of \(label) must be an array of numbers, got \(record.kindName(index))")
            }
            guard count > 0 else {
                throw fields.error(
                    at: index, "`samples` of \(label) is empty", hint: "give at least one sample or leave `samples` out"
                )
            }
            guard let numbers = record.numbers(index) else {
                let bad = (0..<count).map { record.element(index, $0) }.first { $0.number == nil }!
                throw JSONNumbers.notANumber(source, at: bad.offset, what: "a sample of \(label)", got: bad.description)
            }
            for (position, number) in numbers.enumerated() {
                if let problem = MetricRules.valueProblem(number, unit: unit) {
                    throw RedlineError(source, at: record.element(index, position).offset, "\(label) " + problem)
                }
            }
            samples = numbers
        }
        if let unknown = fields.unknownKeys(allowed: metricKeys).first { throw unknown }
        guard let headline = value ?? samples.flatMap(Metric.median) else {
            throw RedlineError(
                source, at: record.offset, "\(label) has neither `value` nor `samples`",
                hint: "add \"value\": <number>")
        }
        return Metric(name: name, value: headline, samples: samples, unit: unit, direction: direction)
    }

    static func checkName(_ name: String, source: SourceText, at offset: Int) throws {
        if let problem = MetricRules.nameProblem(name) {
            throw RedlineError(source, at: offset, problem, hint: "rename the metric")
        }
    }
}
