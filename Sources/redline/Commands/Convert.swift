import RedlineCore

/// `redline convert`: print what redline read, as native metrics JSON.
struct Convert: Command {
    static let spec = CommandSpec(
        words: ["convert"],
        summary: "print the --current metrics as native redline.metrics.v1 JSON",
        details:
            "Reads the --current files as `check` would and prints them as native JSON, so you can see the metric names before writing budgets.",
        options: [SharedOptions.current, SharedOptions.format] + SharedOptions.limits)

    let input: InputOptions

    init(_ options: ParsedOptions) throws {
        input = try InputOptions(options)
    }

    func run(_ environment: Environment) throws -> Int32 {
        Terminal.out(BaselineDocument.metricsDocument(try input.current().metrics))
        return 0
    }
}
