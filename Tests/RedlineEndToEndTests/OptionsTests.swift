import Foundation
import Testing

/// Each option is declared once, with its type, default and range: the help states them, and the
/// parser holds every command to them. The cases come from the help itself, so an option added
/// with a range is tested without a line here.
@Suite("Options are checked as their declarations say")
struct OptionsTests {
    /// Every option of every command whose help states a range of whole numbers: command, option
    /// and the range's ends.
    static func ranges() throws -> [(command: String, option: String, low: Int, high: Int?)] {
        var found: [(String, String, Int, Int?)] = []
        for command in DocsTests.commands {
            for (option, help) in try DocsTests.options(command) {
                let name = String(option.prefix { $0 != " " })
                if let range = help.range(of: "a whole number from ") {
                    let numbers = help[range.upperBound...].prefix { $0 != ")" }.components(separatedBy: " to ")
                    found.append((command, name, Int(numbers[0])!, Int(numbers[1])!))
                } else if help.contains("a positive whole number") {
                    found.append((command, name, 1, nil))
                }
            }
        }
        return found
    }

    @Test("every whole-number option refuses the values just outside its range and takes its ends")
    func wholeNumberRanges() throws {
        let ranges = try Self.ranges()
        let workspace = try Workspace()
        // check --max-runs, ab --pairs, baseline update --history and --runs, --max-metrics: at least.
        #expect(ranges.count >= 10)
        for (command, option, low, high) in ranges {
            let words = command.split(separator: " ").map(String.init)
            var outside = [String(low - 1), "1.5", "ten"]
            if let high { outside.append(String(high + 1)) }
            for value in outside {
                let result = try Redline.run(words + [option, value], in: workspace.url)
                #expect(result.status == 2, "\(command) \(option) \(value)")
                #expect(
                    result.stderr.contains("\(option) must be a "), "\(command) \(option) \(value): \(result.stderr)")
            }
            for value in [low] + (high.map { [$0] } ?? []) {
                // The value is taken; the command may then stop for another reason (a missing --current)
                // or do its work in the empty workspace (init writes a starter budgets.json there).
                let result = try Redline.run(words + [option, String(value)], in: workspace.url)
                #expect(!result.stderr.contains("\(option) must be"), "\(command) \(option) \(value): \(result.stderr)")
            }
        }
    }

    @Test("help states each option's default once, from its declaration")
    func defaultsInHelp() throws {
        let check = Dictionary(uniqueKeysWithValues: try DocsTests.options("check"))
        #expect(
            check["--max-runs N"]
                == "most runs with --rerun, the first included (default 3; a whole number from 1 to 10)")
        #expect(check["--fail-on LEVEL"] == "the lowest severity that fails the run: error or warning (default error)")
        #expect(check["--max-input-size SIZE"] == "largest file read, e.g. 1GiB (default 512MiB)")
        #expect(check["--baseline FILE"] == "baseline file (default baselines/main.json)")
    }
}
