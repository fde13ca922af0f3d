import RedlineModel
import RedlineJSON

/// The output files of valgrind's callgrind and cachegrind (`callgrind.out.*`, `cachegrind.out.*`).
///
/// Both write a header (`cmd:`, `events: Ir Dr …`), costs per file, function and line, and the
/// program's totals (`summary:`, and callgrind's `totals:` at the end). redline gates the totals:
/// one metric per event, named after the benchmark and the event (`sort Ir`), lower is better.
/// The benchmark is the file name's suffix (`callgrind.out.sort` is `sort`); where the suffix is
/// a process id or missing, it is the command (`cmd: ./bench --case=sort` is
/// `bench --case=sort`). Instruction counts are deterministic for a deterministic program, which
/// is what makes them a gate that CI's noise cannot move. The costs per function are not read:
/// they sum to the totals, and one file holds thousands of them.
enum Valgrind: MetricsFormat {
    static let name = "valgrind"
    static let syntax = FormatSyntax.text

    /// How far into the file the header's `events:` line may come (cachegrind puts `desc:` lines
    /// first, callgrind a few more).
    static let headerLines = 64

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let lines = input.lines?.lines else { return .none }
        let header = lines.prefix(headerLines).map(\.text)
        if header.first == "# callgrind format" { return .strong }
        // cachegrind: `cmd:` then `events:` before any cost line.
        guard let command = header.firstIndex(where: { $0.hasPrefix("cmd:") }),
            let events = header.firstIndex(where: { $0.hasPrefix("events:") }), command < events
        else { return .none }
        return header[..<command].allSatisfy { $0.hasPrefix("desc:") || $0.isEmpty } ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        var events: [String]?
        var command: String?
        var summary: (values: [Double], offset: Int)?
        var totals: (values: [Double], offset: Int)?
        for line in lines.lines {
            let text = line.text
            if text.hasPrefix("events:") {
                let names = text.dropFirst("events:".count).split(separator: " ").map(String.init)
                guard !names.isEmpty else {
                    throw RedlineError(
                        source, at: line.offset, "the `events:` line names no event",
                        hint: "the file is not a complete valgrind output; run the tool again")
                }
                if let events, events != names {
                    throw RedlineError(
                        source, at: line.offset, "a second `events:` line names other events than the first",
                        hint: "give each valgrind output file to --current on its own")
                }
                events = names
            } else if text.hasPrefix("cmd:"), command == nil {
                command = text.dropFirst("cmd:".count).trimmingSpaces
            } else if text.hasPrefix("summary:") || text.hasPrefix("totals:") {
                guard let events else {
                    throw RedlineError(
                        source, at: line.offset, "a total comes before the `events:` line that names its columns",
                        hint: "the file is not a complete valgrind output; run the tool again")
                }
                let isTotals = text.hasPrefix("totals:")
                let values = try costs(
                    text.drop(while: { $0 != ":" }).dropFirst(), events: events, source: source, at: line.offset)
                // A callgrind file dumped in parts has one `totals:` per part: the program's total is their sum.
                if isTotals {
                    totals = (
                        zip(totals?.values ?? values.map { _ in 0 }, values).map { $0 + $1 },
                        totals?.offset ?? line.offset
                    )
                } else {
                    summary = (
                        zip(summary?.values ?? values.map { _ in 0 }, values).map { $0 + $1 },
                        summary?.offset ?? line.offset
                    )
                }
            }
        }
        guard let events else {
            throw RedlineError(
                source, at: 0, "no `events:` line: this valgrind output names no event",
                hint: "give redline the file that callgrind or cachegrind wrote (callgrind.out.PID)")
        }
        guard let total = totals ?? summary else {
            throw RedlineError(
                source, at: source.bytes.count, "no `summary:` or `totals:` line: the program's totals are missing",
                hint: "valgrind writes them when the program exits; the run was cut off, run it again")
        }
        let benchmark = benchmarkName(fileName: input.fileName, command: command)
        var collector = MetricCollector(source: source)
        for (event, value) in zip(events, total.values) {
            try collector.add(
                "\(benchmark) \(event)", value: value, unit: unit(of: event), direction: .lower, at: total.offset)
        }
        return collector.result(Self.name)
    }

    /// The numbers of a `summary:` or `totals:` line, one per event; trailing zeros may be left out.
    static func costs(_ text: Substring, events: [String], source: SourceText, at offset: Int) throws -> [Double] {
        let fields = text.split(separator: " ")
        guard fields.count <= events.count else {
            throw RedlineError(
                source, at: offset, "a total has \(fields.count) numbers for \(events.count) events",
                hint: "the file is not a complete valgrind output; run the tool again")
        }
        var values = [Double](repeating: 0, count: events.count)
        for (index, field) in fields.enumerated() {
            guard field.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Double(field) else {
                throw RedlineError(
                    source, at: offset, "\"\(field)\" in a total is not a count",
                    hint: "valgrind writes whole numbers; the file may be damaged")
            }
            values[index] = value
        }
        return values
    }

    /// The benchmark a file measures: its name's suffix, else its command.
    static func benchmarkName(fileName: String, command: String?) -> String {
        for prefix in ["callgrind.out.", "cachegrind.out."] where fileName.hasPrefix(prefix) {
            let suffix = fileName.dropFirst(prefix.count)
            if !suffix.isEmpty && !suffix.allSatisfy(\.isNumber) { return String(suffix) }
        }
        guard let command, !command.isEmpty else { return "program" }
        var words = command.split(separator: " ").map(String.init)
        words[0] = words[0].split(separator: "/").last.map(String.init) ?? words[0]
        return words.joined(separator: " ")
    }

    /// The unit of an event: instructions, misses (cache misses, mispredicted branches) or counts.
    static func unit(of event: String) -> Unit {
        switch event {
        case "Ir": Unit("instructions")
        case _ where event.hasSuffix("mr") || event.hasSuffix("mw") || event == "Bcm" || event == "Bim": Unit("misses")
        default: Unit("count")
        }
    }
}
