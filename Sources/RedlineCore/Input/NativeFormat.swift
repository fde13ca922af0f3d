/// The schema names redline reads and writes.
public enum Schema {
    /// Metrics of one run.
    public static let metrics = "redline.metrics.v1"
    /// Budgets and thresholds.
    public static let budgets = "redline.budgets.v1"
    /// An accepted baseline.
    public static let baseline = "redline.baseline.v1"
    /// The machine-readable result of `redline check`.
    public static let result = "redline.result.v1"
}

/// redline's own metrics format (`redline.metrics.v1`) in its three shapes:
/// `{"metrics": [{"name": …, "value": …}]}`, `{"metrics": {"name": 1.5 or {…}}}`,
/// and a bare `{"name": 1.5}` object.
public enum NativeFormat {
    /// Reads a native metrics file; every problem in it is reported, not only the first.
    public static func read(_ source: SourceText) throws -> MetricSet {
        try read(source, expecting: Schema.metrics).metrics
    }

    /// Parses and decodes a native document, streaming its `metrics` array.
    static func read(_ source: SourceText, expecting schema: String) throws -> (metrics: MetricSet, provenance: JSONNode?) {
        var records = Records(source: source)
        let root = try JSONReader.parse(source, records: &records)
        return try decode(root, source: source, expecting: schema, records: records)
    }

    /// Keys of one metric object.
    static let metricKeys = ["name", "value", "samples", "unit", "direction"]

    /// Decodes a parsed native document. `expecting` is the schema the caller reads
    /// (metrics or baseline); a baseline also carries `provenance`, returned undecoded.
    /// `records` holds the metrics when the parse streamed the `metrics` array into it.
    static func decode(_ root: JSONNode, source: SourceText, expecting schema: String, records: Records? = nil) throws
        -> (metrics: MetricSet, provenance: JSONNode?) {
        guard case .object(let members) = root.value else {
            throw RedlineError(source, at: root.offset, "expected a JSON object at the top level, got \(root.value.kindName)",
                               hint: "write {\"metrics\": [...]} or {\"name\": value, ...}")
        }
        var list = records?.streamed == true ? records! : Records(source: source)
        var context: [(key: String, value: String)] = []
        var provenance: JSONNode?

        let structured = members.contains { $0.key == "metrics" }
        if structured {
            var fields = try ObjectFields(root, source: source, what: "the top-level object")
            list.problems.attempt { try checkSchema(fields.string("schema"), fields: fields, expecting: schema) }
            if let node = fields.take("context") {
                context = list.problems.attempt { try decodeContext(node, source: source) } ?? []
            }
            if schema == Schema.baseline { provenance = fields.take("provenance") }
            if let node = fields.take("metrics") {
                switch node.value {
                case .array(let elements) where !list.streamed:
                    for element in elements { list.take(element) }
                case .array:
                    break
                case .object(let entries):
                    for entry in entries {
                        list.add(list.problems.attempt { try decodeMetric(entry.node, name: (entry.key, entry.keyOffset), source: source, what: "metric \"\(entry.key)\"") },
                                 at: entry.keyOffset)
                    }
                default:
                    list.problems.add(RedlineError(source, at: node.offset,
                        "`metrics` must be an array of metric objects or an object of name to value, got \(node.value.kindName)"))
                }
            }
            var allowed = ["schema", "context", "metrics"]
            if schema == Schema.baseline { allowed.append("provenance") }
            for error in fields.unknownKeys(allowed: allowed) { list.problems.add(error) }
        } else {
            for entry in members {
                if entry.key == "schema", case .string(let name) = entry.node.value {
                    list.problems.attempt { try checkSchema(name, source: source, at: entry.node.offset, expecting: schema) }
                    continue
                }
                list.add(list.problems.attempt { try decodeMetric(entry.node, name: (entry.key, entry.keyOffset), source: source, what: "metric \"\(entry.key)\"") },
                         at: entry.keyOffset)
            }
        }
        try list.problems.throwIfAny()
        return (MetricSet(metrics: list.metrics, offsets: list.offsets, context: context, source: source), provenance)
    }

    /// The metrics of a document, decoded one at a time; as the parse's record sink it takes the
    /// elements of the root's `metrics` array as they are read. Every problem is kept, not only the first.
    struct Records: JSONRecordSink {
        let source: SourceText
        private(set) var metrics: [Metric] = []
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

        mutating func take(_ element: JSONNode) {
            count += 1
            let position = count
            // Past the problem limit each further message would only be counted: do not build them.
            guard !problems.isFull else {
                problems.unchecked += 1
                return
            }
            add(problems.attempt { [source] in try decodeMetric(element, name: nil, source: source, what: "metric \(position)") },
                at: element.offset)
        }

        /// The fast path: a metric object that is entirely valid is decoded from the flat record;
        /// anything else goes to `take(_:)` as a tree, which says what is wrong exactly as before.
        mutating func take(flat: JSONFlatObject, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard !problems.isFull else { return false }
            var name: String?
            var value: Double?
            var samples: [Double]?
            var unit: Unit?
            var direction: Direction?
            for member in flat.members {
                let key = member.key
                if JSONFlatObject.key(key, in: bytes, is: "name") && member.kind == .string {
                    name = JSONFlatObject.string(member.text, in: bytes)
                } else if JSONFlatObject.key(key, in: bytes, is: "value") && member.kind == .number {
                    value = member.number
                } else if JSONFlatObject.key(key, in: bytes, is: "samples") && member.kind == .numbers && !member.numbers.isEmpty {
                    samples = Array(flat.numbers[member.numbers])
                } else if JSONFlatObject.key(key, in: bytes, is: "unit") && member.kind == .string {
                    let symbol = JSONFlatObject.string(member.text, in: bytes)
                    if symbol.isEmpty { continue }
                    guard NameRules.problem(with: symbol) == nil else { return false }
                    unit = Unit(symbol)
                } else if JSONFlatObject.key(key, in: bytes, is: "direction") && member.kind == .string {
                    guard let parsed = Direction(rawValue: JSONFlatObject.string(member.text, in: bytes)) else { return false }
                    direction = parsed
                } else {
                    return false
                }
            }
            guard let name, NameRules.problem(with: name) == nil, let headline = value ?? samples.flatMap(Metric.median) else {
                return false
            }
            if let unit, !(value.map(unit.admits) ?? true) || !(samples?.allSatisfy(unit.admits) ?? true) {
                return false
            }
            count += 1
            add(Metric(name: name, value: headline, samples: samples, unit: unit, direction: direction), at: flat.offset)
            return true
        }

        mutating func add(_ metric: Metric?, at offset: Int) {
            guard let metric else { return }
            if let first = seen[metric.name] {
                let where_ = source.position(of: first)
                problems.add(RedlineError(source, at: offset,
                    "metric \"\(metric.name)\" appears twice (first at line \(where_.line), column \(where_.column))",
                    hint: "give every metric a unique name"))
                return
            }
            seen[metric.name] = offset
            metrics.append(metric)
            offsets.append(offset)
        }
    }

    static func checkSchema(_ name: String?, fields: ObjectFields, expecting schema: String) throws {
        guard let name else { return }
        let offset = fields.members.first { $0.key == "schema" }?.node.offset ?? fields.offset
        try checkSchema(name, source: fields.source, at: offset, expecting: schema)
    }

    /// Accepts the expected schema (a metrics reader also takes a baseline); names the mistake otherwise.
    static func checkSchema(_ name: String, source: SourceText, at offset: Int, expecting schema: String) throws {
        if name == schema || (schema == Schema.metrics && name == Schema.baseline) { return }
        let known = [Schema.metrics, Schema.budgets, Schema.baseline, Schema.result]
        if known.contains(name) {
            throw RedlineError(source, at: offset, "this is a \(name) file, but a \(schema) file was expected",
                               hint: "check which file was passed to which option")
        }
        throw RedlineError(source, at: offset, "unknown schema \"\(name)\"",
                           hint: "use \"\(schema)\" or leave `schema` out")
    }

    static func decodeContext(_ node: JSONNode, source: SourceText) throws -> [(key: String, value: String)] {
        guard case .object(let members) = node.value else {
            throw RedlineError(source, at: node.offset, "`context` must be an object of strings, got \(node.value.kindName)")
        }
        return try members.map { member in
            switch member.node.value {
            case .string(let text): return (member.key, text)
            case .number(let value): return (member.key, JSONWriter.number(value))
            case .bool(let flag): return (member.key, flag ? "true" : "false")
            default:
                throw RedlineError(source, at: member.node.offset,
                                   "context value \"\(member.key)\" must be a string, number or boolean, got \(member.node.value.kindName)")
            }
        }
    }

    /// Decodes one metric: a bare number (with `name` given by the key) or a metric object.
    static func decodeMetric(_ node: JSONNode, name keyed: (String, Int)?, source: SourceText,
                             what: @escaping @autoclosure () -> String) throws -> Metric {
        let name: String
        let nameOffset: Int
        var value: Double?
        var samples: [Double]?
        var unit: Unit?
        var direction: Direction?
        if let keyed, case .number(let number) = node.value {
            try checkName(keyed.0, source: source, at: keyed.1)
            return Metric(name: keyed.0, value: number)
        }
        var fields = try ObjectFields(node, source: source, what: what())
        if let keyed {
            name = keyed.0
            nameOffset = keyed.1
            if fields.take("name") != nil {
                throw RedlineError(source, at: node.offset, "\(what()) has a `name` key, but its name is already its key",
                                   hint: "remove `name`")
            }
        } else {
            guard let given = try fields.string("name") else {
                throw RedlineError(source, at: node.offset, "\(what()) has no `name`", hint: "add \"name\": \"...\"")
            }
            name = given
            nameOffset = fields.take("name")?.offset ?? node.offset
        }
        try checkName(name, source: source, at: nameOffset)
        let label = "metric \"\(name)\""
        if let symbol = try fields.string("unit"), !symbol.isEmpty {
            if let problem = NameRules.problem(with: symbol) {
                throw RedlineError(source, at: fields.take("unit")!.offset, "unit of \(label): " + problem.replacing("metric name", with: "unit"))
            }
            unit = Unit(symbol)
        }
        if let word = try fields.string("direction") {
            guard let parsed = Direction(rawValue: word) else {
                throw RedlineError(source, at: fields.take("direction")!.offset,
                                   "`direction` of \(label) must be \"lower\" or \"higher\", got \"\(word)\"")
            }
            direction = parsed
        }
        if let number = try fields.number("value") {
            try checkSign(number, unit: unit, label: label, source: source, at: fields.take("value")!.offset)
            value = number
        }
        if let list = fields.take("samples") {
            guard case .array(let elements) = list.value else {
                throw RedlineError(source, at: list.offset, "`samples` of \(label) must be an array of numbers, got \(list.value.kindName)")
            }
            guard !elements.isEmpty else {
                throw RedlineError(source, at: list.offset, "`samples` of \(label) is empty",
                                   hint: "give at least one sample or leave `samples` out")
            }
            samples = try elements.map { element in
                let number = try JSONNumbers.number(element, source: source, what: "a sample of \(label)")
                try checkSign(number, unit: unit, label: label, source: source, at: element.offset)
                return number
            }
        }
        if let unknown = fields.unknownKeys(allowed: metricKeys).first { throw unknown }
        guard let headline = value ?? samples.flatMap(Metric.median) else {
            throw RedlineError(source, at: node.offset, "\(label) has neither `value` nor `samples`",
                               hint: "add \"value\": <number>")
        }
        return Metric(name: name, value: headline, samples: samples, unit: unit, direction: direction)
    }

    static func checkName(_ name: String, source: SourceText, at offset: Int) throws {
        if let problem = NameRules.problem(with: name) {
            throw RedlineError(source, at: offset, problem, hint: "rename the metric")
        }
    }

    static func checkSign(_ value: Double, unit: Unit?, label: String, source: SourceText, at offset: Int) throws {
        if let unit, !unit.admits(value) {
            throw RedlineError(source, at: offset, "\(label) is \(JSONWriter.number(value)) \(unit.symbol), but a \(unit.dimensionName) cannot be negative")
        }
    }
}
