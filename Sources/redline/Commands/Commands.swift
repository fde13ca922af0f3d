import RedlineCore

/// Everything a command may touch, passed in so commands stay testable and thin.
struct Environment {
    /// The process environment.
    let variables: [String: String]
    /// The current time as seconds since 1970 (honours SOURCE_DATE_EPOCH).
    let now: Double
}

/// The command table and the shared steps of several commands.
enum Commands {
    static let all: [CommandSpec] = [Check.spec, BaselineUpdateCommand.spec, BaselineShow.spec, Validate.spec,
                                     Init.spec, Convert.spec, Calibrate.spec]

    /// Runs a parsed command; returns the exit status.
    static func run(_ options: ParsedOptions, environment: Environment) throws -> Int32 {
        switch options.command.words {
        case Check.spec.words: return try Check.run(options, environment: environment)
        case BaselineUpdateCommand.spec.words: return try BaselineUpdateCommand.run(options, environment: environment)
        case BaselineShow.spec.words: return try BaselineShow.run(options)
        case Validate.spec.words: return try Validate.run(options)
        case Init.spec.words: return try Init.run(options)
        case Convert.spec.words: return try Convert.run(options)
        case Calibrate.spec.words: return try Calibrate.run(options)
        default: preconditionFailure("command \(options.command.name) has no runner")
        }
    }

    /// The overview printed by `redline --help`.
    static var overview: String {
        var text = """
        redline \(RedlineVersion.current): a performance gate for CI.

        Reads the metrics a benchmark step produced, compares them with the committed baseline
        and with budgets.json, writes a report, and exits 1 when a metric regressed or broke a budget.

        Usage: redline COMMAND [OPTIONS]

        Commands:

        """
        let width = all.map(\.name.count).max() ?? 0
        for spec in all {
            text += "  " + spec.name + String(repeating: " ", count: width - spec.name.count + 2) + spec.summary + "\n"
        }
        text += """

          redline help COMMAND   details of one command
          redline --version      the version

        Exit status: 0 passed, 1 the gate failed, 2 nothing was judged (bad arguments or input).

        """
        return text
    }

    // Options several commands share, so their help reads the same everywhere.
    static let currentOption = OptionSpec("current", value: "FILE", repeatable: true,
                                          "metrics of this run; repeat to merge several files")
    static let baselineOption = OptionSpec("baseline", value: "FILE", "baseline file (default baselines/main.json)")
    static let budgetsOption = OptionSpec("budgets", value: "FILE", "budgets file (default budgets.json, if present)")
    static let formatOption = OptionSpec("format", value: "FORMAT", "format of the --current files: \(MetricsFormats.names.joined(separator: ", ")) (default auto)")

    static let defaultBaseline = "baselines/main.json"
    static let defaultBudgets = "budgets.json"

    /// The `--format` value.
    static func format(_ options: ParsedOptions) throws -> String {
        guard let name = options.value("format") else { return "auto" }
        guard MetricsFormats.isKnown(name) else {
            throw options.usageError("--format must be one of \(MetricsFormats.names.joined(separator: ", ")), got \"\(name)\"")
        }
        return name
    }

    /// The `--current` paths; at least one is required.
    static func currentPaths(_ options: ParsedOptions) throws -> [String] {
        let paths = options.all("current")
        if paths.isEmpty { throw options.usageError("--current FILE is required") }
        return paths
    }

    static let limitOptions = [
        OptionSpec("max-input-size", value: "SIZE", "largest file read, e.g. 1GiB (default 512MiB)"),
        OptionSpec("max-metrics", value: "N", "most metrics one file may hold (default 1000000)"),
    ]

}
