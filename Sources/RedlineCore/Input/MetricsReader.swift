/// The formats `--format` can name. `auto` detects the format from the content.
public enum MetricsFormat: String, Sendable, CaseIterable {
    case auto
    case native

    /// The formats a user can name, for help and error text.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Reads metrics files of any supported format into `MetricSet`s, and merges several.
public enum MetricsReader {
    /// Reads one file; `auto` picks the format from the content. Returns the metrics and the format used.
    public static func read(_ source: SourceText, format: MetricsFormat) throws -> (metrics: MetricSet, format: MetricsFormat) {
        switch format {
        case .auto, .native:
            return (try NativeFormat.read(source), .native)
        }
    }

    /// Merges the metrics of several files into one set; a name in two files is an error.
    /// Context keys merge too; the first file's value of a key wins.
    public static func merge(_ sets: [(name: String, metrics: MetricSet)]) throws -> MetricSet {
        var owner: [String: String] = [:]
        var metrics: [Metric] = []
        var context: [(key: String, value: String)] = []
        var problems = Problems()
        for set in sets {
            for metric in set.metrics.metrics {
                if let first = owner[metric.name] {
                    problems.add(RedlineError(file: set.name, message: "metric \"\(metric.name)\" is also in \(first)",
                                              hint: "a metric may come from one --current file only; rename one of them"))
                    continue
                }
                owner[metric.name] = set.name
                metrics.append(metric)
            }
            for entry in set.metrics.context where !context.contains(where: { $0.key == entry.key }) {
                context.append(entry)
            }
        }
        try problems.throwIfAny()
        return MetricSet(metrics: metrics, context: context)
    }
}
