import RedlineModel
import RedlineJSON

/// `go test -bench` text output.
///
/// `BenchmarkFib10-8  5000000  325 ns/op  16 B/op  1 allocs/op` gives `BenchmarkFib10` (ns),
/// `BenchmarkFib10 B/op` (B) and `BenchmarkFib10 allocs/op`; any other unit (`MB/s`, custom
/// ones) likewise becomes `NAME UNIT`. The `-8` GOMAXPROCS suffix is dropped unless that would
/// merge two benchmarks. Repeats of a name (`-count`) are samples. A name found in two packages
/// is qualified with its package: `BenchmarkX (example.com/pkg)`.
enum GoBench: MetricsFormat {
    static let name = "go"
    static let syntax = FormatSyntax.text

    struct Result {
        var package: String?
        var rawName: String
        var pairs: [(value: Double, unit: String)]
        var offset: Int
    }

    static func isResultLine(_ text: Substring) -> Bool {
        guard text.hasPrefix("Benchmark") else { return false }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count >= 2 && fields[1].allSatisfy(\.isNumber)
    }

    static func match(_ input: FormatInput) -> FormatMatch {
        input.lines?.lines.contains { isResultLine($0.text) } == true ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (lines, source) = (try input.textLines(), input.source)
        var results: [Result] = []
        var package: String?
        for line in lines.lines {
            if line.text.hasPrefix("pkg: ") {
                package = String(line.text.dropFirst(5)).trimmingSpaces
                continue
            }
            guard isResultLine(line.text) else { continue }
            let fields = line.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            var pairs: [(Double, String)] = []
            var index = 2
            while index + 1 < fields.count {
                guard let value = ToolNumber.parse(fields[index]) else {
                    throw RedlineError(
                        source, at: line.offset,
                        "Go benchmark line: \"\(fields[index])\" is not a number",
                        hint: "expected NAME ITERATIONS VALUE UNIT [VALUE UNIT ...]")
                }
                pairs.append((value, String(fields[index + 1])))
                index += 2
            }
            if pairs.isEmpty || index != fields.count {
                throw RedlineError(
                    source, at: line.offset, "Go benchmark line for \(fields[0]) has no complete value and unit",
                    hint: "the output may be truncated")
            }
            results.append(Result(package: package, rawName: String(fields[0]), pairs: pairs, offset: line.offset))
        }
        let names = benchmarkNames(results)
        var collector = MetricCollector(source: source)
        for (result, name) in zip(results, names) {
            for (value, unitText) in result.pairs {
                let metricName: String
                let unit: Unit
                switch unitText {
                case "ns/op":
                    metricName = name
                    unit = Unit("ns")
                case "B/op":
                    metricName = name + " B/op"
                    unit = Unit("B")
                default:
                    metricName = name + " " + unitText
                    unit = Unit(unitText)
                }
                try collector.add(metricName, value: value, unit: unit, at: result.offset, repeatsAreSamples: true)
            }
        }
        return collector.result(Self.name)
    }

    /// Names without the GOMAXPROCS suffix (where that merges nothing), qualified by package
    /// where the same name appears in several.
    static func benchmarkNames(_ results: [Result]) -> [String] {
        func stripped(_ name: String) -> String {
            guard let dash = name.lastIndex(of: "-") else { return name }
            let digits = name[name.index(after: dash)...]
            return !digits.isEmpty && digits.allSatisfy(\.isNumber) ? String(name[..<dash]) : name
        }
        var rawByStripped: [String: Set<String>] = [:]
        for result in results {
            rawByStripped["\(result.package ?? "")\u{0}\(stripped(result.rawName))", default: []].insert(result.rawName)
        }
        let names = results.map { result -> String in
            let short = stripped(result.rawName)
            return rawByStripped["\(result.package ?? "")\u{0}\(short)", default: []].count > 1 ? result.rawName : short
        }
        var packagesByName: [String: Set<String>] = [:]
        for (result, name) in zip(results, names) { packagesByName[name, default: []].insert(result.package ?? "") }
        return zip(results, names).map { result, name in
            packagesByName[name, default: []].count > 1 ? "\(name) (\(result.package ?? "no package"))" : name
        }
    }
}
