import RedlineModel

/// Reads the members of one JSON object for a decoder, with messages that point at the member.
///
/// Decoders take the keys they know; `unknownKeys` then names the ones nobody took, so a typo in
/// a key is an error instead of a silently ignored value. Works on any record: a parsed object or
/// a flat record of the reader's fast path.
///
/// Generic over the record, and used by the layers above (Input, Policy, Baseline): a package
/// generic is not inlined across targets, so its members that run once per record carry exported
/// specialisations for the two record types, or every reader would run them unspecialised.
package struct ObjectFields<Record: JSONRecord> {
    package let record: Record
    package let source: SourceText
    /// What the object is, for messages: "budget rule \"apiResponseTime\"", "metric 3".
    /// Built only when a message needs it: most objects are fine, and large files have millions.
    private let describe: () -> String
    /// Which members a decoder took: a bit per member for the first 64 (no allocation for the
    /// small objects of a large file), an array past that.
    private var takenBits: UInt64 = 0
    private var takenBeyond: [Bool] = []

    package var what: String { describe() }
    var offset: Int { record.offset }

    @_specialize(exported:true,where Record == FlatRecord)
    @_specialize(exported:true,where Record == ObjectRecord)
    package init(_ record: Record, source: SourceText, what: @escaping @autoclosure () -> String) {
        self.record = record
        self.source = source
        self.describe = what
        if record.count > 64 { takenBeyond = Array(repeating: false, count: record.count - 64) }
    }

    /// The index of the member `key`, if present; marks the key as known.
    @_specialize(exported:true,where Record == FlatRecord)
    @_specialize(exported:true,where Record == ObjectRecord)
    package mutating func take(_ key: StaticString) -> Int? {
        for index in 0..<record.count where record.key(index, is: key) {
            if index < 64 { takenBits |= 1 << UInt64(index) } else { takenBeyond[index - 64] = true }
            return index
        }
        return nil
    }

    func isTaken(_ index: Int) -> Bool {
        index < 64 ? takenBits & (1 << UInt64(index)) != 0 : takenBeyond[index - 64]
    }

    /// An error at the value of member `index`.
    package func error(at index: Int, _ message: String, hint: String? = nil) -> RedlineError {
        RedlineError(source, at: record.valueOffset(index), message, hint: hint)
    }

    /// The string at `key`, or nil when absent; an error when it is not a string.
    @_specialize(exported:true,where Record == FlatRecord)
    @_specialize(exported:true,where Record == ObjectRecord)
    package mutating func string(_ key: StaticString) throws -> String? {
        guard let index = take(key) else { return nil }
        guard let text = record.string(index) else {
            throw error(at: index, "`\(key)` of \(what) must be a string, got \(record.kindName(index))")
        }
        return text
    }

    /// The finite number at `key`, or nil when absent; an error when it is not a number.
    @_specialize(exported:true,where Record == FlatRecord)
    @_specialize(exported:true,where Record == ObjectRecord)
    package mutating func number(_ key: StaticString) throws -> Double? {
        guard let index = take(key) else { return nil }
        guard let number = record.number(index) else {
            throw JSONNumbers.notANumber(
                source, at: record.valueOffset(index), what: "`\(key)` of \(what)",
                got: record.string(index).map(JSONNumbers.quoted) ?? record.kindName(index))
        }
        return number
    }

    /// One error per member whose key no decoder took, naming the keys that are allowed.
    @_specialize(exported:true,where Record == FlatRecord)
    @_specialize(exported:true,where Record == ObjectRecord)
    package func unknownKeys(allowed: [String]) -> [RedlineError] {
        (0..<record.count).filter { !isTaken($0) }.map { index in
            RedlineError(
                source, at: record.keyOffset(index), "unknown key \"\(record.key(index))\" in \(what)",
                hint: "allowed keys are " + allowed.map { "`\($0)`" }.joined(separator: ", "))
        }
    }
}

extension ObjectFields where Record == ObjectRecord {
    /// The fields of `node`; an error naming `what` when it is not an object.
    package init(_ node: JSONNode, source: SourceText, what: @escaping @autoclosure () -> String) throws {
        guard let record = ObjectRecord(node) else {
            throw RedlineError(source, at: node.offset, "\(what()) must be an object, got \(node.value.kindName)")
        }
        self.init(record, source: source, what: what())
    }

    /// The value of `key` as a tree, if present; marks the key as known.
    package mutating func node(_ key: StaticString) -> JSONNode? {
        take(key).map(record.node)
    }

    /// An error at `node`, a value of this object.
    package func error(node: JSONNode, _ message: String, hint: String? = nil) -> RedlineError {
        RedlineError(source, at: node.offset, message, hint: hint)
    }
}

/// Number checks shared by every decoder.
package enum JSONNumbers {
    /// The node's number; an error naming `what` when it is anything else (a string "12" included).
    /// `what` is built only for the error: this runs for every entry of a baseline's windows.
    package static func number(_ node: JSONNode, source: SourceText, what: @autoclosure () -> String) throws -> Double {
        guard case .number(let value) = node.value else {
            throw notANumber(source, at: node.offset, what: what(), got: describe(node))
        }
        return value
    }

    /// The error for a value that should be a number.
    package static func notANumber(_ source: SourceText, at offset: Int, what: String, got: String) -> RedlineError {
        RedlineError(
            source, at: offset, "\(what) must be a number, got \(got)", hint: "write the number without quotes")
    }

    /// What a value is, for a message about a value that should have been a number.
    package static func describe(_ node: JSONNode) -> String {
        if case .string(let text) = node.value { return quoted(text) }
        return node.value.kindName
    }

    static func quoted(_ text: String) -> String { "the string \"\(text.prefix(40))\"" }
}
