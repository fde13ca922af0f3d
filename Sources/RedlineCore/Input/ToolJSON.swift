import RedlineModel
import RedlineJSON

/// Reads the members of a tool's JSON document with errors that point at the member: a missing
/// key, a string where a number belongs, `null` where a count belongs. (Tools add keys from
/// version to version, so unknown keys are ignored, unlike in redline's own format.)
struct ToolJSON {
    let source: SourceText

    init(_ source: SourceText) {
        self.source = source
    }

    /// The number at `key` of `node`; an error naming `what` when it is absent or not a number.
    func number(_ node: JSONNode, _ key: String, of what: String) throws -> Double {
        guard let value = node[key] else {
            throw RedlineError(
                source, at: node.offset, "\(what) has no `\(key)`",
                hint: "the file may be truncated or from another tool")
        }
        return try JSONNumbers.number(value, source: source, what: "`\(key)` of \(what)")
    }

    /// The member `key` of `node`, nil when it is absent or `null`: the one rule for an optional member.
    func present(_ node: JSONNode, _ key: String) -> JSONNode? {
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    /// The number at `key` of `node`, nil when absent (or null); an error when it is something else.
    func optionalNumber(_ node: JSONNode, _ key: String, of what: String) throws -> Double? {
        guard let value = present(node, key) else { return nil }
        return try JSONNumbers.number(value, source: source, what: "`\(key)` of \(what)")
    }

    /// A count (a number or, as protobuf's JSON writes 64-bit integers, a number in a string) that is
    /// finite and not negative; an error at the value otherwise.
    func count(_ value: JSONNode, what: String) throws -> Double {
        let number: Double?
        switch value.value {
        case .number(let plain): number = plain
        case .string(let text): number = Double(text)
        default: number = nil
        }
        guard let number, number.isFinite, number >= 0 else {
            throw RedlineError(
                source, at: value.offset, "\(what) must be a count (a number ≥ 0), got \(JSONNumbers.describe(value))")
        }
        return number
    }

    /// The members of the object `node`; an error naming `what` when it is not an object.
    func object(_ node: JSONNode?, _ what: String, in parent: JSONNode) throws -> [JSONMember] {
        try objectNode(node, what, in: parent).members ?? []
    }

    /// `node` when it is an object; an error naming `what` when it is absent or something else.
    func objectNode(_ node: JSONNode?, _ what: String, in parent: JSONNode) throws -> JSONNode {
        guard let node else {
            throw RedlineError(source, at: parent.offset, "\(what) is missing", hint: "the file may be truncated")
        }
        guard node.members != nil else {
            throw RedlineError(source, at: node.offset, "\(what) must be an object, got \(node.value.kindName)")
        }
        return node
    }

    /// The elements of the array `node`; an error naming `what` when it is not an array.
    func array(_ node: JSONNode?, _ what: String, in parent: JSONNode) throws -> [JSONNode] {
        guard let node else {
            throw RedlineError(source, at: parent.offset, "\(what) is missing", hint: "the file may be truncated")
        }
        guard let elements = node.elements else {
            throw RedlineError(source, at: node.offset, "\(what) must be an array, got \(node.value.kindName)")
        }
        return elements
    }

    /// The string at `key` of `node`, nil when absent; an error when it is something else.
    func optionalString(_ node: JSONNode, _ key: String, of what: String) throws -> String? {
        guard let value = present(node, key) else { return nil }
        guard let text = value.string else {
            throw RedlineError(
                source, at: value.offset, "`\(key)` of \(what) must be a string, got \(value.value.kindName)")
        }
        return text
    }
}

/// One object of a tool's JSON document, read member by member with `ToolJSON`'s one rule:
/// - a member that is absent or `null` is nil, or, when it is required, an error naming the object;
/// - a member of another type than the one asked for is an error at the member, never skipped;
/// - a number is a JSON number (a quoted number is an error), except a count, which may also be a
///   number in a string, as protobuf's JSON writes 64-bit integers.
struct ToolObject {
    /// The object.
    let node: JSONNode
    /// What the object is, for messages: "`latency`", "autocannon's result".
    let what: String
    let json: ToolJSON

    init(_ node: JSONNode, _ what: String, source: SourceText) {
        self.node = node
        self.what = what
        json = ToolJSON(source)
    }

    /// The member `key` as it is, for detection-like reads and positions.
    subscript(key: String) -> JSONNode? { node[key] }

    /// Where the member `key` is (the object itself when it is absent), for a metric's position.
    func offset(of key: String) -> Int { node[key]?.offset ?? node.offset }

    /// The number at `key`; an error when it is absent or not a number.
    func number(_ key: String) throws -> Double { try json.number(node, key, of: what) }

    /// The number at `key`, nil when absent or null; an error when it is something else.
    func optionalNumber(_ key: String) throws -> Double? { try json.optionalNumber(node, key, of: what) }

    /// The string at `key`, nil when absent or null; an error when it is something else.
    func optionalString(_ key: String) throws -> String? { try json.optionalString(node, key, of: what) }

    /// The object at `key`, named `` `key` ``; an error when it is absent or not an object.
    func object(_ key: String) throws -> ToolObject {
        ToolObject(try json.objectNode(node[key], "`\(key)`", in: node), "`\(key)`", source: json.source)
    }

    /// The object at `key`, nil when absent or null; an error when it is something else.
    func optionalObject(_ key: String) throws -> ToolObject? {
        guard json.present(node, key) != nil else { return nil }
        return try object(key)
    }

    /// The array at `key`; an error when it is absent or not an array.
    func array(_ key: String) throws -> [JSONNode] { try json.array(node[key], "`\(key)`", in: node) }

    /// The array at `key`, nil when absent or null; an error when it is something else.
    func optionalArray(_ key: String) throws -> [JSONNode]? {
        guard json.present(node, key) != nil else { return nil }
        return try array(key)
    }

    /// The numbers of the array at `key`, nil when absent or null; an error at the first element
    /// that is not a number, which `each` names (by default "an element of `key` of WHAT").
    func optionalNumbers(_ key: String, each: String? = nil) throws -> [Double]? {
        try optionalArray(key)?.map {
            try JSONNumbers.number($0, source: json.source, what: each ?? "an element of `\(key)` of \(what)")
        }
    }
}
