import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// Renders a `Judgement` as `redline.result.v1` JSON: every figure the report shows, for machines.
public enum JSONResult {
    /// The document, deterministic, ending in a newline.
    public static func render(_ judgement: Judgement) -> String {
        var text = ""
        render(judgement) { text += $0 }
        return text
    }

    /// The document in pieces, a row of metrics at a time, so that the result of a large run is
    /// never one tree or one string in memory. The pieces join into `render(_:)`'s bytes exactly.
    public static func render(_ judgement: Judgement, emit: (String) throws -> Void) rethrows {
        let empty = JSONWriter.write(document(judgement))
        guard !judgement.metrics.isEmpty else { return try emit(empty) }
        // Without metrics the document ends in `"metrics": []` and the closing brace; the rows
        // go between the brackets, as the writer would put them (indented, one per line).
        try emit(String(empty.dropLast("]\n}\n".count)) + "\n")
        // Rows in batches, each batch written by all cores in pieces and emitted in order.
        let rows = judgement.metrics
        let batchSize = 16_384
        for batchStart in stride(from: 0, to: rows.count, by: batchSize) {
            let batchEnd = Swift.min(batchStart + batchSize, rows.count)
            let pieces = Parallel.mapPieces(over: batchEnd - batchStart) { range -> String in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(range.count * 600)
                for position in (batchStart + range.lowerBound)..<(batchStart + range.upperBound) {
                    bytes.append(contentsOf: "    ".utf8)
                    row(rows[position], into: &bytes)
                    bytes.append(contentsOf: (position + 1 < rows.count ? ",\n" : "\n").utf8)
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            for piece in pieces { try emit(piece) }
        }
        try emit("  ]\n}\n")
    }

    /// Everything but the metrics (an empty list in their place).
    static func document(_ judgement: Judgement) -> JSONOutput {
        let counts: [JSONOutputMember] = judgement.counts.fields.map { .init($0.key, .number(Double($0.value))) }
        let defaults = judgement.defaults
        var baseline: [JSONOutputMember] = [
            .init("present", .bool(judgement.hasBaseline)),
            .init("runs", .number(Double(judgement.runs.count))),
            .init("young", .bool(judgement.isYoungBaseline)),
        ]
        if let provenance = judgement.provenance {
            baseline.append(.init("provenance", BaselineDocument.provenance(provenance)))
        }
        // An A/B run says how many pairs it used; a run against a baseline has no such key.
        let ab: [JSONOutputMember] = judgement.pairs.map { [.init("pairs", .number(Double($0)))] } ?? []
        return .object(
            [
                .init("schema", .string(Schema.result)),
                .init("outcome", .string(judgement.outcome.rawValue)),
                .init("failOn", .string(judgement.failOn == .warning ? "warning" : "error")),
                .init("counts", .object(counts)),
                .init(
                    "defaults",
                    .object([
                        .init("maxRegression", .number(defaults.maxRegression)),
                        .init("minDelta", defaults.minDelta.map { .string($0.text) } ?? .null),
                        .init("missing", .string(defaults.missing.rawValue)),
                        .init("alpha", .number(defaults.alpha)),
                        .init("minimumSamples", .number(Double(Judge.minimumSamples))),
                    ])),
                .init("baseline", .object(baseline)),
                .init("context", .object(judgement.context.map { .init($0.key, .string($0.value)) })),
                .init(
                    "runs",
                    .object([
                        .init("used", .number(Double(judgement.observations))),
                        .init("max", .number(Double(judgement.reruns?.limit ?? 1))),
                        .init(
                            "settled",
                            .array(
                                (judgement.reruns?.settled ?? []).map {
                                    .array($0.map(JSONOutput.string), inline: true)
                                })),
                        .init(
                            "remaining",
                            .array((judgement.reruns?.remaining ?? []).map(JSONOutput.string), inline: true)),
                    ])),
                .init(
                    "runShift",
                    judgement.runShift.map { shift in
                        .object([
                            .init("change", .number(shift.change)), .init("spread", .number(shift.spread)),
                            .init("metrics", .number(Double(shift.metrics))),
                            .init("agreeing", .number(Double(shift.agreeing))),
                            .init("explained", .array(shift.explained.map(JSONOutput.string), inline: true)),
                            .init("cause", .string(shift.cause.rawValue)),
                            .init("machineSpread", shift.machineSpread.map(JSONOutput.number) ?? .null),
                        ])
                    } ?? .null),
                .init(
                    "acceptances",
                    .array(
                        judgement.acceptances.map { status in
                            var members: [JSONOutputMember] = [
                                .init("rule", .string(status.rule)), .init("metric", .string(status.metric)),
                                .init("state", .string(status.state.rawValue)),
                                .init("change", status.acceptance.change.map(JSONOutput.number) ?? .null),
                                .init("by", status.acceptance.by.map { .string($0.text) } ?? .null),
                                .init("until", .string(status.acceptance.until)),
                                .init("reason", .string(status.acceptance.reason)),
                            ]
                            members.append(.init("line", .number(Double(status.acceptance.line))))
                            return .object(members, inline: true)
                        })),
            ] + ab + [.init("metrics", .array([]))])
    }

    /// One metric's figures, on one line so that a large result stays compact and greppable.
    static func row(_ metric: MetricJudgement, into text: inout [UInt8]) {
        let rule = metric.rule
        var row = InlineObject()
        row.member("name", string: metric.name, into: &text)
        row.member("from", string: metric.source, into: &text)
        row.member("verdict", string: metric.verdict.rawValue, into: &text)
        row.member("severity", string: metric.severity.name, into: &text)
        row.member("budgetLevel", string: metric.budgetLevel?.rawValue, into: &text)
        row.member("rule", string: rule.key, into: &text)
        row.member("unit", string: metric.unit?.symbol, into: &text)
        row.member("direction", string: metric.direction.rawValue, into: &text)
        row.member("baseline", metric.baseline, into: &text)
        row.member("current", metric.current, into: &text)
        row.member("delta", metric.delta, into: &text)
        row.member("change", metric.change, into: &text)
        row.member("fromZero", metric.isFromZero, into: &text)
        row.member("target", rule.target, into: &text)
        row.member("warning", rule.warning, into: &text)
        row.member("error", rule.error, into: &text)
        row.member("maxRegression", rule.maxRegression, into: &text)
        row.member("minDelta", rule.minDelta, into: &text)
        row.member("missing", string: rule.missing.rawValue, into: &text)
        row.member("notes", strings: metric.notes, into: &text)
        row.member("samples", into: &text) { samples, text in
            samples.member("baseline", Double(metric.baselineSampleCount), into: &text)
            samples.member("current", Double(metric.currentSampleCount), into: &text)
        }
        row.member("basis", string: metric.basis.rawValue, into: &text)
        row.member("observations", Double(metric.observations), into: &text)
        let statistics = metric.statistics
        row.member("statistics", present: statistics != nil, into: &text) { object, text in
            guard let statistics else { return }
            object.member("shift", statistics.shift, into: &text)
            object.member("estimate", statistics.estimate, into: &text)
            object.member("low", statistics.low, into: &text)
            object.member("high", statistics.high, into: &text)
            object.member("confidence", statistics.confidence, into: &text)
            object.member("pWorse", statistics.pWorse, into: &text)
            object.member("pBetter", statistics.pBetter, into: &text)
            object.member("alpha", statistics.alpha, into: &text)
        }
        let window = metric.window
        row.member("window", present: window != nil, into: &text) { object, text in
            guard let window else { return }
            object.member("runs", Double(window.runs), into: &text)
            object.member("setAside", Double(window.setAside), into: &text)
            object.member("sinceStep", window.sinceStep, into: &text)
            object.member("centre", window.centre, into: &text)
            object.member("spread", window.spread, into: &text)
            object.member("pWorse", window.pWorse, into: &text)
            object.member("pBetter", window.pBetter, into: &text)
            object.member("alpha", window.alpha, into: &text)
        }
        if let pairs = metric.pairs {
            row.member("pairs", into: &text) { object, text in
                object.member("ratios", numbers: pairs.ratios, into: &text)
                object.member("ratio", pairs.ratio.isFinite ? pairs.ratio : nil, into: &text)
                object.member("setAside", Double(pairs.setAside), into: &text)
                object.member("low", pairs.low, into: &text)
                object.member("high", pairs.high.isFinite ? pairs.high : nil, into: &text)
                object.member("pWorse", pairs.pWorse, into: &text)
                object.member("pBetter", pairs.pBetter, into: &text)
                object.member("alpha", pairs.alpha, into: &text)
            }
        }
        row.close(into: &text)
    }
}
