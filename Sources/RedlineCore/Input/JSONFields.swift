/// Reads the members of one JSON object for a decoder, with messages that point at the member.
///
/// Decoders take the keys they know; `unknownKeys` then names the ones nobody took,
/// so a typo in a key is an error instead of a silently ignored value.
struct ObjectFields {
    let source: SourceText
    let members: [JSONMember]
    /// What the object is, for messages: "budget rule \"apiResponseTime\"", "metric 3".
    /// Built only when a message needs it: most objects are fine, and large files have millions.
    private let describe: () -> String
    let offset: Int
    /// Which members a decoder took, by position.
    private var taken: [Bool]

    var what: String { describe() }

    init(_ node: JSONNode, source: SourceText, what: @escaping @autoclosure () -> String) throws {
        guard case .object(let members) = node.value else {
            throw RedlineError(source, at: node.offset, "\(what()) must be an object, got \(node.value.kindName)")
        }
        self.source = source
        self.members = members
        self.describe = what
        self.offset = node.offset
        self.taken = Array(repeating: false, count: members.count)
    }

    /// The value of `key`, if present; marks the key as known.
    mutating func take(_ key: String) -> JSONNode? {
        guard let index = members.firstIndex(where: { $0.key == key }) else { return nil }
        taken[index] = true
        return members[index].node
    }

    func error(_ node: JSONNode, _ message: String, hint: String? = nil) -> RedlineError {
        RedlineError(source, at: node.offset, message, hint: hint)
    }

    /// The string at `key`, or nil when absent; an error when it is not a string.
    mutating func string(_ key: String) throws -> String? {
        guard let node = take(key) else { return nil }
        guard case .string(let text) = node.value else {
            throw error(node, "`\(key)` of \(what) must be a string, got \(node.value.kindName)")
        }
        return text
    }

    /// The finite number at `key`, or nil when absent; an error when it is not a number.
    mutating func number(_ key: String) throws -> Double? {
        guard let node = take(key) else { return nil }
        return try JSONNumbers.number(node, source: source, what: "`\(key)` of \(what)")
    }

    /// One error per member whose key no decoder took, naming the keys that are allowed.
    func unknownKeys(allowed: [String]) -> [RedlineError] {
        zip(members, taken).filter { !$0.1 }.map(\.0).map { member in
            RedlineError(source, at: member.keyOffset, "unknown key \"\(member.key)\" in \(what)",
                         hint: "allowed keys are " + allowed.map { "`\($0)`" }.joined(separator: ", "))
        }
    }
}

/// Number checks shared by every decoder.
enum JSONNumbers {
    /// The node's number; an error naming `what` when it is anything else (a string "12" included).
    static func number(_ node: JSONNode, source: SourceText, what: String) throws -> Double {
        guard case .number(let value) = node.value else {
            let got: String
            if case .string(let text) = node.value { got = "the string \"\(text.prefix(40))\"" } else { got = node.value.kindName }
            throw RedlineError(source, at: node.offset, "\(what) must be a number, got \(got)",
                               hint: "write the number without quotes")
        }
        return value
    }
}
