import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// The escapers: one per destination. Every string that came from input passes one of them
/// before it is printed.
public enum Escape {
    /// Text for one cell of a GitHub-flavoured markdown table: a code span, so that no markdown,
    /// HTML, mention, issue reference or link inside it is rendered, with `|` escaped so the
    /// row keeps its cells, and invisible characters shown as `\u{…}`.
    public static func markdownCell(_ text: String) -> String {
        // GitHub's table scanner reads a backslash and the character after it as one unit, so a
        // backslash right before a pipe would swallow the pipe's escape: show that backslash as \u{5C}.
        var cell = ""
        let characters = Array(visible(text))
        for (index, character) in characters.enumerated() {
            if character == "\\", index + 1 < characters.count, characters[index + 1] == "|" {
                cell += "\\u{5C}"
            } else {
                cell.append(character)
            }
        }
        return codeSpan(cell).replacing("|", with: "\\|")
    }

    /// Text for running markdown outside a table (headings, lists): a code span likewise.
    public static func markdownText(_ text: String) -> String {
        codeSpan(visible(text))
    }

    /// Text for a terminal or a log line: control and invisible characters shown as escapes,
    /// so input cannot move the cursor, recolour the terminal or start a new line.
    public static func terminal(_ text: String) -> String {
        visible(text)
    }

    /// Replaces control characters, bidi overrides and other invisible characters with
    /// visible escapes (`\n`, `\t`, `\u{202E}`).
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if needsEscape(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || MetricRules.isForbidden(scalar)
    }

    /// Wraps text in a code span whose fence is longer than any run of backticks inside it,
    /// padded with a space on each side (which markdown strips) where the text starts or ends
    /// with a backtick or with spaces on both ends, so those stay literal.
    private static func codeSpan(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            if character == "`" {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        let fence = String(repeating: "`", count: longest + 1)
        let needsPadding =
            text.hasPrefix("`") || text.hasSuffix("`") || (text.hasPrefix(" ") && text.hasSuffix(" "))
            || text.isEmpty
        return needsPadding ? fence + " " + text + " " + fence : fence + text + fence
    }
}
