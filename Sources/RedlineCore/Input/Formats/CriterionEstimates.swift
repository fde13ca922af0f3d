import RedlineModel
import RedlineJSON

/// Criterion's `estimates.json` (`target/criterion/GROUP/BENCH/new/estimates.json`): one
/// metric, the slope's point estimate where Criterion fitted one, else the mean's, in ns. Today's
/// Criterion writes lowercase keys (`mean`, `median`, `slope`, `std_dev`, `median_abs_dev`;
/// `slope` is null for flat sampling), Criterion before 0.3 capitalised ones (`Mean`, `Slope`, ...).
/// Its name is the benchmark's `full_id` from the `benchmark.json` beside it when the caller
/// passes that, else the directories above `new/` (`GROUP/BENCH`).
enum CriterionEstimates: MetricsFormat {
    static let name = "criterion"
    static let syntax = FormatSyntax.json

    /// The keys of one Criterion version: capitalised (before 0.3) or lowercase.
    typealias Keys = (mean: String, median: String, slope: String, spread: [String])

    static let capitalised: Keys = ("Mean", "Median", "Slope", ["StdDev", "MedianAbsDev"])
    static let lowercase: Keys = ("mean", "median", "slope", ["std_dev", "median_abs_dev"])

    /// The keys the document uses, when it has Criterion's shape.
    static func keys(of root: JSONNode) -> Keys? {
        [capitalised, lowercase].first {
            root[$0.mean]?["point_estimate"] != nil && root[$0.median]?["point_estimate"] != nil
        }
    }

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let root = input.root, root.members != nil else { return .none }
        return keys(of: root) != nil ? .strong : .none
    }

    /// The `benchmark.json` beside an `estimates.json`, which names its benchmark.
    static func companions(of path: String) -> [String] {
        path == "estimates.json" || path.hasSuffix("/estimates.json") ? ["benchmark.json"] : []
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        try read(try input.document(), input.source, benchmarkJSON: companions["benchmark.json"].map(JSONReader.parse))
    }

    /// Reads with the `benchmark.json` document beside the file, for the benchmark's name.
    static func read(_ root: JSONNode, _ source: SourceText, benchmarkJSON: JSONNode?) throws -> ReadResult {
        guard let keys = keys(of: root) else {
            throw RedlineError(
                source, at: root.offset,
                "a Criterion estimates.json needs `mean` and `median`, each with a `point_estimate`",
                hint: "pass the new/estimates.json of a benchmark")
        }
        if keys.spread.allSatisfy({ root[$0] == nil }) {
            throw RedlineError(
                source, at: root.offset,
                "this is Criterion's change/estimates.json: relative changes, not measurements",
                hint: "pass the new/estimates.json of the benchmark instead")
        }
        // A null slope (flat sampling) leaves the mean, as Criterion's own report does.
        guard let estimate = (root[keys.slope]?["point_estimate"] ?? root[keys.mean]?["point_estimate"])?.number else {
            throw RedlineError(
                source, at: root.offset, "a Criterion estimates.json needs a numeric `\(keys.mean).point_estimate`")
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
