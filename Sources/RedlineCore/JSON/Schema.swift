import RedlineModel

/// The schema names redline reads and writes, in the `schema` key of its files.
public enum Schema {
    /// Metrics of one run.
    public static let metrics = "redline.metrics.v1"
    /// Budgets and thresholds.
    public static let budgets = "redline.budgets.v1"
    /// An accepted baseline.
    public static let baseline = "redline.baseline.v1"
    /// The machine-readable result of `redline check`.
    public static let result = "redline.result.v1"

    /// Every schema redline knows.
    public static let all = [metrics, budgets, baseline, result]

    /// Accepts the expected schema (a metrics reader also takes a baseline); names the mistake otherwise.
    package static func check(_ name: String, source: SourceText, at offset: Int, expecting schema: String) throws {
        if name == schema || (schema == metrics && name == baseline) { return }
        if all.contains(name) {
            throw RedlineError(
                source, at: offset, "this is a \(name) file, but a \(schema) file was expected",
                hint: "check which file was passed to which option")
        }
        throw RedlineError(
            source, at: offset, "unknown schema \"\(name)\"",
            hint: "use \"\(schema)\" or leave `schema` out")
    }
}
