import RedlineCore

/// `redline ab`: run the base and the head side's benchmark one after the other on this runner,
/// pair by pair, and judge the ratio head/base of each pair, in which the machine's state cancels.
struct AB: Command {
    static let base = OptionSpec.text(
        "base", "COMMAND", "runs the base side's benchmark or load test once (with /bin/sh -c)")
    static let head = OptionSpec.text("head", "COMMAND", "runs the head side's once")
    static let out = OptionSpec.text(
        "out", "FILE",
        "the metrics file both commands write; without it, each command prints its metrics on standard output")
    static let pairs = OptionSpec.whole(
        "pairs", PairOrder.fewestSignificant...30, default: 5,
        hint: "five pairs all worse are the fewest that can show a regression at α = 0.05",
        "most pairs; from the fifth, fewer when every gated metric is settled")
    static let seed = OptionSpec.unsigned(
        "seed", defaultText: "random, printed", "which side runs first, reproducibly")
    static let format = SharedOptions.format(of: "the metrics the commands write")

    static let spec = CommandSpec(
        words: ["ab"],
        summary: "judge the head against the base run beside it on this runner, interleaved pair by pair",
        details: """
            Runs --base and --head alternately on this machine (the first side random, printed and set
            by --seed; then the order flips each pair, base-head, head-base, …, so that a warm-up or a
            drift favours neither) and reads the metrics each writes (to --out FILE, or its standard
            output). Each metric is judged by the ratio head/base of each pair: both runs of a pair
            share the machine's state, so a slow runner slows both and cancels. The change is the
            Hodges-Lehmann estimate of the ratio with one-sided bounds, and a worsening beyond
            maxRegression and minDelta is a regression only if a one-sided Wilcoxon signed-rank test
            gives p < α (exact for small numbers of pairs); budgets apply to the head's median, and
            budgets.json's rules (from, gate, accept, missing) apply as in check.

            Runs at least 5 pairs (five all worse are the fewest that show a regression at α = 0.05)
            and at most --pairs; from the fifth pair on it stops as soon as every gated metric is
            settled: regressed, or its bound shows it within its threshold.
            Writes check's outputs (the table, --report, --comment, --json, --html, and in GitHub
            Actions the job summary, annotations and step outputs), saying "A/B on this runner, N
            pairs". A command that fails or leaves unreadable metrics is exit 2, naming the side and
            the pair. Use it for pull requests on shared runners, where the window of past runs
            cannot tell a slower machine from a slower change; the window stays the record of main.
            """,
        options: [base, head, out, pairs, seed, SharedOptions.budgets, format, Check.maxRegression, Check.failOn]
            + Check.outputs + SharedOptions.limits)

    let input: InputOptions
    let judgeOptions: JudgeOptions
    let outputPaths: [(flag: String, path: String)]
    let baseCommand: String
    let headCommand: String
    let outPath: String?
    let pairLimit: Int
    let seed: UInt64?
    let format: String

    init(_ options: ParsedOptions) throws {
        input = try InputOptions(options, currentRequired: false)
        guard let base = options.text(AB.base), !base.allSatisfy(\.isWhitespace) else {
            throw options.usageError("--base COMMAND is required")
        }
        guard let head = options.text(AB.head), !head.allSatisfy(\.isWhitespace) else {
            throw options.usageError("--head COMMAND is required")
        }
        (baseCommand, headCommand) = (base, head)
        format = options.defaultedText(AB.format)
        outPath = options.text(AB.out)
        if outPath == "-" {
            throw options.usageError(
                "--out names the file the commands write; without it their standard output is read")
        }
        // --out is removed before each run: it must not be a file of the user's.
        if let outPath,
            let budgets = input.budgetsPath
                ?? (FileSystem.exists(Commands.defaultBudgets) ? Commands.defaultBudgets : nil),
            FileSystem.normalized(outPath) == FileSystem.normalized(budgets)
        {
            throw options.usageError(
                "--out \(outPath) is the budgets file; the commands must write their metrics elsewhere")
        }
        pairLimit = options.limit(AB.pairs)
        seed = options.unsigned(AB.seed)
        judgeOptions = Check.judgeOptions(options, baselineFile: "the base side")
        outputPaths = Check.outputs.compactMap { option in options.text(option).map { (option.name, $0) } }
    }

    func run(_ environment: Environment) throws -> Int32 {
        let variables = environment.variables
        let plan = try OutputPlan(
            outputs: outputPaths, inputs: [outPath, input.budgetsPath ?? Commands.defaultBudgets].compactMap { $0 },
            appended: Check.appendedFiles(variables))
        let policy = try input.policy(today: environment.today)
        var judgeOptions = self.judgeOptions
        judgeOptions.today = environment.today

        let seed = self.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        let headFirst = PairOrder.headFirst(seed: seed)
        Terminal.progress(
            "redline: A/B, up to \(pairLimit) pairs, seed \(seed): the \(headFirst ? "head" : "base") side runs first")
        let scratch = try FileSystem.temporaryDirectory(environment: variables)
        defer { FileSystem.removeTree(scratch) }

        var pairs: [RunPair] = []
        var formats: [String] = []
        var judgement: Judgement?
        while pairs.count < pairLimit {
            let number = pairs.count + 1
            var sides: [Bool: MetricSet] = [:]
            for isHead in PairOrder.sides(pair: number, headFirst: headFirst) {
                let (metrics, format) = try measure(isHead: isHead, pair: number, scratch: scratch)
                sides[isHead] = metrics
                formats.append(format)
            }
            pairs.append(RunPair(base: sides[false]!, head: sides[true]!))
            judgeOptions.fromLoadTest = formats.allSatisfy { MetricsFormats.kind(of: $0) == .loadTest }
            // Judged after every pair: a budget that names no metric of the sides is found after
            // the first, not at the end.
            let now = try Judge.judge(pairs: pairs, policy: policy, options: judgeOptions, most: pairLimit)
            judgement = now
            if PairOrder.stops(after: now, pairs: pairs.count, of: pairLimit) {
                if pairs.count < pairLimit {
                    Terminal.progress("redline: every gated metric is settled after \(pairs.count) pairs")
                }
                break
            }
        }
        guard let judgement else { throw RedlineError(file: "", message: "no pair was judged") }

        try Check.publish(judgement, plan: plan, outputPaths: outputPaths, variables: variables)
        return judgement.outcome == .failed ? 1 : 0
    }

    /// Runs one side once and reads what it wrote: `--out`, else its standard output.
    func measure(isHead: Bool, pair: Int, scratch: String) throws -> (MetricSet, String) {
        let side = isHead ? "head" : "base"
        let command = isHead ? headCommand : baseCommand
        let path = outPath ?? scratch + "/\(side)-\(pair).out"
        if let outPath { FileSystem.remove(outPath) }
        Terminal.progress("redline: pair \(pair), \(side): " + Escape.terminal(command))
        let ending = Shell.run(command, standardOutputTo: outPath == nil ? path : nil)
        guard case .exited(0) = ending else {
            throw RedlineError(
                file: "", message: "the \(side) side failed in pair \(pair): " + Shell.describe(ending),
                hint: "the --\(side) command must run the benchmark once and write its metrics")
        }
        do {
            let read = try input.reader.current([path], format: format)
            return (read.metrics, read.sources.first?.format ?? "native")
        } catch {
            var first = error.redlineErrors[0]
            first.message = "the \(side) side's metrics in pair \(pair): " + first.message
            throw first
        }
    }
}
