import RedlineModel

/// One JSON object as a decoder reads it: parsed into a tree (`ObjectRecord`), or scanned flat
/// from the bytes (`FlatRecord`, the reader's fast path for the elements of a large array, which
/// builds no tree). Both give the same members, keys, values and offsets, so a format decodes an
/// object with one generic function, and its errors are the same whichever way the object was read.
package protocol JSONRecord {
    /// Byte offset of the opening brace.
    var offset: Int { get }
    /// How many members the object has.
    var count: Int { get }
    /// Whether the key of member `index` is `key`.
    func key(_ index: Int, is key: StaticString) -> Bool
    /// The key of member `index`.
    func key(_ index: Int) -> String
    /// Byte offset of member `index`'s key (its opening quote).
    func keyOffset(_ index: Int) -> Int
    /// Byte offset of member `index`'s value.
    func valueOffset(_ index: Int) -> Int
    /// A word for the type of member `index`'s value, for messages ("a string", "an array").
    func kindName(_ index: Int) -> String
    /// Member `index`'s string; nil when it is not a string.
    func string(_ index: Int) -> String?
    /// Member `index`'s number; nil when it is not a number.
    func number(_ index: Int) -> Double?
    /// Member `index`'s boolean; nil when it is not a boolean.
    func bool(_ index: Int) -> Bool?
    /// The numbers of an array member that holds only numbers; nil for anything else.
    func numbers(_ index: Int) -> [Double]?
    /// How many elements an array member has; nil when it is not an array.
    func elementCount(_ index: Int) -> Int?
    /// Element `position` of an array member: where it is, and its number or, when it is not a
    /// number, what it is (`the string "12"`, `an object`).
    func element(_ index: Int, _ position: Int) -> (offset: Int, number: Double?, description: String)
    /// Member `index`'s value when it is an object: its tree, or where the fast path stepped over it.
    func object(_ index: Int) -> NestedObject?
}

/// An object inside a record: a tree already, or the bytes of it in the file, parsed when asked
/// for, so that a sink can hold many (a baseline's histories) without holding their trees.
package enum NestedObject: Sendable {
    case node(JSONNode)
    case bytes(Range<Int>)

    /// Byte offset of the opening brace.
    package var offset: Int {
        switch self {
        case .node(let node): return node.offset
        case .bytes(let range): return range.lowerBound
        }
    }

    /// The tree, parsed from `source` when only its bytes were kept; whatever the fast path stepped
    /// over unchecked is checked here, with the file's line and column.
    package func node(in source: SourceText) throws -> JSONNode {
        switch self {
        case .node(let node): return node
        case .bytes(let range): return try JSONReader.parse(source, in: range)
        }
    }

    /// The object read by `decoder`: from the bytes by the fast path when the object is flat
    /// (scalars and arrays of numbers, as `JSONReader` scans the elements of a large array), else
    /// as a tree, which the decoder gets too when it gives nil for the flat record.
    package func decode<Decoder: JSONRecordDecoder>(in source: SourceText, with decoder: Decoder) throws
        -> Decoder.Output
    {
        switch self {
        case .node(let node):
            // A nested object is an object by construction, and a decoder reads every tree.
            guard let record = ObjectRecord(node), let decoded = try decoder.decode(record) else {
                throw RedlineError(source, at: node.offset, "redline could not read this object", hint: "report it")
            }
            return decoded
        case .bytes(let range):
            if let decoded = try JSONReader.scanFlat(source, in: range, { try decoder.decode($0) }) { return decoded }
            return try NestedObject.node(try JSONReader.parse(source, in: range)).decode(in: source, with: decoder)
        }
    }
}

/// Decodes one kind of object from either record, the flat one of the fast path or a tree's.
package protocol JSONRecordDecoder {
    associatedtype Output
    /// The decoded value; nil only for a flat record the decoder cannot read, which is then read
    /// as a tree and decoded again.
    func decode<Record: JSONRecord>(_ record: Record) throws -> Output?
}

/// An object of a parsed tree, as a record.
package struct ObjectRecord: JSONRecord {
    package let node: JSONNode
    package let members: [JSONMember]

    /// The record of `node`; nil when it is not an object.
    package init?(_ node: JSONNode) {
        guard case .object(let members) = node.value else { return nil }
        self.node = node
        self.members = members
    }

    package var offset: Int { node.offset }
    package var count: Int { members.count }

    package func key(_ index: Int, is key: StaticString) -> Bool {
        members[index].key.utf8.elementsEqual(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    package func key(_ index: Int) -> String { members[index].key }
    package func keyOffset(_ index: Int) -> Int { members[index].keyOffset }
    package func valueOffset(_ index: Int) -> Int { members[index].node.offset }
    package func kindName(_ index: Int) -> String { members[index].node.value.kindName }
    package func string(_ index: Int) -> String? { members[index].node.string }
    package func number(_ index: Int) -> Double? { members[index].node.number }

    package func bool(_ index: Int) -> Bool? {
        if case .bool(let flag) = members[index].node.value { return flag }
        return nil
    }

    package func numbers(_ index: Int) -> [Double]? {
        guard let elements = members[index].node.elements else { return nil }
        var numbers: [Double] = []
        numbers.reserveCapacity(elements.count)
        for element in elements {
            guard let number = element.number else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    package func elementCount(_ index: Int) -> Int? { members[index].node.elements?.count }

    package func element(_ index: Int, _ position: Int) -> (offset: Int, number: Double?, description: String) {
        let element = members[index].node.elements![position]
        return (element.offset, element.number, JSONNumbers.describe(element))
    }

    package func object(_ index: Int) -> NestedObject? {
        members[index].node.members != nil ? .node(node(index)) : nil
    }

    /// Member `index`'s value as a tree, for values a record view does not cover.
    package func node(_ index: Int) -> JSONNode { members[index].node }
}

/// An object of scalars and arrays of numbers read without a tree: keys and strings are byte
/// ranges of the file (never escaped), so a decoder makes a `String` only of what it keeps.
struct JSONFlatObject: Sendable {
    enum Kind: Sendable { case null, bool, number, string, numbers, object }

    struct Member: Sendable {
        /// The key's bytes, without quotes.
        var key: Range<Int>
        var kind: Kind
        /// Byte offset of the value's first character.
        var valueOffset: Int
        /// The number, or 1/0 for a boolean.
        var number: Double = 0
        /// A string's bytes, without quotes; an object's bytes, braces included.
        var text: Range<Int> = 0..<0
        /// An array's numbers, as a range of `numbers` (and of `numberOffsets`).
        var numbers: Range<Int> = 0..<0
    }

    /// Byte offset of the opening brace.
    var offset = 0
    var members: [Member] = []
    /// The numbers of every array in the object.
    var numbers: [Double] = []
    /// Where each of `numbers` is.
    var numberOffsets: [Int] = []

    mutating func removeAll() {
        members.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        numberOffsets.removeAll(keepingCapacity: true)
    }
}

/// A flat object with the bytes its ranges point into.
package struct FlatRecord: JSONRecord {
    let object: JSONFlatObject
    let bytes: UnsafeBufferPointer<UInt8>

    package var offset: Int { object.offset }
    package var count: Int { object.members.count }

    package func key(_ index: Int, is key: StaticString) -> Bool {
        let range = object.members[index].key
        return range.count == key.utf8CodeUnitCount
            && (range.isEmpty || bytes[range.lowerBound] == key.utf8Start.pointee)
            && CLibrary.equalBytes(bytes.baseAddress! + range.lowerBound, key.utf8Start, count: range.count)
    }

    package func key(_ index: Int) -> String { text(object.members[index].key) }
    package func keyOffset(_ index: Int) -> Int { object.members[index].key.lowerBound - 1 }
    package func valueOffset(_ index: Int) -> Int { object.members[index].valueOffset }

    package func kindName(_ index: Int) -> String {
        switch object.members[index].kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .numbers: return "an array"
        case .object: return "an object"
        }
    }

    package func string(_ index: Int) -> String? {
        let member = object.members[index]
        return member.kind == .string ? text(member.text) : nil
    }

    package func number(_ index: Int) -> Double? {
        let member = object.members[index]
        return member.kind == .number ? member.number : nil
    }

    package func bool(_ index: Int) -> Bool? {
        let member = object.members[index]
        return member.kind == .bool ? member.number == 1 : nil
    }

    package func numbers(_ index: Int) -> [Double]? {
        let member = object.members[index]
        return member.kind == .numbers ? Array(object.numbers[member.numbers]) : nil
    }

    package func elementCount(_ index: Int) -> Int? {
        let member = object.members[index]
        return member.kind == .numbers ? member.numbers.count : nil
    }

    package func element(_ index: Int, _ position: Int) -> (offset: Int, number: Double?, description: String) {
        let slot = object.members[index].numbers.lowerBound + position
        return (object.numberOffsets[slot], object.numbers[slot], "a number")
    }

    package func object(_ index: Int) -> NestedObject? {
        let member = object.members[index]
        return member.kind == .object ? .bytes(member.text) : nil
    }

    /// A string of the file's bytes (already checked to be UTF-8).
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// Receives, one at a time, the elements of a large array in the root object of a document being
/// read (see `JSONReader.parse(_:records:)`): a flat record when the fast path could scan the
/// element, else the parsed object, else (not an object at all) the element's tree.
package protocol JSONRecordSink {
    /// Whether the elements of the array at `key` of the root object, whose first element is
    /// `first`, come here one at a time; false keeps the array in the tree.
    mutating func accepts(key: String, first: JSONNode) -> Bool
    /// One element of an accepted array that the fast path read.
    mutating func take(_ record: FlatRecord) throws
    /// One element of an accepted array that is an object, read as a tree.
    mutating func take(_ record: ObjectRecord) throws
    /// One element of an accepted array that is not an object.
    mutating func take(nonObject element: JSONNode) throws
    /// Whether the fast path may step over an object inside an element and hand over its bytes
    /// (`NestedObject.bytes`) instead of reading the whole element as a tree. A sink that says yes
    /// must parse every such object it is given, or nothing checks its bytes.
    var takesNestedObjectsAsBytes: Bool { get }
}

extension JSONRecordSink {
    package var takesNestedObjectsAsBytes: Bool { false }
}
