import RedlineCore

/// `redline validate`: check every input file and report every problem, not just the first.
enum Validate {
    static let spec = CommandSpec(
        words: ["validate"],
        summary: "check budgets, baseline and metrics files and list every problem",
        details: """
        Reads budgets.json (or --budgets), the baseline (or --baseline) and any --current files,
        and lists every problem found, one per line, with file, line and column. When the files
        read, it also checks them together: units of different dimensions between baseline and
        current, budget levels out of order for a metric's direction, and globs that match a
        metric equally. Exits 0 when all is valid, 2 otherwise.
        """,
        options: [Commands.budgetsOption, Commands.baselineOption, Commands.currentOption, Commands.formatOption]
            + Commands.limitOptions)

    static func run(_ options: ParsedOptions) throws -> Int32 {
        let format = try Commands.format(options)
        let reader = try Reader(options)
        var problems = Problems()
        var summary: [String] = []
        let policy = problems.attempt { try reader.policy(options) }
        if let policy, !policy.file.isEmpty {
            summary.append("\(policy.file): \(policy.rules.count) rule\(policy.rules.count == 1 ? "" : "s")")
        }
        let baselinePath = options.value("baseline") ?? Commands.defaultBaseline
        var baseline: Baseline?
        if options.value("baseline") != nil || FileSystem.exists(baselinePath) {
            baseline = problems.attempt {
                guard let read = try reader.baseline(baselinePath) else {
                    throw RedlineError(file: baselinePath, message: "no such file", hint: "check the path")
                }
                return read
            }
            if let baseline { summary.append("\(baselinePath): \(baseline.metrics.metrics.count) metrics") }
        }
        let paths = options.all("current")
        var current: MetricSet?
        if !paths.isEmpty {
            current = problems.attempt { try reader.current(paths, format: format).metrics }
            if let current { summary.append("current: \(current.metrics.count) metrics from \(paths.count) file\(paths.count == 1 ? "" : "s")") }
        }
        if problems.errors.isEmpty, let policy {
            // Checks that need the files together: run the judgement and keep only its problems.
            problems.attempt {
                _ = try Judge.judge(current: current ?? baseline?.metrics ?? MetricSet(metrics: []), baseline: baseline,
                                    policy: policy, options: JudgeOptions(baselineFile: baselinePath))
            }
        }
        if !problems.errors.isEmpty {
            for error in problems.errors { Terminal.errorLine(error.description) }
            if problems.omitted > 0 { Terminal.errorLine("\(problems.omitted) more problems are not listed") }
            return 2
        }
        if summary.isEmpty { summary.append("nothing to validate: no budgets.json, no baseline, no --current") }
        Terminal.out(summary.map { "ok: " + Escape.terminal($0) }.joined(separator: "\n") + "\n")
        return 0
    }
}
