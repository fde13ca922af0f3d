import RedlineCore

/// `redline init`: write a starter budgets.json and baselines/ where absent.
struct Init: Command {
    static let spec = CommandSpec(
        words: ["init"],
        summary: "write a starter budgets.json and baselines/ (never overwrites)",
        details: "Creates budgets.json with commented-by-example rules and the baselines/ directory, each only where absent.",
        options: [])

    static let starterBudgets = """
    {
      "schema": "redline.budgets.v1",
      "defaults": { "maxRegression": "10%", "missing": "warn" },
      "metrics": {
        "apiResponseTime": { "unit": "ms", "target": 100, "warning": 200, "error": 500 },
        "memoryUsage": { "unit": "MB", "target": 100, "warning": 200, "error": 500 },
        "throughput": { "unit": "req/s", "direction": "higher", "target": 1000, "warning": 800, "error": 500 },
        "BM_*": { "maxRegression": "5%", "minDelta": "200ns" }
      }
    }

    """

    init(_ options: ParsedOptions) throws {}

    func run(_ environment: Environment) throws -> Int32 {
        var lines: [String] = []
        if FileSystem.exists(Commands.defaultBudgets) {
            lines.append("kept \(Commands.defaultBudgets): it already exists")
        } else {
            try FileSystem.writeAtomically(Init.starterBudgets, to: Commands.defaultBudgets)
            lines.append("wrote \(Commands.defaultBudgets): edit its rules to match your metrics")
        }
        if FileSystem.exists("baselines") {
            lines.append("kept baselines/: it already exists")
        } else {
            try FileSystem.writeAtomically("", to: "baselines/.gitkeep")
            lines.append("created baselines/: record the first baseline with `redline baseline update --current FILE`")
        }
        Terminal.out(lines.joined(separator: "\n") + "\n")
        return 0
    }
}
