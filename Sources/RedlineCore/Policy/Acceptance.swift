import RedlineModel
import RedlineJSON

/// An intended regression, accepted in budgets.json with a reason and an expiry: a rule's
/// `"accept": [{"change": "+25%", "until": "2027-01-31", "reason": "new auth check, #123"}]`
/// (or `"by": "30 ms"` for an absolute amount). A regression within an unexpired acceptance is
/// `accepted`, a notice; a larger one still fails, naming the acceptance it exceeded.
public struct Acceptance: Sendable, Equatable {
    /// The largest accepted worsening as a fraction (`+25%` is 0.25), when given.
    public var change: Double?
    /// The largest accepted worsening as an amount, when given; a bare number is in the rule's unit.
    public var by: Quantity?
    /// The last day it applies, `YYYY-MM-DD`.
    public var until: String
    /// Why the regression is intended; never empty.
    public var reason: String
    /// Where it is written in budgets.json: line and column of its object.
    public var line: Int
    public var column: Int

    /// An acceptance may be given for at most this many days.
    public static let longestDays = 180

    /// Whether it still applies on `today` (`YYYY-MM-DD`): through the whole of its `until` day.
    public func isExpired(today: String) -> Bool { until < today }

    /// `+25% until 2027-01-31 (new auth check, #123)`.
    public var text: String {
        var parts: [String] = []
        if let change { parts.append("+" + Percentage.text(change)) }
        if let by { parts.append("+" + by.text) }
        return parts.joined(separator: " and ") + " until " + until + " (" + reason + ")"
    }

    /// Whether a worsening of `change` (relative) and `amount` (in `unit`) is within it. A
    /// worsening "from 0" has no relative change: only `by` can accept it.
    package func covers(change worsening: Double?, amount: Double, unit: Unit?) -> Bool {
        if let change {
            guard let worsening, worsening <= change + Statistics.tolerance else { return false }
        }
        if let by {
            let limit = by.unit.flatMap { given in unit.flatMap { given.convert(by.value, to: $0) } } ?? by.value
            guard amount <= limit * (1 + Statistics.tolerance) else { return false }
        }
        return change != nil || by != nil
    }
}

/// What became of an acceptance in a check.
public struct AcceptanceStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// It accepted the metric's regression.
        case used
        /// The regression went beyond it: the metric still failed.
        case exceeded
        /// Unexpired, but the metric no longer regresses against the baseline (the baseline
        /// absorbed the new level): delete it.
        case spent
        /// Past its `until`: ignored for judging; delete it.
        case expired
    }

    /// The budget rule's key and the metric.
    public var rule: String
    public var metric: String
    public var acceptance: Acceptance
    public var state: State

    /// Creates a status.
    public init(rule: String, metric: String, acceptance: Acceptance, state: State) {
        (self.rule, self.metric, self.acceptance, self.state) = (rule, metric, acceptance, state)
    }

    /// A sentence for the reports, naming the line to delete where there is one to delete.
    public func sentence(file: String) -> String {
        let place = "\(file.isEmpty ? "budgets.json" : file):\(acceptance.line):\(acceptance.column)"
        switch state {
        case .used: return "\(metric): regression accepted: \(acceptance.text)"
        case .exceeded: return "\(metric): the regression is beyond its acceptance of \(acceptance.text)"
        case .spent: return "\(metric): the acceptance at \(place) is spent (the baseline has absorbed it): delete it"
        case .expired:
            return "\(metric): the acceptance at \(place) expired on \(acceptance.until) and is ignored: delete it"
        }
    }
}

/// Calendar days for `until`: whole dates only, no time zones.
public enum CalendarDay {
    /// The day number (days since 1970-01-01) of `YYYY-MM-DD`, nil when it is no such date.
    public static func number(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `YYYY-MM-DD` of a time in seconds since 1970 (UTC).
    public static func date(secondsSince1970 seconds: Double) -> String {
        let days = Int((seconds / 86_400).rounded(.down))
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CFormat.string("%04d-%02d-%02d", Int32(year), Int32(month), Int32(day))
    }
}
