import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory

/// Reads baseline files (`redline.baseline.v1`): the native metrics format plus `provenance`.
public enum BaselineFormat {
    /// Keys of the `provenance` object, in the order the writer puts them.
    static let provenanceKeys = ["commit", "branch", "updatedAt", "redlineVersion", "sources", "reason"]

    /// Reads a baseline file; every problem in it is reported, not only the first.
    public static func read(_ source: SourceText) throws -> Baseline {
        try baseline(of: NativeFormat.document(source, expecting: Schema.baseline), source: source)
    }

    /// The baseline a decoded document holds: its provenance, runs and histories decoded.
    static func baseline(of decoded: NativeFormat.Document, source: SourceText) throws -> Baseline {
        var problems = Problems()
        let provenance = decoded.provenance.flatMap { node in
            problems.attempt { try decodeProvenance(node, source: source) }
        }
        let runs = decoded.runs.flatMap { node in problems.attempt { try decodeRuns(node, source: source) } } ?? []
        var history: [String: MetricHistory] = [:]
        // One at a time, from the bytes: a history is read without a tree unless it needs one.
        for (name, object) in decoded.histories {
            let decoder = HistoryDecoder(name: name, unit: decoded.metrics[name]?.unit, runs: runs, source: source)
            if let decodedHistory = problems.attempt({ try object.decode(in: source, with: decoder) }) {
                history[name] = decodedHistory
            }
        }
        try problems.throwIfAny()
        return Baseline(metrics: decoded.metrics, provenance: provenance, runs: runs, history: history)
    }

    /// Reads `runs`: objects with an `id` that grows from one run to the next.
    static func decodeRuns(_ node: JSONNode, source: SourceText) throws -> [BaselineRun] {
        guard case .array(let elements) = node.value else {
            throw RedlineError(source, at: node.offset, "`runs` must be an array of runs, got \(node.value.kindName)")
        }
        var runs: [BaselineRun] = []
        for element in elements {
            var fields = try ObjectFields(element, source: source, what: "run \(runs.count + 1) of `runs`")
            guard let id = try fields.number("id") else {
                throw RedlineError(source, at: element.offset, "run \(runs.count + 1) of `runs` has no `id`")
            }
            guard id >= 1, id <= 1e15, id == id.rounded() else {
                throw fields.error(
                    at: fields.take("id")!, "`id` of run \(runs.count + 1) must be a whole number of at least 1")
            }
            if let previous = runs.last, Int(id) <= previous.id {
                throw fields.error(
                    at: fields.take("id")!,
                    "run ids must grow from one run to the next: \(Int(id)) follows \(previous.id)",
                    hint: "the file was edited by hand: restore it from version control")
            }
            var run = BaselineRun(id: Int(id), commit: try fields.string("commit"), time: try fields.string("time"))
            if let list = fields.node("sources") {
                run.sources = try decodeSources(list, source: source, what: "`sources` of a run")
            }
            if let unknown = fields.unknownKeys(allowed: runKeys).first { throw unknown }
            runs.append(run)
        }
        return runs
    }

    /// Keys of a run, in the order the writer puts them.
    static let runKeys = ["id", "commit", "time", "sources"]
    /// Keys of a metric's history, in the order the writer puts them.
    static let historyKeys = ["values", "spreads", "counts", "steps"]

    /// Reads one metric's `history`: its arrays hold one entry per run, no more than `runs` has.
    struct HistoryDecoder: JSONRecordDecoder {
        let name: String
        let unit: Unit?
        let runs: [BaselineRun]
        let source: SourceText

        /// The history; nil for a flat record with `steps` (an array of objects, read from the tree).
        func decode<Record: JSONRecord>(_ record: Record) throws -> MetricHistory? {
            try decodeHistory(record, of: name, unit: unit, runs: runs, source: source)
        }
    }

    static func decodeHistory<Record: JSONRecord>(
        _ record: Record, of name: String, unit: Unit?, runs: [BaselineRun], source: SourceText
    ) throws -> MetricHistory? {
        let what = "`history` of metric \"\(name)\""
        var fields = ObjectFields(record, source: source, what: what)
        func entries(_ key: StaticString, check: (Double) -> String?) throws -> [Double?]? {
            guard let index = fields.take(key) else { return nil }
            guard let count = record.elementCount(index) else {
                throw fields.error(
                    at: index,
                    "`\(key)` of \(what) must be an array of numbers and nulls, got \(record.kindName(index))")
            }
            var entries: [Double?] = []
            entries.reserveCapacity(count)
            for position in 0..<count {
                let element = record.element(index, position)
                guard let value = element.number else {
                    if element.description == JSONValue.null.kindName {
                        entries.append(nil)
                        continue
                    }
                    throw JSONNumbers.notANumber(
                        source, at: element.offset, what: "an entry of `\(key)` of \(what)", got: element.description)
                }
                if let problem = check(value) {
                    throw RedlineError(source, at: element.offset, "an entry of `\(key)` of \(what) " + problem)
                }
                entries.append(value)
            }
            return entries
        }
        guard let values = try entries("values", check: { MetricRules.valueProblem($0, unit: unit) }), !values.isEmpty
        else {
            throw RedlineError(
                source, at: record.offset, "\(what) has no `values`", hint: "remove the history or restore the file")
        }
        guard !runs.isEmpty, values.count <= runs.count else {
            throw RedlineError(
                source, at: record.offset,
                "\(what) has \(values.count) runs but the baseline's `runs` lists \(runs.count)",
                hint: "the file was edited by hand: restore it from version control")
        }
        var history = MetricHistory(values: values)
        history.spreads =
            try entries("spreads", check: { $0 >= 0 ? nil : "must not be negative, got \(JSONWriter.number($0))" })
            ?? []
        history.counts = try
            (entries(
                "counts",
                check: { $0 >= 1 && $0 == $0.rounded() && $0 <= 1e15 ? nil : "must be a whole number of at least 1" })
            ?? [])
            .map { $0.map { Int($0) } }
        if history.spreads.count != history.counts.count
            || (!history.spreads.isEmpty && history.spreads.count != values.count)
        {
            throw RedlineError(
                source, at: record.offset,
                "`values`, `spreads` and `counts` of \(what) must have one entry per run each",
                hint: "the file was edited by hand: restore it from version control")
        }
        if let index = fields.take("steps") {
            guard let tree = record as? ObjectRecord else { return nil }
            let list = tree.node(index)
            guard case .array(let elements) = list.value else {
                throw fields.error(at: index, "`steps` of \(what) must be an array, got \(list.value.kindName)")
            }
            let ids = Set(runs.map(\.id))
            history.steps = try elements.map { element in
                var step = try ObjectFields(element, source: source, what: "a step of \(what)")
                guard let run = try step.number("run"), let change = try step.number("change"),
                    let p = try step.number("p")
                else {
                    throw RedlineError(source, at: element.offset, "a step of \(what) needs `run`, `change` and `p`")
                }
                guard ids.contains(Int(exactly: run) ?? -1) else {
                    throw step.error(
                        at: step.take("run")!,
                        "a step of \(what) begins at run \(JSONWriter.number(run)), which `runs` does not list")
                }
                if let unknown = step.unknownKeys(allowed: ["run", "change", "p"]).first { throw unknown }
                return HistoryStep(run: Int(run), change: change, p: p)
            }
        }
        if let unknown = fields.unknownKeys(allowed: historyKeys).first { throw unknown }
        return history
    }

    static func decodeProvenance(_ node: JSONNode, source: SourceText) throws -> Provenance {
        var fields = try ObjectFields(node, source: source, what: "`provenance`")
        var provenance = Provenance()
        provenance.commit = try fields.string("commit")
        provenance.branch = try fields.string("branch")
        provenance.updatedAt = try fields.string("updatedAt")
        provenance.redlineVersion = try fields.string("redlineVersion")
        provenance.reason = try fields.string("reason")
        if let list = fields.node("sources") {
            provenance.sources = try decodeSources(list, source: source, what: "`sources` of `provenance`")
        }
        if let unknown = fields.unknownKeys(allowed: provenanceKeys).first { throw unknown }
        return provenance
    }

    /// Reads a list of sources: objects of `file` and `format`.
    static func decodeSources(_ list: JSONNode, source: SourceText, what: String) throws -> [Provenance.Source] {
        guard case .array(let elements) = list.value else {
            throw RedlineError(source, at: list.offset, "\(what) must be an array, got \(list.value.kindName)")
        }
        return try elements.map { element in
            var entry = try ObjectFields(element, source: source, what: "a source in \(what)")
            let file = try entry.string("file") ?? ""
            let format = try entry.string("format") ?? ""
            if let unknown = entry.unknownKeys(allowed: ["file", "format"]).first { throw unknown }
            return Provenance.Source(file: file, format: format)
        }
    }
}
