import RedlineModel
import RedlineJSON

/// siege's summary in the shared load-testing names (`LoadMetric`): `siege -j` (and Debian's
/// default `json_output = true`) prints it as JSON on stdout (`siege`); with `json_output = false`
/// it is text on stderr (`siege-text`, which also reads stdout of a first run, where siege's
/// notice about its new configuration comes before the JSON).
///
/// `transactions` → `requests`, `failed_transactions` → `errors`, `availability` (%),
/// `transaction_rate` → `throughput`, `throughput` (siege's MB are MiB) → `transfer` in MiB/s,
/// `response_time`, `shortest_transaction`, `longest_transaction` → `latency mean`, `min`, `max`
/// in s. The elapsed time, data transferred, concurrency and successful transactions are not read
/// (the run's length, and figures the others derive from).
enum Siege: MetricsFormat {
    static let name = "siege"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    /// siege's figures: the JSON key, the text label, and what it becomes.
    static let figures: [(key: String, label: String, metric: LoadMetric, unit: Unit?)] = [
        ("transactions", "Transactions", .requests, nil),
        ("availability", "Availability", .availability, nil),
        ("response_time", "Response time", .latency("mean"), Unit("s")),
        ("transaction_rate", "Transaction rate", .throughput, nil),
        ("throughput", "Throughput", .transfer, Unit("MiB/s")),
        ("failed_transactions", "Failed transactions", .errors, nil),
        ("longest_transaction", "Longest transaction", .latency("max"), Unit("s")),
        ("shortest_transaction", "Shortest transaction", .latency("min"), Unit("s")),
    ]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root, root.members != nil else { return .none }
        return ["transactions", "availability", "transaction_rate", "elapsed_time"].allSatisfy { root[$0] != nil }
            ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        guard let root = input.root, root.members != nil else {
            throw RedlineError(input.source, at: input.root?.offset ?? 0, "siege's JSON summary must be an object")
        }
        var collector = MetricCollector(source: input.source)
        for figure in figures {
            let value = try ToolJSON(input.source).number(root, figure.key, of: "siege's summary")
            try collector.add(figure.metric, value, unit: figure.unit, at: root[figure.key]!.offset)
        }
        noteCoarseTimes(&collector)
        return collector.result(Self.name)
    }

    /// siege prints times with two decimals: below 0.1 s a change of 10% may not show at all.
    static func noteCoarseTimes(_ collector: inout MetricCollector) {
        if let mean = collector.entries.first(where: { $0.name == "latency mean" })?.values.first, mean < 0.1 {
            collector.notes.append(
                "\(collector.source.name): siege rounds its times to 0.01 s, too coarse to gate a latency of \(JSONWriter.number(mean)) s; gate throughput instead"
            )
        }
    }
}

/// siege's text summary (stderr with `json_output = false`), or stdout with siege's first-run
/// notice before the JSON summary: see `Siege`.
enum SiegeText: MetricsFormat {
    static let name = "siege-text"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let lines = input.lines?.lines else { return .none }
        if lines.contains(where: { $0.text.hasPrefix("Transactions:") })
            && lines.contains(where: { $0.text.hasPrefix("Availability:") })
        {
            return .strong
        }
        return lines.contains { $0.text.hasPrefix("New configuration template added to") }
            && lines.contains { $0.text.hasPrefix("{") }
            ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        if let json = lines.lines.first(where: { $0.text.hasPrefix("{") }) {
            let root = try JSONReader.parse(source, in: json.offset..<source.bytes.count)
            var result = try Siege.read(FormatInput(source: source, root: root, lines: nil), companions: companions)
            result.format = Self.name
            return result
        }
        var collector = MetricCollector(source: source)
        for figure in Siege.figures {
            // `Transaction rate:	      829.06 trans/sec`
            guard let line = lines.lines.first(where: { $0.text.hasPrefix(figure.label + ":") }) else {
                throw RedlineError(
                    source, at: lines.lines.last?.offset ?? 0, "siege's summary has no `\(figure.label):` line",
                    hint: "the output may be cut short")
            }
            guard let value = ToolNumber.withSuffix(line.text.dropFirst(figure.label.count + 1))?.value else {
                throw RedlineError(source, at: line.offset, "siege's `\(figure.label):` line has no number")
            }
            try collector.add(figure.metric, value, unit: figure.unit, at: line.offset)
        }
        Siege.noteCoarseTimes(&collector)
        return collector.result(Self.name)
    }
}
