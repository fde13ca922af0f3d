import Testing
@testable import RedlineCore

@Suite("Units")
struct UnitTests {
    @Test("known units convert within their dimension", arguments: [
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

    @Test("different dimensions and unknown units do not convert", arguments: [
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
        let families = [["ns", "us", "ms", "s"], ["B", "KB", "MB", "GB", "KiB", "MiB", "GiB"], ["B/s", "KB/s", "MiB/s", "GB/ms"]]
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
