import Foundation
import Testing

/// docs/commands.md says what `redline help` says: each command's options, with their values,
/// defaults and ranges, as one table per command between `<!-- options: COMMAND -->` and
/// `<!-- /options -->`. The tables are made from the help; a difference fails here.
@Suite("The documentation agrees with the help")
struct DocsTests {
    static let commands = [
        "check", "ab", "baseline update", "baseline fetch", "baseline show", "validate", "init", "convert", "calibrate",
    ]

    /// The option rows of `redline help COMMAND`: `(--name VALUE, help)`.
    static func options(_ command: String) throws -> [(String, String)] {
        let help = try Redline.run(["help"] + command.split(separator: " ").map(String.init), in: Redline.packageRoot)
            .stdout
        let lines = help.components(separatedBy: "\nOptions:\n").last?.split(separator: "\n") ?? []
        return lines.compactMap { line in
            let text = line.drop { $0 == " " }
            guard text.hasPrefix("--"), let gap = text.range(of: "  ") else { return nil }
            return (String(text[..<gap.lowerBound]), text[gap.upperBound...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// The markdown table docs/commands.md must hold for `command`.
    static func table(_ command: String) throws -> String {
        let rows = try options(command).filter { $0.0 != "--help" }.map { option, help in
            "| `\(option)` | \(help.replacingOccurrences(of: "|", with: "\\|")) |"
        }
        return (["| option | what it does |", "| --- | --- |"] + rows).joined(separator: "\n")
    }

    @Test("every command's options table in docs/commands.md is the one its help gives")
    func optionTables() throws {
        let url = Redline.packageRoot.appendingPathComponent("docs/commands.md")
        var text = try String(contentsOf: url, encoding: .utf8)
        let update = ProcessInfo.processInfo.environment["REDLINE_UPDATE_GOLDEN"] == "1"
        for command in Self.commands {
            let open = "<!-- options: \(command) -->\n"
            let close = "<!-- /options -->"
            let expected = try Self.table(command)
            guard let start = text.range(of: open),
                let end = text.range(of: close, range: start.upperBound..<text.endIndex)
            else {
                Issue.record("docs/commands.md has no options table for \(command); add:\n\(open)\(expected)\n\(close)")
                continue
            }
            let written = String(text[start.upperBound..<end.lowerBound])
            if update {
                text.replaceSubrange(start.upperBound..<end.lowerBound, with: expected + "\n")
            } else {
                #expect(
                    written == expected + "\n",
                    "docs/commands.md's table for \(command) differs from `redline help \(command)`; it should be:\n\(expected)"
                )
            }
        }
        if update { try text.write(to: url, atomically: true, encoding: .utf8) }
    }

    @Test("every default the help states is the default the docs state")
    func defaults() throws {
        // Defaults written in prose elsewhere in the docs: each must be the help's.
        let docs = try ["docs/commands.md", "docs/hardening.md", "docs/formats.md", "README.md"].map {
            try String(contentsOf: Redline.packageRoot.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
        #expect(docs.contains("default 512 MiB") || docs.contains("(default 512MiB)"))
        #expect(!docs.contains("up to 1 GiB"), "a limit other than --max-input-size's default is stated")
        for command in Self.commands {
            for (option, help) in try Self.options(command) {
                guard let range = help.range(of: "(default ") else { continue }
                let value = help[range.upperBound...].prefix { $0 != ")" && $0 != "," && $0 != ";" }
                #expect(
                    docs.contains("`\(option)`") || docs.contains(option), "\(command) \(option) is not in the docs")
                #expect(docs.contains(String(value)), "\(command) \(option): the default \(value) is not in the docs")
            }
        }
    }

    /// A format is one file in Input/Formats, one row in `MetricsFormats.all` and one row in the
    /// format table of docs/formats.md: the names `--format` takes (from the help) and the table's
    /// first column must be the same set, so a new format cannot ship undocumented.
    @Test("docs/formats.md's format table has one row for each name --format takes, and no other")
    func formatTable() throws {
        let help = try Redline.run(["help", "check"], in: Redline.packageRoot).stdout
        let line = try #require(help.split(separator: "\n").first { $0.contains("--format FORMAT ") })
        let list = try #require(line.range(of: "one of ")).upperBound
        let names = Set(
            line[list...].prefix { $0 != "(" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        ).subtracting(["auto"])
        let docs = try String(
            contentsOf: Redline.packageRoot.appendingPathComponent("docs/formats.md"), encoding: .utf8)
        var documented: [String] = []
        for row in docs.split(separator: "\n") where row.hasPrefix("| `") && !row.hasPrefix("| `--format`") {
            let cell = row.dropFirst(2).prefix { $0 != "|" }
            documented += cell.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .map { String($0.dropFirst().dropLast()) }
        }
        #expect(names.count > 30)
        #expect(documented.count == Set(documented).count, "a format has two rows")
        #expect(
            Set(documented) == names,
            "undocumented: \(names.subtracting(documented).sorted()); not formats: \(Set(documented).subtracting(names).sorted())"
        )
    }
}
