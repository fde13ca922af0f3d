import RedlineCore

/// `redline init`: write a starter budgets.json and baselines/ where absent.
struct Init: Command {
    static let from = OptionSpec.text(
        "from", "FILE", repeatable: true,
        "a tool's output (repeat for several, e.g. a load test and a /metrics scrape): map the starter budgets onto its metrics with `from`"
    )
    static let format = SharedOptions.format(of: "the --from files")

    static let spec = CommandSpec(
        words: ["init"],
        summary: "write a starter budgets.json and baselines/ (never overwrites)",
        details: """
            Creates budgets.json with the three starter budgets (apiResponseTime 100/200/500 ms,
            databaseQueryTime 50/100/200 ms, memoryUsage 100/200/500 MB) and the baselines/ directory,
            each only where absent. With --from FILE (any format redline reads; repeat it for a load
            test and a /metrics scrape), each budget takes the metric that measures it (`"from":
            "latency p95"`, saying which file it is in), throughput and error rate are added when a file
            has them, and every other metric of the files is reported without gating (`"*": {"gate":
            false}`). Each rule gets floors that an unchanged rerun does not cross: maxRegression 20% and
            a minDelta of a tenth of the target, and an error rate judged by its levels with a floor of one
            percentage point. Budgets no file has a metric for are left out and listed. When
            budgets.json exists, the rules it would write are printed instead.
            """,
        options: [from, format] + SharedOptions.limits)

    let fromPaths: [String]
    let format: String
    let reader: Reader

    init(_ options: ParsedOptions) throws {
        fromPaths = options.texts(Init.from)
        format = options.defaultedText(Init.format)
        if fromPaths.contains("-") && fromPaths.count > 1 {
            throw options.usageError("--from - reads standard input and cannot be combined with other --from files")
        }
        reader = Reader(options)
    }

    func run(_ environment: Environment) throws -> Int32 {
        var files: [(name: String, metrics: MetricSet)] = []
        var problems = Problems()
        for path in fromPaths {
            problems.attempt { files.append((path, try reader.run(path, format: format).metrics)) }
        }
        try problems.throwIfAny()
        let starter = StarterBudgets.make(from: files)
        var lines: [String] = []
        if FileSystem.exists(Commands.defaultBudgets) {
            lines.append(
                "kept \(Commands.defaultBudgets): it already exists"
                    + (fromPaths.isEmpty ? "" : "; the rules for the --from files would be:"))
            if !fromPaths.isEmpty { lines += starter.text.split(separator: "\n").map(String.init) }
        } else {
            try FileSystem.writeAtomically(starter.text, to: Commands.defaultBudgets)
            lines.append("wrote \(Commands.defaultBudgets): edit its rules to match your metrics")
        }
        for mapping in starter.mapped {
            lines.append(
                "  \(mapping.budget) ← \(mapping.metric) (\(mapping.file))" + (mapping.note.map { ": " + $0 } ?? ""))
        }
        for budget in starter.unmapped {
            lines.append(
                "  \(budget): no metric of \(fromPaths.joined(separator: " or ")) measures it; add the rule when your run reports one"
            )
        }
        if FileSystem.exists("baselines") {
            lines.append("kept baselines/: it already exists")
        } else {
            try FileSystem.writeAtomically("", to: "baselines/.gitkeep")
            lines.append("created baselines/")
        }
        let currents =
            fromPaths.isEmpty
            ? "--current FILE" : fromPaths.map { "--current " + Shell.quoted($0) }.joined(separator: " ")
        lines.append(
            "record a first baseline of \(HistoryLimits.minimumRuns) runs, so that the gate judges against their noise, not one run:"
        )
        lines.append(
            "  redline baseline update \(currents) --rerun 'COMMAND THAT RERUNS THE LOAD TEST' --runs \(HistoryLimits.minimumRuns)"
        )
        Terminal.out(lines.map(Escape.terminal).joined(separator: "\n") + "\n")
        return 0
    }
}
