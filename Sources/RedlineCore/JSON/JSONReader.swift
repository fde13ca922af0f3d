import RedlineModel

/// A strict RFC 8259 JSON reader.
///
/// Stricter than Foundation's `JSONSerialization`/`JSONDecoder` on purpose:
/// duplicate keys, trailing commas, comments, `NaN`/`Infinity`, numbers out of
/// Double's range, invalid UTF-8, a byte-order mark, unescaped control
/// characters and lone surrogates are all errors, each with line and column.
public enum JSONReader {
    /// How deeply arrays and objects may nest; deeper input is rejected, never a stack overflow.
    public static let maximumDepth = 512

    /// Parses a whole file as one JSON document.
    public static func parse(_ source: SourceText) throws -> JSONNode {
        try checkEncoding(source)
        return try parse(
            source, in: 0..<source.bytes.count, sink: .keepEverything, hint: "a file holds exactly one JSON value")
    }

    /// Parses a whole file as one JSON document, handing the elements of a large array of the root
    /// object to `records` as they are read instead of keeping them: such a document (Google
    /// Benchmark's `benchmarks`, the native `metrics`) then costs the memory of one element at a
    /// time, not of its whole tree. The returned tree keeps only the first element of a streamed
    /// array, so that format detection sees the same signature. Every byte is still validated,
    /// except inside an object a sink takes as bytes (`takesNestedObjectsAsBytes`): that sink parses
    /// each one it uses, and refuses the file over any other (the native format: an unknown key).
    package static func parse<Records: JSONRecordSink>(_ source: SourceText, records: inout Records) throws -> JSONNode
    {
        try checkEncoding(source)
        return try withUnsafeMutablePointer(to: &records) { records in
            try parse(
                source, in: 0..<source.bytes.count, sink: Sink(records), hint: "a file holds exactly one JSON value")
        }
    }

    /// Refuses an empty file and one that is not UTF-8, before the parser reads it.
    private static func checkEncoding(_ source: SourceText) throws {
        let bytes = source.bytes
        if bytes.isEmpty {
            throw RedlineError(source, at: 0, "the file is empty", hint: "expected a JSON document")
        }
        if let encoding = Self.wideEncoding(bytes) {
            throw RedlineError(source, at: 0, "the file is \(encoding), not UTF-8", hint: "save it as UTF-8")
        }
        if let bad = firstInvalidUTF8(bytes) {
            throw RedlineError(
                source, at: bad, "invalid UTF-8 byte 0x\(hex(bytes[bad]))",
                hint: "save the file as UTF-8")
        }
    }

    /// Parses the one JSON document in `range` of a file whose UTF-8 was checked already (a line of
    /// JSON Lines, the JSON after a tool's notice): offsets in the tree and in errors are the file's.
    package static func parse(_ source: SourceText, in range: Range<Int>) throws -> JSONNode {
        try parse(source, in: range, sink: .keepEverything, hint: "a line holds exactly one JSON value")
    }

    private static func parse(_ source: SourceText, in range: Range<Int>, sink: Sink, hint: String) throws -> JSONNode {
        try source.bytes.withUnsafeBufferPointer { whole in
            // The parser stops at the end of its buffer: the file up to the end of the range.
            let buffer = UnsafeBufferPointer(rebasing: whole[0..<range.upperBound])
            var parser = Parser(bytes: buffer, sink: sink)
            parser.index = range.lowerBound
            do {
                parser.skipWhitespace()
                let node = try parser.parseValue(depth: 0)
                parser.skipWhitespace()
                if parser.index < buffer.count {
                    throw Failure(
                        offset: parser.index,
                        message: "unexpected \(parser.describe(parser.index)) after the end of the JSON document",
                        hint: hint)
                }
                return node
            } catch let failure as Failure {
                throw RedlineError(source, at: failure.offset, failure.message, hint: failure.hint)
            }
        }
    }

    /// `body` of the object at `range` (from brace to brace) scanned by the fast path, when it is
    /// flat (scalars and arrays of numbers without escapes, duplicate keys or anything unusual);
    /// nil, with `body` not called, otherwise: the caller then reads it with the full parser, which
    /// checks it and reports what is wrong.
    package static func scanFlat<Output>(
        _ source: SourceText, in range: Range<Int>, _ body: (FlatRecord) throws -> Output?
    ) rethrows -> Output? {
        try source.bytes.withUnsafeBufferPointer { whole in
            let buffer = UnsafeBufferPointer(rebasing: whole[0..<range.upperBound])
            var parser = Parser(bytes: buffer, sink: .keepEverything)
            parser.index = range.lowerBound
            guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "{"), parser.scanFlatObject(),
                parser.index == range.upperBound
            else { return nil }
            return try body(FlatRecord(object: parser.flat, bytes: buffer))
        }
    }

    /// The offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and
    /// code points past U+10FFFF included), or nil.
    /// The UTF-16 or UTF-32 encoding the bytes are in, by their byte-order mark or, without one,
    /// by the zero bytes around the first character (`"UTF-16 little-endian"`); nil for UTF-8.
    package static func wideEncoding(_ bytes: Bytes) -> String? {
        let head = Array(bytes.prefix(4))
        func zero(_ index: Int) -> Bool { index < head.count && head[index] == 0 }
        func nonzero(_ index: Int) -> Bool { index < head.count && head[index] != 0 }
        if head.starts(with: [0xFF, 0xFE, 0, 0]) || (head.count == 4 && nonzero(0) && zero(1) && zero(2) && zero(3)) {
            return "UTF-32 little-endian"
        }
        if head.starts(with: [0, 0, 0xFE, 0xFF]) || (head.count == 4 && zero(0) && zero(1) && zero(2) && nonzero(3)) {
            return "UTF-32 big-endian"
        }
        if head.starts(with: [0xFF, 0xFE]) || (nonzero(0) && zero(1)) { return "UTF-16 little-endian" }
        if head.starts(with: [0xFE, 0xFF]) || (zero(0) && nonzero(1)) { return "UTF-16 big-endian" }
        return nil
    }

    package static func firstInvalidUTF8(_ bytes: Bytes) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidUTF8($0) }
    }

    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        while index < count {
            // Eight ASCII bytes at a time: most of any metrics file.
            while index + 8 <= count
                && raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return index
            }
            if index + length > count { return index }
            let second = bytes[index + 1]
            if second < low || second > high { return index + 1 }
            var next = index + 2
            while next < index + length {
                if bytes[next] & 0xC0 != 0x80 { return next }
                next += 1
            }
            index += length
        }
        return nil
    }

    package static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 16 ? "0" + digits : digits
    }

    struct Failure: Error {
        var offset: Int
        var message: String
        var hint: String?
    }

    /// Exact powers of ten for the fast number path (Clinger): every one is a Double exactly.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A record sink's calls, for a parser that is not generic over its sink: the parser is then
    /// compiled once, here, at full speed, whichever layer's sink it serves (a generic one would
    /// run unspecialised for every sink of a layer above), and only the calls per element go
    /// through the sink's protocol.
    struct Sink {
        let accepts: (String, JSONNode) -> Bool
        let takeFlat: (FlatRecord) throws -> Void
        let takeObject: (ObjectRecord) throws -> Void
        let takeNonObject: (JSONNode) throws -> Void
        let takesNestedObjectsAsBytes: Bool

        /// The sink of a plain parse: every array stays in the tree.
        static var keepEverything: Sink {
            Sink(
                accepts: { _, _ in false }, takeFlat: { _ in }, takeObject: { _ in }, takeNonObject: { _ in },
                takesNestedObjectsAsBytes: false)
        }

        init(
            accepts: @escaping (String, JSONNode) -> Bool, takeFlat: @escaping (FlatRecord) throws -> Void,
            takeObject: @escaping (ObjectRecord) throws -> Void, takeNonObject: @escaping (JSONNode) throws -> Void,
            takesNestedObjectsAsBytes: Bool
        ) {
            (self.accepts, self.takeFlat, self.takeObject) = (accepts, takeFlat, takeObject)
            (self.takeNonObject, self.takesNestedObjectsAsBytes) = (takeNonObject, takesNestedObjectsAsBytes)
        }

        /// The calls of the sink at `records`, which outlives the parse.
        init<Records: JSONRecordSink>(_ records: UnsafeMutablePointer<Records>) {
            self.init(
                accepts: { records.pointee.accepts(key: $0, first: $1) }, takeFlat: { try records.pointee.take($0) },
                takeObject: { try records.pointee.take($0) },
                takeNonObject: { try records.pointee.take(nonObject: $0) },
                takesNestedObjectsAsBytes: records.pointee.takesNestedObjectsAsBytes)
        }
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        let sink: Sink
        /// The last record read by the fast path, its storage reused from record to record.
        var flat = JSONFlatObject()

        init(bytes: UnsafeBufferPointer<UInt8>, sink: Sink) {
            self.bytes = bytes
            self.sink = sink
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        /// Names the byte at `offset` for a message: a quoted character, a code, or the end of the file.
        func describe(_ offset: Int) -> String {
            guard offset < bytes.count else { return "end of file" }
            let byte = bytes[offset]
            if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            if byte < 0x80 { return "character U+00\(JSONReader.hex(byte))" }
            return "non-ASCII character"
        }

        func fail(_ message: String, at offset: Int? = nil, hint: String? = nil) -> Failure {
            Failure(offset: offset ?? index, message: message, hint: hint)
        }

        mutating func parseValue(depth: Int) throws -> JSONNode {
            guard index < bytes.count else {
                throw fail("unexpected end of file, expected a value", hint: "the file may be truncated")
            }
            let start = index
            switch bytes[index] {
            case UInt8(ascii: "{"): return JSONNode(value: try parseObject(depth: depth + 1), offset: start)
            case UInt8(ascii: "["): return JSONNode(value: try parseArray(depth: depth + 1), offset: start)
            case UInt8(ascii: "\""): return JSONNode(value: .string(try parseString()), offset: start)
            case UInt8(ascii: "t"):
                try expectWord("true")
                return JSONNode(value: .bool(true), offset: start)
            case UInt8(ascii: "f"):
                try expectWord("false")
                return JSONNode(value: .bool(false), offset: start)
            case UInt8(ascii: "n"):
                try expectWord("null")
                return JSONNode(value: .null, offset: start)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return JSONNode(value: .number(try parseNumber()), offset: start)
            default:
                throw unexpectedValueStart()
            }
        }

        func unexpectedValueStart() -> Failure {
            if hasWord("NaN") || hasWord("Infinity") || hasWord("-Infinity") || hasWord("+Infinity") {
                return fail("NaN and Infinity are not JSON numbers", hint: "values must be finite numbers")
            }
            switch bytes[index] {
            case UInt8(ascii: "/"):
                return fail("comments are not allowed in JSON", hint: "remove the comment")
            case UInt8(ascii: "'"):
                return fail("strings must use double quotes", hint: "replace ' with \"")
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                return fail(
                    "unexpected \(describe(index)), expected a value",
                    hint: "remove the trailing comma or add the missing value")
            default:
                return fail("unexpected \(describe(index)), expected a JSON value")
            }
        }

        func hasWord(_ word: String) -> Bool {
            let utf8 = Array(word.utf8)
            guard index + utf8.count <= bytes.count else { return false }
            for (offset, byte) in utf8.enumerated() where bytes[index + offset] != byte { return false }
            return true
        }

        mutating func expectWord(_ word: String) throws {
            guard hasWord(word) else {
                throw fail("unexpected \(describe(index)), expected a JSON value")
            }
            index += word.utf8.count
        }

        /// Steps into an array or object: checks the depth limit and steps over the opening bracket.
        /// Returns true when the container is empty, having stepped over its closing bracket too.
        mutating func enterContainer(depth: Int, closing: UInt8) throws -> Bool {
            if depth > JSONReader.maximumDepth {
                throw fail(
                    "arrays and objects nest deeper than \(JSONReader.maximumDepth) levels",
                    hint: "flatten the document")
            }
            index += 1
            skipWhitespace()
            guard index < bytes.count && bytes[index] == closing else { return false }
            index += 1
            return true
        }

        /// After an element of an array or object: steps over `,` (returns false) or the
        /// closing bracket (returns true).
        mutating func endOfElement(closing: UInt8, inside container: String) throws -> Bool {
            skipWhitespace()
            guard index < bytes.count else {
                throw fail("unexpected end of file inside \(container)", hint: "the file may be truncated")
            }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                return false
            case closing:
                index += 1
                return true
            default:
                throw fail("unexpected \(describe(index)), expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
        }

        mutating func parseObject(depth: Int) throws -> JSONValue {
            var members: [JSONMember] = []
            var keyIndex: [String: Int] = [:]
            if try enterContainer(depth: depth, closing: UInt8(ascii: "}")) { return .object(members) }
            while true {
                skipWhitespace()
                guard index < bytes.count else {
                    throw fail("unexpected end of file inside an object", hint: "the file may be truncated")
                }
                guard bytes[index] == UInt8(ascii: "\"") else {
                    if bytes[index] == UInt8(ascii: "}") {
                        throw fail("trailing comma before '}'", hint: "remove the comma")
                    }
                    throw fail("unexpected \(describe(index)), expected a quoted key")
                }
                let keyOffset = index
                let key = try parseString()
                let earlier: Int?
                if members.count < 16 {
                    earlier = members.firstIndex { $0.key == key }
                } else {
                    if keyIndex.isEmpty {
                        for (position, member) in members.enumerated() { keyIndex[member.key] = position }
                    }
                    earlier = keyIndex[key]
                }
                if let earlier {
                    throw DuplicateKey(key: key, offset: keyOffset, firstOffset: members[earlier].keyOffset)
                        .failure(in: bytes)
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw fail(
                        index < bytes.count
                            ? "unexpected \(describe(index)), expected ':' after the key"
                            : "unexpected end of file, expected ':'")
                }
                index += 1
                skipWhitespace()
                let value: JSONNode
                if depth == 1 && index < bytes.count && bytes[index] == UInt8(ascii: "[") {
                    let start = index
                    value = JSONNode(value: try parseArray(depth: depth + 1, streamingKey: key), offset: start)
                } else {
                    value = try parseValue(depth: depth)
                }
                if !keyIndex.isEmpty || members.count >= 16 { keyIndex[key] = members.count }
                members.append(JSONMember(key: key, keyOffset: keyOffset, node: value))
                if try endOfElement(closing: UInt8(ascii: "}"), inside: "an object") { return .object(members) }
            }
        }

        /// An array; with `streamingKey` (a member of the root object), its elements go to the
        /// record sink when it accepts the first one, and only the first stays in the tree.
        mutating func parseArray(depth: Int, streamingKey: String? = nil) throws -> JSONValue {
            var elements: [JSONNode] = []
            var streaming = false
            if try enterContainer(depth: depth, closing: UInt8(ascii: "]")) { return .array(elements) }
            while true {
                skipWhitespace()
                if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                    throw fail("trailing comma before ']'", hint: "remove the comma")
                }
                if streaming && index < bytes.count && bytes[index] == UInt8(ascii: "{") {
                    // The fast path: a flat record read without building a tree; anything it does not
                    // handle (nesting, escapes, a duplicate key) is read again the ordinary way below.
                    let start = index
                    if scanFlatObject() {
                        try sink.takeFlat(FlatRecord(object: flat, bytes: bytes))
                        if try endOfElement(closing: UInt8(ascii: "]"), inside: "an array") { return .array(elements) }
                        continue
                    }
                    index = start
                }
                let element = try parseValue(depth: depth)
                if elements.isEmpty, let streamingKey {
                    streaming = sink.accepts(streamingKey, element)
                    elements.append(element)
                    if streaming { try take(element) }
                } else if streaming {
                    try take(element)
                } else {
                    elements.append(element)
                }
                if try endOfElement(closing: UInt8(ascii: "]"), inside: "an array") { return .array(elements) }
            }
        }

        /// Hands a streamed element read as a tree to the record sink.
        mutating func take(_ element: JSONNode) throws {
            if let record = ObjectRecord(element) {
                try sink.takeObject(record)
            } else {
                try sink.takeNonObject(element)
            }
        }

        /// Reads one object of scalars (and arrays of numbers) at `index` into `flat`, without
        /// allocating a tree. Returns false, with `index` anywhere, for whatever it does not handle:
        /// nested objects, other arrays, escapes in strings, duplicate keys, any malformed input.
        /// The caller then reads the same bytes with the full parser, which reports the error.
        mutating func scanFlatObject() -> Bool {
            flat.removeAll()
            flat.offset = index
            index += 1
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                return true
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = scanPlainString() else {
                    return false
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                skipWhitespace()
                guard index < bytes.count else { return false }
                var member = JSONFlatObject.Member(key: key, kind: .null, valueOffset: index)
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let text = scanPlainString() else { return false }
                    member.kind = .string
                    member.text = text
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard let number = try? parseNumber() else { return false }
                    member.kind = .number
                    member.number = number
                case UInt8(ascii: "t"):
                    guard hasWord("true") else { return false }
                    index += 4
                    member.kind = .bool
                    member.number = 1
                case UInt8(ascii: "f"):
                    guard hasWord("false") else { return false }
                    index += 5
                    member.kind = .bool
                case UInt8(ascii: "n"):
                    guard hasWord("null") else { return false }
                    index += 4
                case UInt8(ascii: "["):
                    guard let numbers = scanNumberArray() else { return false }
                    member.kind = .numbers
                    member.numbers = numbers
                case UInt8(ascii: "{"):
                    guard sink.takesNestedObjectsAsBytes, let object = stepOverObject() else { return false }
                    member.kind = .object
                    member.text = object
                default:
                    return false
                }
                // Duplicate keys: compared as bytes (no escapes here, so equal bytes are equal keys).
                for earlier in flat.members where earlier.key.count == key.count {
                    if CLibrary.equalBytes(
                        bytes.baseAddress! + earlier.key.lowerBound, bytes.baseAddress! + key.lowerBound,
                        count: key.count)
                    {
                        return false
                    }
                }
                flat.members.append(member)
                guard let closed = stepPastSeparator(closing: UInt8(ascii: "}")) else { return false }
                if closed { return true }
            }
        }

        /// Steps over the object at `index` without parsing it, by counting brackets outside strings:
        /// its bytes from brace to closing brace. Whatever is wrong inside is found when the sink
        /// parses them (`NestedObject.node(in:)`); nil (the full parser then reads the element) at
        /// the end of the bytes or past a depth no record of redline's needs.
        mutating func stepOverObject() -> Range<Int>? {
            let start = index
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    index += 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    if depth > 16 { return nil }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return start..<index }
                default:
                    break
                }
            }
            return nil
        }

        /// The fast path's `endOfElement`: steps over `,` (false) or `closing` (true); nil, not an
        /// error, for anything else, so that the full parser reads the bytes again and says what is wrong.
        mutating func stepPastSeparator(closing: UInt8) -> Bool? {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") || bytes[index] == closing else { return nil }
            index += 1
            return bytes[index - 1] == closing
        }

        /// The byte range of a string without escapes or control characters, stepping over it; nil otherwise.
        mutating func scanPlainString() -> Range<Int>? {
            index += 1
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return start..<(index - 1)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        /// An array of numbers, appended to the record's number storage; nil for anything else.
        mutating func scanNumberArray() -> Range<Int>? {
            let first = flat.numbers.count
            index += 1
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                return first..<first
            }
            while true {
                skipWhitespace()
                let start = index
                guard index < bytes.count, bytes[index] == UInt8(ascii: "-") || isDigit(bytes[index]),
                    let number = try? parseNumber()
                else { return nil }
                flat.numbers.append(number)
                flat.numberOffsets.append(start)
                guard let closed = stepPastSeparator(closing: UInt8(ascii: "]")) else { return nil }
                if closed { return first..<flat.numbers.count }
            }
        }

        mutating func parseString() throws -> String {
            let open = index
            index += 1
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
                if byte < 0x20 { throw controlCharacter(byte) }
                index += 1
            }
            throw fail("unterminated string", at: open, hint: "the file may be truncated")
        }

        func controlCharacter(_ byte: UInt8) -> Failure {
            fail(
                "unescaped control character U+00\(JSONReader.hex(byte)) in a string",
                hint: byte == 0x0A ? "write a newline as \\n" : "escape it as \\u00\(JSONReader.hex(byte))")
        }

        /// The slow path for strings with escapes: bytes are copied into a buffer.
        mutating func parseEscapedString(from start: Int) throws -> String {
            var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: buffer, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    let escapeStart = index
                    index += 1
                    guard index < bytes.count else { break }
                    let code = bytes[index]
                    index += 1
                    switch code {
                    case UInt8(ascii: "\""): buffer.append(0x22)
                    case UInt8(ascii: "\\"): buffer.append(0x5C)
                    case UInt8(ascii: "/"): buffer.append(0x2F)
                    case UInt8(ascii: "b"): buffer.append(0x08)
                    case UInt8(ascii: "f"): buffer.append(0x0C)
                    case UInt8(ascii: "n"): buffer.append(0x0A)
                    case UInt8(ascii: "r"): buffer.append(0x0D)
                    case UInt8(ascii: "t"): buffer.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try parseHex4(escapeStart: escapeStart)
                        if (0xD800...0xDBFF).contains(scalar) {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                                bytes[index + 1] == UInt8(ascii: "u")
                            else {
                                throw fail(
                                    "lone UTF-16 surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string",
                                    at: escapeStart, hint: "a high surrogate must be followed by a low one")
                            }
                            index += 2
                            let low = try parseHex4(escapeStart: index - 2)
                            guard (0xDC00...0xDFFF).contains(low) else {
                                throw fail("invalid UTF-16 surrogate pair in a string", at: escapeStart)
                            }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            throw fail(
                                "lone UTF-16 surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string",
                                at: escapeStart, hint: "a low surrogate must follow a high one")
                        }
                        // Safe: surrogates were excluded above and four hex digits stay below U+10FFFF.
                        buffer.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                    default:
                        throw fail(
                            "invalid escape \\\(Character(Unicode.Scalar(code))) in a string", at: escapeStart,
                            hint: "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                    }
                    continue
                default:
                    if byte < 0x20 { throw controlCharacter(byte) }
                    buffer.append(byte)
                    index += 1
                    continue
                }
                break
            }
            throw fail("unterminated string", at: start - 1, hint: "the file may be truncated")
        }

        mutating func parseHex4(escapeStart: Int) throws -> UInt32 {
            guard index + 4 <= bytes.count else {
                throw fail("incomplete \\u escape in a string", at: escapeStart)
            }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape in a string: expected four hex digits", at: escapeStart)
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        mutating func parseNumber() throws -> Double {
            let start = index
            var negative = false
            if bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            var mantissa: UInt64 = 0
            var significantDigits = 0
            var decimalExponent = 0
            guard index < bytes.count, isDigit(bytes[index]) else {
                if hasWord("Infinity") {
                    throw fail(
                        "NaN and Infinity are not JSON numbers", at: start, hint: "values must be finite numbers")
                }
                throw fail("invalid number: expected a digit after '-'", at: start)
            }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) {
                    throw fail("invalid number: leading zeros are not allowed", at: start)
                }
            } else {
                while index < bytes.count, isDigit(bytes[index]) {
                    accumulate(
                        bytes[index], into: &mantissa, digits: &significantDigits, exponent: &decimalExponent,
                        fraction: false)
                    index += 1
                }
            }
            var sawFraction = false
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                sawFraction = true
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else {
                    throw fail("invalid number: expected a digit after '.'", at: start)
                }
                while index < bytes.count, isDigit(bytes[index]) {
                    accumulate(
                        bytes[index], into: &mantissa, digits: &significantDigits, exponent: &decimalExponent,
                        fraction: true)
                    index += 1
                }
            }
            let isInteger =
                !sawFraction
                && (index >= bytes.count
                    || (bytes[index] != UInt8(ascii: "e")
                        && bytes[index] != UInt8(ascii: "E")))
            // Past 2^53 a 64-bit float no longer holds every integer: such a literal could change
            // silently on reading.
            if isInteger
                && (significantDigits > 16 || (significantDigits == 16 && mantissa > 9_007_199_254_740_992)
                    || (significantDigits > 0 && decimalExponent > 0))
            {
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(index, start + 40)]), as: UTF8.self)
                throw fail(
                    "integer \(text)\(index - start > 40 ? "…" : "") is beyond 2^53, where a 64-bit float no longer holds every integer exactly",
                    at: start, hint: "write it with an exponent (such as 1.5e20) if an approximation is meant")
            }
            var exponentValue = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                var exponentNegative = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    exponentNegative = bytes[index] == UInt8(ascii: "-")
                    index += 1
                }
                guard index < bytes.count, isDigit(bytes[index]) else {
                    throw fail("invalid number: expected a digit in the exponent", at: start)
                }
                while index < bytes.count, isDigit(bytes[index]) {
                    if exponentValue < 100_000 {
                        exponentValue = exponentValue * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                    }
                    index += 1
                }
                if exponentNegative { exponentValue = -exponentValue }
            }
            let totalExponent = decimalExponent + exponentValue
            let value: Double
            if significantDigits <= 15 && abs(totalExponent) <= 22 {
                let magnitude = Double(mantissa)
                value =
                    totalExponent >= 0
                    ? magnitude * JSONReader.powersOfTen[totalExponent]
                    : magnitude / JSONReader.powersOfTen[-totalExponent]
            } else {
                value = slowParse(start..<index)
                if !value.isFinite {
                    throw fail(
                        "number \(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(index, start + 40)]), as: UTF8.self)) is out of range",
                        at: start, hint: "values must be finite and fit a 64-bit float (about ±1.8e308)")
                }
                return value
            }
            return negative ? -value : value
        }

        /// Adds one digit to the mantissa, or, past 19 digits, only to the exponent.
        @inline(__always)
        func accumulate(
            _ digit: UInt8, into mantissa: inout UInt64, digits: inout Int, exponent: inout Int, fraction: Bool
        ) {
            if mantissa == 0 && digit == UInt8(ascii: "0") {
                if fraction { exponent -= 1 }
                return
            }
            if digits < 19 {
                mantissa = mantissa * 10 + UInt64(digit - UInt8(ascii: "0"))
                digits += 1
                if fraction { exponent -= 1 }
            } else {
                digits += 1
                if !fraction { exponent += 1 }
            }
        }

        func slowParse(_ range: Range<Int>) -> Double {
            var text = Array(UnsafeBufferPointer(rebasing: bytes[range]))
            text.append(0)
            return text.withUnsafeBufferPointer { pointer in
                pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: pointer.count) {
                    CLibrary.parseDouble($0)
                }
            }
        }

        @inline(__always)
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }

    struct DuplicateKey {
        var key: String
        var offset: Int
        var firstOffset: Int

        func failure(in bytes: UnsafeBufferPointer<UInt8>) -> Failure {
            let first = SourceText(name: "", bytes: Array(bytes[0..<firstOffset])).position(of: firstOffset)
            let shown = key.unicodeScalars.count > 80 ? String(key.unicodeScalars.prefix(80)) + "…" : key
            return Failure(
                offset: offset,
                message: "duplicate key \"\(shown)\" (first at line \(first.line), column \(first.column))",
                hint: "each key may appear once per object")
        }
    }
}
