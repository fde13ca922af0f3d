/// Reads baseline files (`redline.baseline.v1`): the native metrics format plus `provenance`.
public enum BaselineFormat {
    /// Keys of the `provenance` object, in the order the writer puts them.
    static let provenanceKeys = ["commit", "branch", "updatedAt", "redlineVersion", "sources", "reason"]

    /// Reads a baseline file; every problem in it is reported, not only the first.
    public static func read(_ source: SourceText) throws -> Baseline {
        let decoded = try NativeFormat.document(source, expecting: Schema.baseline)
        guard let node = decoded.provenance else { return Baseline(metrics: decoded.metrics) }
        return Baseline(metrics: decoded.metrics, provenance: try decodeProvenance(node, source: source))
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
            guard case .array(let elements) = list.value else {
                throw RedlineError(source, at: list.offset, "`sources` of `provenance` must be an array, got \(list.value.kindName)")
            }
            provenance.sources = try elements.map { element in
                var entry = try ObjectFields(element, source: source, what: "a source in `provenance`")
                let file = try entry.string("file") ?? ""
                let format = try entry.string("format") ?? ""
                if let unknown = entry.unknownKeys(allowed: ["file", "format"]).first { throw unknown }
                return Provenance.Source(file: file, format: format)
            }
        }
        if let unknown = fields.unknownKeys(allowed: provenanceKeys).first { throw unknown }
        return provenance
    }
}
