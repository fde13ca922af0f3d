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
                var text = ""
                for position in (batchStart + range.lowerBound)..<(batchStart + range.upperBound) {
                    text += "    "
                    JSONWriter.append(metric(rows[position]), to: &text)
                    text += position + 1 < rows.count ? ",\n" : "\n"
                }
                return text
            }
            for piece in pieces { try emit(piece) }
        }
        try emit("  ]\n}\n")
    }

    /// Everything but the metrics (an empty list in their place).
    static func document(_ judgement: Judgement) -> JSONOutput {
        let counts: [JSONOutputMember] = judgement.counts.fields.map { .init($0.key, .number(Double($0.value))) }
        let defaults = judgement.defaults
        var baseline: [JSONOutputMember] = [.init("present", .bool(judgement.hasBaseline))]
        if let provenance = judgement.provenance {
            baseline.append(.init("provenance", BaselineDocument.provenance(provenance)))
        }
        return .object([
            .init("schema", .string(Schema.result)),
            .init("outcome", .string(judgement.outcome.rawValue)),
            .init("failOn", .string(judgement.failOn == .warning ? "warning" : "error")),
            .init("counts", .object(counts)),
            .init("defaults", .object([
                .init("maxRegression", .number(defaults.maxRegression)),
                .init("minDelta", defaults.minDelta.map { .string($0.text) } ?? .null),
                .init("missing", .string(defaults.missing.rawValue)),
                .init("alpha", .number(defaults.alpha)),
                .init("minimumSamples", .number(Double(Judge.minimumSamples))),
            ])),
            .init("baseline", .object(baseline)),
            .init("context", .object(judgement.context.map { .init($0.key, .string($0.value)) })),
            .init("metrics", .array([])),
        ])
    }

    /// One metric's figures, on one line so that a large result stays compact and greppable.
    static func metric(_ metric: MetricJudgement) -> JSONOutput {
        .object([
            .init("name", .string(metric.name)),
            .init("verdict", .string(metric.verdict.rawValue)),
            .init("severity", .string(metric.severity.name)),
            .init("budgetLevel", .optional(metric.budgetLevel?.rawValue)),
            .init("rule", .optional(metric.rule.key)),
            .init("unit", .optional(metric.unit?.symbol)),
            .init("direction", .string(metric.direction.rawValue)),
            .init("baseline", .optional(metric.baseline)),
            .init("current", .optional(metric.current)),
            .init("delta", .optional(metric.delta)),
            .init("change", .optional(metric.change)),
            .init("fromZero", .bool(metric.isFromZero)),
            .init("target", .optional(metric.rule.target)),
            .init("warning", .optional(metric.rule.warning)),
            .init("error", .optional(metric.rule.error)),
            .init("maxRegression", .number(metric.rule.maxRegression)),
            .init("minDelta", .number(metric.rule.minDelta)),
            .init("missing", .string(metric.rule.missing.rawValue)),
            .init("notes", .array(metric.notes.map(JSONOutput.string), inline: true)),
            .init("samples", .object([
                .init("baseline", .number(Double(metric.baselineSampleCount))),
                .init("current", .number(Double(metric.currentSampleCount))),
            ], inline: true)),
            .init("statistics", metric.statistics.map { statistics in
                .object([
                    .init("shift", .number(statistics.shift)),
                    .init("estimate", .optional(statistics.estimate)),
                    .init("low", .optional(statistics.low)),
                    .init("high", .optional(statistics.high)),
                    .init("confidence", .number(statistics.confidence)),
                    .init("pWorse", .number(statistics.pWorse)),
                    .init("pBetter", .number(statistics.pBetter)),
                    .init("alpha", .number(statistics.alpha)),
                ], inline: true)
            } ?? .null),
        ], inline: true)
    }
}
