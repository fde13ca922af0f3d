import RedlineCore

/// One option a command accepts.
struct OptionSpec {
    /// The long name without dashes (`current`).
    let name: String
    /// What the value is, for help (`FILE`); nil for a flag without a value.
    let value: String?
    /// Whether it may be given more than once.
    let repeatable: Bool
    /// One line of help.
    let help: String

    init(_ name: String, value: String? = nil, repeatable: Bool = false, _ help: String) {
        self.name = name
        self.value = value
        self.repeatable = repeatable
        self.help = help
    }
}

/// A subcommand: its words, what it does, and the options it takes.
struct CommandSpec {
    /// The words that name it (`["baseline", "update"]`).
    let words: [String]
    /// One line for the command list.
    let summary: String
    /// The longer description for `redline help COMMAND`.
    let details: String
    /// Its options.
    let options: [OptionSpec]

    var name: String { words.joined(separator: " ") }

    var usage: String {
        let parts = options.map { option in
            option.value.map { "[--\(option.name) \($0)]\(option.repeatable ? "..." : "")" } ?? "[--\(option.name)]"
        }
        return "redline \(name) " + parts.joined(separator: " ")
    }

    var help: String {
        var text = "Usage: \(usage)\n\n\(details)\n\nOptions:\n"
        let width = options.map { "--\($0.name)\($0.value.map { " " + $0 } ?? "")".count }.max() ?? 0
        for option in options {
            let left = "--\(option.name)\(option.value.map { " " + $0 } ?? "")"
            text += "  " + left + String(repeating: " ", count: width - left.count + 2) + option.help + "\n"
        }
        text += "  --help" + String(repeating: " ", count: max(2, width - 4)) + "show this help\n"
        return text
    }
}

/// The options of one invocation, after parsing.
struct ParsedOptions {
    let command: CommandSpec
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []

    init(command: CommandSpec) {
        self.command = command
    }

    /// The last value of an option, or nil.
    func value(_ name: String) -> String? { values[name]?.last }
    /// Every value of a repeatable option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }
    /// Whether a flag was given.
    func has(_ name: String) -> Bool { flags.contains(name) }

    mutating func add(_ name: String, _ value: String) { values[name, default: []].append(value) }
    mutating func set(_ name: String) { flags.insert(name) }

    /// A usage error for this command: one line and where to find help.
    func usageError(_ message: String, hint: String? = nil) -> RedlineError {
        RedlineError(file: "", message: "redline \(command.name): \(message)",
                     hint: (hint.map { $0 + "; " } ?? "") + "run `redline help \(command.name)`")
    }
}

/// What the command line asks for.
enum Invocation {
    case run(ParsedOptions)
    case help(CommandSpec?)
    case version
}

/// The hand-rolled argument parser (redline has no package dependencies).
enum Arguments {
    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws -> Invocation {
        guard let first = arguments.first else { return .help(nil) }
        switch first {
        case "--help", "-h": return .help(nil)
        case "--version", "-V", "version": return .version
        case "help":
            let rest = Array(arguments.dropFirst())
            if rest.isEmpty { return .help(nil) }
            guard let spec = Commands.all.first(where: { $0.words == rest }) else {
                throw RedlineError(file: "", message: "redline help: no command called \"\(rest.joined(separator: " "))\"",
                                   hint: "commands are " + Commands.all.map(\.name).joined(separator: ", "))
            }
            return .help(spec)
        default: break
        }
        let matching = Commands.all
            .filter { arguments.starts(with: $0.words) }
            .max { $0.words.count < $1.words.count }
        guard let spec = matching else {
            if first == "baseline" {
                throw RedlineError(file: "", message: "redline baseline: expected `update` or `show`",
                                   hint: "run `redline help baseline update` or `redline help baseline show`")
            }
            throw RedlineError(file: "", message: "unknown command \"\(first)\"",
                               hint: "commands are " + Commands.all.map(\.name).joined(separator: ", ") + "; run `redline --help`")
        }
        var parsed = ParsedOptions(command: spec)
        var index = spec.words.count
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" { return .help(spec) }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw parsed.usageError("unexpected argument \"\(argument)\"; every input is given with an option such as --current FILE")
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = spec.options.first(where: { $0.name == name }) else {
                throw parsed.usageError("unknown option --\(name)")
            }
            if !option.repeatable && (parsed.value(name) != nil || parsed.has(name)) {
                throw parsed.usageError("--\(name) is given twice; give it once")
            }
            guard let valueName = option.value else {
                if inlineValue != nil { throw parsed.usageError("--\(name) takes no value") }
                parsed.set(name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else {
                    throw parsed.usageError("--\(name) needs a value (\(valueName))")
                }
                value = arguments[index]
                index += 1
            }
            if value.isEmpty { throw parsed.usageError("--\(name) needs a value (\(valueName)), got an empty one") }
            parsed.add(name, value)
        }
        return .run(parsed)
    }
}
