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
        let root = try input.rootObject("siege's summary", needed: "siege's JSON summary must be an object")
        var collector = MetricCollector(source: input.source)
        for figure in figures {
            try collector.add(
                figure.metric, try root.number(figure.key), unit: figure.unit, at: root.offset(of: figure.key))
        }
        noteCoarseTimes(&collector)
        return collector.result(Self.name)
    }

    /// siege prints times with two decimals: below 0.1 s a change of 10% may not show at all.
    static func noteCoarseTimes(_ collector: inout MetricCollector) {
        if let mean = collector.entries.first(where: { $0.name == "latency mean" })?.values.first, mean < 0.1 {
            collector.note(
                "siege rounds its times to 0.01 s, too coarse to gate a latency of \(JSONWriter.number(mean)) s; gate throughput instead"
            )
        }
    }
}
