#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import RedlineCore

/// `redline baseline update`: record the current run as the new baseline, atomically.
struct BaselineUpdateCommand: Command {
    static let reason = OptionSpec.text("reason", "TEXT", "why the baseline changes, recorded in its provenance")
    static let prune = OptionSpec.flag("prune", "drop metrics that are absent from the current run")
    static let allowPullRequest = OptionSpec.flag(
        "allow-pr-update", "allow an update on a pull-request event (normally refused)")
    static let history = OptionSpec.whole(
        "history", 1...HistoryLimits.maximumRuns,
        defaultText: "budgets' `history`, else \(HistoryLimits.defaultRuns)",
        "runs kept per metric for the judge's window")
    static let failOnStep = OptionSpec.flag("fail-on-step", "exit 1 when a metric stepped to a worse level")
    static let rerun = OptionSpec.text(
        "rerun", "COMMAND",
        "with --runs N: after recording the --current files, run COMMAND (with /bin/sh -c) to rewrite them and record again, until N runs"
    )
    /// `--runs`: at most as many runs as one update may record.
    static let runs = OptionSpec.whole("runs", 1...20, "how many runs to record with --rerun, the first included")
    static let branch = OptionSpec.text(
        "branch", "BRANCH",
        "keep the baseline on this data branch (git): one parentless commit, replaced by each update and pushed with a lease"
    )
    static let remote = OptionSpec.text(
        "remote", "NAME", defaultText: "REDLINE_REMOTE, else origin", "with --branch: the git remote")

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

            The baseline remembers each metric's last N runs (--history): `check` judges a metric with at
            least 5 of them against their distribution rather than against the last run alone. After
            appending the run, each metric's window is searched for a step: its newest 3 to 8 runs at a
            level at least 5% away from the runs before them, beyond the runs' noise (p < 0.005 after
            allowing for the places looked at). Steps are printed with the run (commit) where they began,
            added to the job summary in GitHub Actions, and recorded so that the judge compares with the
            runs since the step. A step does not fail the update unless --fail-on-step is given.

            A new baseline has one run, and `check` compares with that run alone until the window has 5.
            To start with a window, record several runs at once: --rerun COMMAND --runs 5 records the
            --current files, then runs COMMAND (which must rewrite them) and records again, 5 runs in all.
            Every run is read before anything is written: a rerun that fails or leaves unreadable files
            ends the update with exit 2 and records nothing.

            With --branch BRANCH the baseline lives on a data branch instead of the default branch: the
            file is taken from the remote's BRANCH (else the checked-out --baseline, which moves a committed
            baseline onto the branch, else none), the runs are merged into it, and the branch is replaced
            by one parentless commit holding the result, pushed with --force-with-lease against the
            commit read (create-only the first time), so it never grows. A lost race (the branch moved)
            merges the same runs into a fresh read and pushes again, up to REDLINE_ATTEMPTS times (5),
            waiting n × REDLINE_BACKOFF seconds (2) after attempt n, then fails. git runs without the
            repository's hooks; the working tree, the index, HEAD and local branches are never touched.
            REDLINE_COMMIT_NAME and REDLINE_COMMIT_EMAIL name the commit's author; REDLINE_GIT_TOKEN is
            sent to an https remote when the checkout kept no credentials.
            """,
        options: [
            SharedOptions.current, SharedOptions.baseline, SharedOptions.budgets, SharedOptions.format,
            reason, prune, history, failOnStep, rerun, runs, branch, remote, allowPullRequest,
        ] + SharedOptions.limits)

    static let pullRequestEvents: Set<String> = ["pull_request", "pull_request_target", "workflow_run"]

    let input: InputOptions
    let reason: String?
    let prune: Bool
    let allowPullRequest: Bool
    let historyLimit: Int?
    let failOnStep: Bool
    /// `--rerun`'s command, and how many runs to record in all (1 without it).
    let rerunCommand: String?
    let runCount: Int
    /// `--branch` and `--remote`: the data branch that holds the baseline, when there is one.
    let branchName: String?
    let remoteName: String?

    init(_ options: ParsedOptions) throws {
        input = try InputOptions(options)
        reason = options.text(Self.reason)
        prune = options.flag(Self.prune)
        allowPullRequest = options.flag(Self.allowPullRequest)
        failOnStep = options.flag(Self.failOnStep)
        historyLimit = options.whole(Self.history)
        branchName = options.text(Self.branch)
        remoteName = options.text(Self.remote)
        if remoteName != nil && branchName == nil { throw options.usageError("--remote needs --branch") }
        rerunCommand = options.text(Self.rerun)
        if let command = rerunCommand {
            if command.allSatisfy(\.isWhitespace) { throw options.usageError("--rerun needs a command") }
            if input.currentPaths.contains("-") {
                throw options.usageError(
                    "--rerun cannot read standard input again", hint: "give the metrics as files the command rewrites")
            }
        }
        if let count = options.whole(Self.runs) {
            guard rerunCommand != nil else {
                throw options.usageError("--runs needs --rerun COMMAND, which makes each run after the first")
            }
            runCount = count
        } else {
            guard rerunCommand == nil else {
                throw options.usageError("--rerun needs --runs N, the number of runs to record")
            }
            runCount = 1
        }
    }

    /// One run to record: its metrics, the files they came from, and when they were read.
    typealias RecordedRun = (metrics: MetricSet, sources: [Provenance.Source], time: Double)

    func stamped(_ read: (metrics: MetricSet, sources: [Provenance.Source]), at time: Double) -> RecordedRun {
        (read.metrics, read.sources, time)
    }

    func run(_ environment: Environment) throws -> Int32 {
        let baselinePath = input.baselinePath
        if let event = environment.variables["GITHUB_EVENT_NAME"], Self.pullRequestEvents.contains(event),
            !allowPullRequest
        {
            throw RedlineError(
                file: baselinePath,
                message: "not updated: this is a \(event) event, and a pull request must not rewrite the baseline",
                hint: "update the baseline on the default branch, or pass --allow-pr-update on purpose")
        }
        // The budgets give a metric without a unit the unit it is judged in, which the baseline records.
        let policy = try input.policy(today: environment.today)
        // Every run is read before anything is written: a failing rerun records nothing, and a
        // lost race on a data branch merges the same runs again without running the load again.
        // Each run is stamped with when it was read: the runs of --runs N were not taken at once.
        var runs: [RecordedRun] = [try stamped(input.current(), at: environment.now)]
        for number in 2...max(2, runCount) where number <= runCount {
            Terminal.progress("redline: run \(number) of \(runCount): " + Escape.terminal(rerunCommand!))
            try Shell.rerun(
                rerunCommand!, number: number - 1, what: "the --rerun command must rewrite the --current files")
            do {
                runs.append(try stamped(input.current(), at: max(environment.clock, runs[runs.count - 1].time)))
            } catch {
                var first = error.redlineErrors[0]
                first.message = "run \(number): " + first.message
                throw first
            }
        }
        let stepped: Bool
        if let branchName {
            stepped = try updateBranch(branchName, runs: runs, environment: environment, policy: policy)
        } else {
            stepped = try record(runs, in: input.baselinePath, environment: environment, policy: policy)
        }
        return failOnStep && stepped ? 1 : 0
    }

    /// Records `runs` on the data branch: reads the branch's file (else the checked-out one, which
    /// moves a committed baseline onto the branch, else none), merges the runs into it, and replaces
    /// the branch with one parentless commit, pushed with a lease on the commit read. A lost race
    /// merges the runs again into a fresh read, up to REDLINE_ATTEMPTS times (5), waiting n times
    /// REDLINE_BACKOFF seconds (2) after attempt n; then it fails, never silently.
    func updateBranch(
        _ name: String, runs: [RecordedRun], environment: Environment,
        policy: Policy
    ) throws -> Bool {
        let variables = environment.variables
        let data = try DataBranch(branch: name, remote: remoteName, path: input.baselinePath, environment: variables)
        if let problem = data.repositoryProblem() {
            throw RedlineError(
                file: "", message: "redline baseline update: \(problem)",
                hint: "run it in the checkout, or set REDLINE_REMOTE")
        }
        func count(_ key: String, _ fallback: Int, least: Int) throws -> Int {
            guard let text = variables[key], !text.isEmpty else { return fallback }
            guard let value = Int(text), value >= least else {
                throw RedlineError(
                    file: "",
                    message:
                        "redline baseline update: \(key) must be a whole number of at least \(least), got \"\(text)\"")
            }
            return value
        }
        let attempts = try count("REDLINE_ATTEMPTS", 5, least: 1)
        let backoff = try count("REDLINE_BACKOFF", 2, least: 0)
        let author = variables["REDLINE_COMMIT_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "redline"
        let email =
            variables["REDLINE_COMMIT_EMAIL"].flatMap { $0.isEmpty ? nil : $0 } ?? "redline@users.noreply.github.com"
        let scratch = try FileSystem.temporaryDirectory(environment: variables)
        defer { FileSystem.removeTree(scratch) }
        let file = scratch + "/baseline.json"
        for attempt in 1...attempts {
            var problem: String
            do {
                let base = try data.read()
                FileSystem.remove(file)
                let from: String
                if let base, let bytes = data.file(in: base) {
                    try FileSystem.writeAtomically(String(decoding: bytes, as: UTF8.self), to: file)
                    from = "\(data.remote)/\(name) (\(data.short(base)))"
                } else if FileSystem.exists(input.baselinePath), data.linkOnPath() == nil {
                    try FileSystem.writeAtomically(
                        String(decoding: try FileSystem.read(input.baselinePath).bytes, as: UTF8.self), to: file)
                    from = "the checked-out \(input.baselinePath) (first update on the branch)"
                } else {
                    from = "no baseline (first update)"
                }
                Terminal.out(
                    "redline: attempt \(attempt) of \(attempts): updating \(input.baselinePath) from \(from).\n")
                let stepped = try record(
                    runs, in: file, environment: environment, policy: policy, shownAs: input.baselinePath)
                if let commit = try data.replace(base: base, with: file, name: author, email: email) {
                    Terminal.out("redline: pushed \(name) at \(data.short(commit)): one commit, no parent.\n")
                } else {
                    Terminal.out(
                        "redline: \(input.baselinePath) is unchanged: \(name) stays at \(data.short(base!)).\n")
                }
                return stepped
            } catch let lost as DataBranch.Lost {
                problem =
                    lost.said.split(separator: "\n").last.map { "the push was refused: " + String($0) }
                    ?? "the push was refused"
            } catch let error as RedlineError
                where error.message.contains("cannot read branch") || error.message.contains("cannot fetch")
            {
                problem = error.message
            }
            guard attempt < attempts else {
                throw RedlineError(
                    file: "",
                    message:
                        "redline baseline update: \(name) on \(data.remote) was not updated after \(attempts) attempts (\(Escape.terminal(problem)))",
                    hint: "the baseline of this run is lost; re-run the workflow")
            }
            Terminal.progress(
                "redline: attempt \(attempt) of \(attempts) failed: \(name) moved or \(data.remote) refused (\(problem)); fetching again in \(attempt * backoff) s"
            )
            System.sleep(seconds: attempt * backoff)
        }
        return false
    }

    /// Merges each run into the baseline at `baselinePath` and writes it; prints what changed,
    /// naming the file `shownAs`. Returns whether a metric stepped to a worse level.
    func record(
        _ runs: [RecordedRun], in baselinePath: String, environment: Environment,
        policy: Policy, shownAs shown: String? = nil
    ) throws -> Bool {
        var stepped = false
        for (index, current) in runs.enumerated() {
            stepped =
                try record(
                    current, in: baselinePath, environment: environment, policy: policy,
                    run: runs.count > 1 ? index + 1 : nil, shownAs: shown ?? baselinePath) || stepped
        }
        return stepped
    }

    /// Merges one run into the baseline and writes it; prints what changed. Returns whether a
    /// metric stepped to a worse level.
    func record(
        _ current: RecordedRun, in baselinePath: String, environment: Environment,
        policy: Policy, run number: Int?, shownAs shown: String
    ) throws -> Bool {
        // Read, merge and write under a lock on the baseline's directory: concurrent updates run
        // one after the other and none loses the other's metrics.
        let (baseline, changes) = try FileSystem.withDirectoryLock(for: baselinePath) {
            let old: Baseline?
            do {
                old = try input.reader.baseline(baselinePath)
            } catch {
                var first = error.redlineErrors[0]
                first.hint =
                    (first.hint.map { $0 + "; " } ?? "") + "the existing baseline is invalid: fix it or delete it first"
                throw first
            }
            let provenance = BaselineUpdate.provenance(
                of: current.metrics, environment: environment.variables,
                updatedAt: Date(timeIntervalSince1970: current.time.rounded(.down)).ISO8601Format(),
                sources: current.sources,
                reason: reason)
            let merged = try BaselineUpdate.merge(
                old: old, current: current.metrics, provenance: provenance,
                prune: prune, policy: policy, historyLimit: historyLimit)
            try FileSystem.writeAtomically(BaselineDocument.render(merged.baseline), to: baselinePath)
            return merged
        }
        var summary =
            (number.map { "run \($0) of \(runCount): " } ?? "") + "\(shown): \(baseline.metrics.metrics.count) metrics"
        summary +=
            " (\(changes.added.count) added, \(changes.updated.count) updated, \(changes.unchanged.count) unchanged"
        summary += prune ? ", \(changes.pruned.count) pruned)" : ", \(changes.kept.count) kept from before)"
        summary += "; \(baseline.runs.count) run\(baseline.runs.count == 1 ? "" : "s") in the history"
        var lines = [Escape.terminal(summary)]
        lines += changes.steps.map { "step: " + StepReport.sentence($0, escape: Escape.terminal) }
        Terminal.out(lines.joined(separator: "\n") + "\n")
        if environment.variables["GITHUB_ACTIONS"] == "true", !changes.steps.isEmpty,
            let path = environment.variables["GITHUB_STEP_SUMMARY"], !path.isEmpty
        {
            do {
                try FileSystem.append(StepReport.markdown(changes.steps, baseline: shown), to: path)
            } catch {
                Terminal.note(
                    "redline: warning: the steps could not be added to the step summary: "
                        + error.redlineErrors[0].description)
            }
        }
        return changes.steps.contains(where: \.isWorse)
    }
}
