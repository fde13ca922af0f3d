import RedlineModel

/// A JSON value read by `JSONReader`, with the byte offset of every node so
/// that later stages can point at the exact line and column of a problem.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([JSONMember])
}

/// A JSON value and where it starts in its file.
public struct JSONNode: Sendable {
    /// The value.
    public var value: JSONValue
    /// Byte offset of the value's first character.
    public var offset: Int

    package init(value: JSONValue, offset: Int) {
        (self.value, self.offset) = (value, offset)
    }
}

/// One `"key": value` pair of a JSON object, in file order.
public struct JSONMember: Sendable {
    /// The key, unescaped.
    public var key: String
    /// Byte offset of the key's opening quote.
    public var keyOffset: Int
    /// The value.
    public var node: JSONNode
}

extension JSONValue {
    /// A word for the value's type, for messages ("an object", "a string").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Whether the value is JSON `true`.
    package var isTrue: Bool {
        if case .bool(true) = self { return true }
        return false
    }
}

/// Navigation for reading other tools' JSON: optional look-ups that never throw.
extension JSONNode {
    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    /// The number, or nil for anything else.
    public var number: Double? {
        if case .number(let number) = value { return number }
        return nil
    }

    /// The string, or nil for anything else.
    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// The elements of an array, or nil.
    public var elements: [JSONNode]? {
        if case .array(let elements) = value { return elements }
        return nil
    }

    /// The members of an object, or nil.
    public var members: [JSONMember]? {
        if case .object(let members) = value { return members }
        return nil
    }

    /// Whether the node is JSON null.
    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }
}
