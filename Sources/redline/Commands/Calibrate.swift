import RedlineCore

/// `redline calibrate`: measure noise from several runs of the same code and suggest thresholds.
struct Calibrate: Command {
    static let current = OptionSpec.text("current", "FILE", repeatable: true, "one A/A run; give at least two")
    static let output = OptionSpec.text(
        "output", "FILE", "write the budgets.json fragment to FILE instead of stdout (- for stdout)")

    static let spec = CommandSpec(
        words: ["calibrate"],
        summary: "measure noise from A/A runs and suggest maxRegression and minDelta per metric",
        details: """
            Give two or more runs of the same code (A/A runs), one --current file each. For every metric
            redline prints its noise (robust CV: 1.4826 × MAD / median, of the runs' values and of the
            pooled samples) and the largest change between any two runs as `check` would compute it,
            then suggests the thresholds that would have kept every pair quiet, with a 25% margin:
            `maxRegression` rounded up to a whole percent and `minDelta` to two significant digits.
            Metrics with a robust CV over 10% or a suggested threshold over 25% are flagged as too noisy
            to gate. The table goes to stderr; the budgets.json fragment to stdout (or --output FILE),
            to review and merge by hand.
            """,
        options: [current, SharedOptions.format, output] + SharedOptions.limits)

    let paths: [String]
    let input: InputOptions
    let output: String?

    init(_ options: ParsedOptions) throws {
        paths = options.texts(Calibrate.current)
        guard paths.count >= 2 else { throw options.usageError("give at least two --current runs of the same code") }
        input = try InputOptions(options, currentRequired: false)
        output = options.text(Calibrate.output)
    }

    func run(_ environment: Environment) throws -> Int32 {
        let plan = try OutputPlan(
            outputs: output.map { [("output", $0)] } ?? [], inputs: paths + [Commands.defaultBudgets])
        var problems = Problems()
        var runs: [MetricSet] = []
        for path in paths {
            problems.attempt { runs.append(try input.reader.run(path, format: input.format).metrics) }
        }
        try problems.throwIfAny()
        let (reports, incomplete) = try Calibration.calibrate(runs: runs)
        var rows: [[String]] = [
            ["metric", "runs", "median", "robust CV", "largest change", "maxRegression", "minDelta", ""]
        ]
        for report in reports {
            rows.append([
                Escape.terminal(report.name), "\(report.runs)",
                Escape.terminal(Formatting.value(report.median, unit: report.unit)),
                Formatting.number(report.robustCV * 100) + "%",
                Formatting.percentChange(report.largestChange),
                Percentage.text(report.maxRegression),
                Escape.terminal(Formatting.value(report.minDelta, unit: report.unit)),
                report.isTooNoisy ? "too noisy to gate" : "",
            ])
        }
        var table = TextTable(rows).lines()
        for name in incomplete { table.append("note: \(Escape.terminal(name)) is in only one run and is left out") }
        let noisy = reports.filter(\.isTooNoisy).count
        table.append(
            "\(reports.count) metrics from \(runs.count) runs; \(noisy) too noisy to gate (more repetitions, a quieter runner, or `missing: ignore` and no threshold)"
        )
        for line in table { Terminal.note(line) }
        let fragment = Calibration.fragment(reports)
        if plan.has("output") {
            try plan.write("output", text: fragment)
        } else {
            Terminal.out(fragment)
        }
        return 0
    }
}
