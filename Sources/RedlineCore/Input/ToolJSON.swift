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

    /// The number at `key` of `node`, nil when absent (or null); an error when it is something else.
    func optionalNumber(_ node: JSONNode, _ key: String, of what: String) throws -> Double? {
        guard let value = node[key], !value.isNull else { return nil }
        return try JSONNumbers.number(value, source: source, what: "`\(key)` of \(what)")
    }

    /// A count (a number or, as protobuf's JSON writes 64-bit integers, a string of digits) that is
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
        guard let node else {
            throw RedlineError(source, at: parent.offset, "\(what) is missing", hint: "the file may be truncated")
        }
        guard let members = node.members else {
            throw RedlineError(source, at: node.offset, "\(what) must be an object, got \(node.value.kindName)")
        }
        return members
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
        guard let value = node[key], !value.isNull else { return nil }
        guard let text = value.string else {
            throw RedlineError(
                source, at: value.offset, "`\(key)` of \(what) must be a string, got \(value.value.kindName)")
        }
        return text
    }
}
