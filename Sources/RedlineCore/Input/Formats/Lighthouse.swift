import RedlineModel
import RedlineJSON

/// A Lighthouse result (`lighthouse URL --output json`, and the LHRs `lhci collect` keeps): every
/// audit with a `numericValue`, named by its audit id as Lighthouse CI's assertions name it
/// (`largest-contentful-paint`, `total-byte-weight`), in its `numericUnit` (millisecond → ms, byte
/// → B, element → count, unitless without a unit), lower is better; every category score (0–1, no
/// unit, higher is better) as `categories:ID` (`categories:performance`). Left out, with a note
/// where it matters: audits that errored or do not apply, the `metrics` audit (a copy of
/// `interactive`), negative estimated savings, a category without a score.
/// Documentation-derived: Lighthouse is not installable here.
enum Lighthouse: MetricsFormat {
    static let name = "lighthouse"
    static let syntax = FormatSyntax.json

    static let units = ["millisecond": "ms", "second": "s", "byte": "B", "element": "count", "unitless": ""]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root else { return .none }
        return root["lighthouseVersion"] != nil && root["audits"] != nil ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let json = ToolJSON(source)
        let root = try input.rootObject("a Lighthouse result", needed: "a Lighthouse result must be an object").node
        var collector = MetricCollector(source: source)
        if let error = root["runtimeError"], let message = error["message"]?.string ?? error["code"]?.string {
            collector.note("Lighthouse's run failed: \(message)")
        }
        for audit in try json.object(root["audits"], "`audits`", in: root) where audit.key != "metrics" {
            let mode = try json.optionalString(audit.node, "scoreDisplayMode", of: "audit \"\(audit.key)\"")
            if mode == "error" {
                collector.note("Lighthouse audit \"\(audit.key)\" errored and is left out")
                continue
            }
            guard mode != "notApplicable", mode != "manual",
                let value = try json.optionalNumber(audit.node, "numericValue", of: "audit \"\(audit.key)\"")
            else { continue }
            let written = try json.optionalString(audit.node, "numericUnit", of: "audit \"\(audit.key)\"") ?? "unitless"
            let unit = Unit(units[written] ?? written)
            if !unit.admits(value) {
                collector.note(
                    "Lighthouse audit \"\(audit.key)\" is \(JSONWriter.number(value)) \(written) (an estimated saving, not a measurement) and is left out"
                )
                continue
            }
            try collector.add(
                audit.key, value: value, unit: unit, at: audit.node["numericValue"]?.offset ?? audit.node.offset)
        }
        for category in (try root["categories"].map { try json.object($0, "`categories`", in: root) }) ?? [] {
            guard let score = try json.optionalNumber(category.node, "score", of: "category \"\(category.key)\"") else {
                collector.note(
                    "Lighthouse category \"\(category.key)\" has no score (an audit it weighs errored) and is left out"
                )
                continue
            }
            try collector.add(
                "categories:\(category.key)", value: score, unit: nil, direction: .higher,
                at: category.node["score"]?.offset ?? category.node.offset)
        }
        return collector.result(Self.name)
    }
}
