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
    static let formatOption = OptionSpec("format", value: "FORMAT", "format of the --current files: \(MetricsFormat.names) (default auto)")

    static let defaultBaseline = "baselines/main.json"
    static let defaultBudgets = "budgets.json"

    /// The `--format` value.
    static func format(_ options: ParsedOptions) throws -> MetricsFormat {
        guard let name = options.value("format") else { return .auto }
        guard let format = MetricsFormat(rawValue: name) else {
            throw options.usageError("--format must be one of \(MetricsFormat.names), got \"\(name)\"")
        }
        return format
    }

    /// The `--current` paths; at least one is required.
    static func currentPaths(_ options: ParsedOptions) throws -> [String] {
        let paths = options.all("current")
        if paths.isEmpty { throw options.usageError("--current FILE is required") }
        return paths
    }

    /// Reads and merges the `--current` files; every file's problems are reported.
    static func readCurrent(_ paths: [String], format: MetricsFormat) throws
        -> (metrics: MetricSet, sources: [Provenance.Source]) {
        var problems = Problems()
        var sets: [(name: String, metrics: MetricSet)] = []
        var sources: [Provenance.Source] = []
        for path in paths {
            problems.attempt {
                let read = try MetricsReader.read(FileSystem.read(path), format: format, companions: companions(of: path))
                for note in read.notes { Terminal.note("redline: note: " + note) }
                sets.append((path, read.metrics))
                sources.append(Provenance.Source(file: path, format: read.format.rawValue))
            }
        }
        try problems.throwIfAny()
        return (try MetricsReader.merge(sets), sources)
    }

    /// Files beside `path` that its format may need: Criterion's `benchmark.json` next to an `estimates.json`.
    static func companions(of path: String) throws -> [String: SourceText] {
        guard path == "estimates.json" || path.hasSuffix("/estimates.json") else { return [:] }
        let sibling = FileSystem.parentDirectory(of: path) + "/benchmark.json"
        guard FileSystem.exists(sibling) else { return [:] }
        return ["benchmark.json": try FileSystem.read(sibling)]
    }

    /// Reads the baseline; nil when the file does not exist (a first run).
    static func readBaseline(_ path: String) throws -> Baseline? {
        guard FileSystem.exists(path) else { return nil }
        return try BaselineFormat.read(FileSystem.read(path))
    }

    /// Reads the budgets: an explicit `--budgets` file must exist; the default one is optional.
    static func readPolicy(_ options: ParsedOptions) throws -> Policy {
        if let path = options.value("budgets") {
            return try Budgets.read(FileSystem.read(path))
        }
        guard FileSystem.exists(defaultBudgets) else { return Policy() }
        return try Budgets.read(FileSystem.read(defaultBudgets))
    }
}
