import RedlineModel
import RedlineJSON

/// JMeter's CSV results file (JTL, `jmeter -n -t plan.jmx -l results.jtl`), one row per sample,
/// columns found by the header's names (`timeStamp`, `elapsed`, `label`, `success`, `bytes`), summarised
/// as JMeter's Aggregate Report does, in the shared load-testing names (`LoadMetric`), times in ms:
/// each label → `LABEL latency mean`, `min`, `p50`, `p90`, `p95`, `p99` (JMeter's percentile: the
/// value at rank round(n·p)), `max`, `LABEL requests`, `errors` (success false), `error rate`,
/// `throughput` (samples over the span from the first start to the last end); the whole run → the
/// same names without a label, plus `transfer` (received bytes per second, KiB/s as JMeter's
/// KB/sec). A Transaction Controller's parent row ("Number of samples in transaction") counts for
/// its own label but not for the whole run, whose samples it repeats. Documentation-derived:
/// JMeter is not installable here.
enum JMeter: MetricsFormat {
    static let name = "jmeter"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    static let fractions = [0.5, 0.9, 0.95, 0.99]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let first = input.lines?.lines.first?.text else { return .none }
        let columns = first.split(separator: ",")
        return ["timeStamp", "elapsed", "label"].allSatisfy { columns.contains(Substring($0)) } ? .strong : .none
    }

    /// The samples of one label, or of the whole run.
    struct Group {
        var elapsed: [Double] = []
        var errors = 0.0
        var bytes = 0.0
        var span: (start: Double, end: Double)?
        var offset: Int

        mutating func add(elapsed time: Double, failed: Bool, bytes received: Double, start: Double?) {
            elapsed.append(time)
            if failed { errors += 1 }
            bytes += received
            if let start { span = (min(span?.start ?? start, start), max(span?.end ?? start + time, start + time)) }
        }
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let what = "JMeter's results file"
        // JMeter appends a line per sample: a test stopped mid-write leaves its last line cut short.
        let table = try CSVTable(source, what: what, appendedLineByLine: true)
        let (elapsed, label, success) = (
            try table.column("elapsed", of: what), try table.column("label", of: what),
            try table.column("success", of: what)
        )
        let (timeStamp, bytes, message) = (
            table.column("timeStamp"), table.column("bytes"), table.column("responseMessage")
        )
        var labels: [String] = []
        var groups: [String: Group] = [:]
        var whole = Group(offset: table.header.offset)
        var datedTimes = false
        for record in table.records {
            let time = try table.number(record, elapsed, what: "`elapsed`")
            let failed: Bool
            switch record.fields[success].lowercased() {
            case "true": failed = false
            case "false": failed = true
            default:
                throw RedlineError(
                    source, at: record.offsets[success],
                    "`success` must be true or false, got \"\(record.fields[success].prefix(40))\"")
            }
            let received = try bytes.map { try table.number(record, $0, what: "`bytes`") } ?? 0
            // A timeStamp written as a date (timestamp_format) cannot give a span.
            let start = timeStamp.flatMap { ToolNumber.parse(record.fields[$0]) }
            if timeStamp != nil && start == nil { datedTimes = true }
            let name = record.fields[label]
            if groups[name] == nil { labels.append(name) }
            groups[name, default: Group(offset: record.offset)].add(
                elapsed: time, failed: failed, bytes: received, start: start)
            if !(message.map { record.fields[$0].hasPrefix("Number of samples in transaction") } ?? false) {
                whole.add(elapsed: time, failed: failed, bytes: received, start: start)
            }
        }
        var collector = MetricCollector(source: source)
        if let cut = table.cutLine {
            collector.note(
                "line \(cut) of JMeter's results file is cut short (the test stopped while writing it) and was left out"
            )
        }
        if datedTimes {
            collector.note(
                "JMeter's timeStamp is written as a date, so no throughput is computed; save it in ms (the default)"
            )
        }
        for name in labels {
            if let group = groups[name] { try add(group, endpoint: name, to: &collector) }
        }
        try add(whole, endpoint: nil, to: &collector)
        if let span = whole.span, span.end > span.start {
            try collector.add(
                .transfer, whole.bytes / 1024 / ((span.end - span.start) / 1000), unit: Unit("KiB/s"), at: whole.offset)
        }
        return collector.result(Self.name)
    }

    static func add(_ group: Group, endpoint: String?, to collector: inout MetricCollector) throws {
        try collector.addLatencies(
            of: LatencySummary(group.elapsed), fractions: fractions, unit: Unit("ms"), endpoint: endpoint,
            at: group.offset, method: Percentile.jmeter)
        try collector.addCounts(
            requests: Double(group.elapsed.count), errors: group.errors, endpoint: endpoint, at: group.offset)
        if let span = group.span, span.end > span.start {
            try collector.add(
                .throughput, Double(group.elapsed.count) / ((span.end - span.start) / 1000), endpoint: endpoint,
                at: group.offset)
        }
    }
}
