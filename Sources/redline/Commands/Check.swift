import RedlineCore

/// `redline check`: judge the current run against the baseline and the budgets.
enum Check {
    static let spec = CommandSpec(
        words: ["check"],
        summary: "compare the current metrics with the baseline and budgets; exit 1 on a regression",
        details: """
        Reads the --current metrics (several files merge), the baseline (a missing baseline makes every
        metric new and is never a failure by itself) and budgets.json, prints a table, and exits
        0 when the gate passes, 1 when a metric regressed beyond its threshold, broke its `error`
        budget or is missing under `missing: fail`, and 2 when the input is invalid.
        """,
        options: [
            Commands.currentOption, Commands.baselineOption, Commands.budgetsOption, Commands.formatOption,
            OptionSpec("max-regression", value: "PERCENT", "default threshold, e.g. 5% (rules in budgets.json keep their own)"),
            OptionSpec("fail-on", value: "LEVEL", "error (default) or warning: the lowest severity that fails the run"),
            OptionSpec("report", value: "FILE", "write the markdown report to FILE (- for stdout, in place of the table)"),
            OptionSpec("json", value: "FILE", "write the redline.result.v1 JSON result to FILE (- for stdout)"),
        ])

    static func run(_ options: ParsedOptions, environment: Environment) throws -> Int32 {
        let paths = try Commands.currentPaths(options)
        let format = try Commands.format(options)
        var judgeOptions = JudgeOptions()
        if let text = options.value("max-regression") {
            guard let fraction = Percentage.parse(text) else {
                throw options.usageError("--max-regression must be a percentage such as 10%, got \"\(text)\"")
            }
            judgeOptions.maxRegression = fraction
        }
        switch options.value("fail-on") ?? "error" {
        case "error": judgeOptions.failOn = .failure
        case "warning": judgeOptions.failOn = .warning
        case let other: throw options.usageError("--fail-on must be error or warning, got \"\(other)\"")
        }
        let baselinePath = options.value("baseline") ?? Commands.defaultBaseline
        judgeOptions.baselineFile = baselinePath
        if options.value("report") == "-" && options.value("json") == "-" {
            throw options.usageError("--report - and --json - both ask for stdout; send one of them to a file")
        }

        let current = try Commands.readCurrent(paths, format: format).metrics
        let baseline = try Commands.readBaseline(baselinePath)
        let policy = try Commands.readPolicy(options)
        let judgement = try Judge.judge(current: current, baseline: baseline, policy: policy, options: judgeOptions)

        if baseline == nil {
            Terminal.note("redline: no baseline at \(baselinePath): every metric is new (record one with `redline baseline update`)")
        }
        if let path = options.value("report"), path != "-" {
            try FileSystem.writeAtomically(MarkdownReport.render(judgement), to: path)
        }
        if let path = options.value("json"), path != "-" { try FileSystem.writeAtomically(JSONResult.render(judgement), to: path) }
        if options.value("report") == "-" {
            Terminal.out(MarkdownReport.render(judgement))
        } else if options.value("json") == "-" {
            Terminal.out(JSONResult.render(judgement))
        } else {
            Terminal.out(TerminalReport.render(judgement, colour: Terminal.wantsColour(environment: environment.variables)))
        }
        return judgement.outcome == .failed ? 1 : 0
    }
}
