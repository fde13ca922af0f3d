import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory

/// Writes baselines in their canonical form: metrics sorted by name, keys in a fixed order,
/// two-space indent, shortest round-trip numbers, samples on one line, a trailing newline.
/// The same baseline always gives the same bytes, so a baseline change reads well in a diff.
public enum BaselineDocument {
    /// The canonical bytes of `baseline`, as text.
    public static func render(_ baseline: Baseline) -> String {
        var members: [JSONOutputMember] = [.init("schema", .string(Schema.baseline))]
        if let recorded = baseline.provenance {
            members.append(.init("provenance", provenance(recorded)))
        }
        if !baseline.metrics.context.isEmpty {
            members.append(.init("context", .object(baseline.metrics.context.map { .init($0.key, .string($0.value)) })))
        }
        if !baseline.runs.isEmpty {
            members.append(.init("runs", .array(baseline.runs.map(run))))
        }
        members.append(
            .init("metrics", .array(baseline.metrics.metrics.map { metric($0, history: baseline.history[$0.name]) })))
        return JSONWriter.write(.object(members))
    }

    /// One metric in native form, keys in the order name, value, unit, direction, samples, history.
    public static func metric(_ metric: Metric, history: MetricHistory? = nil) -> JSONOutput {
        var members: [JSONOutputMember] = [.init("name", .string(metric.name)), .init("value", .number(metric.value))]
        if let unit = metric.unit { members.append(.init("unit", .string(unit.symbol))) }
        if let direction = metric.direction { members.append(.init("direction", .string(direction.rawValue))) }
        if let samples = metric.samples {
            members.append(.init("samples", .array(samples.map(JSONOutput.number), inline: true)))
        }
        if let history { members.append(.init("history", self.history(history))) }
        return .object(members)
    }

    /// A metric's history: each array on one line, so a window of runs reads as one row.
    static func history(_ history: MetricHistory) -> JSONOutput {
        func row(_ values: [Double?]) -> JSONOutput { .array(values.map(JSONOutput.optional), inline: true) }
        var members: [JSONOutputMember] = [.init("values", row(history.values))]
        if !history.spreads.isEmpty {
            members.append(.init("spreads", row(history.spreads)))
            members.append(.init("counts", row(history.counts.map { $0.map(Double.init) })))
        }
        if !history.steps.isEmpty {
            members.append(
                .init(
                    "steps",
                    .array(
                        history.steps.map { step in
                            .object(
                                [
                                    .init("run", .number(Double(step.run))), .init("change", .number(step.change)),
                                    .init("p", .number(step.p)),
                                ], inline: true)
                        })))
        }
        return .object(members)
    }

    /// One run of the history, on one line.
    static func run(_ run: BaselineRun) -> JSONOutput {
        var members: [JSONOutputMember] = [.init("id", .number(Double(run.id)))]
        if let commit = run.commit { members.append(.init("commit", .string(commit))) }
        if let time = run.time { members.append(.init("time", .string(time))) }
        if !run.sources.isEmpty { members.append(.init("sources", sources(run.sources, inline: true))) }
        return .object(members, inline: true)
    }

    /// A list of sources: each on one line when `inline`, else a key per line.
    static func sources(_ sources: [Provenance.Source], inline: Bool) -> JSONOutput {
        .array(
            sources.map {
                .object([.init("file", .string($0.file)), .init("format", .string($0.format))], inline: inline)
            },
            inline: inline)
    }

    /// The provenance object, absent fields left out.
    public static func provenance(_ provenance: Provenance) -> JSONOutput {
        var members: [JSONOutputMember] = []
        if let commit = provenance.commit { members.append(.init("commit", .string(commit))) }
        if let branch = provenance.branch { members.append(.init("branch", .string(branch))) }
        if let time = provenance.updatedAt { members.append(.init("updatedAt", .string(time))) }
        if let version = provenance.redlineVersion { members.append(.init("redlineVersion", .string(version))) }
        if !provenance.sources.isEmpty {
            members.append(.init("sources", sources(provenance.sources, inline: false)))
        }
        if let reason = provenance.reason { members.append(.init("reason", .string(reason))) }
        return .object(members)
    }

    /// Native metrics JSON of a set (what `redline convert` prints).
    public static func metricsDocument(_ set: MetricSet) -> String {
        var members: [JSONOutputMember] = [.init("schema", .string(Schema.metrics))]
        if !set.context.isEmpty {
            members.append(.init("context", .object(set.context.map { .init($0.key, .string($0.value)) })))
        }
        members.append(.init("metrics", .array(set.metrics.map { metric($0) })))
        return JSONWriter.write(.object(members))
    }
}

/// What a baseline update changed, for the user's log.
public struct BaselineChanges: Sendable, Equatable {
    /// Names new in the baseline.
    public var added: [String] = []
    /// Names whose value, samples, unit or direction changed.
    public var updated: [String] = []
    /// Names the same as before.
    public var unchanged: [String] = []
    /// Names absent from the current run and kept (without `--prune`).
    public var kept: [String] = []
    /// Names absent from the current run and removed (with `--prune`).
    public var pruned: [String] = []
    /// Steps found in this update: a metric whose newest runs sit at another level.
    public var steps: [FoundStep] = []

    /// A step found by an update, with what the report says about it.
    public struct FoundStep: Sendable, Equatable {
        /// The metric.
        public var name: String
        /// The step, as recorded in the metric's history.
        public var step: HistoryStep
        /// The commit of the run where it began, when known.
        public var commit: String?
        /// When that run was recorded.
        public var time: String?
        /// How many runs are at the new level.
        public var runs: Int
        /// Whether the new level is worse, for the metric's direction.
        public var isWorse: Bool
        /// The old and the new level, in `unit`.
        public var before: Double
        public var after: Double
        public var unit: Unit?
    }
}

/// Makes the next baseline from the old one and the current run.
public enum BaselineUpdate {
    /// The provenance of a baseline recorded from `run`: its commit and branch from the run's own
    /// context first (what the tool or the user wrote into the metrics), else from GitHub Actions'
    /// `GITHUB_SHA` and `GITHUB_REF_NAME` in `environment` (an empty variable counts as unset).
    public static func provenance(
        of run: MetricSet, environment: [String: String], updatedAt: String,
        sources: [Provenance.Source], reason: String?
    ) -> Provenance {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return Provenance(
            commit: run.context("commit") ?? variable("GITHUB_SHA"),
            branch: run.context("branch") ?? variable("GITHUB_REF_NAME"),
            updatedAt: updatedAt, redlineVersion: RedlineVersion.current, sources: sources, reason: reason)
    }

    /// The new baseline: every current metric replaces or joins the old ones; old metrics absent
    /// from the current run are kept, unless `prune` is set. The context is the current run's.
    /// A current metric without a unit is written with the unit it was judged in: its budget
    /// rule's, else the old baseline's, so that a later change of the rule cannot silently
    /// reinterpret the stored number. The run joins the history: each metric's window of the last
    /// `historyLimit` runs (the budgets' `history`, else 20), where a step at the end is looked for.
    public static func merge(
        old: Baseline?, current: MetricSet, provenance: Provenance, prune: Bool,
        policy: Policy = Policy(), historyLimit: Int? = nil
    ) throws -> (baseline: Baseline, changes: BaselineChanges) {
        var changes = BaselineChanges()
        // Rules with `from` record the tool's metric under their own name, history included.
        let current = try policy.takingFrom(current, side: "the current run", required: true).set
        let old = try old.map(policy.takingFrom)
        var metrics = try current.metrics.map { metric in
            guard metric.unit == nil else { return metric }
            var resolved = metric
            resolved.unit = try policy.rule(for: metric.name)?.unit ?? old?.metrics[metric.name]?.unit
            return resolved
        }
        for metric in metrics {
            if let previous = old?.metrics[metric.name] {
                if previous == metric {
                    changes.unchanged.append(metric.name)
                } else {
                    changes.updated.append(metric.name)
                }
            } else {
                changes.added.append(metric.name)
            }
        }
        let currentCount = metrics.count
        for metric in old?.metrics.metrics ?? [] where current[metric.name] == nil {
            if prune {
                changes.pruned.append(metric.name)
            } else {
                changes.kept.append(metric.name)
                metrics.append(metric)
            }
        }
        let limit = historyLimit ?? policy.defaults.history ?? HistoryLimits.defaultRuns
        let runs = HistoryUpdate.runs(
            old: old,
            adding: BaselineRun(
                id: 0, commit: provenance.commit, time: provenance.updatedAt,
                sources: provenance.sources), limit: limit)
        var history: [String: MetricHistory] = [:]
        for (index, metric) in metrics.enumerated() {
            let inRun = index < currentCount
            let oldMetric = old?.metrics[metric.name]
            guard
                var next = HistoryUpdate.append(
                    old: old?.history[metric.name], oldMetric: oldMetric,
                    oldHadRuns: !(old?.runs.isEmpty ?? true), current: inRun ? metric : nil,
                    runCount: runs.count, unit: metric.unit, oldUnit: oldMetric?.unit)
            else { continue }
            let ids = runs.suffix(next.values.count).map(\.id)
            // A step whose first run left the window no longer divides it.
            next.steps.removeAll { !ids.dropFirst().contains($0.run) }
            if inRun,
                let found = findStep(
                    in: next, ids: ids, runs: runs, metric: metric,
                    direction: try policy.rule(for: metric.name)?.direction ?? metric.effectiveDirection)
            {
                next.steps.append(found.step)
                changes.steps.append(found)
            }
            history[metric.name] = next
        }
        let baseline = Baseline(
            metrics: MetricSet(metrics: metrics, context: current.context), provenance: provenance,
            runs: runs, history: history)
        return (baseline, changes)
    }

    /// A step at the end of `history`'s runs since its last step, if there is one.
    static func findStep(
        in history: MetricHistory, ids: [Int], runs: [BaselineRun], metric: Metric,
        direction: Direction
    ) -> BaselineChanges.FoundStep? {
        let start = history.steps.last.flatMap { ids.firstIndex(of: $0.run) } ?? 0
        let present = (start..<history.values.count).compactMap { index in
            history.values[index].map { (id: ids[index], value: $0) }
        }
        guard let found = StepDetector.find(present.map(\.value)) else { return nil }
        let first = present[present.count - found.length]
        let run = runs.first { $0.id == first.id }
        let before = present.dropLast(found.length).map(\.value)
        let after = present.suffix(found.length).map(\.value)
        let levels = (WindowStatistics.summary(before).centre, WindowStatistics.summary(after).centre)
        let higher = found.change > 0
        return BaselineChanges.FoundStep(
            name: metric.name, step: HistoryStep(run: first.id, change: found.change, p: found.p), commit: run?.commit,
            time: run?.time, runs: found.length, isWorse: higher == (direction == .lower),
            before: levels.0, after: levels.1, unit: metric.unit)
    }
}
