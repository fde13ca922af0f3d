import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// Rows of cells aligned in columns for a terminal or a CI log: each column as wide as its widest
/// cell (in characters), some right-aligned, two spaces between columns, no trailing blanks.
public struct TextTable: Sendable {
    /// The rows; the first is usually the header.
    public var rows: [[String]]
    /// The columns whose cells are right-aligned (figures).
    public var rightAligned: Set<Int>

    /// A table of `rows`.
    public init(_ rows: [[String]], rightAligned: Set<Int> = []) {
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// The lines of the table; `decorate` may wrap a padded cell (colour), given its row and column.
    public func lines(decorate: ((_ row: Int, _ column: Int, _ padded: String) -> String)? = nil) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.enumerated().map { index, row in
            var line = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let padded = rightAligned.contains(column) ? padding + cell : cell + padding
                return decorate?(index, column, padded) ?? padded
            }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
