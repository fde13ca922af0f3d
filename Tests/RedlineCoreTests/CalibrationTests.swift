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

@Suite("Calibration from A/A runs")
struct CalibrationTests {
    /// Four A/A runs of three metrics: quiet, noisy (log-normal CV 25%) and a point value.
    static func runs() -> [MetricSet] {
        var generator = SeededGenerator(seed: 11)
        func noise(_ cv: Double) -> Double {
            // Approximately log-normal: exp of a sum of uniforms (seeded and portable).
            let z = (0..<12).map { _ in Double.random(in: 0..<1, using: &generator) }.reduce(0, +) - 6
            return exp(cv * z)
        }
        return (0..<4).map { _ in
            MetricSet(
                metrics: [
                    Metric(name: "quiet", value: 0, samples: (0..<10).map { _ in 100 * noise(0.01) }, unit: Unit("ns")),
                    Metric(name: "noisy", value: 0, samples: (0..<10).map { _ in 50 * noise(0.25) }, unit: Unit("ms")),
                    Metric(name: "point", value: 1000 * noise(0.02), unit: Unit("req/s")),
                ].map { metric in
                    var fixed = metric
                    if let samples = metric.samples { fixed.value = Metric.median(samples)! }
                    return fixed
                })
        }
    }

    @Test("the suggested thresholds keep every A/A pair quiet when check applies them")
    func suggestionsKeepPairsQuiet() throws {
        let runs = Self.runs()
        let (reports, incomplete) = try Calibration.calibrate(runs: runs)
        #expect(incomplete.isEmpty)
        #expect(reports.map(\.name) == ["noisy", "point", "quiet"])
        let policy = try Budgets.read(SourceText(name: "fragment.json", text: Calibration.fragment(reports)))
        for baseline in runs {
            for current in runs {
                let judgement = try Judge.judge(current: current, baseline: Baseline(metrics: baseline), policy: policy)
                #expect(judgement.metrics.allSatisfy { $0.verdict != .regressed && $0.verdict != .inconclusive })
            }
        }
    }

    @Test("noise is measured robustly and the noisy metric is flagged")
    func flags() throws {
        let reports = try Calibration.calibrate(runs: Self.runs()).reports
        let noisy = try #require(reports.first { $0.name == "noisy" })
        let quiet = try #require(reports.first { $0.name == "quiet" })
        #expect(noisy.isTooNoisy)
        #expect(!quiet.isTooNoisy)
        #expect(quiet.robustCV < 0.03)
        #expect(noisy.robustCV > 0.1)
        #expect(quiet.maxRegression >= 0.01)
        #expect(reports.first { $0.name == "point" }?.direction == .higher)
    }

    @Test("robust CV: 1.4826 × MAD / median")
    func robustCV() {
        // median 10, absolute deviations [1, 0, 1, 0, 90] → MAD 1.
        #expect(abs(Calibration.robustCV([9, 10, 11, 10, 100]) - 0.14826) < 1e-12)
        #expect(Calibration.robustCV([0, 0]) == 0)
    }

    @Test("a metric in only one run is reported apart; runs in different units of one dimension convert")
    func incompleteAndUnits() throws {
        let first = MetricSet(metrics: [Metric(name: "a", value: 1, unit: Unit("ms")), Metric(name: "once", value: 1)])
        let second = MetricSet(metrics: [Metric(name: "a", value: 1100, unit: Unit("us"))])
        let (reports, incomplete) = try Calibration.calibrate(runs: [first, second])
        #expect(incomplete == ["once"])
        #expect(abs(reports[0].largestChange - 0.1) < 1e-9)
        #expect(reports[0].maxRegression == 0.13)
    }
}
