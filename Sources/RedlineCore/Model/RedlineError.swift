import Synchronization

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
        do { return try body() } catch { add(error); return nil }
    }

    /// Throws all problems together, if there are any.
    public func throwIfAny() throws {
        guard let last = errors.last else { return }
        var all = errors
        if omitted > 0 {
            all.append(RedlineError(file: last.file, message: "\(omitted) more problem\(omitted == 1 ? " is" : "s are") not listed",
                                    hint: "fix the ones above first"))
        }
        if unchecked > 0 {
            all.append(RedlineError(file: last.file, message: "stopped checking after \(Problems.limit) problems; \(unchecked) more entr\(unchecked == 1 ? "y was" : "ies were") not checked",
                                    hint: "fix the ones above first"))
        }
        throw RedlineErrors(all)
    }
}

/// The bytes of one input file and the name to report it under.
public struct SourceText: Sendable {
    /// The name to print in messages (the path the user gave).
    public var name: String
    /// The file's bytes.
    public let bytes: Bytes

    /// Line numbers at checkpoints through the bytes, built on the first position asked of a large file.
    private let lineIndex = LineIndex()

    /// Wraps bytes read from `name`.
    public init(name: String, bytes: [UInt8]) {
        self.init(name: name, bytes: Bytes(bytes))
    }

    /// Wraps bytes held elsewhere (a mapped file).
    public init(name: String, bytes: Bytes) {
        self.name = name
        self.bytes = bytes
    }

    /// Wraps a string's UTF-8 (for tests and generated text).
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The 1-based line and column (in characters) of a byte offset.
    public func position(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        // From the nearest checkpoint at or before the offset: an error costs at most one block's
        // scan, never a scan from the start of a file (or a line) that may be hundreds of megabytes.
        var (index, line, column) = lineIndex.checkpoint(before: end, in: bytes)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count characters, not bytes: continuation bytes of UTF-8 do not start a column.
                column += 1
            }
            index += 1
        }
        return (line, column)
    }
}

extension SourceText {
    /// The 1-based line and column of every offset in `offsets`, in their order, from one pass
    /// over the bytes (offsets in increasing order, as readers find them, cost no sort).
    public func positions(of offsets: [Int]) -> [(line: Int, column: Int)] {
        guard !offsets.isEmpty else { return [] }
        var order = Array(offsets.indices)
        if !zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) {
            order.sort { offsets[$0] < offsets[$1] }
        }
        var result = [(line: Int, column: Int)](repeating: (1, 1), count: offsets.count)
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            var line = 1
            var column = 1
            for slot in order {
                let target = min(max(offsets[slot], 0), buffer.count)
                while index < target {
                    let byte = buffer[index]
                    if byte == UInt8(ascii: "\n") {
                        line += 1
                        column = 1
                    } else if byte & 0xC0 != 0x80 {
                        column += 1
                    }
                    index += 1
                }
                result[slot] = (line, column)
            }
        }
        return result
    }
}

/// The line and column at every 64 KiB of a file, computed in one pass on the first position
/// asked of a file larger than one block.
final class LineIndex: Sendable {
    static let blockSize = 65_536
    /// `marks[k]` is the line and column of byte `k * blockSize`.
    private let marks = Mutex<[(line: Int, column: Int)]?>(nil)

    /// The checkpoint at or before `offset`, with its line and column.
    func checkpoint(before offset: Int, in bytes: Bytes) -> (offset: Int, line: Int, column: Int) {
        guard offset >= LineIndex.blockSize else { return (0, 1, 1) }
        return marks.withLock { marks in
            if marks == nil {
                var built: [(line: Int, column: Int)] = []
                built.reserveCapacity(bytes.count / LineIndex.blockSize + 1)
                var line = 1
                var column = 1
                for (position, byte) in bytes.enumerated() {
                    if position % LineIndex.blockSize == 0 { built.append((line, column)) }
                    if byte == UInt8(ascii: "\n") {
                        line += 1
                        column = 1
                    } else if byte & 0xC0 != 0x80 {
                        column += 1
                    }
                }
                marks = built
            }
            let block = min(offset / LineIndex.blockSize, marks!.count - 1)
            return (block * LineIndex.blockSize, marks![block].line, marks![block].column)
        }
    }
}

/// The bytes of an input: an array, or memory the executable mapped (a large file, read without
/// copying it). Immutable; a collection like `[UInt8]`, and contiguous for fast loops.
public struct Bytes: RandomAccessCollection, Sendable {
    /// Owns mapped memory and gives it back when the last copy goes.
    /// Unchecked: the bytes are never written after creation, so sharing them is safe.
    public final class Storage: @unchecked Sendable {
        let pointer: UnsafeBufferPointer<UInt8>
        let release: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

        init(pointer: UnsafeBufferPointer<UInt8>, release: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void) {
            self.pointer = pointer
            self.release = release
        }

        deinit { release(pointer) }
    }

    /// Where the bytes live: an array kept as it is (no copy), or memory owned elsewhere.
    enum Backing: Sendable {
        case array([UInt8])
        case storage(Storage)
    }

    let backing: Backing

    /// An array's bytes, not copied.
    public init(_ array: [UInt8]) {
        backing = .array(array)
    }

    /// Bytes at `pointer`, which stay valid until `release` is called with them.
    public init(pointer: UnsafeBufferPointer<UInt8>, release: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void) {
        backing = .storage(Storage(pointer: pointer, release: release))
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch backing {
        case .array(let array): return array.count
        case .storage(let storage): return storage.pointer.count
        }
    }

    public subscript(position: Int) -> UInt8 {
        switch backing {
        case .array(let array): return array[position]
        case .storage(let storage):
            precondition(position >= 0 && position < storage.pointer.count, "byte offset out of range")
            return storage.pointer[position]
        }
    }

    /// Calls `body` with the bytes as a buffer.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch backing {
        case .array(let array): return try array.withUnsafeBufferPointer(body)
        case .storage(let storage): return try withExtendedLifetime(storage) { try body(storage.pointer) }
        }
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }
}
