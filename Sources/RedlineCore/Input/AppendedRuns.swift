import RedlineModel
import RedlineJSON

/// Several runs of one tool saved in one file: people keep a tool's reports by appending them
/// (`ab … >> results.txt`). Each run is read as the tool's reader reads one, then the runs are
/// put together: runs against the same target are repetitions, so each metric takes their values
/// as samples; runs against different targets keep apart, each metric named after its target.
enum AppendedRuns {
    /// The lines of each run: a new run starts at each line where `startsRun` holds (the tool's
    /// banner); lines before the first banner belong to the first run. One run when there is at
    /// most one banner.
    static func split(_ lines: TextLines, startsRun: (Substring) -> Bool) -> [TextLines] {
        let starts = lines.lines.indices.filter { startsRun(lines.lines[$0].text) }
        guard starts.count > 1 else { return [lines] }
        var bounds = starts
        bounds[0] = 0
        return zip(bounds, bounds.dropFirst() + [lines.lines.count]).map {
            TextLines(lines: Array(lines.lines[$0..<$1]))
        }
    }

    /// One run as read: what it was aimed at (a load tool's URL; nil when the tool does not say)
    /// and its metrics.
    struct Run {
        var target: String?
        var result: ReadResult
    }

    /// The runs of `tool` (its name for people: "ab") put together as one result, with a note
    /// that says what was done.
    static func merge(_ runs: [Run], tool: String, source: SourceText) throws -> ReadResult {
        guard runs.count > 1 else { return runs[0].result }
        // The targets in the order they first appear, each with its runs.
        var targets: [String?] = []
        var groups: [[ReadResult]] = []
        for run in runs {
            if let index = targets.firstIndex(where: { $0 == run.target }) {
                groups[index].append(run.result)
            } else {
                targets.append(run.target)
                groups.append([run.result])
            }
        }
        let qualified = targets.count > 1
        var metrics: [Metric] = []
        var notes: [String] = []
        for (target, results) in zip(targets, groups) {
            notes += results.flatMap(\.notes)
            for name in names(of: results) {
                let values = results.compactMap { $0.metrics[name] }
                var metric = values[0]
                if values.count > 1 {
                    let figures = values.map(\.value)
                    metric.value = Metric.median(figures)!
                    metric.samples = figures
                }
                if qualified {
                    let full = (target ?? "run \(targets.firstIndex { $0 == target }! + 1)") + " " + metric.name
                    metric.name = full
                    // A target is the tool's text (a URL with its query): as long as any name.
                    if let problem = MetricRules.nameProblem(full) {
                        guard let short = MetricRules.shortName(full), MetricRules.nameProblem(short) == nil else {
                            let place = metric.location.map { (Int($0.line), Int($0.column)) }
                            throw RedlineError(
                                file: source.name, line: place?.0, column: place?.1,
                                message:
                                    "\(tool)'s target makes the name of metric \"\(full.prefix(80))\" unusable: \(problem)"
                            )
                        }
                        metric.name = short
                        notes.append("\(source.name): \"\(short)\" stands for \(full)")
                    }
                }
                metrics.append(metric)
            }
        }
        let shown = targets.map { $0 ?? "an unnamed target" }
        var note = "\(source.name): \(tool)'s results file holds \(runs.count) runs"
        if qualified {
            note +=
                " against \(targets.count) targets (" + shown.joined(separator: ", ")
                + "): each metric is named after its target"
            let repeated = zip(shown, groups).filter { $0.1.count > 1 }
            if !repeated.isEmpty {
                note +=
                    "; " + repeated.map { "the \($0.1.count) runs against \($0.0)" }.joined(separator: " and ")
                    + " are read as samples of one metric"
            }
        } else {
            note +=
                (targets[0].map { " against \($0)" } ?? "")
                + ": each metric is the median of the runs, with each run's figure as a sample"
        }
        notes.append(note)
        var set = MetricSet(
            metrics: metrics, context: runs[0].result.metrics.context, files: runs[0].result.metrics.files)
        set.setAside = runs.flatMap(\.result.metrics.setAside)
        return ReadResult(metrics: set, format: runs[0].result.format, notes: notes)
    }

    /// Every metric name of the runs, in the order they first appear.
    static func names(of results: [ReadResult]) -> [String] {
        var seen: Set<String> = []
        return results.flatMap { $0.metrics.metrics.map(\.name) }.filter { seen.insert($0).inserted }
    }
}
