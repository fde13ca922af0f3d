import RedlineCore

/// Reads the files a command names, within the limits its options set.
struct Reader {
    /// The largest file read, in bytes.
    let maximumInputSize: Int
    /// The most metrics one file may hold.
    let maximumMetrics: Int

    static let defaultMaximumMetrics = 1_000_000

    /// The limits from `--max-input-size` and `--max-metrics`, else the defaults.
    init(_ options: ParsedOptions) throws {
        if let text = options.value("max-input-size") {
            guard let quantity = Quantity.parse(text), quantity.value > 0,
                  let bytes = quantity.unit.map({ $0.convert(quantity.value, to: Unit("B")) }) ?? quantity.value,
                  bytes.isFinite, bytes < 9e18 else {
                throw options.usageError("--max-input-size must be a size such as 1GiB or 200MB, got \"\(text)\"")
            }
            guard bytes == bytes.rounded() else {
                throw options.usageError("--max-input-size must be a whole number of bytes, got \"\(text)\" (\(JSONWriter.number(bytes)) bytes)")
            }
            guard bytes >= 1024 else {
                throw options.usageError("--max-input-size must be at least 1KiB, got \"\(text)\"",
                                         hint: "no metrics file fits in less")
            }
            maximumInputSize = Int(bytes)
        } else {
            maximumInputSize = FileSystem.defaultMaximumInputSize
        }
        if let text = options.value("max-metrics") {
            guard let count = Int(text), count > 0 else {
                throw options.usageError("--max-metrics must be a positive whole number, got \"\(text)\"")
            }
            maximumMetrics = count
        } else {
            maximumMetrics = Reader.defaultMaximumMetrics
        }
    }

    /// The file at `path`; `-` is standard input.
    func file(_ path: String) throws -> SourceText {
        if path == "-" { return try FileSystem.readStandardInput(limit: maximumInputSize) }
        return try FileSystem.read(path, limit: maximumInputSize)
    }

    /// Every file a check reads, for the outputs to keep away from: the current files (and their
    /// companions), the baseline and the budgets.
    func inputPaths(current: [String], baseline: String?, budgets: String?) -> [String] {
        var paths = current.filter { $0 != "-" } + [baseline, budgets ?? Commands.defaultBudgets].compactMap { $0 }
        for path in current where path != "-" {
            paths += MetricsFormats.companions(of: path, format: "auto").map { FileSystem.parentDirectory(of: path) + "/" + $0 }
        }
        return paths
    }

    func checkCount(_ metrics: MetricSet, in path: String) throws {
        if metrics.metrics.count > maximumMetrics {
            throw RedlineError(file: path, message: "holds \(metrics.metrics.count) metrics; the limit is \(maximumMetrics)",
                               hint: "raise it with --max-metrics")
        }
    }

    /// Reads one metrics file (with its companions), printing the reader's notes.
    func run(_ path: String, format: String) throws -> ReadResult {
        let read = try MetricsReader.read(file(path), format: format, companions: companions(of: path, format: format))
        try checkCount(read.metrics, in: path)
        for note in read.notes { Terminal.note("redline: note: " + note) }
        return read
    }

    /// Reads and merges the `--current` files; every file's problems are reported.
    func current(_ paths: [String], format: String) throws -> (metrics: MetricSet, sources: [Provenance.Source]) {
        if paths.filter({ $0 == "-" }).count > 1 {
            throw RedlineError(file: "", message: "--current - is given twice; standard input can be read once",
                               hint: "give the other metrics as files")
        }
        var problems = Problems()
        var sets: [(name: String, metrics: MetricSet)] = []
        var sources: [Provenance.Source] = []
        for path in paths {
            problems.attempt {
                let read = try run(path, format: format)
                sets.append((path, read.metrics))
                sources.append(Provenance.Source(file: path, format: read.format))
            }
        }
        try problems.throwIfAny()
        return (try MetricsReader.merge(sets), sources)
    }

    /// Files beside `path` that its format may need: Criterion's `benchmark.json` next to an `estimates.json`.
    func companions(of path: String, format: String) throws -> [String: SourceText] {
        var found: [String: SourceText] = [:]
        for name in MetricsFormats.companions(of: path, format: format) {
            let sibling = FileSystem.parentDirectory(of: path) + "/" + name
            if FileSystem.exists(sibling) { found[name] = try file(sibling) }
        }
        return found
    }

    /// Reads the baseline; nil when the file does not exist (a first run).
    func baseline(_ path: String) throws -> Baseline? {
        guard FileSystem.exists(path) else { return nil }
        let baseline = try BaselineFormat.read(file(path))
        try checkCount(baseline.metrics, in: path)
        return baseline
    }

    /// Reads the budgets: an explicit `--budgets` file must exist; the default one is optional.
    func policy(_ options: ParsedOptions) throws -> Policy {
        if let path = options.value("budgets") {
            return try Budgets.read(file(path))
        }
        guard FileSystem.exists(Commands.defaultBudgets) else { return Policy() }
        return try Budgets.read(file(Commands.defaultBudgets))
    }
}
