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
        members.append(.init("metrics", .array(baseline.metrics.metrics.map(metric))))
        return JSONWriter.write(.object(members))
    }

    /// One metric in native form, keys in the order name, value, unit, direction, samples.
    public static func metric(_ metric: Metric) -> JSONOutput {
        var members: [JSONOutputMember] = [.init("name", .string(metric.name)), .init("value", .number(metric.value))]
        if let unit = metric.unit { members.append(.init("unit", .string(unit.symbol))) }
        if let direction = metric.direction { members.append(.init("direction", .string(direction.rawValue))) }
        if let samples = metric.samples {
            members.append(.init("samples", .array(samples.map(JSONOutput.number), inline: true)))
        }
        return .object(members)
    }

    /// The provenance object, absent fields left out.
    public static func provenance(_ provenance: Provenance) -> JSONOutput {
        var members: [JSONOutputMember] = []
        if let commit = provenance.commit { members.append(.init("commit", .string(commit))) }
        if let branch = provenance.branch { members.append(.init("branch", .string(branch))) }
        if let time = provenance.updatedAt { members.append(.init("updatedAt", .string(time))) }
        if let version = provenance.redlineVersion { members.append(.init("redlineVersion", .string(version))) }
        if !provenance.sources.isEmpty {
            members.append(.init("sources", .array(provenance.sources.map {
                .object([.init("file", .string($0.file)), .init("format", .string($0.format))])
            })))
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
        members.append(.init("metrics", .array(set.metrics.map(metric))))
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
}

/// Makes the next baseline from the old one and the current run.
public enum BaselineUpdate {
    /// The new baseline: every current metric replaces or joins the old ones; old metrics absent
    /// from the current run are kept, unless `prune` is set. The context is the current run's.
    /// A current metric without a unit is written with the unit it was judged in: its budget
    /// rule's, else the old baseline's, so that a later change of the rule cannot silently
    /// reinterpret the stored number.
    public static func merge(old: Baseline?, current: MetricSet, provenance: Provenance, prune: Bool,
                             policy: Policy = Policy()) throws -> (baseline: Baseline, changes: BaselineChanges) {
        var changes = BaselineChanges()
        var metrics = try current.metrics.map { metric in
            guard metric.unit == nil else { return metric }
            var resolved = metric
            resolved.unit = try policy.rule(for: metric.name)?.unit ?? old?.metrics[metric.name]?.unit
            return resolved
        }
        for metric in metrics {
            if let previous = old?.metrics[metric.name] {
                if previous == metric { changes.unchanged.append(metric.name) } else { changes.updated.append(metric.name) }
            } else {
                changes.added.append(metric.name)
            }
        }
        for metric in old?.metrics.metrics ?? [] where current[metric.name] == nil {
            if prune {
                changes.pruned.append(metric.name)
            } else {
                changes.kept.append(metric.name)
                metrics.append(metric)
            }
        }
        let baseline = Baseline(metrics: MetricSet(metrics: metrics, context: current.context), provenance: provenance)
        return (baseline, changes)
    }
}
