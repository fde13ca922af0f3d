import Testing
import RedlineCore
@testable import RedlineHistory
@testable import RedlineVerdict

/// The lines the reports draw (the threshold, the noise band) come from the judge and sit
/// exactly where its verdict changes: a renderer reads them and computes none.
@Suite("Limits the reports draw are the judge's own")
struct VerdictLimitsTests {
    @Test(
        "the threshold line is where a point comparison turns regressed, minDelta and direction included (2,000 generated rules)"
    )
    func regressionLimitIsTheVerdictsEdge() {
        var random = SeededGenerator(seed: 2_024)
        for _ in 0..<2_000 {
            let centre = Bool.random(using: &random) ? 0 : Double.random(in: -1_000...1_000, using: &random)
            let maxRegression = [0, 0.05, 0.1, 0.3].randomElement(using: &random)!
            let minDelta = Bool.random(using: &random) ? 0 : Double.random(in: 0...300, using: &random)
            let direction: Direction = Bool.random(using: &random) ? .lower : .higher
            let rule = "centre \(centre), maxRegression \(maxRegression), minDelta \(minDelta), \(direction)"
            guard
                let limit = Judge.regressionLimit(
                    centre: centre, direction: direction, maxRegression: maxRegression,
                    minDelta: minDelta)
            else {
                #expect(max(abs(centre) * maxRegression, minDelta) == 0, "\(rule)")
                continue
            }
            let worse = direction == .lower ? 1.0 : -1.0
            let margin = max(abs(limit - centre), 1) * 1e-6
            func verdict(at current: Double) -> Verdict {
                Judge.verdict(
                    Judge.compare(
                        baseline: centre, baselineSamples: nil, current: current, currentSamples: nil,
                        direction: direction, alpha: 0.05),
                    maxRegression: maxRegression, minDelta: minDelta)
            }
            #expect(verdict(at: limit + worse * margin) == .regressed, "just past the line: \(rule)")
            #expect(verdict(at: limit - worse * margin) != .regressed, "just inside the line: \(rule)")
        }
    }

    @Test(
        "the history page's noise band is where the judge finds a one-figure run outside the window's noise (500 generated windows)"
    )
    func noiseBandIsTheJudgesEdge() {
        var random = SeededGenerator(seed: 23)
        for _ in 0..<500 {
            let centre = Double.random(in: 1...1_000, using: &random)
            let spread = Double.random(in: 0.005...0.2, using: &random)
            let values = (0..<Int.random(in: 5...20, using: &random)).map { _ in
                centre * (1 + spread * Double.random(in: -1...1, using: &random))
            }
            let window = MetricHistory.Window(values: values)
            guard let band = Judge.noiseBand(of: window, alpha: 0.05), band.noise > 0 else {
                Issue.record("a window of distinct values has a noise band: \(values)")
                continue
            }
            func pWorse(at current: Double) -> Double {
                Judge.compare(
                    window: window, current: [current], currentErrors: [], machineVariance: nil, direction: .lower,
                    alpha: 0.05
                ).window!.pWorse
            }
            #expect(pWorse(at: band.centre + band.noise * 1.01) < 0.05, "\(values)")
            #expect(pWorse(at: band.centre + band.noise * 0.99) > 0.05, "\(values)")
        }
    }

    @Test("the HTML chart draws the threshold at the judge's limit: minDelta wins over a small percentage")
    func chartThresholdHonoursMinDelta() throws {
        let policy = try Budgets.read(
            SourceText(
                name: "budgets.json",
                text: """
                    {"defaults": {"maxRegression": "10%", "minDelta": "30ms"}}
                    """))
        let judgement = try Judge.judge(
            current: MetricSet(metrics: [Metric(name: "api", value: 150, unit: Unit("ms"))]),
            baseline: Baseline(metrics: MetricSet(metrics: [Metric(name: "api", value: 100, unit: Unit("ms"))])),
            policy: policy)
        #expect(judgement.metrics[0].verdict == .regressed)
        #expect(judgement.metrics[0].regressionLimit == 130)
        var page = ""
        HTMLReport.render(judgement) { page += $0 }
        #expect(page.contains("<title>threshold 130 ms</title>"))
        #expect(!page.contains("<title>threshold 110 ms</title>"))
    }
}
