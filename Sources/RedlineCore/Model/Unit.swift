/// What a unit measures; two units convert into each other only when their dimensions are equal.
public indirect enum Dimension: Hashable, Sendable {
    /// Durations: seconds and their multiples.
    case time
    /// Amounts of data: bytes, 1000- and 1024-based multiples.
    case size
    /// Plain counts (`count`, and `ops`, `items`, `req`… per time in rates).
    case count
    /// Percentages.
    case percent
    /// Something per unit of time: `MB/s` is `.rate(.size)`, `ops/s` is `.rate(.count)`,
    /// `req/ms` is `.rate(.opaque("req"))`.
    case rate(Dimension)
    /// A unit redline does not know: it matches only itself (or a rate of itself per another time unit).
    case opaque(String)

    /// A short name for messages ("time", "size", "rate of size", "unit widgets").
    public var name: String {
        switch self {
        case .time: return "time"
        case .size: return "size"
        case .count: return "count"
        case .percent: return "percent"
        case .rate(.opaque(let base)): return "rate of \(base)"
        case .rate(let base): return "rate of \(base.name)"
        case .opaque(let symbol): return "unit \(symbol)"
        }
    }
}

/// A unit of measurement as written in an input file, with what redline knows about it.
///
/// Known units (time `ns us µs ms s`, sizes `B KB MB GB TB` and `KiB MiB GiB TiB`,
/// `%`, `count`, and rates of those per time unit such as `MB/s` or `ops/ms`)
/// convert within their dimension. Any other unit is kept as written and only
/// matches itself (or a rate of itself per another time unit).
public struct Unit: Hashable, Sendable, CustomStringConvertible {
    /// The unit exactly as the input wrote it, e.g. `"ms"`, `"req/s"`.
    public let symbol: String
    /// What the unit measures; two units convert only if their dimensions are equal.
    public let dimension: Dimension
    /// How many of the dimension's base unit (seconds, bytes, items) one of this unit is.
    public let factor: Double

    /// Parses a unit symbol; never fails, unknown units are kept as their own dimension.
    public init(_ symbol: String) {
        self.symbol = symbol
        if let (dimension, factor) = Unit.table[symbol] {
            self.dimension = dimension
            self.factor = factor
            return
        }
        if let slash = symbol.lastIndex(of: "/"),
            let (perDimension, perFactor) = Unit.table[String(symbol[symbol.index(after: slash)...])],
            perDimension == .time
        {
            let numerator = String(symbol[..<slash])
            let base: (Dimension, Double)
            if numerator.isEmpty || Unit.countWords.contains(numerator) {
                base = (.count, 1)
            } else if let known = Unit.table[numerator], known.0 != .time {
                base = known
            } else {
                base = (.opaque(numerator), 1)
            }
            self.dimension = .rate(base.0)
            self.factor = base.1 / perFactor
            return
        }
        self.dimension = .opaque(symbol)
        self.factor = 1
    }

    public var description: String { symbol }

    /// Whether this unit is a rate (something per time): more of it is better by default.
    public var isRate: Bool {
        if case .rate = dimension { return true }
        return false
    }

    /// Whether values in this unit cannot be negative (durations, sizes, counts, rates).
    public var isNonNegative: Bool {
        switch dimension {
        case .time, .size, .count, .rate: return true
        case .percent, .opaque: return false
        }
    }

    /// Whether `value` can be a value in this unit: anything but a negative duration, size,
    /// count or rate.
    public func admits(_ value: Double) -> Bool {
        value >= 0 || !isNonNegative
    }

    /// Whether redline knows how to convert this unit (not a unit it only matches exactly).
    public var isKnown: Bool {
        if case .opaque = dimension { return false }
        return true
    }

    /// The direction a metric in this unit has when nothing says otherwise.
    public var defaultDirection: Direction { isRate ? .higher : .lower }

    /// Converts `value` from this unit to `other`; nil when the dimensions differ.
    public func convert(_ value: Double, to other: Unit) -> Double? {
        guard dimension == other.dimension else { return nil }
        if symbol == other.symbol || factor == other.factor { return value }
        // Scale by a whole ratio where there is one (ms → ns is × 1e6, ns → µs is ÷ 1000), so that
        // 200 ns is exactly 0.2 µs rather than 0.20000000000000004.
        let ratio = factor / other.factor
        let whole = ratio >= 1 ? ratio : 1 / ratio
        let rounded = whole.rounded()
        guard abs(rounded - whole) <= 1e-9 * rounded else { return value * ratio }
        return ratio >= 1 ? value * rounded : value / rounded
    }

    /// A short name of the dimension for messages ("time", "size", "rate of size", "unit `req`").
    public var dimensionName: String { dimension.name }

    /// Whether `symbol` names a unit redline knows: a unit of the table, a word that counts
    /// things (`requests`, `allocs`), a rate or ratio of those (`req/s`, `B/op`), or a custom unit
    /// written as a UCUM annotation (`{widgets}`).
    public static func isRecognised(_ symbol: String) -> Bool {
        if table[symbol] != nil || countingWords.contains(symbol) { return true }
        if symbol.count > 2, symbol.first == "{", symbol.last == "}",
            !symbol.dropFirst().dropLast().contains(where: { "{}".contains($0) })
        {
            return true
        }
        guard let slash = symbol.lastIndex(of: "/") else { return false }
        let numerator = String(symbol[..<slash])
        let denominator = String(symbol[symbol.index(after: slash)...])
        return (numerator.isEmpty || isRecognised(numerator)) && !denominator.contains("/") && isRecognised(denominator)
    }

    /// The known unit `symbol` most likely meant, when it is not known itself: a common spelling
    /// (`msec` → `ms`, `bytes` → `B`, `Megabytes` → `MB`, `req/sec` → `req/s`), else a known
    /// symbol within a slip of the keyboard (`mss` → `ms`, `Kib` → `KiB`); nil when nothing is that
    /// close (a unit of the user's own, such as `widgets`). Symbols of one or two characters are
    /// too short to tell a slip from a unit of their own (`MS/s` is a tool's mega-samples per
    /// second): only a common spelling is suggested for them.
    public static func suggestion(for symbol: String) -> String? {
        guard !isRecognised(symbol) else { return nil }
        if let slash = symbol.lastIndex(of: "/") {
            let numerator = String(symbol[..<slash])
            let denominator = String(symbol[symbol.index(after: slash)...])
            let top = numerator.isEmpty || isRecognised(numerator) ? numerator : suggestion(for: numerator)
            let bottom = isRecognised(denominator) ? denominator : suggestion(for: denominator)
            guard let top, let bottom else { return nil }
            return top + "/" + bottom
        }
        if let alias = aliases[symbol.lowercased()] { return alias }
        guard symbol.count > 2, let near = Suggestion.nearest(to: symbol, among: suggestionCandidates) else {
            return nil
        }
        return aliases[near] ?? near
    }

    /// What `suggestion(for:)` compares with: every known symbol and word, and the common spellings.
    static let suggestionCandidates =
        Array(table.keys).sorted() + Array(countingWords).sorted() + Array(aliases.keys).sorted()

    /// The unit a tool's free-text unit means, when it is a common spelling of a known one
    /// (`Percent` → `%`, `Megabytes` → `MB`); else the symbol as written.
    public static func canonical(_ symbol: String) -> String {
        isRecognised(symbol) ? symbol : aliases[symbol.lowercased()] ?? symbol
    }

    /// Why a unit written by a person cannot be used, with what it most likely meant: a unit
    /// that redline does not know but that is a spelling of a known one, or a slip away from
    /// one, would otherwise only match itself, silently. Nil for known units and for units of the
    /// user's own that resemble none (they match only themselves, as documented).
    public static func recognitionProblem(_ symbol: String) -> (message: String, hint: String)? {
        guard let near = suggestion(for: symbol) else { return nil }
        return (
            "unknown unit \"\(symbol)\"",
            "did you mean \"\(near)\"? redline knows ns us ms s min h, B KB MB GB, KiB MiB GiB, %, "
                + "count, words such as requests, and rates such as req/s; a unit of your own that resembles none is kept as written, "
                + "or write it as {thing}"
        )
    }

    /// Words that count things, taken as units of counts wherever a person writes a unit.
    static let countingWords: Set<String> = countWords.union([
        "req", "reqs", "request", "requests", "query", "queries", "instructions", "instr", "allocs", "allocations",
        "cycles",
        "frames", "connections", "errors", "messages", "rows", "pages", "tests", "points", "score", "users", "hits",
        "misses",
    ])

    /// Common spellings of known units, lowercased.
    static let aliases: [String: String] = [
        "msec": "ms", "msecs": "ms", "millis": "ms", "milli": "ms", "millisecond": "ms", "milliseconds": "ms",
        "usec": "us", "usecs": "us", "micros": "us", "microsecond": "us", "microseconds": "us",
        "nsec": "ns", "nsecs": "ns", "nanos": "ns", "nanosecond": "ns", "nanoseconds": "ns",
        "secs": "s", "second": "s", "seconds": "s", "minute": "min", "minutes": "min", "mins": "min", "hour": "h",
        "hours": "h", "hr": "h",
        "byte": "B", "bytes": "B", "kilobytes": "KB", "megabytes": "MB", "gigabytes": "GB", "kibibytes": "KiB",
        "mebibytes": "MiB",
        "gibibytes": "GiB", "percent": "%", "pct": "%", "percentage": "%",
        "kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB", "kib": "KiB", "mib": "MiB", "gib": "GiB", "tib": "TiB",
    ]

    /// Numerators of a rate that count things: `ops/s` is a rate of counts.
    static let countWords: Set<String> = [
        "ops", "op", "count", "items", "item", "iterations", "iter", "events", "calls",
    ]

    /// The units redline knows: dimension and size in the dimension's base unit.
    static let table: [String: (Dimension, Double)] = [
        "ps": (.time, 1e-12), "ns": (.time, 1e-9), "us": (.time, 1e-6), "µs": (.time, 1e-6), "μs": (.time, 1e-6),
        "ms": (.time, 1e-3), "s": (.time, 1), "sec": (.time, 1), "min": (.time, 60), "h": (.time, 3600),
        "B": (.size, 1), "KB": (.size, 1e3), "kB": (.size, 1e3), "MB": (.size, 1e6),
        "GB": (.size, 1e9), "TB": (.size, 1e12),
        "KiB": (.size, 1024), "MiB": (.size, 1_048_576), "GiB": (.size, 1_073_741_824),
        "TiB": (.size, 1_099_511_627_776),
        "%": (.percent, 1), "count": (.count, 1),
    ]
}

/// Which way is better for a metric.
public enum Direction: String, Sendable, Hashable, CaseIterable {
    /// Smaller values are better (durations, memory): the default.
    case lower
    /// Larger values are better (throughput, rates).
    case higher
}
