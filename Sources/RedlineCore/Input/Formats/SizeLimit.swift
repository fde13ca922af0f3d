import RedlineModel
import RedlineJSON

/// size-limit's `--json`: an array of checks `{name, size, passed, sizeLimit, running, loading}`.
/// Each check's `size` (B, as configured: brotli, gzip or plain) is a metric named as the check
/// (`dist/index.js`), with `running` and `loading` (s, from @size-limit/time) as `NAME running`
/// and `NAME loading`; all lower is better. A check that failed its limit adds a note; the limit
/// itself is not a metric. Documentation-derived: size-limit is not installable here.
enum SizeLimit: MetricsFormat {
    static let name = "size-limit"
    static let syntax = FormatSyntax.json

    static let keys: Set<String> = ["name", "passed", "size", "sizeLimit", "running", "loading"]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let elements = input.root?.elements, !elements.isEmpty else { return .none }
        let checks = elements.allSatisfy { element in
            guard let members = element.members, element["name"]?.string != nil else { return false }
            return members.allSatisfy { keys.contains($0.key) }
        }
        let measured = elements.contains { $0["size"] != nil || $0["passed"] != nil || $0["running"] != nil }
        return checks && measured ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let json = ToolJSON(source)
        // On a failure size-limit prints `{"error": "<stack>"}` instead.
        let checks = try input.rootArray(
            needed: "size-limit's JSON must be an array of checks",
            hint: input.root?["error"]?.string.map { "size-limit reported an error: \($0.prefix(200))" })
        var collector = MetricCollector(source: source)
        for (index, check) in checks.enumerated() {
            let what = "size-limit check \(index + 1)"
            guard let name = try json.optionalString(check, "name", of: what) else {
                throw RedlineError(source, at: check.offset, "\(what) has no `name`")
            }
            for (key, metric, unit) in [
                ("size", name, "B"), ("running", name + " running", "s"), ("loading", name + " loading", "s"),
            ] {
                let fields = ToolObject(check, "size-limit check \"\(name)\"", source: source)
                if let value = try fields.optionalNumber(key) {
                    try collector.add(metric, value: value, unit: Unit(unit), at: fields.offset(of: key))
                }
            }
            if case .bool(false)? = check["passed"]?.value {
                collector.note("size-limit check \"\(name)\" failed its limit")
            }
        }
        return collector.result(Self.name)
    }
}
