import RedlineModel
import RedlineJSON

/// A shell-style pattern for budget keys: `*` any run of characters, `?` one character,
/// `[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`) one character of a set, `\x` a literal `x`.
/// Matching works on Unicode scalars and never backtracks exponentially.
public struct Glob: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case any
        case one
        case set(ranges: [ClosedRange<UInt32>], negated: Bool)
    }

    let tokens: [Token]
    /// The pattern as written.
    public let pattern: String
    /// How many characters of the pattern match only themselves; the most specific glob wins.
    public let literalCount: Int
    /// The name the pattern matches when it has no wildcard (an exact name), else nil.
    public let literal: String?
    /// The literal characters the pattern starts with, and whether a `*` is all that follows them
    /// (`suite/*`, `*`): the common patterns, matched without walking the name's scalars.
    private let prefix: [Unicode.Scalar]
    private let restIsAny: Bool

    /// Whether the pattern has any wildcard, i.e. is a glob rather than an exact name.
    public var isPattern: Bool { literal == nil }

    /// Compiles a pattern; throws a message when a `[` is not closed or a `\` ends the pattern.
    public init(_ pattern: String) throws(GlobError) {
        self.pattern = pattern
        var tokens: [Token] = []
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                if tokens.last != .any { tokens.append(.any) }
                index += 1
            case "?":
                tokens.append(.one)
                index += 1
            case "\\":
                guard index + 1 < scalars.count else {
                    throw GlobError(message: "a `\\` at the end of a pattern escapes nothing")
                }
                tokens.append(.literal(scalars[index + 1]))
                index += 2
            case "[":
                var cursor = index + 1
                var negated = false
                if cursor < scalars.count, scalars[cursor] == "!" || scalars[cursor] == "^" {
                    negated = true
                    cursor += 1
                }
                var ranges: [ClosedRange<UInt32>] = []
                var first = true
                while cursor < scalars.count, scalars[cursor] != "]" || first {
                    first = false
                    var low = scalars[cursor]
                    if low == "\\", cursor + 1 < scalars.count {
                        cursor += 1
                        low = scalars[cursor]
                    }
                    if cursor + 2 < scalars.count, scalars[cursor + 1] == "-", scalars[cursor + 2] != "]" {
                        let high = scalars[cursor + 2]
                        guard low.value <= high.value else {
                            throw GlobError(message: "the range \(low)-\(high) in `[...]` runs backwards")
                        }
                        ranges.append(low.value...high.value)
                        cursor += 3
                    } else {
                        ranges.append(low.value...low.value)
                        cursor += 1
                    }
                }
                guard cursor < scalars.count else { throw GlobError(message: "a `[` is never closed by `]`") }
                tokens.append(.set(ranges: ranges, negated: negated))
                index = cursor + 1
            default:
                tokens.append(.literal(scalar))
                index += 1
            }
        }
        self.tokens = tokens
        let literals = tokens.compactMap { token -> Unicode.Scalar? in
            if case .literal(let scalar) = token { return scalar }
            return nil
        }
        literalCount = literals.count
        literal = literals.count == tokens.count ? String(String.UnicodeScalarView(literals)) : nil
        let lead = tokens.prefix { if case .literal = $0 { return true } else { return false } }
        prefix = lead.compactMap { if case .literal(let scalar) = $0 { return scalar } else { return nil } }
        restIsAny = tokens.count == lead.count + 1 && tokens.last == .any
    }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        if !prefix.isEmpty || restIsAny {
            guard name.unicodeScalars.starts(with: prefix) else { return false }
            if restIsAny { return true }
        }
        let text = Array(name.unicodeScalars)
        var t = 0
        var p = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < tokens.count, accepts(tokens[p], text[t]) {
                t += 1
                p += 1
            } else if p < tokens.count, tokens[p] == .any {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < tokens.count, tokens[p] == .any { p += 1 }
        return p == tokens.count
    }

    private func accepts(_ token: Token, _ scalar: Unicode.Scalar) -> Bool {
        switch token {
        case .literal(let literal): return literal == scalar
        case .any: return false
        case .one: return true
        case .set(let ranges, let negated): return ranges.contains { $0.contains(scalar.value) } != negated
        }
    }
}

/// Why a glob pattern cannot be compiled.
public struct GlobError: Error, Sendable {
    /// What is wrong, for the user.
    public var message: String
}
