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

/// The first problem reading `text` raises, or nil.
func nativeError(_ text: String) -> RedlineError? {
    do {
        _ = try readNative(text)
        return nil
    } catch {
        return error.redlineErrors.first
    }
}

@Suite("native: redline's own metrics format")
struct NativeFormatTests {
    @Test("the SPEC's array shape with value, samples, unit, direction and context")
    func arrayShape() throws {
        let set = try readNative(
            """
            {
              "schema": "redline.metrics.v1",
              "context": { "commit": "3f2c9e1", "branch": "feature/x", "runner": "ubuntu-24.04" },
              "metrics": [
                { "name": "apiResponseTime", "value": 87.5, "unit": "ms" },
                { "name": "sort/1024", "unit": "ns", "samples": [5764.1, 5593.3, 5601.0, 5588.2] },
                { "name": "throughput", "value": 1250, "unit": "req/s", "direction": "higher" }
              ]
            }
            """)
        #expect(set.metrics.map(\.name) == ["apiResponseTime", "sort/1024", "throughput"])
        #expect(set["apiResponseTime"]?.value == 87.5)
        #expect(set["apiResponseTime"]?.unit?.symbol == "ms")
        // With only samples, the value is their median: (5593.3 + 5601.0) / 2.
        #expect(set["sort/1024"]?.value == 5597.15)
        #expect(set["sort/1024"]?.samples?.count == 4)
        #expect(set["throughput"]?.direction == .higher)
        #expect(set.context("commit") == "3f2c9e1")
        #expect(set.context("runner") == "ubuntu-24.04")
    }

    @Test("the object shape: name to number or to a metric object")
    func objectShape() throws {
        let set = try readNative(
            #"{"metrics": {"apiResponseTime": 87.5, "memoryUsage": {"value": 180, "unit": "MB"}}}"#)
        #expect(set["apiResponseTime"]?.value == 87.5)
        #expect(set["apiResponseTime"]?.unit == nil)
        #expect(set["memoryUsage"]?.unit?.symbol == "MB")
    }

    @Test("the bare shape a hand-written file most often has")
    func bareShape() throws {
        let set = try readNative(#"{"avgResponseTime": 87.5, "p95": {"value": 120, "unit": "ms"}}"#)
        #expect(set.metrics.count == 2)
        #expect(set["avgResponseTime"]?.value == 87.5)
        #expect(set["p95"]?.unit?.symbol == "ms")
    }

    @Test("a rate unit is higher-is-better unless the file says otherwise")
    func rateDirection() throws {
        let set = try readNative(
            #"{"metrics": [{"name": "t", "value": 5, "unit": "MB/s"}, {"name": "l", "value": 5, "unit": "ms"}]}"#)
        #expect(set["t"]?.effectiveDirection == .higher)
        #expect(set["l"]?.effectiveDirection == .lower)
    }

    @Test(
        "input errors name the metric and what to do",
        arguments: [
            (#"{"metrics": [{"name": "a", "value": 1}, {"name": "a", "value": 2}]}"#, "metric \"a\" appears twice"),
            (#"{"metrics": [{"name": "a"}]}"#, "has neither `value` nor `samples`"),
            (#"{"metrics": [{"value": 1}]}"#, "has no `name`"),
            (#"{"metrics": [{"name": "a", "value": "12"}]}"#, "must be a number, got the string \"12\""),
            (#"{"metrics": [{"name": "a", "samples": []}]}"#, "`samples` of metric \"a\" is empty"),
            (#"{"metrics": [{"name": "a", "samples": [1, "x"]}]}"#, "a sample of metric \"a\" must be a number"),
            (#"{"metrics": [{"name": "a", "value": -3, "unit": "ms"}]}"#, "cannot be negative"),
            (#"{"metrics": [{"name": "a", "value": 1, "direction": "up"}]}"#, "must be \"lower\" or \"higher\""),
            (#"{"metrics": [{"name": "a", "value": 1, "vaule": 2}]}"#, "unknown key \"vaule\""),
            (#"{"metrics": [{"name": "", "value": 1}]}"#, "must not be empty"),
            (#"{"metrics": [{"name": "a\u0007b", "value": 1}]}"#, "U+0007"),
            (#"{"metrics": [{"name": "a\u202eb", "value": 1}]}"#, "U+202E"),
            (
                #"{"schema": "redline.budgets.v1", "metrics": []}"#,
                "a redline.budgets.v1 file, but a redline.metrics.v1 file was expected"
            ),
            (#"{"schema": "v2", "metrics": []}"#, "unknown schema \"v2\""),
            (#"{"metrics": 5}"#, "`metrics` must be an array"),
            (#"{"metrics": [], "extra": 1}"#, "unknown key \"extra\""),
            (#"[1, 2]"#, "expected a JSON object at the top level"),
            ("null", "expected a JSON object at the top level"),
            (#"{"a": "fast"}"#, "metric \"a\" must be an object, got a string"),
            (#"{"a": null}"#, "metric \"a\" must be an object, got null"),
            (#"{"metrics": {"a": {"name": "a", "value": 1}}}"#, "its name is already its key"),
        ])
    func errors(text: String, expected: String) {
        let error = nativeError(text)
        #expect(error?.message.contains(expected) == true, "got: \(error?.description ?? "no error")")
        #expect(error?.line != nil)
    }

    @Test("a name of 256 characters is accepted and 257 is not")
    func nameLength() throws {
        let ok = String(repeating: "n", count: 256)
        #expect(try readNative("{\"\(ok)\": 1}").metrics.count == 1)
        #expect(nativeError("{\"\(ok)n\": 1}")?.message.contains("257 characters") == true)
    }

    @Test("every problem of a file is reported, not only the first")
    func allProblems() {
        do {
            _ = try readNative(
                #"{"metrics": [{"name": "a"}, {"name": "b", "value": "x"}, {"name": "c", "value": 1, "bad": 1}]}"#)
            Issue.record("accepted an invalid file")
        } catch {
            #expect(error.redlineErrors.count == 3)
        }
    }

    @Test(
        "merging --current files: metrics join; a name in two files is an error at line and column naming both places")
    func merge() throws {
        let first = try NativeFormat.read(SourceText(name: "one.json", text: #"{"a": 1}"#))
        let second = try NativeFormat.read(SourceText(name: "two.json", text: "{\n  \"b\": 2,\n  \"a\": 3\n}"))
        #expect(throws: RedlineErrors.self) { try MetricsReader.merge([("one.json", first), ("two.json", second)]) }
        do {
            _ = try MetricsReader.merge([("one.json", first), ("two.json", second)])
        } catch {
            #expect(
                error.redlineErrors[0].description
                    == "two.json:3:3: metric \"a\" is also in one.json:1:2; a metric may come from one --current file only; rename one of them"
            )
        }
        let third = try NativeFormat.read(SourceText(name: "three.json", text: #"{"c": 1}"#))
        let merged = try MetricsReader.merge([("one.json", first), ("three.json", third)])
        #expect(merged.metrics.map(\.name) == ["a", "c"])
        // Locations point into the merged sources: "c" is in three.json.
        #expect(merged.place(of: merged["c"]!, fallbackFile: "?").file == "three.json")
    }

    @Test("a native file keeps its strictness: a negative size and a long name are errors")
    func nativeStrict() {
        #expect(readError(#"{"metrics": [{"name": "m", "value": -1, "unit": "B"}]}"#, name: "m.json") != nil)
        let long = String(repeating: "x", count: 300)
        #expect(readError(#"{"metrics": [{"name": "\#(long)", "value": 1}]}"#, name: "m.json") != nil)
    }
}
