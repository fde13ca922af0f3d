/// The rules every metric obeys, whichever reader it came from: the native format (tree or flat
/// record), every tool format and the baseline. Each rule says what is wrong in words for the
/// user; `check` turns a broken rule into an error at a place in a file.
public enum MetricRules {
    /// The longest metric name (and unit) accepted, in characters.
    public static let maximumLength = 256

    /// Why `name` is not an acceptable metric name, or nil if it is: 1 to 256 characters, none of
    /// them a control, bidirectional-override or other invisible character.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a metric name must not be empty" }
        // Most names are printable ASCII within the limit: one pass over the bytes decides.
        if name.utf8.count <= maximumLength && name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        let count = name.unicodeScalars.count
        if count > maximumLength {
            return "metric name is \(count) characters long; the limit is \(maximumLength)"
        }
        if let bad = name.unicodeScalars.first(where: isForbidden) {
            let code = String(bad.value, radix: 16, uppercase: true)
            return
                "metric name contains the invisible or control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code)"
        }
        return nil
    }

    /// Why `symbol` is not an acceptable unit, or nil: a unit obeys the rules of a name, so that
    /// whatever a tool's file held reads back the same from a baseline.
    public static func unitProblem(_ symbol: String) -> String? {
        nameProblem(symbol)?.replacing("metric name", with: "unit")
    }

    /// Why `value` cannot be a value (or a sample) of a metric in `unit`, or nil: it must be
    /// finite, and not negative where the unit is a duration, size, count or rate.
    @inlinable public static func valueProblem(_ value: Double, unit: Unit?) -> String? {
        guard value.isFinite else { return "is not a finite number" }
        if let unit, !unit.admits(value) {
            return "is \(NumberText.shortest(value)) \(unit.symbol), but a \(unit.dimensionName) cannot be negative"
        }
        return nil
    }

    /// The longest name a tool's long name (a command, a series with many labels) keeps whole.
    public static let longestKeptName = 200

    /// A readable, unique name for a name that is too long: cut at a word near
    /// `longestKeptName` characters, with `…` and an 8-digit hash of the whole, so that two long
    /// names that start alike still get two names; nil when `name` is not too long.
    public static func shortName(_ name: String) -> String? {
        guard name.unicodeScalars.count > maximumLength else { return nil }
        return cut(name)
    }

    /// `name` cut to `longestKeptName` characters at a word, with `…` and a hash of `whole`.
    package static func cut(_ name: String, hashing whole: String? = nil) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in (whole ?? name).utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        var cut = String(String.UnicodeScalarView(name.unicodeScalars.prefix(longestKeptName)))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > longestKeptName / 2 {
            cut = String(cut[..<space])
        }
        let digits = String(hash, radix: 16)
        return cut + "… #" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The message for a metric met a second time, pointing at the first.
    public static func duplicate(_ name: String, first: (line: Int, column: Int)) -> String {
        "metric \"\(name)\" appears twice (first at line \(first.line), column \(first.column))"
    }

    /// What to do about a name met twice.
    public static let duplicateHint = "give every metric a unique name"

    /// Control characters, bidirectional overrides and other invisible format characters.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII is decided without the Unicode tables: only C0 controls and DEL are forbidden there.
        if scalar.value < 0x80 { return scalar.value < 0x20 || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            return true
        default:
            return false
        }
    }
}
