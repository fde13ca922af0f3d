import RedlineCore

/// `redline check`: judge the current run against the baseline and the budgets.
struct Check: Command {
    static let maxRegression = OptionSpec.percentage(
        "max-regression",
        defaultText: "budgets.json's `defaults`, else \(Percentage.text(PolicyDefaults().maxRegression))",
        "the threshold of metrics whose budget rule sets none, e.g. 5%")
    static let failOn = OptionSpec.choice(
        "fail-on", "LEVEL", ["error", "warning"], default: "error", "the lowest severity that fails the run")
    static let rerun = OptionSpec.text(
        "rerun", "COMMAND",
        "when a metric is a suspect, run COMMAND (with /bin/sh -c) to rewrite the --current files, and judge again")
    /// `--max-runs`: its default applies when `--rerun` is given without it.
    static let maxRuns = OptionSpec.whole(
        "max-runs", 1...10, default: 3, "most runs with --rerun, the first included")
    static let requireBaseline = OptionSpec.flag(
        "require-baseline", "exit 2 when there is no baseline, instead of passing with every metric new")
    static let allowMissingBaseline = OptionSpec.flag(
        "allow-missing-baseline",
        "a --baseline that does not exist is a first run (every metric new), not a typo: for a workflow whose data branch has no baseline yet"
    )
    /// One option per document `ReportOutputs` can write.
    static let outputs = ReportOutputs.all.map { OptionSpec.text($0.flag, "FILE", $0.help) }

    static let spec = CommandSpec(
        words: ["check"],
        summary: "compare the current metrics with the baseline and budgets; exit 1 on a regression",
        details: """
            Reads the --current metrics (several files merge), the baseline and budgets.json, prints a
            table, and exits 0 when the gate passes, 1 when a metric regressed beyond its threshold,
            broke its `error` budget or is missing under `missing: fail`, and 2 when the input is invalid.

            A baseline or budgets file named with --baseline or --budgets must exist (exit 2, with the
            nearest file name when one is close), unless --allow-missing-baseline says a missing one is
            a first run. Without --baseline, a missing baselines/main.json is a first run: every metric is new, budgets still apply, and every output says first that
            nothing was compared; --require-baseline makes that exit 2 instead.

            With --rerun, a run with suspects (metrics that would regress, or whose worsening is beyond
            the threshold but not shown to be real) runs COMMAND again, which must rewrite the same
            --current files; each rerun is one more observation of every metric (a metric's runs are
            combined by their median) and the whole run is judged again, until no metric is a suspect
            or --max-runs runs are used. A metric fails only if all its runs together still show the
            regression, so a rerun can settle a false alarm but never adds a chance to fail. A rerun
            that exits non-zero or leaves unreadable files ends the check with exit 2.
            """,
        options: [
            SharedOptions.current, SharedOptions.baseline, SharedOptions.budgets, SharedOptions.format,
            maxRegression, failOn, rerun, maxRuns, requireBaseline, allowMissingBaseline,
        ] + outputs + SharedOptions.limits)

    /// GitHub drops a step summary past this many bytes, all of it.
    static let summaryLimit = 1_048_576

    let input: InputOptions
    let judgeOptions: JudgeOptions
    /// Each output flag given, with its path.
    let outputPaths: [(flag: String, path: String)]
    /// `--rerun`'s command and the most runs, when given.
    let rerunCommand: String?
    let runLimit: Int
    /// `--require-baseline`: a missing baseline is an error rather than a first run.
    let requireBaseline: Bool
    /// `--allow-missing-baseline`: a named baseline that does not exist is a first run.
    let allowMissingBaseline: Bool

    init(_ options: ParsedOptions) throws {
        input = try InputOptions(options)
        judgeOptions = Check.judgeOptions(options, baselineFile: input.baselinePath)
        outputPaths = Check.outputs.compactMap { option in options.text(option).map { (option.name, $0) } }
        if let report = outputPaths.first(where: { $0.flag == "report" })?.path,
            report.contains(where: { $0 == "\n" || $0 == "\r" })
        {
            throw options.usageError("--report path must not contain a line break")
        }
        requireBaseline = options.flag(Check.requireBaseline)
        allowMissingBaseline = options.flag(Check.allowMissingBaseline)
        if requireBaseline && allowMissingBaseline {
            throw options.usageError("--require-baseline and --allow-missing-baseline say opposite things; give one")
        }
        rerunCommand = options.text(Check.rerun)
        if let command = rerunCommand {
            if command.allSatisfy(\.isWhitespace) { throw options.usageError("--rerun needs a command") }
            if input.currentPaths.contains("-") {
                throw options.usageError(
                    "--rerun cannot read standard input again", hint: "give the metrics as files the command rewrites")
            }
        }
        if options.given(Check.maxRuns) && rerunCommand == nil {
            throw options.usageError("--max-runs needs --rerun")
        }
        runLimit = rerunCommand == nil ? 1 : options.limit(Check.maxRuns)
    }

    func run(_ environment: Environment) throws -> Int32 {
        let variables = environment.variables
        let inActions = variables["GITHUB_ACTIONS"] == "true"
        // Every output is checked before anything is read or judged: a run never writes half its outputs.
        let plan = try OutputPlan(outputs: outputPaths, inputs: input.paths, appended: Check.appendedFiles(variables))

        // For a large suite the baseline is read while the current run is; for a small one a
        // second thread would cost more than it saves.
        let input = self.input
        let readCurrent = { @Sendable in try input.current() }
        let allowMissing = allowMissingBaseline
        let readBaseline = { @Sendable in try input.baseline(mayBeAbsent: allowMissing) }
        var read: (metrics: MetricSet, sources: [Provenance.Source])
        let baseline: Baseline?
        if input.currentPaths.map(FileSystem.size).reduce(0, +) >= 1 << 20 {
            (read, baseline) = try Parallel.both(readCurrent, readBaseline)
        } else {
            read = try readCurrent()
            baseline = try readBaseline()
        }
        if baseline == nil && requireBaseline {
            throw RedlineError(
                file: input.baselinePath, message: "there is no baseline and --require-baseline is given",
                hint: "record one with `redline baseline update --current FILE` on the default branch")
        }
        let sources = read.sources
        let current = read.metrics
        read.metrics = MetricSet(metrics: [])
        let policy = try input.policy(today: environment.today)
        var judgeOptions = self.judgeOptions
        judgeOptions.today = environment.today
        judgeOptions.fromLoadTest = sources.allSatisfy { MetricsFormats.kind(of: $0.format) == .loadTest }
        let judgement: Judgement
        if let rerunCommand {
            judgement = try judgeWithReruns(
                current: current, baseline: baseline, policy: policy, command: rerunCommand,
                options: judgeOptions, inActions: inActions)
        } else {
            // The metrics are not used past the judgement: a large run's memory goes to the outputs.
            judgement = try Judge.judge(
                current: consume current, baseline: consume baseline, policy: policy, options: judgeOptions)
        }

        try Check.publish(judgement, plan: plan, outputPaths: outputPaths, variables: variables)
        return judgement.outcome == .failed ? 1 : 0
    }

    /// Judges, and while there are suspects and runs left, runs the command again, reads the
    /// --current files again and judges all runs together. Says on standard error (and as a
    /// notice in GitHub Actions) why each rerun happens, so a log shows why the step took longer.
    func judgeWithReruns(
        current: MetricSet, baseline: Baseline?, policy: Policy, command: String,
        options judgeOptions: JudgeOptions, inActions: Bool
    ) throws -> Judgement {
        var loop = RerunLoop(
            first: try Judge.judge(current: current, baseline: baseline, policy: policy, options: judgeOptions),
            limit: runLimit)
        while let why = loop.nextRerun {
            let number = loop.reruns.count + 1
            Terminal.progress("redline: " + why)
            if inActions {
                Terminal.annotations(
                    ["::notice title=redline rerun::" + GitHub.escapeData(Escape.terminal(why))], toStandardError: true)
            }
            try Shell.rerun(
                command, number: number,
                what: "the --rerun command must rerun the benchmark and rewrite the --current files")
            let rerun: MetricSet
            do {
                rerun = try input.current().metrics
            } catch {
                var first = error.redlineErrors[0]
                first.message = "rerun \(number): " + first.message
                throw first
            }
            try loop.add(rerun) {
                try Judge.judge(current: current, baseline: baseline, policy: policy, options: judgeOptions, reruns: $0)
            }
        }
        return loop.result
    }

    /// `--max-regression` and `--fail-on` (check and ab take both).
    static func judgeOptions(_ options: ParsedOptions, baselineFile: String) -> JudgeOptions {
        var judgeOptions = JudgeOptions(baselineFile: baselineFile)
        judgeOptions.maxRegression = options.fraction(Check.maxRegression)
        judgeOptions.failOn = options.defaultedText(Check.failOn) == "warning" ? .warning : .failure
        return judgeOptions
    }

    /// In GitHub Actions, the files the step appends to ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT),
    /// for `OutputPlan`'s check of the outputs against each other.
    static func appendedFiles(_ variables: [String: String]) -> [(name: String, path: String)] {
        guard variables["GITHUB_ACTIONS"] == "true" else { return [] }
        return ["GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"].compactMap { name in
            variables[name].flatMap { $0.isEmpty ? nil : (name, $0) }
        }
    }

    /// What `check` and `ab` do with a judgement: each metric's notes on standard error, every
    /// output asked for, the terminal table unless a document goes to standard output, and in
    /// GitHub Actions the annotations, step outputs and job summary.
    static func publish(
        _ judgement: Judgement, plan: OutputPlan, outputPaths: [(flag: String, path: String)],
        variables: [String: String]
    ) throws {
        for metric in judgement.metrics {
            for note in metric.notes { Terminal.note("redline: note: \(metric.name): \(note)") }
        }
        let context = OutputContext(jobSummaryURL: jobSummaryURL(variables))
        for output in ReportOutputs.all where plan.has(output.flag) {
            try plan.write(output.flag) { write in try output.render(judgement, context, write) }
        }
        if plan.standardOutputFlag == nil {
            Terminal.out(TerminalReport.render(judgement, colour: Terminal.wantsColour(environment: variables)))
        }
        if variables["GITHUB_ACTIONS"] == "true" {
            reportToGitHub(
                judgement, reportPath: outputPaths.first { $0.flag == "report" }?.path ?? "",
                documentOnStandardOutput: plan.standardOutputFlag != nil, environment: variables)
        }
    }

    /// The run's job summary on GitHub, when the environment names one in plain characters.
    static func jobSummaryURL(_ variables: [String: String]) -> String? {
        guard let server = variables["GITHUB_SERVER_URL"], let repository = variables["GITHUB_REPOSITORY"],
            let run = variables["GITHUB_RUN_ID"],
            (server + repository + run).allSatisfy({
                $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:".contains($0))
            })
        else { return nil }
        return "\(server)/\(repository)/actions/runs/\(run)"
    }

    /// Annotations, the report appended to the step summary within GitHub's 1 MiB, and the step
    /// outputs. The verdict decides the exit status: a summary or outputs file that cannot be
    /// written is a warning on standard error, never a failed (or passed) gate.
    static func reportToGitHub(
        _ judgement: Judgement, reportPath: String, documentOnStandardOutput: Bool, environment: [String: String]
    ) {
        Terminal.annotations(GitHub.annotations(judgement), toStandardError: documentOnStandardOutput)
        if let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            let room = Check.summaryLimit - FileSystem.size(summary)
            let text = MarkdownReport.render(
                judgement, limit: room, whereToLook: "the JSON result (--json) has every metric")
            if text.isEmpty {
                Terminal.note(
                    "redline: warning: the step summary has \(max(0, room)) bytes of room left of GitHub's \(Check.summaryLimit): the report is not added to it"
                )
            } else {
                do {
                    try FileSystem.append(text, to: summary)
                } catch {
                    Terminal.note(
                        "redline: warning: the report could not be added to the step summary: "
                            + error.redlineErrors[0].description)
                }
            }
        }
        if let outputs = environment["GITHUB_OUTPUT"], !outputs.isEmpty {
            // A random delimiter cannot be guessed by whoever wrote the input; retry in the
            // astronomically unlikely case that a value contains it.
            var text: String?
            while text == nil {
                let delimiter =
                    "ghadelimiter_" + (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
                text = GitHub.outputs(judgement, reportPath: reportPath, delimiter: delimiter)
            }
            do {
                try FileSystem.append(text!, to: outputs)
            } catch {
                Terminal.note(
                    "redline: warning: the step outputs could not be written: " + error.redlineErrors[0].description)
            }
        }
    }
}
