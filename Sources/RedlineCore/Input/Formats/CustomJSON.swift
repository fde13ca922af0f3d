import RedlineModel
import RedlineJSON

/// github-action-benchmark's custom JSON: `[{"name", "unit", "value", "range"?, "extra"?}]`.
/// Detected as `custom`, each metric's direction follows its unit (rates are higher-is-better);
/// `customSmallerIsBetter` and `customBiggerIsBetter` (named with `--format`) set it.
/// `range` and `extra` are descriptions for people and are not used.
enum CustomJSON: MetricsFormat {
    static let name = "custom"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let first = input.root?.elements?.first else { return .none }
        return first["name"] != nil && first["value"] != nil && first["unit"] != nil ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        try read(input, direction: nil, as: name)
    }

    static func read(_ input: FormatInput, direction: Direction?, as format: String) throws -> ReadResult {
        let (root, source) = (try input.document(), input.source)
        guard let items = root.elements else {
            throw RedlineError(
                source, at: root.offset,
                "custom benchmark JSON must be an array of {name, unit, value}, got \(root.value.kindName)")
        }
        var collector = MetricCollector(source: source)
        for item in items {
            var fields = try ObjectFields(item, source: source, what: "a custom benchmark entry")
            guard let name = try fields.string("name") else {
                throw RedlineError(source, at: item.offset, "a custom benchmark entry has no `name`")
            }
            guard let value = try fields.number("value") else {
                throw RedlineError(source, at: item.offset, "custom benchmark \"\(name)\" has no `value`")
            }
            let unit = try fields.string("unit").flatMap { $0.isEmpty ? nil : Unit(Unit.canonical($0)) }
            _ = fields.take("range")
            _ = fields.take("extra")
            if let unknown = fields.unknownKeys(allowed: ["name", "unit", "value", "range", "extra"]).first {
                throw unknown
            }
            try collector.add(name, value: value, unit: unit, direction: direction, at: item.offset)
        }
        return collector.result(format)
    }
}

/// github-action-benchmark's custom JSON read with one direction for every metric: named with
/// `--format`, never detected.
protocol DirectedCustomJSON: MetricsFormat {
    static var direction: Direction { get }
}

extension DirectedCustomJSON {
    static var syntax: FormatSyntax { .json }
    static func match(_ input: FormatInput) -> FormatMatch { .none }
    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        try CustomJSON.read(input, direction: direction, as: name)
    }
}
