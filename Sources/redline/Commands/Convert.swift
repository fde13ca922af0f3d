import RedlineCore

/// `redline convert`: print what redline read, as native metrics JSON.
enum Convert {
    static let spec = CommandSpec(
        words: ["convert"],
        summary: "print the --current metrics as native redline.metrics.v1 JSON",
        details: "Reads the --current files as `check` would and prints them as native JSON, so you can see the metric names before writing budgets.",
        options: [Commands.currentOption, Commands.formatOption] + Commands.limitOptions)

    static func run(_ options: ParsedOptions) throws -> Int32 {
        let current = try Reader(options).current(Commands.currentPaths(options), format: Commands.format(options))
        Terminal.out(BaselineDocument.metricsDocument(current.metrics))
        return 0
    }
}
