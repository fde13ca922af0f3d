import Foundation
import Testing
import RedlineCore
@testable import RedlineModel
@testable import RedlineJSON
@testable import RedlineInput
@testable import RedlinePolicy
@testable import RedlineHistory
@testable import RedlineVerdict
@testable import RedlineBaseline
@testable import RedlineReport

/// callgrind's and cachegrind's output (`Tests/Corpus/valgrind-3.19.0`, written by valgrind 3.19.0
/// on fib.c by scripts/real-tools/valgrind.sh): the program's totals, one metric per event.
@Suite("valgrind: callgrind and cachegrind output")
struct ValgrindTests {
    /// The per-line costs of a cachegrind file summed by a reader that knows nothing of totals:
    /// an independent reference for the `summary:` line redline reads.
    static func summedCosts(_ text: String) -> [Double] {
        var sums: [Double] = []
        for line in text.split(separator: "\n") where line.first?.isNumber == true {
            let fields = line.split(separator: " ").dropFirst().map { Double($0) ?? 0 }
            if sums.count < fields.count { sums += [Double](repeating: 0, count: fields.count - sums.count) }
            for (index, value) in fields.enumerated() { sums[index] += value }
        }
        return sums
    }

    @Test(
        "each file is detected, named after its benchmark, and its totals are its costs summed",
        arguments: [
            ("cachegrind.out.fib20", "fib20", ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"]),
            (
                "cachegrind.out.branches", "branches",
                ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw", "Bc", "Bcm", "Bi", "Bim"]
            ),
        ])
    func cachegrind(file: String, benchmark: String, events: [String]) throws {
        let read = try readOwn("valgrind-3.19.0/" + file)
        #expect(read.format == "valgrind")
        #expect(read.metrics.metrics.count == events.count)
        let sums = Self.summedCosts(try readOwnText("valgrind-3.19.0/" + file))
        for (event, sum) in zip(events, sums) {
            let found = try metric(read, "\(benchmark) \(event)")
            #expect(found.value == sum, "\(event)")
            #expect(found.effectiveDirection == .lower)
        }
        #expect(try metric(read, "\(benchmark) Ir").unit?.symbol == "instructions")
        #expect(try metric(read, "\(benchmark) D1mr").unit?.symbol == "misses")
        #expect(try metric(read, "\(benchmark) Dr").unit?.symbol == "count")
    }

    @Test("callgrind: `totals:` is read; a file named by its process id is named after its command")
    func callgrind() throws {
        try expectMetric(try readOwn("valgrind-3.19.0/callgrind.out.fib20"), "fib20 Ir", 444_175, "instructions")
        let byPID = try readOwn("valgrind-3.19.0/callgrind.out.14911")
        #expect(byPID.format == "valgrind")
        try expectMetric(byPID, "fib 16 Ir", 173_037, "instructions")
        #expect(Valgrind.benchmarkName(fileName: "callgrind.out", command: nil) == "program")
        #expect(Valgrind.benchmarkName(fileName: "out.txt", command: "/usr/bin/sort -n big.txt") == "sort -n big.txt")
    }

    @Test("parts: the totals of a file dumped in parts are summed; trailing zeros may be left out")
    func parts() throws {
        let text =
            "# callgrind format\nversion: 1\ncmd: ./a\npart: 1\nevents: Ir Dr\nfn=main\n1 5 2\ntotals: 100 7\n"
            + "part: 2\nevents: Ir Dr\nfn=main\n1 5\ntotals: 50\n"
        let read = try readText(text, name: "callgrind.out.a")
        try expectMetric(read, "a Ir", 150, "instructions")
        try expectMetric(read, "a Dr", 7, "count")
    }

    @Test(
        "a cut-off or damaged file is refused at a line, saying why",
        arguments: [
            (
                "# callgrind format\ncmd: ./a\nevents: Ir\nfn=main\n1 5\n", 6,
                "no `summary:` or `totals:` line: the program's totals are missing"
            ),
            ("# callgrind format\ncmd: ./a\nevents: Ir\ntotals: 12x\n", 4, "\"12x\" in a total is not a count"),
            ("# callgrind format\ncmd: ./a\nevents: Ir\ntotals: 1 2\n", 4, "a total has 2 numbers for 1 events"),
            (
                "# callgrind format\ncmd: ./a\ntotals: 1\n", 3,
                "a total comes before the `events:` line that names its columns"
            ),
            ("# callgrind format\ncmd: ./a\nevents:\ntotals: 1\n", 3, "the `events:` line names no event"),
            ("# callgrind format\ncmd: ./a\n", 1, "no `events:` line: this valgrind output names no event"),
        ])
    func refused(text: String, line: Int, message: String) {
        do {
            _ = try readText(text, name: "callgrind.out.a")
            Issue.record("read \(text)")
        } catch {
            #expect(error.redlineErrors.first?.message == message)
            #expect(error.redlineErrors.first?.line == line)
        }
    }

    @Test("text that only mentions events or commands is not taken for valgrind output")
    func notValgrind() throws {
        #expect(throws: (any Error).self) {
            try readText("cmd: deploy\nevents: none\n", name: "notes.txt", format: "valgrind")
        }
        let other = try? readText("BenchmarkX-8  100  325 ns/op\nevents: 3\n", name: "go.txt")
        #expect(other?.format == "go")
    }
}
