import RedlineModel
import RedlineJSON

/// k6's `--out json=FILE`: JSON Lines of metric declarations (`{"type":"Metric",…}`) and samples
/// (`{"type":"Point","metric":…,"data":{"time","value","tags"}}`), summarised per metric in k6's
/// own names, as k6's end-of-test summary would (`k6`, which gives units and directions):
/// trends `count`, `avg`, `min`, `med`, `max`, `p(90)`, `p(95)`, `p(99)` (k6's interpolation),
/// counters `count` and `rate` (per second of the span between the first and the last point),
/// rates `rate`, `passes`, `fails`, gauges `value` (the last), `min`, `max`. Each value of a
/// `name` tag gets its own `METRIC{name:VALUE} STAT`, and so does each submetric the file declares
/// (`http_req_duration{expected_response:true}`).
///
/// The samples themselves are not kept: the latencies of one run are not independent repetitions
/// of the benchmark, and a rank test over thousands of them would call a trivial change significant.
enum K6Points: MetricsFormat {
    static let name = "k6-ndjson"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest
    static let readsJSONLines = true

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let first = input.lines?.lines.first(where: { !$0.text.trimmingSpaces.isEmpty })?.text,
            first.hasPrefix("{")
        else {
            return .none
        }
        return first.contains("\"type\":\"Metric\"")
            || (first.contains("\"type\":\"Point\"") && first.contains("\"metric\":")) ? .strong : .none
    }

    /// One metric or submetric: its samples in file order, and where it was first met.
    struct Series {
        var name: String
        var base: String
        var values: [Double] = []
        var offset: Int
    }

    /// A metric's declaration.
    struct Declaration {
        var type: String
        var contains: String?
        var submetrics: [(name: String, tags: [(key: String, value: String)])]
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        let json = ToolJSON(source)
        var collector = MetricCollector(source: source)
        var declarations: [String: Declaration] = [:]
        var series: [Series] = []
        var slots: [String: Int] = [:]
        var skipped: Set<String> = []
        var span: (first: Double, last: Double)?
        func append(_ value: Double, to name: String, base: String, at offset: Int) {
            if let slot = slots[name] {
                series[slot].values.append(value)
                return
            }
            // A name tag can be a long URL: a submetric whose names break the rules is left out, said once.
            if let problem = MetricRules.nameProblem(name + " p(95)") {
                if skipped.insert(name).inserted {
                    collector.note(
                        "k6 submetric \"\(name.prefix(80))…\" is left out: \(problem)")
                }
                return
            }
            slots[name] = series.count
            series.append(Series(name: name, base: base, values: [value], offset: offset))
        }
        let written = lines.lines.filter { !$0.text.allSatisfy({ $0 == " " || $0 == "\t" }) }
        for (number, line) in written.enumerated() {
            let range = line.offset..<(line.offset + line.text.utf8.count)
            let node: JSONNode
            do {
                node = try JSONReader.parse(source, in: range)
            } catch  where number == written.count - 1 && number > 0 && source.bytes.last != 0x0A {
                // k6 writes a line per point: a test stopped mid-write leaves the last one cut short
                // (and no line end after it). Anywhere else a line that is not JSON stays an error.
                collector.note(
                    "line \(source.position(of: line.offset).line) of k6's JSON output is cut short (the test stopped while writing it) and was left out"
                )
                break
            }
            switch node["type"]?.string {
            case "Metric":
                let data = node["data"] ?? node
                guard let name = data["name"]?.string ?? node["metric"]?.string, let type = data["type"]?.string else {
                    throw RedlineError(source, at: node.offset, "k6 Metric line has no `data.name` and `data.type`")
                }
                let submetrics = try (data["submetrics"]?.elements ?? []).map { sub in
                    guard let subName = sub["name"]?.string else {
                        throw RedlineError(source, at: sub.offset, "a submetric of k6 metric \"\(name)\" has no `name`")
                    }
                    // A tag that is not a string would match nothing, or, left out, every point.
                    let tags = try (sub["tags"]?.members ?? []).map { tag in
                        guard let value = tag.node.string else {
                            throw RedlineError(
                                source, at: tag.node.offset,
                                "tag `\(tag.key)` of k6 submetric \"\(subName)\" must be a string, got \(tag.node.value.kindName)"
                            )
                        }
                        return (tag.key, value)
                    }
                    return (subName, tags)
                }
                declarations[name] = Declaration(type: type, contains: data["contains"]?.string, submetrics: submetrics)
            case "Point":
                guard let metric = node["metric"]?.string, let data = node["data"] else {
                    throw RedlineError(source, at: node.offset, "k6 Point line has no `metric` and `data`")
                }
                guard let declaration = declarations[metric] else {
                    throw RedlineError(
                        source, at: node.offset, "k6 point of \"\(metric)\" before its Metric line",
                        hint: "the file may be cut at its start")
                }
                let value = try json.number(data, "value", of: "k6 point of \"\(metric)\"")
                if let time = data["time"]?.string.flatMap(Self.seconds) {
                    span = (min(span?.first ?? time, time), max(span?.last ?? time, time))
                }
                let tags = data["tags"]?.members ?? []
                func tag(_ key: String) -> String? { tags.first { $0.key == key }?.node.string }
                append(value, to: metric, base: metric, at: node.offset)
                let byName = tag("name").map { "\(metric){name:\($0)}" }
                if let byName { append(value, to: byName, base: metric, at: node.offset) }
                for sub in declaration.submetrics
                where sub.name != byName && sub.tags.allSatisfy({ tag($0.key) == $0.value }) {
                    append(value, to: sub.name, base: metric, at: node.offset)
                }
            default:
                throw RedlineError(
                    source, at: node.offset, "a k6 --out json line must have \"type\": \"Metric\" or \"Point\"")
            }
        }
        let seconds = span.map { $0.last - $0.first } ?? 0
        for one in series {
            let declaration = declarations[one.base]!
            let kind = K6.Kind(name: one.base, type: declaration.type, contains: declaration.contains)
            for (key, value) in statistics(one.values, type: declaration.type, seconds: seconds) {
                let (unit, direction) = kind.describe(key, hasPasses: declaration.type == "rate")
                try collector.add("\(one.name) \(key)", value: value, unit: unit, direction: direction, at: one.offset)
            }
        }
        return collector.result(Self.name)
    }

    /// The statistics k6's summary shows for a metric of `type`, from its samples.
    static func statistics(_ values: [Double], type: String, seconds: Double) -> [(String, Double)] {
        switch type {
        case "counter":
            let count = values.reduce(0, +)
            return seconds > 0 ? [("count", count), ("rate", count / seconds)] : [("count", count)]
        case "rate":
            let passes = Double(values.filter { $0 != 0 }.count)
            return [
                ("rate", passes / Double(values.count)), ("passes", passes), ("fails", Double(values.count) - passes),
            ]
        case "gauge":
            return [("value", values[values.count - 1]), ("min", values.min()!), ("max", values.max()!)]
        default:
            let sorted = values.sorted()
            return [
                ("count", Double(values.count)), ("avg", values.reduce(0, +) / Double(values.count)),
                ("min", sorted[0]),
                ("med", Percentile.k6(sorted, 0.5)), ("max", sorted[sorted.count - 1]),
                ("p(90)", Percentile.k6(sorted, 0.9)),
                ("p(95)", Percentile.k6(sorted, 0.95)), ("p(99)", Percentile.k6(sorted, 0.99)),
            ]
        }
    }

    /// Seconds since 1970 of an RFC 3339 time (`2026-11-27T13:58:10.987270924Z`, `…+01:00`), or nil.
    static func seconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard bytes.count >= 20, let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            var scale = 0.1
            index += 1
            while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var zone = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard let hours = number((index + 1)..<(index + 3)), let minutes = number((index + 4)..<(index + 6)) else {
                return nil
            }
            zone = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        }
        // Days from the civil date (proleptic Gregorian), as in Howard Hinnant's `days_from_civil`.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - zone) + fraction
    }
}
