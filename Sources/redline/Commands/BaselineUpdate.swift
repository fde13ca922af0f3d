import FoundationEssentials
import Glibc
import RedlineCore

/// `redline baseline update`: record the current run as the new baseline, atomically.
enum BaselineUpdateCommand {
    static let spec = CommandSpec(
        words: ["baseline", "update"],
        summary: "record the current metrics as the new baseline (atomic write)",
        details: """
        Merges the --current metrics into the baseline: current metrics replace or join the old
        ones, metrics absent from the current run are kept unless --prune. A metric without a unit
        is recorded in its budget rule's unit, else the old baseline's. The file is written
        deterministically (sorted, fixed key order) and atomically: the old baseline stays intact
        on any failure. Provenance records the commit and branch (from the metrics' context, else
        GITHUB_SHA / GITHUB_REF_NAME), the time (SOURCE_DATE_EPOCH when set), the redline version,
        the source files and --reason. Refuses to run on a pull_request, pull_request_target or
        workflow_run event in GitHub Actions unless --allow-pr-update is given.
        """,
        options: [
            Commands.currentOption, Commands.baselineOption, Commands.budgetsOption, Commands.formatOption,
            OptionSpec("reason", value: "TEXT", "why the baseline changes, recorded in its provenance"),
            OptionSpec("prune", "drop metrics that are absent from the current run"),
            OptionSpec("allow-pr-update", "allow an update on a pull-request event (normally refused)"),
        ] + Commands.limitOptions)

    static let pullRequestEvents: Set<String> = ["pull_request", "pull_request_target", "workflow_run"]

    static func run(_ options: ParsedOptions, environment: Environment) throws -> Int32 {
        let paths = try Commands.currentPaths(options)
        let format = try Commands.format(options)
        let baselinePath = options.value("baseline") ?? Commands.defaultBaseline
        if let event = environment.variables["GITHUB_EVENT_NAME"], pullRequestEvents.contains(event),
           !options.has("allow-pr-update") {
            throw RedlineError(file: baselinePath,
                               message: "not updated: this is a \(event) event, and a pull request must not rewrite the baseline",
                               hint: "update the baseline on the default branch, or pass --allow-pr-update on purpose")
        }
        let reader = try Reader(options)
        let current = try reader.current(paths, format: format)
        // The budgets give a metric without a unit the unit it is judged in, which the baseline records.
        let policy = try reader.policy(options)
        // Read, merge and write under a lock on the baseline's directory: concurrent updates run
        // one after the other and none loses the other's metrics.
        let (baseline, changes) = try FileSystem.withDirectoryLock(for: baselinePath) {
            let old: Baseline?
            do {
                old = try reader.baseline(baselinePath)
            } catch {
                var first = error.redlineErrors[0]
                first.hint = (first.hint.map { $0 + "; " } ?? "") + "the existing baseline is invalid: fix it or delete it first"
                throw first
            }
            let variables = environment.variables
            let provenance = Provenance(
                commit: current.metrics.context("commit") ?? nonEmpty(variables["GITHUB_SHA"]),
                branch: current.metrics.context("branch") ?? nonEmpty(variables["GITHUB_REF_NAME"]),
                updatedAt: timestamp(environment.now),
                redlineVersion: RedlineVersion.current,
                sources: current.sources,
                reason: options.value("reason"))
            let merged = try BaselineUpdate.merge(old: old, current: current.metrics, provenance: provenance,
                                                  prune: options.has("prune"), policy: policy)
            try FileSystem.writeAtomically(BaselineDocument.render(merged.baseline), to: baselinePath)
            return merged
        }
        var summary = "\(baselinePath): \(baseline.metrics.metrics.count) metrics"
        summary += " (\(changes.added.count) added, \(changes.updated.count) updated, \(changes.unchanged.count) unchanged"
        summary += options.has("prune") ? ", \(changes.pruned.count) pruned)" : ", \(changes.kept.count) kept from before)"
        Terminal.out(Escape.terminal(summary) + "\n")
        return 0
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// ISO 8601 UTC to the second, e.g. 2026-11-24T10:00:00Z.
    static func timestamp(_ seconds: Double) -> String {
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return CFormat.string("%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
