/// A problem with something the user gave redline: a file, a flag, a budget.
///
/// Every expected failure is one of these. It carries where the problem is
/// (file, line, column) and what to do about it, so the executable can print
/// it as one line and exit 2.
public struct RedlineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file the problem is in, as the user named it; empty for problems with arguments.
    public var file: String
    /// 1-based line, when the problem has a position in the file.
    public var line: Int?
    /// 1-based column in characters, when the problem has a position in the file.
    public var column: Int?
    /// What is wrong, written for the user.
    public var message: String
    /// What to do about it.
    public var hint: String?

    /// Creates an error at an optional position.
    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// Creates an error at a byte offset of a source text, turning the offset into line and column.
    public init(_ source: SourceText, at offset: Int, _ message: String, hint: String? = nil) {
        let position = source.position(of: offset)
        self.init(file: source.name, line: position.line, column: position.column, message: message, hint: hint)
    }

    /// `file:line:column`, as far as it is known; empty for problems with arguments.
    public var place: String {
        var text = file
        if !file.isEmpty, let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    /// `file:line:column: message; hint`, on one line.
    public var description: String {
        var text = file.isEmpty ? "" : place + ": "
        text += message
        if let hint { text += "; " + hint }
        return text
    }
}

/// Several problems found at once, in the order they were found (`redline validate` shows all).
public struct RedlineErrors: Error, Sendable, CustomStringConvertible {
    /// The problems; never empty.
    public var errors: [RedlineError]

    /// Creates the list; `errors` must not be empty.
    public init(_ errors: [RedlineError]) {
        precondition(!errors.isEmpty, "RedlineErrors needs at least one error")
        self.errors = errors
    }

    /// The first problem, and how many more there are, on one line.
    public var description: String {
        let first = errors[0].description
        if errors.count == 1 { return first }
        let more = errors.count - 1
        return first + " (and \(more) more problem\(more == 1 ? "" : "s"): run `redline validate` to see all)"
    }
}

extension Error {
    /// The problems this error stands for, as a list: a `RedlineErrors` unpacked, a `RedlineError` alone.
    public var redlineErrors: [RedlineError] {
        if let many = self as? RedlineErrors { return many.errors }
        if let one = self as? RedlineError { return [one] }
        return [RedlineError(file: "", message: "\(self)")]
    }
}

/// Collects problems so that a reader can report every one it finds, not only the first.
public struct Problems: Sendable {
    /// The problems so far.
    public private(set) var errors: [RedlineError] = []

    /// An empty collection.
    public init() {}

    /// How many problems are kept; past it they are only counted, so that a file with millions
    /// of broken entries costs neither unbounded memory nor millions of lines.
    public static let limit = 1_000
    /// Problems found past `limit`.
    public private(set) var omitted = 0
    /// Entries a reader did not check because `limit` problems were found already.
    public var unchecked = 0

    /// Whether `limit` problems were found: a reader may stop checking entries.
    public var isFull: Bool { errors.count >= Problems.limit }

    /// Adds one problem.
    public mutating func add(_ error: RedlineError) {
        if errors.count < Problems.limit { errors.append(error) } else { omitted += 1 }
    }

    /// Adds every problem an error stands for.
    public mutating func add(_ error: any Error) {
        for one in error.redlineErrors { add(one) }
    }

    /// Adds everything `other` found, in order, its counts of omitted and unchecked entries too.
    public mutating func absorb(_ other: Problems) {
        for error in other.errors { add(error) }
        omitted += other.omitted
        unchecked += other.unchecked
    }

    /// Whether any problem was found.
    public var isEmpty: Bool { errors.isEmpty }

    /// Runs `body`, recording what it throws instead of passing it on; returns its result or nil.
    public mutating func attempt<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch {
            add(error)
            return nil
        }
    }

    /// Throws all problems together, if there are any.
    public func throwIfAny() throws {
        guard let last = errors.last else { return }
        var all = errors
        if omitted > 0 {
            all.append(
                RedlineError(
                    file: last.file, message: "\(omitted) more problem\(omitted == 1 ? " is" : "s are") not listed",
                    hint: "fix the ones above first"))
        }
        if unchecked > 0 {
            all.append(
                RedlineError(
                    file: last.file,
                    message:
                        "stopped checking after \(Problems.limit) problems; \(unchecked) more entr\(unchecked == 1 ? "y was" : "ies were") not checked",
                    hint: "fix the ones above first"))
        }
        throw RedlineErrors(all)
    }
}
