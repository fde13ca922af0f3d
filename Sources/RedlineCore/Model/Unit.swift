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
    public let dimension: String
    /// How many of the dimension's base unit (seconds, bytes, items) one of this unit is.
    public let factor: Double

    /// Parses a unit symbol; never fails, unknown units are kept as their own dimension.
    public init(_ symbol: String) {
        self.symbol = symbol
        if let (dimension, factor) = Unit.simple(symbol) {
            self.dimension = dimension
            self.factor = factor
            return
        }
        if let slash = symbol.lastIndex(of: "/") {
            let numerator = String(symbol[..<slash])
            let denominator = String(symbol[symbol.index(after: slash)...])
            if let (perDimension, perFactor) = Unit.simple(denominator), perDimension == "time" {
                let numeratorPart: (String, Double)
                if numerator.isEmpty || Unit.countWords.contains(numerator) {
                    numeratorPart = ("count", 1)
                } else if let known = Unit.simple(numerator), known.0 != "time" {
                    numeratorPart = known
                } else {
                    numeratorPart = ("[\(numerator)]", 1)
                }
                self.dimension = numeratorPart.0 + "/time"
                self.factor = numeratorPart.1 / perFactor
                return
            }
        }
        self.dimension = "[\(symbol)]"
        self.factor = 1
    }

    public var description: String { symbol }

    /// Whether this unit is a rate (something per time): more of it is better by default.
    public var isRate: Bool { dimension.hasSuffix("/time") }

    /// Whether values in this unit cannot be negative (durations, sizes, rates).
    public var isNonNegative: Bool {
        dimension == "time" || dimension == "size" || dimension == "count" || isRate
    }

    /// Whether `value` can be a value in this unit: anything but a negative duration, size,
    /// count or rate.
    public func admits(_ value: Double) -> Bool {
        value >= 0 || !isNonNegative
    }

    /// Whether redline knows how to convert this unit (not a unit it only matches exactly).
    public var isKnown: Bool { !dimension.hasPrefix("[") }

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
    public var dimensionName: String {
        switch dimension {
        case "time", "size", "count", "percent": return dimension
        case let rate where rate.hasSuffix("/time"):
            let base = String(rate.dropLast(5))
            return base.hasPrefix("[") ? "rate of \(base.dropFirst().dropLast())" : "rate of \(base)"
        default: return "unit \(symbol)"
        }
    }

    static let countWords: Set<String> = ["ops", "op", "count", "items", "item", "iterations", "iter", "events", "calls"]

    private static let table: [String: (String, Double)] = [
        "ps": ("time", 1e-12), "ns": ("time", 1e-9), "us": ("time", 1e-6), "µs": ("time", 1e-6), "μs": ("time", 1e-6),
        "ms": ("time", 1e-3), "s": ("time", 1), "sec": ("time", 1), "min": ("time", 60), "h": ("time", 3600),
        "B": ("size", 1), "KB": ("size", 1e3), "kB": ("size", 1e3), "MB": ("size", 1e6),
        "GB": ("size", 1e9), "TB": ("size", 1e12),
        "KiB": ("size", 1024), "MiB": ("size", 1_048_576), "GiB": ("size", 1_073_741_824),
        "TiB": ("size", 1_099_511_627_776),
        "%": ("percent", 1), "count": ("count", 1),
    ]

    private static func simple(_ symbol: String) -> (String, Double)? { table[symbol] }
}

/// Which way is better for a metric.
public enum Direction: String, Sendable, Hashable, CaseIterable {
    /// Smaller values are better (durations, memory): the default.
    case lower
    /// Larger values are better (throughput, rates).
    case higher
}
