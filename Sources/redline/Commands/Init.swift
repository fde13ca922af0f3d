import RedlineCore

/// `redline init`: write a starter budgets.json and baselines/ where absent.
struct Init: Command {
    static let from = OptionSpec("from", value: "FILE", "a tool's output: map the starter budgets onto its metrics with `from`")

    static let spec = CommandSpec(
        words: ["init"],
        summary: "write a starter budgets.json and baselines/ (never overwrites)",
        details: """
        Creates budgets.json with the three starter budgets (apiResponseTime 100/200/500 ms,
        databaseQueryTime 50/100/200 ms, memoryUsage 100/200/500 MB) and the baselines/ directory,
        each only where absent. With --from FILE (any format redline reads), each budget takes the
        metric of FILE that measures it (`"from": "latency p95"`), and throughput and error rate are
        added when FILE has them; budgets FILE has no metric for are left out and listed. When
        budgets.json exists, the rules it would write are printed instead.
        """,
        options: [from, SharedOptions.format] + SharedOptions.limits)

    let input: InputOptions
    let fromPath: String?

    init(_ options: ParsedOptions) throws {
        fromPath = options.value(Init.from)
        input = try InputOptions(options, currentRequired: false)
    }

    func run(_ environment: Environment) throws -> Int32 {
        var metrics: MetricSet?
        if let fromPath {
            metrics = try input.reader.current([fromPath], format: input.format).metrics
        }
        let starter = StarterBudgets.make(from: metrics)
        var lines: [String] = []
        if FileSystem.exists(Commands.defaultBudgets) {
            lines.append("kept \(Commands.defaultBudgets): it already exists" + (fromPath == nil ? "" : "; the rules for \(fromPath!) would be:"))
            if fromPath != nil { lines += starter.text.split(separator: "\n").map(String.init) }
        } else {
            try FileSystem.writeAtomically(starter.text, to: Commands.defaultBudgets)
            lines.append("wrote \(Commands.defaultBudgets): edit its rules to match your metrics")
        }
        for (budget, metric) in starter.mapped { lines.append("  \(budget) ← \(metric)") }
        for budget in starter.unmapped {
            lines.append("  \(budget): no metric of \(fromPath ?? "") measures it; add the rule when your run reports one")
        }
        if FileSystem.exists("baselines") {
            lines.append("kept baselines/: it already exists")
        } else {
            try FileSystem.writeAtomically("", to: "baselines/.gitkeep")
            lines.append("created baselines/: record the first baseline with `redline baseline update --current FILE`")
        }
        Terminal.out(lines.map(Escape.terminal).joined(separator: "\n") + "\n")
        return 0
    }
}
