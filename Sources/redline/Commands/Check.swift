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
            OptionSpec("comment", value: "FILE", "write a pull-request comment (at most 64 KiB, with a hidden marker) to FILE (- for stdout)"),
        ] + Commands.limitOptions)

    /// GitHub drops a step summary past this many bytes, all of it.
    static let summaryLimit = 1_048_576
    /// GitHub rejects a comment body past this many characters; bytes are a safe bound.
    static let commentLimit = 65_536
    /// The hidden line by which a workflow finds and updates its own sticky comment.
    static let commentMarker = "<!-- redline:report -->"

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
        let variables = environment.variables
        let inActions = variables["GITHUB_ACTIONS"] == "true"
        if let report = options.value("report"), report.contains(where: { $0 == "\n" || $0 == "\r" }) {
            throw options.usageError("--report path must not contain a line break")
        }
        let reader = try Reader(options)
        // Every output is checked before anything is read or judged: a run never writes half its outputs.
        let appended = inActions ? ["GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"].compactMap { name in
            variables[name].flatMap { $0.isEmpty ? nil : (name, $0) }
        } : []
        let outputs = try OutputPlan(
            outputs: ["report", "json", "comment"].compactMap { flag in options.value(flag).map { (flag, $0) } },
            inputs: reader.inputPaths(current: paths, baseline: baselinePath, budgets: options.value("budgets")),
            appended: appended)

        // For a large suite the baseline is read while the current run is; for a small one a
        // second thread would cost more than it saves.
        let readCurrent = { @Sendable in try reader.current(paths, format: format).metrics }
        let readBaseline = { @Sendable in try reader.baseline(baselinePath) }
        let (current, baseline) = paths.map(FileSystem.size).reduce(0, +) >= 1 << 20
            ? try Parallel.both(readCurrent, readBaseline) : (try readCurrent(), try readBaseline())
        let policy = try reader.policy(options)
        let judgement = try Judge.judge(current: current, baseline: baseline, policy: policy, options: judgeOptions)

        if baseline == nil {
            Terminal.note("redline: no baseline at \(baselinePath): every metric is new (record one with `redline baseline update`)")
        }
        for metric in judgement.metrics {
            for note in metric.notes { Terminal.note("redline: note: \(metric.name): \(note)") }
        }
        try outputs.write("report", text: MarkdownReport.render(judgement))
        try outputs.write("json") { write in try JSONResult.render(judgement, emit: write) }
        try outputs.write("comment", text: comment(judgement, environment: variables))
        if outputs.standardOutputFlag == nil {
            Terminal.out(TerminalReport.render(judgement, colour: Terminal.wantsColour(environment: variables)))
        }
        if inActions {
            reportToGitHub(judgement, reportPath: options.value("report") ?? "", documentOnStandardOutput: outputs.standardOutputFlag != nil,
                           environment: variables)
        }
        return judgement.outcome == .failed ? 1 : 0
    }

    /// Annotations, the report appended to the step summary within GitHub's 1 MiB, and the step
    /// outputs. The verdict decides the exit status: a summary or outputs file that cannot be
    /// written is a warning on standard error, never a failed (or passed) gate.
    static func reportToGitHub(_ judgement: Judgement, reportPath: String, documentOnStandardOutput: Bool,
                               environment: [String: String]) {
        Terminal.annotations(GitHub.annotations(judgement), toStandardError: documentOnStandardOutput)
        if let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            let room = summaryLimit - FileSystem.size(summary)
            let text = MarkdownReport.render(judgement, limit: room, whereToLook: "the JSON result (--json) has every metric")
            if text.isEmpty {
                Terminal.note("redline: warning: the step summary has \(max(0, room)) bytes of room left of GitHub's \(summaryLimit): the report is not added to it")
            } else {
                do {
                    try FileSystem.append(text, to: summary)
                } catch {
                    Terminal.note("redline: warning: the report could not be added to the step summary: " + error.redlineErrors[0].description)
                }
            }
        }
        if let outputs = environment["GITHUB_OUTPUT"], !outputs.isEmpty {
            // A random delimiter cannot be guessed by whoever wrote the input; retry in the
            // astronomically unlikely case that a value contains it.
            var text: String?
            while text == nil {
                let delimiter = "ghadelimiter_" + (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
                text = GitHub.outputs(judgement, reportPath: reportPath, delimiter: delimiter)
            }
            do {
                try FileSystem.append(text!, to: outputs)
            } catch {
                Terminal.note("redline: warning: the step outputs could not be written: " + error.redlineErrors[0].description)
            }
        }
    }

    /// The pull-request comment: the report within 64 KiB, marked so a workflow can find it, and
    /// pointing at the run's job summary when rows had to be left out.
    static func comment(_ judgement: Judgement, environment: [String: String]) -> String {
        var whereToLook = "the job summary has the full report"
        if let server = environment["GITHUB_SERVER_URL"], let repository = environment["GITHUB_REPOSITORY"],
           let run = environment["GITHUB_RUN_ID"],
           (server + repository + run).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:".contains($0)) }) {
            whereToLook = "the [job summary](\(server)/\(repository)/actions/runs/\(run)) has the full report"
        }
        return MarkdownReport.render(judgement, limit: commentLimit, preamble: [commentMarker], whereToLook: whereToLook)
    }
}
