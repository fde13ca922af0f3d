import RedlineCore

/// What an option takes, declared once with the option: the parser checks every value given
/// against it, so a command reads its options typed and in range; `--help` describes it, and
/// docs/commands.md's tables are the help's (a test compares them).
enum OptionValue: Hashable, Sendable {
    /// No value: a flag.
    case flag
    /// Any text but an empty one, shown as `placeholder` (`FILE`, `COMMAND`).
    case text(placeholder: String)
    /// A whole number in `range`.
    case whole(ClosedRange<Int>)
    /// A whole number from 0 to 2^64 - 1.
    case unsigned
    /// A percentage such as 10%: a fraction.
    case percentage
    /// A size such as 1GiB or 200MB, in whole bytes, at least 1 KiB.
    case size
    /// One of `names`, shown as `placeholder`.
    case choice(placeholder: String, names: [String])

    /// How help shows the value; nil for a flag.
    var placeholder: String? {
        switch self {
        case .flag: return nil
        case .text(let placeholder), .choice(let placeholder, _): return placeholder
        case .whole, .unsigned: return "N"
        case .percentage: return "PERCENT"
        case .size: return "SIZE"
        }
    }

    /// The value `text` stands for, or what is wrong with it (the end of "--name must be …") and
    /// a hint.
    func read(_ text: String) -> Result<OptionArgument, OptionProblem> {
        func problem(_ what: String, hint: String? = nil) -> Result<OptionArgument, OptionProblem> {
            .failure(OptionProblem(what: what, hint: hint))
        }
        switch self {
        case .flag, .text: return .success(.text(text))
        case .whole(let range):
            guard let number = Int(text), range.contains(number) else {
                return problem("\(Self.describe(range)), got \"\(text)\"")
            }
            return .success(.whole(number))
        case .unsigned:
            guard let number = UInt64(text) else { return problem("a whole number, got \"\(text)\"") }
            return .success(.unsigned(number))
        case .percentage:
            guard let fraction = Percentage.parse(text) else {
                return problem("a percentage such as 10%, got \"\(text)\"")
            }
            return .success(.fraction(fraction))
        case .size:
            guard let quantity = Quantity.parse(text), quantity.value > 0,
                let bytes = quantity.unit.map({ $0.convert(quantity.value, to: Unit("B")) }) ?? quantity.value,
                bytes.isFinite, bytes < 9e18
            else { return problem("a size such as 1GiB or 200MB, got \"\(text)\"") }
            guard bytes == bytes.rounded() else {
                return problem("a whole number of bytes, got \"\(text)\" (\(JSONWriter.number(bytes)) bytes)")
            }
            guard bytes >= 1024 else {
                return problem("at least 1KiB, got \"\(text)\"", hint: "no metrics file fits in less")
            }
            return .success(.whole(Int(bytes)))
        case .choice(_, let names):
            guard names.contains(text) else { return problem("\(Self.list(names)), got \"\(text)\"") }
            return .success(.text(text))
        }
    }

    /// What help says of the values beyond the placeholder: the names of a choice, the range of a
    /// whole number; nil when the placeholder says it all.
    var described: String? {
        switch self {
        case .choice(_, let names): return Self.list(names)
        case .whole(let range): return Self.describe(range)
        case .flag, .text, .unsigned, .percentage, .size: return nil
        }
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max {
            return range.lowerBound == 1 ? "a positive whole number" : "a whole number of at least \(range.lowerBound)"
        }
        return "a whole number from \(range.lowerBound) to \(range.upperBound)"
    }

    static func list(_ names: [String]) -> String {
        names.count == 2 ? "\(names[0]) or \(names[1])" : "one of " + names.joined(separator: ", ")
    }
}

/// An option's value, read and checked by the parser.
enum OptionArgument: Hashable, Sendable {
    case text(String)
    case whole(Int)
    case unsigned(UInt64)
    case fraction(Double)
}

/// Why a value does not fit its option.
struct OptionProblem: Error {
    /// The end of "--name must be …".
    let what: String
    let hint: String?
}

/// One option a command accepts, declared once: its name, what it takes, its default and its help.
/// Parsing, the checks of each value, `--help` and docs/commands.md all come from it. A command
/// reads its options only through these values and the typed reads of `ParsedOptions`; reading one
/// the command does not declare, or reading it as another type, stops at run time
/// (`ParsedOptions.argument`), on the first run of the command, which its end-to-end tests make.
struct OptionSpec: Hashable, Sendable {
    /// The long name without dashes (`current`).
    let name: String
    /// What it takes.
    let value: OptionValue
    /// Whether it may be given more than once.
    let repeatable: Bool
    /// What it does, for help; help adds the values, the default and the range.
    let help: String
    /// What a command reads when the option is absent, when that is one value.
    let defaultArgument: OptionArgument?
    /// The default as help states it: the value above, or words for a default that depends on
    /// something else (`REDLINE_REMOTE, else origin`).
    let defaultText: String?
    /// A hint for a value that is refused.
    let hint: String?

    private init(
        _ name: String, _ value: OptionValue, repeatable: Bool = false, default argument: OptionArgument? = nil,
        defaultText: String? = nil, hint: String? = nil, _ help: String
    ) {
        self.name = name
        self.value = value
        self.repeatable = repeatable
        self.help = help
        self.defaultArgument = argument
        self.hint = hint
        switch (defaultText, argument) {
        case (let text?, _): self.defaultText = text
        case (nil, .text(let text)?): self.defaultText = text
        case (nil, .whole(let number)?): self.defaultText = String(number)
        default: self.defaultText = nil
        }
    }

    /// A flag.
    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name, .flag, help) }

    /// Text shown as `placeholder`.
    static func text(
        _ name: String, _ placeholder: String, repeatable: Bool = false, default value: String? = nil,
        defaultText: String? = nil, _ help: String
    ) -> OptionSpec {
        OptionSpec(
            name, .text(placeholder: placeholder), repeatable: repeatable, default: value.map(OptionArgument.text),
            defaultText: defaultText, help)
    }

    /// A whole number in `range`.
    static func whole(
        _ name: String, _ range: ClosedRange<Int>, default value: Int? = nil, defaultText: String? = nil,
        hint: String? = nil, _ help: String
    ) -> OptionSpec {
        OptionSpec(
            name, .whole(range), default: value.map(OptionArgument.whole), defaultText: defaultText, hint: hint, help)
    }

    /// A whole number from 0 to 2^64 - 1.
    static func unsigned(_ name: String, defaultText: String? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name, .unsigned, defaultText: defaultText, help)
    }

    /// A percentage, read as a fraction.
    static func percentage(_ name: String, defaultText: String? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name, .percentage, defaultText: defaultText, help)
    }

    /// A size, read in bytes; help shows the default in the largest binary unit that divides it.
    static func size(_ name: String, default bytes: Int, _ help: String) -> OptionSpec {
        let unit = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")].first { bytes % $0.0 == 0 }
        let text = unit.map { "\(bytes / $0.0)\($0.1)" } ?? "\(bytes) bytes"
        return OptionSpec(name, .size, default: .whole(bytes), defaultText: text, help)
    }

    /// One of `names`.
    static func choice(
        _ name: String, _ placeholder: String, _ names: [String], default value: String, _ help: String
    ) -> OptionSpec {
        OptionSpec(name, .choice(placeholder: placeholder, names: names), default: .text(value), help)
    }

    /// The help line: what it does, the values it takes, its default.
    var helpText: String {
        var text = help
        if case .choice = value, let names = value.described { text += ": " + names }
        var notes: [String] = []
        if let defaultText { notes.append("default " + defaultText) }
        if case .whole = value, let range = value.described { notes.append(range) }
        if !notes.isEmpty { text += " (" + notes.joined(separator: "; ") + ")" }
        return text
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
            option.value.placeholder.map { "[--\(option.name) \($0)]\(option.repeatable ? "..." : "")" }
                ?? "[--\(option.name)]"
        }
        return "redline \(name) " + parts.joined(separator: " ")
    }

    var help: String {
        var text = "Usage: \(usage)\n\n\(details)\n\nOptions:\n"
        var rows = options.map { ["  --\($0.name)\($0.value.placeholder.map { " " + $0 } ?? "")", $0.helpText] }
        rows.append(["  --help", "show this help"])
        text += TextTable(rows).lines().joined(separator: "\n") + "\n"
        return text
    }
}

/// The options of one invocation, parsed and checked against their declarations. Read only
/// through the `OptionSpec`s the command declares, each with the read of its type: anything else
/// is a programmer error that the tests of every command would hit.
struct ParsedOptions {
    let command: CommandSpec
    private var arguments: [String: [OptionArgument]] = [:]
    private var flags: Set<String> = []

    init(command: CommandSpec) {
        self.command = command
    }

    /// The text of `option` (its last value), else its default, else nil.
    func text(_ option: OptionSpec) -> String? { text(of: argument(option), option) }

    /// `text(option)` when this command declares it, else the option's default: for the options
    /// of a group (the inputs) that commands take in part.
    func text(orDefault option: OptionSpec) -> String? { text(of: argumentOrDefault(option), option) }

    /// The text of an option declared with a default: given, else the default.
    func defaultedText(_ option: OptionSpec) -> String { present(text(option), option) }

    /// `text(orDefault:)` of an option declared with a default.
    func defaultedText(orDefault option: OptionSpec) -> String { present(text(orDefault: option), option) }

    /// Every value of a repeatable text `option`, in order.
    func texts(_ option: OptionSpec) -> [String] {
        declared(option)
        return (arguments[option.name] ?? []).map {
            guard case .text(let text) = $0 else { mistyped(option, "text") }
            return text
        }
    }

    /// Whether the flag `option` was given.
    func flag(_ option: OptionSpec) -> Bool {
        declared(option)
        return flags.contains(option.name)
    }

    /// The whole number (or size in bytes) of `option`, else its default, else nil.
    func whole(_ option: OptionSpec) -> Int? {
        guard let argument = argument(option) else { return nil }
        guard case .whole(let number) = argument else { mistyped(option, "a whole number") }
        return number
    }

    /// The unsigned whole number of `option`, or nil.
    func unsigned(_ option: OptionSpec) -> UInt64? {
        guard let argument = argument(option) else { return nil }
        guard case .unsigned(let number) = argument else { mistyped(option, "an unsigned number") }
        return number
    }

    /// The percentage of `option` as a fraction, or nil.
    func fraction(_ option: OptionSpec) -> Double? {
        guard let argument = argument(option) else { return nil }
        guard case .fraction(let fraction) = argument else { mistyped(option, "a percentage") }
        return fraction
    }

    /// The whole number of a limit with a default, which applies to commands that do not declare
    /// the option too.
    func limit(_ option: OptionSpec) -> Int {
        guard case .whole(let number)? = argumentOrDefault(option) else { mistyped(option, "a limit with a default") }
        return number
    }

    /// Whether `option` was given on the command line (not only defaulted).
    func given(_ option: OptionSpec) -> Bool {
        declared(option)
        return given(option.name)
    }

    /// Whether this command declares `option` (a group of options that commands take in part).
    func declares(_ option: OptionSpec) -> Bool { command.options.contains(option) }

    /// The value given, else the declared default.
    private func argument(_ option: OptionSpec) -> OptionArgument? {
        declared(option)
        return arguments[option.name]?.last ?? option.defaultArgument
    }

    /// `argument(option)` when this command declares the option, else its default.
    private func argumentOrDefault(_ option: OptionSpec) -> OptionArgument? {
        declares(option) ? argument(option) : option.defaultArgument
    }

    /// The text of an option with a default, which is never absent.
    private func present(_ text: String?, _ option: OptionSpec) -> String {
        guard let text else { mistyped(option, "text with a default") }
        return text
    }

    private func text(of argument: OptionArgument?, _ option: OptionSpec) -> String? {
        guard let argument else { return nil }
        guard case .text(let text) = argument else { mistyped(option, "text") }
        return text
    }

    private func declared(_ option: OptionSpec) {
        precondition(command.options.contains(option), "redline \(command.name) does not declare --\(option.name)")
    }

    private func mistyped(_ option: OptionSpec, _ type: String) -> Never {
        preconditionFailure("--\(option.name) of redline \(command.name) is not read as \(type)")
    }

    fileprivate mutating func add(_ name: String, _ argument: OptionArgument) {
        arguments[name, default: []].append(argument)
    }
    fileprivate mutating func set(_ name: String) { flags.insert(name) }
    fileprivate func given(_ name: String) -> Bool { arguments[name] != nil || flags.contains(name) }

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
            guard let valueName = option.value.placeholder else {
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
            switch option.value.read(value) {
            case .success(let argument): parsed.add(name, argument)
            case .failure(let problem):
                throw parsed.usageError("--\(name) must be \(problem.what)", hint: problem.hint ?? option.hint)
            }
        }
        return .run(command, parsed)
    }
}
