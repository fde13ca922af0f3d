/// github-action-benchmark's custom JSON: `[{"name", "unit", "value", "range"?, "extra"?}]`.
/// `customSmallerIsBetter` and `customBiggerIsBetter` set the direction; detected as `custom`,
/// each metric's direction follows its unit (rates are higher-is-better). `range` and `extra`
/// are descriptions for people and are not used.
enum CustomJSON {
    static func detect(_ root: JSONNode) -> Bool {
        guard let items = root.elements, let first = items.first else { return false }
        return first["name"] != nil && first["value"] != nil && first["unit"] != nil
    }

    static func read(_ root: JSONNode, _ source: SourceText, direction: Direction?) throws -> ReadResult {
        guard let items = root.elements else {
            throw RedlineError(source, at: root.offset, "custom benchmark JSON must be an array of {name, unit, value}, got \(root.value.kindName)")
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
            let unit = try fields.string("unit").flatMap { $0.isEmpty ? nil : Unit($0) }
            _ = fields.take("range")
            _ = fields.take("extra")
            if let unknown = fields.unknownKeys(allowed: ["name", "unit", "value", "range", "extra"]).first { throw unknown }
            try collector.add(name, value: value, unit: unit, direction: direction, at: item.offset)
        }
        let format: MetricsFormat = direction == nil ? .custom : direction == .lower ? .customSmallerIsBetter : .customBiggerIsBetter
        return collector.result(format)
    }
}
