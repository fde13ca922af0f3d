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

/// Inputs the fuzzer found a broken invariant with (Fuzz/crashers): each must now either be
/// refused with an error or read into metrics that survive the native round trip and a
/// baseline write.
let crashers: [String] = {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/crashers")
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        .map { directory.appendingPathComponent($0).path }
}()

@Suite("Fuzzer findings stay fixed")
struct FuzzRegressionTests {
    @Test("every committed crasher is refused or round-trips", arguments: crashers)
    func crasher(path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        for part in bytes.split(separator: 0x1E, omittingEmptySubsequences: false) {
            for format in MetricsFormats.names {
                guard
                    let read = try? MetricsReader.read(SourceText(name: "crasher", bytes: Array(part)), format: format)
                else { continue }
                let native = BaselineDocument.metricsDocument(read.metrics)
                if let slip = read.metrics.metrics.compactMap({ $0.unit?.symbol }).first(where: {
                    Unit.recognitionProblem($0) != nil
                }) {
                    // A tool's unit that is a slip of a known one: read with a note, refused in a native file.
                    #expect(read.notes.contains { $0.contains("unknown unit \"\(slip)\"") }, "\(format)")
                    #expect(throws: (any Error).self) { try NativeFormat.read(SourceText(name: "again", text: native)) }
                } else {
                    #expect(try NativeFormat.read(SourceText(name: "again", text: native)) == read.metrics, "\(format)")
                }
                let written = BaselineDocument.render(Baseline(metrics: read.metrics))
                #expect(throws: Never.self) { try BaselineFormat.read(SourceText(name: "written", text: written)) }
            }
        }
    }

    @Test("a tool's unit one slip from a known one is kept with a note naming the file and what it likely meant")
    func unitSlipInToolOutput() throws {
        let read = try MetricsReader.read(
            SourceText(name: "go.txt", text: "BenchmarkA-8   1000   325 ns/op   1 a;locs/op\n"))
        #expect(read.format == "go")
        #expect(read.metrics["BenchmarkA a;locs/op"]?.unit?.symbol == "a;locs/op")
        #expect(
            read.notes.contains {
                $0.hasPrefix("go.txt: metric ") && $0.contains("unknown unit \"a;locs/op\"")
                    && $0.contains("did you mean \"allocs/op\"?")
            })
    }

    @Test("a control character in a tool's unit is refused, not carried into the baseline")
    func unitControlCharacter() {
        let error = readError("test a ... bench:   1,234 ns\u{1}/iter (+/- 5)\n")
        #expect(error?.message.contains("unit contains the invisible or control character U+0001") == true)
    }

    @Test("a unit longer than a name may be is refused, as the native format refuses it")
    func unitTooLong() {
        let unit = String(repeating: "x", count: 300)
        let error = readError("test a ... bench:   1,234 \(unit)/iter (+/- 5)\n")
        #expect(error?.message == "unit of metric \"a\": unit is 300 characters long; the limit is 256")
    }

    @Test("a streamed array cut off after a comma is an error at the end, not a read past the buffer")
    func streamedArrayCutAfterComma() {
        for text in [
            #"{"benchmarks": [{"name": "a", "real_time": 1},"#, #"{"benchmarks": [{"name": "a", "real_time": 1}, "#,
            #"{"metrics": [{"name": "a", "value": 1},"#,
        ] {
            #expect(readError(text, name: "cut.json")?.message == "unexpected end of file, expected a value", "\(text)")
        }
    }
}
