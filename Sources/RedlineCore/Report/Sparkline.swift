import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// A trend in one line of unicode blocks: `▁▂▂▃▁▅█`, one block per run, lowest to highest of the
/// runs shown; a run without the metric is a space. The same values always give the same line.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The line for `values`, oldest first; `width` keeps only the newest that many.
    public static func line(_ values: [Double?], width: Int = 40) -> String {
        let shown = values.suffix(width)
        let present = shown.compactMap { $0 }.filter(\.isFinite)
        guard let low = present.min(), let high = present.max() else { return "" }
        return String(
            shown.map { value -> Character in
                guard let value, value.isFinite else { return " " }
                guard high > low else { return blocks[blocks.count / 2] }
                let position = Int(((value - low) / (high - low) * Double(blocks.count - 1)).rounded())
                return blocks[min(max(position, 0), blocks.count - 1)]
            })
    }

    /// A metric's trend: its recent runs, then `→` and the current run, all on one scale, so the
    /// current point reads against the runs before it (`▂▃▂▁▂▃→█`); the newest `width` runs.
    public static func line(_ trend: Trend, width: Int = 20) -> String {
        guard let current = Metric.median(trend.current) else { return line(trend.values, width: width) }
        let values = Array(trend.values.suffix(width)) + [current]
        let drawn = line(values, width: values.count)
        guard !drawn.isEmpty else { return "" }
        return String(drawn.dropLast()) + "→" + String(drawn.last!)
    }
}
