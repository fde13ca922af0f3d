/// Criterion's `estimates.json` (`target/criterion/GROUP/BENCH/new/estimates.json`): one
/// metric, the `Slope` point estimate where Criterion fitted one, else the `Mean`, in ns.
/// Its name is the benchmark's `full_id` from the `benchmark.json` beside it when the caller
/// passes that, else the directories above `new/` (`GROUP/BENCH`).
enum CriterionEstimates: MetricsFormat {
    static let name = "criterion"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root else { return .none }
        return root["Mean"]?["point_estimate"] != nil && root["Median"] != nil ? .strong : .none
    }

    /// The `benchmark.json` beside an `estimates.json`, which names its benchmark.
    static func companions(of path: String) -> [String] {
        path == "estimates.json" || path.hasSuffix("/estimates.json") ? ["benchmark.json"] : []
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        try read(input.root!, input.source, benchmarkJSON: companions["benchmark.json"].map(JSONReader.parse))
    }

    /// Reads with the `benchmark.json` document beside the file, for the benchmark's name.
    static func read(_ root: JSONNode, _ source: SourceText, benchmarkJSON: JSONNode?) throws -> ReadResult {
        if root["StdDev"] == nil && root["MedianAbsDev"] == nil {
            throw RedlineError(source, at: root.offset, "this is Criterion's change/estimates.json: relative changes, not measurements",
                               hint: "pass the new/estimates.json of the benchmark instead")
        }
        guard let estimate = (root["Slope"]?["point_estimate"] ?? root["Mean"]?["point_estimate"])?.number else {
            throw RedlineError(source, at: root.offset, "a Criterion estimates.json needs `Mean.point_estimate`")
        }
        let name = benchmarkJSON?["full_id"]?.string ?? nameFromPath(source.name)
        var collector = MetricCollector(source: source)
        try collector.add(name, value: estimate, unit: Unit("ns"), at: root.offset)
        return collector.result(Self.name)
    }

    /// `GROUP/BENCH` from `.../criterion/GROUP/BENCH/new/estimates.json`; the file name otherwise.
    static func nameFromPath(_ path: String) -> String {
        var parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, ["new", "base", "change"].contains(parts[parts.count - 2]) else {
            return parts.last ?? path
        }
        parts.removeLast(2)
        if let root = parts.lastIndex(of: "criterion") { parts.removeSubrange(...root) }
        return parts.suffix(2).joined(separator: "/")
    }
}
