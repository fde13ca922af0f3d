import RedlineCore

/// `redline validate`: check every input file and report every problem, not just the first.
struct Validate: Command {
    static let spec = CommandSpec(
        words: ["validate"],
        summary: "check budgets, baseline and metrics files and list every problem",
        details: """
            Reads budgets.json (or --budgets), the baseline (or --baseline) and any --current files,
            and lists every problem found, one per line, with file, line and column. When the files
            read, it also checks them together: units of different dimensions between baseline and
            current, budget levels out of order for a metric's direction, floors with a unit on metrics
            without one, and globs that match a metric equally. Exits 0 when all is valid, 2 otherwise.
            """,
        options: [SharedOptions.budgets, SharedOptions.baseline, SharedOptions.current, SharedOptions.format]
            + SharedOptions.limits)

    let input: InputOptions
    let baselineGiven: Bool

    init(_ options: ParsedOptions) throws {
        input = try InputOptions(options, currentRequired: false)
        baselineGiven = options.given(SharedOptions.baseline)
    }

    func run(_ environment: Environment) throws -> Int32 {
        var problems = Problems()
        var summary: [String] = []
        let policy = problems.attempt { try input.policy(today: environment.today) }
        if let policy, !policy.file.isEmpty {
            summary.append("\(policy.file): \(policy.rules.count) rule\(policy.rules.count == 1 ? "" : "s")")
        }
        let baselinePath = input.baselinePath
        var baseline: Baseline?
        if baselineGiven || FileSystem.exists(baselinePath) {
            baseline = problems.attempt {
                guard let read = try input.baseline() else {
                    throw RedlineError(file: baselinePath, message: "no such file", hint: "check the path")
                }
                return read
            }
            if let baseline { summary.append("\(baselinePath): \(baseline.metrics.metrics.count) metrics") }
        }
        var current: MetricSet?
        if !input.currentPaths.isEmpty {
            current = problems.attempt { try input.current().metrics }
            if let current {
                let files = input.currentPaths.count
                summary.append("current: \(current.metrics.count) metrics from \(files) file\(files == 1 ? "" : "s")")
            }
        }
        if problems.errors.isEmpty, let policy {
            // The files together: without a current run, the baseline stands in for it.
            problems.absorb(
                policy.problems(
                    current: current ?? baseline?.metrics ?? MetricSet(metrics: []),
                    baseline: baseline?.metrics, baselineFile: baselinePath))
        }
        // Acceptances to delete: expired ones always; spent ones when a run can show it.
        var acceptances: [String] = []
        if problems.errors.isEmpty, let policy {
            let today = environment.today
            var judgement: Judgement?
            if let current, let baseline {
                var options = JudgeOptions(baselineFile: baselinePath)
                options.today = today
                judgement = problems.attempt {
                    try Judge.judge(current: current, baseline: baseline, policy: policy, options: options)
                }
            }
            acceptances = policy.staleAcceptances(today: today, judgement: judgement).map {
                $0.sentence(file: policy.file)
            }
        }
        if !problems.errors.isEmpty {
            for error in problems.errors { Terminal.errorLine(error.description) }
            if problems.omitted > 0 { Terminal.errorLine("\(problems.omitted) more problems are not listed") }
            return 2
        }
        if summary.isEmpty { summary.append("nothing to validate: no budgets.json, no baseline, no --current") }
        Terminal.out(
            (summary.map { "ok: " + Escape.terminal($0) } + acceptances.map { "acceptance: " + Escape.terminal($0) })
                .joined(separator: "\n") + "\n")
        return 0
    }
}
