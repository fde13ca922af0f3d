import RedlineCore

/// One option a command accepts. A command reads its options only through these values, so a
/// misspelt option is a compile error, never a silently absent value; reading one the command
/// does not declare stops at run time (`ParsedOptions.declared`), on the first run of the
/// command, which every command's end-to-end tests make.
struct OptionSpec: Hashable, Sendable {
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
struct CommandSpec: Sendable {
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
        var rows = options.map { ["  --\($0.name)\($0.value.map { " " + $0 } ?? "")", $0.help] }
        rows.append(["  --help", "show this help"])
        text += TextTable(rows).lines().joined(separator: "\n") + "\n"
        return text
    }
}

/// The options of one invocation, after parsing. Read only through the `OptionSpec`s the command
/// declares: asking for another is a programmer error that the tests of every command would hit.
struct ParsedOptions {
    let command: CommandSpec
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    init(command: CommandSpec) {
        self.command = command
    }

    /// The last value of `option`, or nil.
    func value(_ option: OptionSpec) -> String? {
        declared(option)
        return values[option.name]?.last
    }
    /// Every value of a repeatable `option`, in order.
    func values(_ option: OptionSpec) -> [String] {
        declared(option)
        return values[option.name] ?? []
    }
    /// Whether the flag `option` was given.
    func has(_ option: OptionSpec) -> Bool {
        declared(option)
        return flags.contains(option.name)
    }

    /// The value of `option` when this command declares it (a shared group of options read by
    /// commands that take only some of them), else nil.
    func value(ifDeclared option: OptionSpec) -> String? { command.options.contains(option) ? value(option) : nil }
    /// Every value of `option` when this command declares it, else none.
    func values(ifDeclared option: OptionSpec) -> [String] { command.options.contains(option) ? values(option) : [] }

    private func declared(_ option: OptionSpec) {
        precondition(command.options.contains(option), "redline \(command.name) does not declare --\(option.name)")
    }

    fileprivate mutating func add(_ name: String, _ value: String) { values[name, default: []].append(value) }
    fileprivate mutating func set(_ name: String) { flags.insert(name) }
    fileprivate func given(_ name: String) -> Bool { values[name] != nil || flags.contains(name) }

    /// A usage error for this command: one line and where to find help.
    func usageError(_ message: String, hint: String? = nil) -> RedlineError {
        RedlineError(
            file: "", message: "redline \(command.name): \(message)",
            hint: (hint.map { $0 + "; " } ?? "") + "run `redline help \(command.name)`")
    }
}

/// What the command line asks for.
enum Invocation {
    case run(any Command.Type, ParsedOptions)
    case help(CommandSpec?)
    case version
}

/// The hand-rolled argument parser (redline has no package dependencies).
enum Arguments {
    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws -> Invocation {
        let specs = Commands.all.map { $0.spec }
        guard let first = arguments.first else { return .help(nil) }
        switch first {
        case "--help", "-h": return .help(nil)
        case "--version", "-V", "version": return .version
        case "help":
            let rest = Array(arguments.dropFirst())
            if rest.isEmpty { return .help(nil) }
            guard let spec = specs.first(where: { $0.words == rest }) else {
                throw RedlineError(
                    file: "", message: "redline help: no command called \"\(rest.joined(separator: " "))\"",
                    hint: "commands are " + specs.map(\.name).joined(separator: ", "))
            }
            return .help(spec)
        default: break
        }
        guard
            let command = Commands.all.filter({ arguments.starts(with: $0.spec.words) })
                .max(by: { $0.spec.words.count < $1.spec.words.count })
        else {
            if first == "baseline" {
                throw RedlineError(
                    file: "", message: "redline baseline: expected `update`, `fetch` or `show`",
                    hint:
                        "run `redline help baseline update`, `redline help baseline fetch` or `redline help baseline show`"
                )
            }
            throw RedlineError(
                file: "", message: "unknown command \"\(first)\"",
                hint: "commands are " + specs.map(\.name).joined(separator: ", ") + "; run `redline --help`")
        }
        let spec = command.spec
        var parsed = ParsedOptions(command: spec)
        var index = spec.words.count
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" { return .help(spec) }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw parsed.usageError(
                    "unexpected argument \"\(argument)\"; every input is given with an option such as --current FILE")
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
            if !option.repeatable && parsed.given(name) {
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
        return .run(command, parsed)
    }
}
