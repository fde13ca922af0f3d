import RedlineCore

/// Reads the files a command names, within the limits its options set.
struct Reader {
    /// The largest file read, in bytes.
    let maximumInputSize: Int
    /// The most metrics one file may hold.
    let maximumMetrics: Int

    static let defaultMaximumMetrics = 1_000_000

    /// The limits from `--max-input-size` and `--max-metrics`, else their defaults.
    init(_ options: ParsedOptions) {
        maximumInputSize = options.limit(SharedOptions.maxInputSize)
        maximumMetrics = options.limit(SharedOptions.maxMetrics)
    }

    /// The file at `path`; `-` is standard input.
    func file(_ path: String) throws -> SourceText {
        if path == "-" { return try FileSystem.readStandardInput(limit: maximumInputSize) }
        return try FileSystem.read(path, limit: maximumInputSize)
    }

    func checkCount(_ metrics: MetricSet, in path: String) throws {
        if metrics.metrics.count > maximumMetrics {
            throw RedlineError(
                file: path, message: "holds \(metrics.metrics.count) metrics; the limit is \(maximumMetrics)",
                hint: "raise it with --max-metrics")
        }
    }

    /// Reads one metrics file (with the companions its format asks for), noting the reader's notes.
    func run(_ path: String, format: String) throws -> ReadResult {
        var companions: [String: SourceText] = [:]
        if path != "-" {
            for name in MetricsFormats.companions(of: path, format: format) {
                let sibling = FileSystem.parentDirectory(of: path) + "/" + name
                if FileSystem.exists(sibling) { companions[name] = try file(sibling) }
            }
        }
        let read = try MetricsReader.read(file(path), format: format, companions: companions)
        try checkCount(read.metrics, in: path)
        for note in read.notes { Terminal.note("redline: note: " + note) }
        return read
    }

    /// Reads and merges the `--current` files; every file's problems are reported.
    func current(_ paths: [String], format: String) throws -> (metrics: MetricSet, sources: [Provenance.Source]) {
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

    /// Reads the baseline; nil when the file does not exist (a first run).
    func baseline(_ path: String) throws -> Baseline? {
        guard FileSystem.exists(path) else { return nil }
        let baseline = try BaselineFormat.read(file(path))
        try checkCount(baseline.metrics, in: path)
        return baseline
    }
}
