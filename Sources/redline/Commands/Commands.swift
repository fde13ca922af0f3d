#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import RedlineCore

/// Everything a command may touch, passed in so commands stay testable and thin.
struct Environment {
    /// The process environment.
    let variables: [String: String]
    /// The current time as seconds since 1970 (honours SOURCE_DATE_EPOCH).
    let now: Double

    /// Whether redline runs as a GitHub Actions step.
    var inActions: Bool { variables["GITHUB_ACTIONS"] == "true" }

    /// Today's date in UTC, `YYYY-MM-DD`: when acceptances expire.
    var today: String { CalendarDay.date(secondsSince1970: now) }

    /// The time now, read again: when a step that takes a while (a rerun) ended; `now` itself
    /// under SOURCE_DATE_EPOCH, so that reproducible builds stay reproducible.
    var clock: Double {
        variables["SOURCE_DATE_EPOCH"].flatMap(Double.init).map { _ in now } ?? Date().timeIntervalSince1970
    }
}

/// A subcommand: its spec, its options read into typed properties (every check of an option's
/// value happens in `init`, before any file is read), and its run.
protocol Command: Sendable {
    /// Its words, help and options.
    static var spec: CommandSpec { get }
    /// Reads and checks the parsed options.
    init(_ options: ParsedOptions) throws
    /// Runs the command; returns the exit status.
    func run(_ environment: Environment) throws -> Int32
}

/// The commands, listed once: parsing, help and dispatch all read this list.
enum Commands {
    static let all: [any Command.Type] = [
        Check.self, AB.self, BaselineUpdateCommand.self, BaselineFetch.self, BaselineShow.self, Validate.self,
        Init.self, Convert.self, Calibrate.self,
    ]

    /// The overview printed by `redline --help`.
    static var overview: String {
        var text = """
            redline \(RedlineVersion.current): a performance gate for CI.

            Reads the metrics a benchmark step produced, compares them with the committed baseline
            and with budgets.json, writes a report, and exits 1 when a metric regressed or broke a budget.

            Usage: redline COMMAND [OPTIONS]

            Commands:

            """
        text += TextTable(all.map { ["  " + $0.spec.name, $0.spec.summary] }).lines().joined(separator: "\n")
        text += """


              redline help COMMAND   details of one command
              redline --version      the version

            Exit status: 0 passed, 1 the gate failed, 2 nothing was judged (bad arguments or input).

            """
        return text
    }

    static let defaultBaseline = "baselines/main.json"
    static let defaultBudgets = "budgets.json"
}

/// Options several commands share, so their help reads the same everywhere.
enum SharedOptions {
    static let current = OptionSpec.text(
        "current", "FILE", repeatable: true, "metrics of this run (- for stdin); repeat to merge several files")
    static let baseline = OptionSpec.text("baseline", "FILE", default: Commands.defaultBaseline, "baseline file")
    static let budgets = OptionSpec.text(
        "budgets", "FILE", defaultText: "\(Commands.defaultBudgets), if present", "budgets file")
    static let format = format(of: "the --current files")

    /// A `--format` option for files described by `what`: a format redline knows, or `auto`.
    static func format(of what: String) -> OptionSpec {
        OptionSpec.choice("format", "FORMAT", MetricsFormats.names, default: "auto", "format of \(what)")
    }
    static let maxInputSize = OptionSpec.size(
        "max-input-size", default: FileSystem.defaultMaximumInputSize, "largest file read, e.g. 1GiB")
    static let maxMetrics = OptionSpec.whole(
        "max-metrics", 1...Int.max, default: Reader.defaultMaximumMetrics, "most metrics one file may hold")
    static let limits = [maxInputSize, maxMetrics]
}

/// The inputs of a command that reads metrics, read from its options and checked: the `--current`
/// files, their format, the baseline and budgets paths, and a reader within the size limits.
struct InputOptions {
    let currentPaths: [String]
    let format: String
    let baselinePath: String
    /// Whether `--baseline` was given: then the file must exist (a typo must not pass the gate).
    let baselineNamed: Bool
    /// The explicit `--budgets` path, if given.
    let budgetsPath: String?
    let reader: Reader

    /// Reads the options; `--current` must be given at least once unless `currentRequired` is false.
    init(_ options: ParsedOptions, currentRequired: Bool = true) throws {
        currentPaths = options.declares(SharedOptions.current) ? options.texts(SharedOptions.current) : []
        if currentRequired && currentPaths.isEmpty { throw options.usageError("--current FILE is required") }
        if currentPaths.filter({ $0 == "-" }).count > 1 {
            throw options.usageError(
                "--current - is given twice; standard input can be read once",
                hint: "give the other metrics as files")
        }
        // The defaults come from the declarations, for commands that do not take these options too.
        format = options.defaultedText(orDefault: SharedOptions.format)
        baselinePath = options.defaultedText(orDefault: SharedOptions.baseline)
        baselineNamed = options.declares(SharedOptions.baseline) && options.given(SharedOptions.baseline)
        budgetsPath = options.text(orDefault: SharedOptions.budgets)
        reader = Reader(options)
    }

    /// Every file these inputs name, for the outputs to keep away from: the current files (and
    /// their companions), the baseline and the budgets.
    var paths: [String] {
        var paths = currentPaths.filter { $0 != "-" } + [baselinePath, budgetsPath ?? Commands.defaultBudgets]
        for path in currentPaths where path != "-" {
            paths += MetricsFormats.companions(of: path, format: format).map {
                FileSystem.parentDirectory(of: path) + "/" + $0
            }
        }
        return paths
    }

    /// Reads and merges the `--current` files.
    func current() throws -> (metrics: MetricSet, sources: [Provenance.Source]) {
        try reader.current(currentPaths, format: format)
    }

    /// Reads the baseline; nil when there is none (a first run). A baseline named with
    /// `--baseline` must exist unless `mayBeAbsent` (an update that creates it).
    func baseline(mayBeAbsent: Bool = false) throws -> Baseline? {
        if baselineNamed && !mayBeAbsent && !FileSystem.exists(baselinePath) {
            throw FileSystem.missing(
                baselinePath, what: "the baseline named by --baseline",
                hint:
                    "check the path; without --baseline, a first run without \(Commands.defaultBaseline) passes with every metric new"
            )
        }
        return try reader.baseline(baselinePath)
    }

    /// Reads the budgets: an explicit `--budgets` file must exist; the default one is optional.
    /// An acceptance that runs longer than allowed from `today` is an error.
    func policy(today: String) throws -> Policy {
        let policy: Policy
        if let budgetsPath {
            guard budgetsPath == "-" || FileSystem.exists(budgetsPath) else {
                throw FileSystem.missing(
                    budgetsPath, what: "the budgets file named by --budgets",
                    hint: "check the path, or leave --budgets out to use \(Commands.defaultBudgets) when it exists")
            }
            policy = try Budgets.read(reader.file(budgetsPath))
        } else if FileSystem.exists(Commands.defaultBudgets) {
            policy = try Budgets.read(reader.file(Commands.defaultBudgets))
        } else {
            return Policy()
        }
        try policy.acceptanceProblems(today: today).throwIfAny()
        return policy
    }
}
