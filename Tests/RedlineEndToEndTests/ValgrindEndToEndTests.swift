import Foundation
import Testing

extension Tools {
    static let valgrind = ["/usr/bin/valgrind", "/usr/local/bin/valgrind"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}

/// callgrind's output written here and now (valgrind on the corpus's fib.c), gated at 1%: the
/// instruction count of the same program is the same on every run, so a 1% gate cannot cry wolf,
/// and a program doing more work fails it.
@Suite("valgrind, for real: an instruction-count gate at 1%")
struct ValgrindEndToEndTests {
    @Test(
        "the same program passes against its own baseline; one doing more work (fib 21 for fib 20) fails on Ir",
        Tools.needs(Tools.valgrind != nil && Tools.compiler != nil, "valgrind and gcc"))
    func instructionGate() throws {
        guard Tools.require(Tools.valgrind != nil && Tools.compiler != nil, "valgrind and gcc"),
            let valgrind = Tools.valgrind, let compiler = Tools.compiler
        else { return }
        let workspace = try Workspace()
        let source = Redline.packageRoot.appendingPathComponent("Tests/Corpus/valgrind-3.19.0/fib.c").path
        let build = try runProgram(compiler, ["-O1", "-x", "c", source, "-o", "fib"], in: workspace.url)
        try #require(build.status == 0, "\(build.stderr)")
        func profile(_ n: Int) throws {
            let run = try runProgram(
                valgrind, ["-q", "--tool=callgrind", "--callgrind-out-file=callgrind.out.fib", "./fib", String(n)],
                in: workspace.url)
            try #require(run.status == 0, "\(run.stderr)")
        }
        try workspace.write("budgets.json", #"{"metrics": {"* Ir": {"unit": "instructions", "maxRegression": "1%"}}}"#)
        try profile(20)
        let update = try workspace.run(["baseline", "update", "--current", "callgrind.out.fib"])
        #expect(update.status == 0, "\(update.stderr)")
        try profile(20)
        let same = try workspace.run(["check", "--current", "callgrind.out.fib", "--json", "same.json"])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(try verdicts(in: workspace.read("same.json"))["fib Ir"]?.verdict == "unchanged")
        try profile(21)
        let slower = try workspace.run(["check", "--current", "callgrind.out.fib", "--json", "slower.json"])
        #expect(slower.status == 1, "\(slower.stdout)\(slower.stderr)")
        let verdict = try verdicts(in: workspace.read("slower.json"))["fib Ir"]
        #expect(verdict?.verdict == "regressed")
        #expect(
            (verdict?.change ?? 0) > 0.3,
            "fib(21) executes about 1.4 times the instructions of fib(20) with the start-up")
    }
}
