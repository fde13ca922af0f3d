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

@Suite("Baseline documents")
struct BaselineDocumentTests {
    static let provenance = Provenance(
        commit: "3f2c9e1", branch: "main", updatedAt: "2026-11-24T10:00:00Z",
        redlineVersion: "0.1.0", sources: [.init(file: "bench.json", format: "native")],
        reason: "nightly")

    @Test("the canonical form: sorted, fixed key order, shortest numbers, samples inline, trailing newline")
    func canonical() throws {
        let current = try readNative(
            """
            {"zeta": {"value": 0.1, "unit": "ms"}, "alpha": {"samples": [3, 1.5, 2], "unit": "ns", "direction": "lower"},
             "mid": 1e21}
            """)
        let text = BaselineDocument.render(Baseline(metrics: current, provenance: Self.provenance))
        try expectGolden(text, "baseline-canonical.json")
        #expect(text.hasSuffix("}\n"))
    }

    @Test("write, read, write gives the same bytes and the same values")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 3)
        var metrics: [Metric] = []
        for index in 0..<200 {
            let samples = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                Double.random(in: 0...1e9, using: &generator)
            }
            metrics.append(
                Metric(
                    name: "metric/\(index)", value: Double.random(in: -1e12...1e12, using: &generator),
                    samples: samples.isEmpty ? nil : samples,
                    unit: [nil, Unit("widgets"), Unit("%")][index % 3],
                    direction: [nil, Direction.lower, .higher][index % 3]))
        }
        let baseline = Baseline(
            metrics: MetricSet(metrics: metrics, context: [("runner", "ci")]), provenance: Self.provenance)
        let text = BaselineDocument.render(baseline)
        let read = try BaselineFormat.read(SourceText(name: "b.json", text: text))
        #expect(read == baseline)
        #expect(BaselineDocument.render(read) == text)
    }

    @Test("update keeps metrics absent from the run unless pruned, and says what changed")
    func merge() throws {
        let old = Baseline(
            metrics: MetricSet(metrics: [
                Metric(name: "a", value: 1), Metric(name: "b", value: 2),
                Metric(name: "c", value: 3),
            ]))
        let current = MetricSet(metrics: [
            Metric(name: "a", value: 1), Metric(name: "b", value: 5), Metric(name: "d", value: 4),
        ])
        let kept = try BaselineUpdate.merge(old: old, current: current, provenance: Self.provenance, prune: false)
        #expect(kept.baseline.metrics.metrics.map(\.name) == ["a", "b", "c", "d"])
        #expect(kept.baseline.metrics["b"]?.value == 5)
        #expect(
            kept.changes == BaselineChanges(added: ["d"], updated: ["b"], unchanged: ["a"], kept: ["c"], pruned: []))
        let pruned = try BaselineUpdate.merge(old: old, current: current, provenance: Self.provenance, prune: true)
        #expect(pruned.baseline.metrics.metrics.map(\.name) == ["a", "b", "d"])
        #expect(pruned.changes.pruned == ["c"])
        let first = try BaselineUpdate.merge(old: nil, current: current, provenance: Self.provenance, prune: false)
        #expect(first.changes.added == ["a", "b", "d"])
    }

    @Test("a baseline file with unknown provenance keys or a metrics schema mismatch is an error")
    func invalid() {
        #expect(throws: (any Error).self) {
            try BaselineFormat.read(SourceText(name: "b", text: #"{"provenance": {"who": "me"}, "metrics": []}"#))
        }
        #expect(throws: (any Error).self) {
            try BaselineFormat.read(SourceText(name: "b", text: #"{"schema": "redline.metrics.v1", "metrics": []}"#))
        }
    }

    @Test("JSON strings escape control and invisible characters")
    func quoting() {
        #expect(JSONWriter.quote("a\"b\\c\n\u{1}\u{202E}😀") == #""a\"b\\c\n\u0001\u202e😀""#)
    }
}
