import Synchronization

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

    /// Wraps bytes held elsewhere (a mapped file). A UTF-8 byte-order mark at the start is
    /// skipped: Windows tools and PowerShell redirections write one, and it says nothing a
    /// reader needs (positions are then counted from the text after it, as editors count them).
    public init(name: String, bytes: Bytes) {
        self.name = name
        self.bytes = bytes.starts(with: Self.byteOrderMark) ? bytes.dropping(first: Self.byteOrderMark.count) : bytes
    }

    /// UTF-8's byte-order mark.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Wraps a string's UTF-8 (for tests and generated text).
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The 1-based line and column (in characters) of a byte offset.
    public func position(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        // From the nearest checkpoint at or before the offset: an error costs at most one block's
        // scan, never a scan from the start of a file (or a line) that may be hundreds of megabytes.
        let checkpoint = lineIndex.checkpoint(before: end, in: bytes)
        var position = TextPosition(line: checkpoint.line, column: checkpoint.column)
        bytes.withUnsafeBufferPointer { position.advance(over: $0, from: checkpoint.offset, to: end) }
        return (position.line, position.column)
    }

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
            var position = TextPosition()
            for slot in order {
                let target = min(max(offsets[slot], 0), buffer.count)
                position.advance(over: buffer, from: index, to: target)
                index = target
                result[slot] = (position.line, position.column)
            }
        }
        return result
    }
}

/// A line and column (1-based, columns in characters) that a scan of UTF-8 text moves along.
struct TextPosition {
    var line = 1
    var column = 1

    /// Moves past `buffer[start..<end]` (nothing when `end <= start`): each line feed starts the
    /// next line; each byte that does not continue a UTF-8 sequence is a column. Lines are counted
    /// up to the last line feed and columns after it, eight bytes at a time (a byte-by-byte step
    /// cost 13% of a 50 MB check).
    mutating func advance(over buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard end > start, let base = buffer.baseAddress else { return }
        var lineStart = end
        while lineStart > start && base[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        if lineStart > start {
            line += Self.lineFeeds(base + start, lineStart - start)
            column = 1
        }
        column += Self.characters(base + lineStart, end - lineStart)
    }

    /// Line feeds among the `count` bytes at `start`.
    static func lineFeeds(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int {
        countBytes(
            start, count, scalar: { $0 == UInt8(ascii: "\n") },
            marks: { word in
                // The high bit of each byte of `word` that is a line feed: of each byte of `x` that is
                // zero. No carry crosses a byte (each byte adds at most 0x7F + 0x7F), so it is exact.
                let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
                return ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
            })
    }

    /// Characters (bytes that do not continue a UTF-8 sequence) among the `count` bytes at `start`.
    static func characters(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int {
        countBytes(
            start, count, scalar: { $0 & 0xC0 != 0x80 },
            marks: { word in
                // A continuation byte is 10xxxxxx: bit 7 set, bit 6 (shifted into bit 7) clear.
                ~(word & ~(word << 1)) & 0x8080_8080_8080_8080
            })
    }

    /// How many bytes pass a test, eight at a time: `marks` sets the high bit of each passing byte of a word.
    @inline(__always)
    private static func countBytes(
        _ start: UnsafePointer<UInt8>, _ count: Int, scalar: (UInt8) -> Bool,
        marks: (UInt64) -> UInt64
    ) -> Int {
        let raw = UnsafeRawPointer(start)
        var total = 0
        var offset = 0
        while count - offset >= 8 {
            // One per marked byte, summed into the top byte by the multiplication.
            total &+= Int(
                ((marks(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) >> 7) &* 0x0101_0101_0101_0101)
                    >> 56)
            offset += 8
        }
        while offset < count {
            total &+= scalar(start[offset]) ? 1 : 0
            offset += 1
        }
        return total
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
                var position = TextPosition()
                bytes.withUnsafeBufferPointer { buffer in
                    for start in stride(from: 0, to: buffer.count, by: LineIndex.blockSize) {
                        built.append((position.line, position.column))
                        position.advance(over: buffer, from: start, to: min(start + LineIndex.blockSize, buffer.count))
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
        @usableFromInline let pointer: UnsafeBufferPointer<UInt8>
        let release: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

        init(pointer: UnsafeBufferPointer<UInt8>, release: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void) {
            self.pointer = pointer
            self.release = release
        }

        deinit { release(pointer) }
    }

    /// Where the bytes live: an array kept as it is (no copy), or memory owned elsewhere.
    @usableFromInline enum Backing: Sendable {
        case array([UInt8])
        case storage(Storage)
    }

    @usableFromInline let backing: Backing

    /// An array's bytes, not copied.
    public init(_ array: [UInt8]) {
        backing = .array(array)
    }

    /// Bytes at `pointer`, which stay valid until `release` is called with them.
    public init(pointer: UnsafeBufferPointer<UInt8>, release: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void)
    {
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
    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch backing {
        case .array(let array): return try array.withUnsafeBufferPointer(body)
        case .storage(let storage): return try withExtendedLifetime(storage) { try body(storage.pointer) }
        }
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }

    /// The bytes after the first `count`, without copying mapped memory.
    func dropping(first count: Int) -> Bytes {
        switch backing {
        case .array(let array): return Bytes(Array(array.dropFirst(count)))
        case .storage(let storage):
            // The new view keeps the mapping alive and gives it back when it goes.
            let rest = UnsafeBufferPointer(rebasing: storage.pointer.dropFirst(count))
            return Bytes(pointer: rest, release: { _ in withExtendedLifetime(storage) {} })
        }
    }
}
