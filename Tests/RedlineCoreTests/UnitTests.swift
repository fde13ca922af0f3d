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

@Suite("Units")
struct UnitTests {
    @Test(
        "a unit a person writes: known, a counting word, a ratio of those, or {custom}; a slip names the unit it meant",
        arguments: [
            ("ms", nil), ("req/s", nil), ("B/op", nil), ("allocs/op", nil), ("requests", nil), ("{widgets}", nil),
            ("ns/iter", nil),
            ("msec", "ms"), ("milliseconds", "ms"), ("Millis", "ms"), ("bytes", "B"), ("Megabytes", "MB"),
            ("percent", "%"),
            ("req/sec", nil), ("req/msec", "req/ms"), ("MB/second", "MB/s"), ("mss", "ms"), ("Kib", "KiB"),
            ("sedonds", "seconds"),
            ("widgets", nil), ("auxMetricUnits", nil), ("MS/s", nil), ("mb", "MB"),
        ] as [(String, String?)])
    func recognition(symbol: String, meant: String?) {
        let suggestion = Unit.suggestion(for: symbol)
        // "sedonds" is a slip of a common spelling, which stands for its known unit.
        #expect(suggestion == (meant == "seconds" ? "s" : meant), "\(symbol)")
        #expect((Unit.recognitionProblem(symbol) == nil) == (suggestion == nil))
    }

    @Test("did you mean: the nearest candidate within a third of the word, case counting, never the word itself")
    func suggestions() {
        #expect(Suggestion.nearest(to: "mian.json", among: ["main.json", "bench.json"]) == "main.json")
        #expect(Suggestion.nearest(to: "budget.json", among: ["budgets.json", "baselines"]) == "budgets.json")
        #expect(Suggestion.nearest(to: "main.json", among: ["main.json"]) == nil)
        #expect(Suggestion.nearest(to: "zzz.json", among: ["main.json"]) == nil)
        #expect(Suggestion.nearest(to: "ab", among: ["ba", "abc"]) == "ba")
    }

    @Test(
        "known units convert within their dimension",
        arguments: [
            ("s", "ms", 1.5, 1500.0),
            ("ms", "ns", 2.0, 2_000_000.0),
            ("us", "µs", 3.0, 3.0),
            ("μs", "ms", 1500.0, 1.5),
            ("KB", "B", 1.0, 1000.0),
            ("KiB", "B", 1.0, 1024.0),
            ("MiB", "KiB", 1.0, 1024.0),
            ("GB", "MB", 1.0, 1000.0),
            ("MB/s", "KB/s", 1.0, 1000.0),
            ("ops/s", "ops/ms", 1000.0, 1.0),
            ("req/s", "req/ms", 2000.0, 2.0),
            ("/s", "ops/s", 5.0, 5.0),
        ])
    func conversions(from: String, to: String, value: Double, expected: Double) throws {
        let converted = try #require(Unit(from).convert(value, to: Unit(to)))
        #expect(abs(converted - expected) <= 1e-9 * abs(expected))
    }

    @Test(
        "different dimensions and unknown units do not convert",
        arguments: [
            ("ms", "MB"), ("KB", "s"), ("req/s", "ops/s"), ("widgets", "gadgets"), ("%", "ms"), ("MB/s", "MB"),
        ])
    func mismatches(from: String, to: String) {
        #expect(Unit(from).convert(1, to: Unit(to)) == nil)
    }

    @Test("an unknown unit matches itself exactly")
    func unknownMatchesItself() {
        #expect(Unit("widgets").convert(3, to: Unit("widgets")) == 3)
        #expect(Unit("widgets").isKnown == false)
    }

    @Test("rates are higher-is-better by default, everything else lower")
    func directions() {
        #expect(Unit("MB/s").defaultDirection == .higher)
        #expect(Unit("req/s").defaultDirection == .higher)
        #expect(Unit("ms").defaultDirection == .lower)
        #expect(Unit("%").defaultDirection == .lower)
    }

    @Test("conversion round-trips for every pair of one dimension (seeded)")
    func roundTrip() throws {
        let families = [
            ["ns", "us", "ms", "s"], ["B", "KB", "MB", "GB", "KiB", "MiB", "GiB"], ["B/s", "KB/s", "MiB/s", "GB/ms"],
        ]
        var generator = SeededGenerator(seed: 7)
        for family in families {
            for from in family {
                for to in family {
                    let value = Double.random(in: 0.001...1e6, using: &generator)
                    let there = try #require(Unit(from).convert(value, to: Unit(to)))
                    let back = try #require(Unit(to).convert(there, to: Unit(from)))
                    #expect(abs(back - value) <= 1e-12 * value, "\(from) → \(to) → \(from)")
                }
            }
        }
    }
}
