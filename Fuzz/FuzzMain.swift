// libFuzzer entry point over RedlineCore, built by scripts/fuzz.sh with
// `swiftc -sanitize=fuzzer,address` together with the library's sources (one module).
// REDLINE_FUZZ_TARGET picks what the input feeds: json, formats, budgets, render or check.
// Beyond "no crash", each target checks the output invariants a user relies on and traps
// (a crash libFuzzer records) when one breaks.
import Foundation

let fuzzTarget: String = ProcessInfo.processInfo.environment["REDLINE_FUZZ_TARGET"] ?? "json"

/// Stops the run with a finding when an invariant breaks.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data(("invariant broken: " + message() + "\n").utf8))
        abort()
    }
}

/// Every line of `text` passes GitHub's runner rules: no `##[`, no line starting with `::`
/// unless it is one of redline's annotations with escaped properties.
func checkWorkflowSafe(_ text: String, annotations: Bool = false) {
    for line in text.split(
        omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    {
        invariant(!line.contains("##["), "legacy command in \(line.debugDescription)")
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("::") {
            invariant(annotations, "command in \(line.debugDescription)")
            let isAnnotation = ["::error title=", "::warning title=", "::notice title="].contains {
                trimmed.hasPrefix($0)
            }
            invariant(isAnnotation, "not an annotation: \(line.debugDescription)")
            let afterCommand = trimmed.drop { $0 != "=" }.dropFirst()
            let title = afterCommand.prefix { $0 != ":" }
            invariant(!title.contains(","), "unescaped property in \(line.debugDescription)")
        }
    }
}

/// Every table row of `markdown` has its header's cell count (pipes split cells unless escaped).
func checkTables(_ markdown: String) {
    var expected: Int?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        guard line.hasPrefix("|") else {
            expected = nil
            continue
        }
        var cells = 0
        var escaped = false
        for character in line {
            if escaped {
                escaped = false
                continue
            }
            if character == "\\" { escaped = true } else if character == "|" { cells += 1 }
        }
        if let expected { invariant(cells == expected, "row has \(cells - 1) cells, not \(expected - 1): \(line)") }
        expected = expected ?? cells
    }
}

/// Renders a judgement every way redline does and checks the invariants of each output.
func checkRenderings(_ judgement: Judgement) {
    let markdown = MarkdownReport.render(judgement)
    checkTables(markdown)
    for limit in [65_536, 4_096, 600] {
        let sized = MarkdownReport.render(judgement, limit: limit, preamble: ["<!-- redline:report -->"])
        invariant(sized.utf8.count <= limit, "report of \(sized.utf8.count) bytes over its \(limit) limit")
        checkTables(sized)
    }
    checkWorkflowSafe(GitHub.annotations(judgement).joined(separator: "\n"), annotations: true)
    let terminal = TerminalReport.render(judgement, colour: false)
    checkWorkflowSafe(terminal.split(separator: "\n").map { Escape.workflowLine(String($0)) }.joined(separator: "\n"))
    let json = JSONResult.render(judgement)
    invariant(
        (try? JSONReader.parse(SourceText(name: "result", text: json))) != nil, "the JSON result does not re-read")
}

/// A parsed JSON node as writer input, keys in file order.
func output(_ node: JSONNode) -> JSONOutput {
    switch node.value {
    case .null: return .null
    case .bool(let flag): return .bool(flag)
    case .number(let number): return .number(number)
    case .string(let text): return .string(text)
    case .array(let elements): return .array(elements.map(output))
    case .object(let members): return .object(members.map { JSONOutputMember($0.key, output($0.node)) })
    }
}

/// Splits the input into up to three files on a `\u{1E}` (record separator) byte.
func parts(_ bytes: [UInt8]) -> [[UInt8]] {
    bytes.split(separator: 0x1E, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
}

func fuzzOne(_ bytes: [UInt8]) {
    let source = SourceText(name: "fuzz.json", bytes: bytes)
    switch fuzzTarget {
    case "json":
        // What parses must survive writing and reading again, value for value.
        if let node = try? JSONReader.parse(source) {
            let written = JSONWriter.write(output(node))
            guard let again = try? JSONReader.parse(SourceText(name: "again", text: written)) else {
                invariant(false, "the writer's output does not parse: \(written.prefix(200))")
                return
            }
            invariant(JSONWriter.write(output(again)) == written, "writing is not stable")
        }
    case "formats":
        for format in MetricsFormats.names {
            guard let read = try? MetricsReader.read(source, format: format) else { continue }
            let native = BaselineDocument.metricsDocument(read.metrics)
            let again = try? NativeFormat.read(SourceText(name: "again", text: native))
            // A tool's unit that looks like a slip of a known one is read with a note, and refused in a
            // native file (a person wrote it there): the one way a tool's metrics may not read back.
            let refusedUnit =
                again == nil
                && read.metrics.metrics.contains { $0.unit.map { Unit.recognitionProblem($0.symbol) != nil } ?? false }
            invariant(again == read.metrics || refusedUnit, "\(format): metrics change through native JSON")
        }
    case "budgets":
        if let policy = try? Budgets.read(source) {
            for name in ["a", "BM_Sort/8", "", "x/y/z"] { _ = try? policy.rule(for: name) }
        }
    case "render":
        // Hostile names and units straight into the renderers, past the input checks.
        let text = String(decoding: bytes, as: UTF8.self)
        let pieces = text.split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
        let name = pieces.first ?? ""
        let unit = pieces.count > 1 ? pieces[1] : "ms"
        let context = pieces.count > 2 ? pieces[2] : ""
        let current = MetricSet(
            metrics: [
                Metric(name: name.isEmpty ? "n" : name, value: 2, unit: Unit(unit)),
                Metric(name: "other", value: 1),
            ], context: [("branch", context)])
        let baseline = Baseline(
            metrics: MetricSet(metrics: [Metric(name: name.isEmpty ? "n" : name, value: 1, unit: Unit(unit))]),
            provenance: Provenance(commit: context, reason: name))
        if let judgement = try? Judge.judge(current: current, baseline: baseline, policy: Policy()) {
            checkRenderings(judgement)
        }
    case "check":
        let files = parts(bytes)
        guard let current = try? MetricsReader.read(SourceText(name: "current", bytes: files[0]), format: "auto") else {
            return
        }
        let baseline = files.count > 1 ? try? BaselineFormat.read(SourceText(name: "baseline", bytes: files[1])) : nil
        let policy =
            files.count > 2 ? (try? Budgets.read(SourceText(name: "budgets", bytes: files[2]))) ?? Policy() : Policy()
        if let judgement = try? Judge.judge(current: current.metrics, baseline: baseline, policy: policy) {
            checkRenderings(judgement)
            let written = BaselineDocument.render(
                try! BaselineUpdate.merge(
                    old: baseline, current: current.metrics,
                    provenance: Provenance(), prune: false
                ).baseline)
            invariant(
                (try? BaselineFormat.read(SourceText(name: "written", text: written))) != nil,
                "a written baseline does not re-read")
        }
    default:
        invariant(false, "unknown REDLINE_FUZZ_TARGET \(fuzzTarget)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
