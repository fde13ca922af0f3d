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

extension LoadFormatTests {
    @Suite("Percentiles and histogram quantiles against reference implementations")
    struct Percentiles {
        /// PromQL's histogram_quantile for classic buckets, written out plainly: the envelope of the
        /// cumulative counts, then the piecewise-linear distribution they describe, inverted.
        static func referenceQuantile(_ q: Double, _ buckets: [(bound: Double, count: Double)]) -> Double {
            var merged: [(bound: Double, count: Double)] = []
            for bucket in buckets.sorted(by: { $0.bound < $1.bound }) {
                if merged.last?.bound == bucket.bound {
                    merged[merged.count - 1].count += bucket.count
                } else {
                    merged.append(bucket)
                }
            }
            guard merged.count >= 2, merged.last!.bound == .infinity else { return .nan }
            var highest = -Double.infinity
            for index in merged.indices {
                highest = max(highest, merged[index].count)
                merged[index].count = highest
            }
            let total = merged.last!.count
            guard total > 0 else { return .nan }
            let rank = q * total
            var lower = merged[0].bound > 0 ? 0.0 : -Double.infinity
            var below = 0.0
            for bucket in merged.dropLast() {
                if bucket.count >= rank {
                    if lower == -.infinity { return bucket.bound }
                    return lower + (bucket.bound - lower) * (rank - below) / (bucket.count - below)
                }
                (lower, below) = (bucket.bound, bucket.count)
            }
            return merged[merged.count - 2].bound
        }

        @Test(
            "histogram_quantile equals the reference on 3000 generated bucket sets (shuffled, repeated, negative and decreasing)"
        )
        func classicDifferential() {
            var random = SeededGenerator(seed: 14)
            for _ in 0..<3000 {
                let finite = Int.random(in: 1...10, using: &random)
                let start = Bool.random(using: &random) ? -Double(Int.random(in: 0...5, using: &random)) : 0.001
                var bound = start
                var count = 0.0
                var buckets: [(bound: Double, count: Double)] = []
                for _ in 0..<finite {
                    bound +=
                        Double(Int.random(in: 0...4, using: &random)) * 0.25 + (Bool.random(using: &random) ? 0 : 0.5)
                    count += Double(Int.random(in: 0...20, using: &random))
                    // Now and then a count that decreases, as a broken exporter writes.
                    let written = Int.random(in: 0..<10, using: &random) == 0 ? max(0, count - 7) : count
                    buckets.append((bound, written))
                }
                buckets.append((.infinity, count + Double(Int.random(in: 0...3, using: &random))))
                buckets.shuffle(using: &random)
                let q = Double(Int.random(in: 1...1000, using: &random)) / 1000
                let expected = Self.referenceQuantile(q, buckets)
                let actual = HistogramQuantile.classic(q, buckets.map { .init(upperBound: $0.bound, count: $0.count) })
                    .value
                if expected.isNaN {
                    #expect(actual.isNaN, "q \(q) of \(buckets)")
                } else {
                    #expect(
                        abs(actual - expected) <= 1e-9 * max(1, abs(expected)),
                        "q \(q) of \(buckets): \(actual) ≠ \(expected)")
                }
            }
        }

        @Test(
            "histogram_quantile's special cases: q outside 0–1, no +Inf bucket, no observations, the +Inf bucket, a bound ≤ 0"
        )
        func classicSpecialCases() {
            let buckets: [HistogramQuantile.Bucket] = [
                .init(upperBound: 1, count: 5), .init(upperBound: 2, count: 8), .init(upperBound: .infinity, count: 10),
            ]
            #expect(HistogramQuantile.classic(-0.1, buckets).value == -.infinity)
            #expect(HistogramQuantile.classic(1.1, buckets).value == .infinity)
            #expect(HistogramQuantile.classic(.nan, buckets).value.isNaN)
            #expect(HistogramQuantile.classic(0.5, Array(buckets.prefix(2))).value.isNaN)
            #expect(
                HistogramQuantile.classic(0.5, buckets.map { .init(upperBound: $0.upperBound, count: 0) }).value.isNaN)
            // Rank 9.5 is past the last finite bucket: its bound, no extrapolation.
            #expect(HistogramQuantile.classic(0.95, buckets).value == 2)
            #expect(HistogramQuantile.classic(0.25, buckets).value == 0.5)
            #expect(
                HistogramQuantile.classic(
                    0.25, [.init(upperBound: -1, count: 5), .init(upperBound: .infinity, count: 10)]
                ).value == -1)
        }

        @Test(
            "exponential buckets: the quantile of 2000 generated positive histograms equals lower·(upper/lower)^fraction in its bucket"
        )
        func exponentialDifferential() {
            var random = SeededGenerator(seed: 20)
            for _ in 0..<2000 {
                let scale = Int.random(in: -2...6, using: &random)
                let offset = Int.random(in: -40...40, using: &random)
                let counts = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                    Double(Int.random(in: 0...9, using: &random))
                }
                let total = counts.reduce(0, +)
                guard total > 0 else { continue }
                let base = pow(2, pow(2, -Double(scale)))
                let ranges = counts.enumerated().map { index, count in
                    HistogramQuantile.Range(
                        lower: pow(base, Double(offset + index)), upper: pow(base, Double(offset + index + 1)),
                        count: count)
                }
                let q = Double(Int.random(in: 1...1000, using: &random)) / 1000
                // The reference: the first bucket whose running count reaches q·total, empty ones skipped.
                var seen = 0.0
                var expected = Double.nan
                for bucket in ranges where bucket.count > 0 {
                    if seen + bucket.count >= q * total {
                        expected = bucket.lower * pow(bucket.upper / bucket.lower, (q * total - seen) / bucket.count)
                        break
                    }
                    seen += bucket.count
                }
                let actual = HistogramQuantile.exponential(
                    q, [HistogramQuantile.Range(lower: 0, upper: 0, count: 0)] + ranges, zeroBucket: 0,
                    hasNegative: false, hasPositive: true)
                #expect(
                    abs(actual - expected) <= 1e-9 * expected,
                    "q \(q) scale \(scale) offset \(offset) \(counts): \(actual) ≠ \(expected)")
            }
        }

        @Test(
            "exponential histograms of several scales merge at the coarsest: counts kept, each bucket inside its coarse bucket"
        )
        func exponentialMerge() {
            let fine = RedlineCore.OTLP.Exponential(
                labels: [("a", "x")], scale: 3, zeroCount: 1, zeroThreshold: 0, positive: [8: 2, 9: 1, 17: 4],
                negative: [:], count: 8, sum: 20, offset: 0)
            let coarse = RedlineCore.OTLP.Exponential(
                labels: [("a", "y")], scale: 1, zeroCount: 0, zeroThreshold: 0, positive: [2: 3, -3: 1],
                negative: [5: 2], count: 6, sum: 1, offset: 0)
            let merged = RedlineCore.OTLP.Exponential.merged([fine, coarse])
            #expect(merged.scale == 1)
            // Index i at scale 3 is i >> 2 at scale 1: 8 and 9 → 2, 17 → 4.
            #expect(merged.positive == [2: 6, 4: 4, -3: 1])
            #expect(merged.negative == [5: 2])
            #expect(merged.zeroCount == 1 && merged.count == 14 && merged.sum == 21)
        }

        /// The R-7 quantile as its definition states it (1-based): h = (n − 1)p + 1, then linear
        /// between x⌊h⌋ and x⌊h⌋+1.
        static func referenceK6(_ values: [Double], _ p: Double) -> Double {
            let x = values.sorted()
            let h = Double(x.count - 1) * p + 1
            let low = Int(h.rounded(.down))
            guard low < x.count else { return x[x.count - 1] }
            return x[low - 1] + (h - Double(low)) * (x[low] - x[low - 1])
        }

        @Test("k6's trend percentile equals the R-7 definition on 2000 generated trends, min at 0 and max at 1")
        func k6Differential() {
            var random = SeededGenerator(seed: 6)
            for _ in 0..<2000 {
                let count = Int.random(in: 1...60, using: &random)
                let values = (0..<count).map { _ in Double(Int.random(in: 0...40, using: &random)) * 0.37 }
                let sorted = values.sorted()
                for p in [0, 0.5, 0.9, 0.95, 0.99, 1, Double.random(in: 0...1, using: &random)] {
                    let expected = Self.referenceK6(values, p)
                    let actual = Percentile.k6(sorted, p)
                    #expect(abs(actual - expected) <= 1e-9 * max(1, abs(expected)), "p \(p) of \(values)")
                }
                #expect(Percentile.k6(sorted, 0) == sorted.first && Percentile.k6(sorted, 1) == sorted.last)
            }
        }

        @Test("hey, JMeter and Locust percentiles by hand")
        func toolsByHand() {
            // hey gives each index to one percentile at most: three values serve p10 and p25 only.
            #expect(
                Percentile.hey([1, 2, 3], percents: [10, 25, 50, 75, 90, 95, 99]) == [2, 3, nil, nil, nil, nil, nil])
            #expect(Percentile.hey((1...100).map(Double.init), percents: [10, 50, 99]) == [11, 51, 100])
            // JMeter: the value at rank round(n·p) (Java's half up), the max at 1.
            #expect(Percentile.jmeter([45, 48, 51, 1503, 2004], 0.5) == 51)
            #expect(Percentile.jmeter([45, 48, 51, 1503, 2004], 0.9) == 2004)
            #expect(Percentile.jmeter([45, 48, 51, 1503, 2004], 0.1) == 45)
            #expect(Percentile.jmeter([7], 1) == 7)
            // Locust: from the slowest down, the first time at which the requests not yet counted
            // (those faster than it) are at most ⌊n·p⌋.
            let histogram: [(time: Double, count: Double)] = [(10, 5), (20, 3), (30, 2)]
            #expect(Percentile.locust(histogram, total: 10, 0.4) == 10)
            #expect(Percentile.locust(histogram, total: 10, 0.5) == 20)
            #expect(Percentile.locust(histogram, total: 10, 0.79) == 20)
            #expect(Percentile.locust(histogram, total: 10, 0.8) == 30)
        }
    }

    @Suite("Bad input is an error at a line and column, never a crash")
    struct BadInput {
        static let cases: [(name: String, text: String, format: String, message: String)] = [
            (
                "k6.ndjson",
                "{\"type\":\"Metric\",\"data\":{\"name\":\"x\",\"type\":\"trend\",\"contains\":\"time\"},\"metric\":\"x\"}\n{\"metric\":\"x\",\"type\":\"Point\",\"data\":{\"value\":\n{\"metric\":\"x\",\"type\":\"Point\",\"data\":{\"value\":1}}\n",
                "auto", "expected a value"
            ),
            (
                "k6.ndjson",
                "{\"type\":\"Metric\",\"data\":{\"name\":\"x\",\"type\":\"trend\"},\"metric\":\"x\"}\n{\"metric\":\"x\",\"type\":\"Point\",\"data\":{\"value\":\"1\"}}",
                "auto", "`value` of k6 point of \"x\" must be a number"
            ),
            (
                "locust.json", #"[{"name": "/a", "method": "GET", "num_requests": "12", "response_times": {}}]"#,
                "auto",
                "`num_requests` of Locust entry 1 must be a number"
            ),
            (
                "locust.json",
                #"[{"name": "/a", "method": "GET", "num_requests": 1, "num_failures": 0, "total_response_time": 1, "response_times": {"1": null}}]"#,
                "auto", "`response_times` count of Locust entry 1 must be a count"
            ),
            (
                "m.prom", "# TYPE h histogram\nh_bucket{le=\"1\"} NaN\nh_bucket{le=\"+Inf\"} 1\n", "auto",
                "h_bucket is nan, but a count must be a number ≥ 0"
            ),
            ("m.prom", "# TYPE h histogram\nh_count -3\n", "auto", "h_count is -3.0, but a count must be a number ≥ 0"),
            ("m.prom", "# TYPE g gauge\ng{a=\"x} 1\n", "auto", "a quoted label value is not closed"),
            ("m.prom", "# TYPE h histogram\nh_count 3\nh_count 4\n", "auto", "h_count appears twice"),
            ("m.prom", "# TYPE h histogram\nh 3\n", "auto", "h is no sample of histogram h"),
            (
                "m.prom", "# TYPE s summary\ns{quantile=\"1.5\"} 3\n", "auto",
                "summary sample s needs a `quantile` label between 0 and 1"
            ),
            ("m.prom", "# TYPE g gauge\ng{a=\"x\"} one\n", "auto", "\"one\" is not a number"),
            (
                "o.json",
                #"{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "h", "histogram": {"dataPoints": [{"count": "x", "bucketCounts": ["1"]}]}}]}]}]}"#,
                "auto", "`count` of a data point of \"h\" must be a count"
            ),
            (
                "o.json",
                #"{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "h", "histogram": {"dataPoints": [{"bucketCounts": ["1", "2"], "explicitBounds": []}]}}]}]}]}"#,
                "auto", "a data point of \"h\" has 2 bucket counts for 0 bounds"
            ),
            (
                "wrk.txt",
                "Running 3s test @ http://127.0.0.1:1/\n  2 threads and 10 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     4.15xs    3.10ms  32.12ms   73.80%\n",
                "auto", "wrk time \"4.15xs\" is not a number with us, ms, s, m or h"
            ),
            (
                "wrk.txt", "Running 3s test @ http://127.0.0.1:1/\n  2 threads and 10 connections\n", "auto",
                "this wrk report has no `N requests in …` and `Requests/sec:` lines"
            ),
            (
                "r.jtl", "timeStamp,elapsed,label,success\n1,5,a,true\n2,6,a\n3,5,a,true\n", "auto",
                "this line of JMeter's results file has 3 fields, the header has 4"
            ),
            (
                "r.jtl", "timeStamp,elapsed,label,success\n1,five,a,true\n", "auto",
                "`elapsed` must be a number, got \"five\""
            ),
            (
                "r.jtl", "timeStamp,elapsed,label,success\n1,5,\"a,true\n2,5,a,true\n", "auto",
                "a quoted field of JMeter's results file is not closed"
            ),
            (
                "hey.csv",
                "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n0.1,0,0,0,0,0,OK,0\n",
                "auto", "`status-code` must be a number, got \"OK\""
            ),
            (
                "v.json",
                #"{"latencies": {"mean": "4ms", "50th": 1, "90th": 1, "95th": 1, "99th": 1, "max": 1, "min": 1}, "bytes_in": {}, "status_codes": {"200": 1}, "requests": 1, "throughput": 1}"#,
                "auto", "`mean` of `latencies` must be a number"
            ),
            (
                "s.json", #"{"transactions": 1, "availability": 100, "transaction_rate": 1, "elapsed_time": 1}"#,
                "auto", "siege's summary has no `response_time`"
            ),
            (
                "g.json",
                #"{"numberOfRequests": {"total": 1, "ok": 1, "ko": 0}, "meanNumberOfRequestsPerSecond": {"total": "fast"}}"#,
                "auto",
                "`meanNumberOfRequestsPerSecond.total` of Gatling's statistics must be a number"
            ),
            (
                "a.json", #"{"aggregate": {"counters": {"http.requests": -1}, "summaries": {}}}"#, "auto",
                "counter \"http.requests\" must be a count"
            ),
            (
                "l.json", #"{"lighthouseVersion": "12", "audits": {"fcp": {"numericValue": "fast"}}}"#, "auto",
                "`numericValue` of audit \"fcp\" must be a number"
            ),
            (
                "x.json", #"[{"name": "a", "size": true}]"#, "size-limit",
                "`size` of size-limit check \"a\" must be a number"
            ),
            (
                "c.json",
                #"{"url": "x", "latency": {"p97_5": 1}, "requests": {"sent": 1}, "non2xx": 0, "throughput": {}}"#,
                "auto",
                "`requests` has no `total`"
            ),
        ]

        @Test("each broken file is refused with a message and a position", arguments: cases.indices)
        func refused(_ index: Int) {
            let (name, text, format, message) = Self.cases[index]
            guard let error = readError(text, name: name, format: format) else {
                Issue.record("\(name) #\(index) was read")
                return
            }
            #expect(error.message.contains(message), "\(name) #\(index): \(error.message)")
            #expect(error.file == name && error.line != nil && error.column != nil, "\(error)")
        }

        /// The files of the new formats, for the truncation test.
        static let files =
            LoadFormatTests.detected.map(\.path) + ["ab-2.3/flaky-abort.txt", "locust-2.47.0/locust_stats_history.csv"]
        /// The names of the new formats.
        static let formats = Set(LoadFormatTests.detected.map(\.format))

        @Test(
            "every file cut short, read as detected and as each new format: metrics that round-trip, or errors with a place",
            arguments: files)
        func truncated(path: String) throws {
            let bytes = Array(try Data(contentsOf: ownCorpus.appendingPathComponent(path)))
            for cut in Set([0, 1, bytes.count / 7, bytes.count / 3, bytes.count / 2, bytes.count - 2, bytes.count - 1])
            where cut >= 0 && cut < bytes.count {
                for format in ["auto"] + Self.formats.sorted() {
                    do {
                        let read = try MetricsReader.read(
                            SourceText(name: "cut", bytes: Array(bytes[..<cut])), format: format)
                        let native = BaselineDocument.metricsDocument(read.metrics)
                        #expect(
                            try NativeFormat.read(SourceText(name: "again", text: native)) == read.metrics,
                            "\(path) cut at \(cut) as \(format)")
                    } catch {
                        #expect(
                            error.redlineErrors.allSatisfy { $0.file == "cut" },
                            "\(path) cut at \(cut) as \(format): \(error)")
                    }
                }
            }
        }
    }
}
