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

/// What one metric of a corpus file must read as.
struct Expected: Sendable, CustomStringConvertible {
    var name: String
    var value: Double
    var unit: String?
    var direction: Direction = .lower
    var samples = 0
    var description: String { name }
}

/// One corpus file: the format it is detected as, how many metrics it holds, and some of them.
struct CorpusCase: Sendable, CustomStringConvertible {
    var path: String
    var format: String
    var count: Int
    var metrics: [Expected]
    var description: String { path }
}

@Suite("Every corpus file reads with the right names, values, units, directions and samples")
struct CorpusTests {
    static let cases: [CorpusCase] = [
        // Google Benchmark: compare.py's own inputs, and a real run kept by github-action-benchmark.
        CorpusCase(
            path: "google-benchmark/test1_run1.json", format: "google-benchmark", count: 28,
            metrics: [
                Expected(name: "BM_SameTimes", value: 10, unit: "ns"),
                Expected(name: "BM_100xFaster [cpu_time]", value: 10000, unit: "ns"),
            ]),
        CorpusCase(
            path: "google-benchmark/test1_run2.json", format: "google-benchmark", count: 28,
            metrics: [
                Expected(name: "BM_1PercentFaster", value: 98.9999999, unit: "ns"),
                Expected(name: "BM_10PercentCPUToTime [cpu_time]", value: 90, unit: "ns"),
            ]),
        CorpusCase(
            path: "google-benchmark/test2_run.json", format: "google-benchmark", count: 20,
            metrics: [
                Expected(name: "BM_Hi", value: 42, unit: "ms"),
                Expected(name: "BM_Hi [cpu_time]", value: 24, unit: "ms"),
            ]),
        // Repetitions are samples; a repeated plain entry too; aggregates beside iterations are not counted.
        CorpusCase(
            path: "google-benchmark/test3_run0.json", format: "google-benchmark", count: 8,
            metrics: [
                Expected(name: "BM_Two", value: 8.5, unit: "ns", samples: 2),
                Expected(name: "medium [cpu_time]", value: 81, unit: "ns", samples: 2),
                Expected(name: "BM_One", value: 10, unit: "ns"),
            ]),
        CorpusCase(
            path: "google-benchmark/test3_run1.json", format: "google-benchmark", count: 8,
            metrics: [
                Expected(name: "BM_Two", value: 7, unit: "ns"),
                Expected(name: "short", value: 800, unit: "ns"),
            ]),
        // Only a percentage aggregate: nothing to gate, said in a note (checked below).
        CorpusCase(path: "google-benchmark/test4_run0.json", format: "google-benchmark", count: 0, metrics: []),
        CorpusCase(path: "google-benchmark/test4_run1.json", format: "google-benchmark", count: 0, metrics: []),
        CorpusCase(
            path: "github-action-benchmark/googlecpp_output.json", format: "google-benchmark", count: 4,
            metrics: [
                Expected(name: "fib_10", value: 214.98980114547953, unit: "ns"),
                Expected(name: "fib_20 [cpu_time]", value: 27364.90320427236, unit: "ns"),
            ]),
        CorpusCase(
            path: "bencher/cpp/google/two.txt", format: "google-benchmark", count: 4,
            metrics: [
                Expected(name: "fib_20", value: 27455.600415007055, unit: "ns")
            ]),
        // hyperfine: the median in seconds, every time a sample.
        CorpusCase(
            path: "bencher/shell/hyperfine/one.json", format: "hyperfine", count: 1,
            metrics: [
                Expected(name: "sleep 0.01", value: 0.01325132996, unit: "s", samples: 214)
            ]),
        CorpusCase(
            path: "bencher/shell/hyperfine/two.json", format: "hyperfine", count: 2,
            metrics: [
                Expected(name: "sleep 0.1", value: 0.10652535172000001, unit: "s", samples: 27),
                Expected(name: "sleep 0.2", value: 0.20866151872000002, unit: "s", samples: 13),
            ]),
        // pytest-benchmark: fullname, median seconds, stats.data as samples when all are numbers.
        CorpusCase(
            path:
                "pytest-benchmark/0001_b87b9aae14ff14a7887a6bbaa9731b9a8760555d_20150814_190343_uncommitted-changes.json",
            format: "pytest-benchmark", count: 1,
            metrics: [
                Expected(
                    name: "tests/test_normal.py::test_xfast_parametrized[0]", value: 2.2016643907464864e-07, unit: "s")
            ]),
        CorpusCase(
            path:
                "pytest-benchmark/0002_b87b9aae14ff14a7887a6bbaa9731b9a8760555d_20150814_190348_uncommitted-changes.json",
            format: "pytest-benchmark", count: 1,
            metrics: [
                Expected(
                    name: "tests/test_normal.py::test_xfast_parametrized[0]", value: 2.1981029975705031e-07, unit: "s")
            ]),
        CorpusCase(
            path:
                "pytest-benchmark/0003_5b78858eb718649a31fb93d8dc96ca2cee41a4cd_20150815_030157_uncommitted-changes.json",
            format: "pytest-benchmark", count: 1,
            metrics: [
                Expected(
                    name: "tests/test_normal.py::test_xfast_parametrized[0]", value: 2.1855036417643228e-07, unit: "s")
            ]),
        CorpusCase(
            path: "github-action-benchmark/pytest_output.json", format: "pytest-benchmark", count: 2,
            metrics: [
                Expected(name: "bench.py::test_fib_10", value: 2.2300000000363696e-05, unit: "s")
            ]),
        CorpusCase(
            path: "github-action-benchmark/pytest_several_units.json", format: "pytest-benchmark", count: 4,
            metrics: [
                Expected(name: "bench.py::test_sleep_2", value: 2.005124842999999, unit: "s", samples: 5),
                Expected(name: "bench.py::test_fib_1", value: 1.437600000020467e-07, unit: "s"),
            ]),
        CorpusCase(
            path: "bencher/python/pytest/four.json", format: "pytest-benchmark", count: 4,
            metrics: [
                Expected(name: "bench.py::test_fib_20", value: 0.003471104000000169, unit: "s")
            ]),
        CorpusCase(
            path: "bencher/python/pytest/two.json", format: "pytest-benchmark", count: 2,
            metrics: [
                Expected(name: "bench.py::test_fib_20", value: 0.0029605825000003083, unit: "s")
            ]),
        // github-action-benchmark custom JSON: direction from the unit when auto-detected.
        CorpusCase(
            path: "github-action-benchmark/customBiggerIsBetter_output.json", format: "custom", count: 2,
            metrics: [
                Expected(
                    name: "My Custom Bigger Is Better Benchmark - Throughput", value: 70, unit: "req/s",
                    direction: .higher),
                Expected(name: "My Custom Bigger Is Better Benchmark - Free Memory", value: 150, unit: "MB"),
            ]),
        CorpusCase(
            path: "github-action-benchmark/customSmallerIsBetter_output.json", format: "custom", count: 2,
            metrics: [
                Expected(name: "My Custom Smaller Is Better Benchmark - CPU Load", value: 50, unit: "%")
            ]),
        CorpusCase(
            path: "github-action-benchmark/customSmallerIsBetter_output2.json", format: "custom", count: 4,
            metrics: [
                Expected(name: "No instrumentation", value: 90.9439, unit: "ns"),
                Expected(name: "Binary file", value: 3886.75, unit: "ns"),
            ]),
        // go test -bench: GOMAXPROCS suffix dropped, extra units as NAME UNIT, packages where names clash.
        CorpusCase(
            path: "github-action-benchmark/go_output.txt", format: "go", count: 10,
            metrics: [
                Expected(name: "BenchmarkFib10", value: 325, unit: "ns"),
                Expected(name: "BenchmarkFib/my_tabled_benchmark_-_10", value: 325, unit: "ns"),
                Expected(name: "BenchmarkFib/my/tabled/benchmark_-_20,var1=13,var2=14", value: 40537.456, unit: "ns"),
                Expected(name: "BenchmarkFib11 auxMetricUnits", value: 3, unit: "auxMetricUnits"),
            ]),
        CorpusCase(
            path: "github-action-benchmark/go_single_package_output.txt", format: "go", count: 2,
            metrics: [
                Expected(name: "BenchmarkFib20", value: 40537, unit: "ns")
            ]),
        CorpusCase(
            path: "github-action-benchmark/go_fiber_output.txt", format: "go", count: 18,
            metrics: [
                Expected(name: "Benchmark_Ctx_Accepts/run-[]string{\".xml\"}", value: 247.6, unit: "ns"),
                Expected(name: "Benchmark_Ctx_Accepts/run-[]string{\".xml\"} allocs/op", value: 0, unit: "allocs/op"),
            ]),
        CorpusCase(
            path: "github-action-benchmark/go_fiber_duplicate_names_output.txt", format: "go", count: 16,
            metrics: [
                Expected(
                    name: "BenchmarkAppendMsgitem (github.com/gofiber/fiber/v3/middleware/cache)", value: 55.76,
                    unit: "ns"),
                Expected(
                    name: "BenchmarkAppendMsgitem (github.com/gofiber/fiber/v3/middleware/cache) MB/s", value: 2833.37,
                    unit: "MB/s", direction: .higher),
            ]),
        CorpusCase(
            path: "bencher/go/bench/three.txt", format: "go", count: 4,
            metrics: [
                Expected(name: "BenchmarkFib10", value: 210.2, unit: "ns"),
                Expected(name: "BenchmarkFib20WithAuxMetric auxMetricUnits", value: 4, unit: "auxMetricUnits"),
            ]),
        CorpusCase(
            path: "bencher/go/bench/five.txt", format: "go", count: 5,
            metrics: [
                Expected(name: "BenchmarkFib/my_tabled_benchmark_-_20", value: 40537.123, unit: "ns")
            ]),
        // cargo bench: libtest lines and Criterion's text.
        CorpusCase(
            path: "github-action-benchmark/cargo_output.txt", format: "cargo", count: 2,
            metrics: [
                Expected(name: "bench_fib_20", value: 18149, unit: "ns")
            ]),
        CorpusCase(
            path: "github-action-benchmark/cargo_output2.txt", format: "cargo", count: 4,
            metrics: [
                Expected(name: "bench_engine_new", value: 211834, unit: "ns")
            ]),
        CorpusCase(
            path: "github-action-benchmark/cargo_output3.txt", format: "cargo", count: 2,
            metrics: [
                Expected(name: "bench_fib_20", value: 18794.12, unit: "ns")
            ]),
        CorpusCase(
            path: "github-action-benchmark/cargo_output_units.txt", format: "cargo", count: 5,
            metrics: [
                Expected(name: "cmov", value: 2835, unit: "cycles"),
                Expected(name: "upload", value: 1911, unit: "MS/s", direction: .higher),
            ]),
        CorpusCase(
            path: "github-action-benchmark/criterion_output.txt", format: "cargo", count: 4,
            metrics: [
                Expected(name: "Fibonacci (Execution)", value: 1_672_496, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/rust/bench/many.txt", format: "cargo", count: 6,
            metrics: [
                Expected(name: "tests::benchmark", value: 3161, unit: "ns"),
                Expected(name: "tests::one_digit", value: 1, unit: "μs"),
                Expected(name: "tests::three_digit", value: 333, unit: "s"),
            ]),
        CorpusCase(
            path: "bencher/rust/bench/one.txt", format: "cargo", count: 1,
            metrics: [
                Expected(name: "tests::benchmark", value: 3161, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/rust/bench/ignore.txt", format: "cargo", count: 1,
            metrics: [
                Expected(name: "tests::benchmark", value: 3161, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/rust/bench/failed.txt", format: "cargo", count: 2,
            metrics: [
                Expected(name: "tests::benchmark_a", value: 3296, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/rust/bench/multi_target.txt", format: "cargo", count: 2,
            metrics: [
                Expected(name: "tests::other_benchmark", value: 3161, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/rust/bench/issue_390.txt", format: "cargo", count: 4,
            metrics: [
                Expected(name: "bleu::benchmark::bench_batch_bleu", value: 13967756.3, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/rust/criterion/many.txt", format: "cargo", count: 5,
            metrics: [
                Expected(name: "file", value: 323.9, unit: "ps"),
                Expected(name: "benchmark: name with spaces", value: 20.93, unit: "ns"),
            ]),
        CorpusCase(
            path: "bencher/rust/criterion/dogfood.txt", format: "cargo", count: 4,
            metrics: [
                Expected(name: "Adapter::Magic (JSON)", value: 3.4632, unit: "µs")
            ]),
        CorpusCase(
            path: "bencher/rust/criterion/failed.txt", format: "cargo", count: 4,
            metrics: [
                Expected(name: "tracing_file", value: 60.753, unit: "µs")
            ]),
        // Criterion's estimates.json, named from benchmark.json beside it.
        CorpusCase(
            path: "criterion/Fibonacci/Iterative/new/estimates.json", format: "criterion", count: 1,
            metrics: [
                Expected(name: "Fibonacci/Iterative", value: 4.708418938929127, unit: "ns")
            ]),
        CorpusCase(
            path: "criterion/Fibonacci/Recursive/base/estimates.json", format: "criterion", count: 1,
            metrics: [
                Expected(name: "Fibonacci/Recursive", value: 19310.74450671244, unit: "ns")
            ]),
        // JMH: rates are higher-is-better, times per operation lower, rawData the samples.
        CorpusCase(
            path: "github-action-benchmark/jmh_output.json", format: "jmh", count: 1,
            metrics: [
                Expected(
                    name: "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere", value: 3376238873.1228185,
                    unit: "ops/s", direction: .higher, samples: 3)
            ]),
        CorpusCase(
            path: "github-action-benchmark/jmh_output_2.json", format: "jmh", count: 1,
            metrics: [
                Expected(
                    name: "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere (paramA=17, paramB=33)",
                    value: 3376238873.1228185, unit: "ops/s", direction: .higher, samples: 3)
            ]),
        CorpusCase(
            path: "bencher/java/jmh/six.json", format: "jmh", count: 6,
            metrics: [
                Expected(
                    name: "com.github.caffeine.caffeine.cache.ComputeBenchmark.compute_sameKey (computeType=Caffeine)",
                    value: 152520132.34402195, unit: "ops/s", direction: .higher, samples: 3)
            ]),
        CorpusCase(
            path: "bencher/java/jmh/throughput.json", format: "jmh", count: 1,
            metrics: [
                Expected(
                    name: "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere", value: 3376238873.1228185,
                    unit: "ops/s", direction: .higher, samples: 3)
            ]),
        CorpusCase(
            path: "bencher/java/jmh/latency.json", format: "jmh", count: 1,
            metrics: [
                Expected(
                    name: "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere", value: 3376238873.1228185,
                    unit: "s", samples: 3)
            ]),
        // BenchmarkDotNet: Statistics.Mean in ns, workload results as samples, allocation as its own metric.
        CorpusCase(
            path: "github-action-benchmark/benchmarkdotnet.json", format: "benchmarkdotnet", count: 2,
            metrics: [
                Expected(name: "Sample.Benchmarks.Fib10", value: 24.4202085009643, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/c_sharp/dot_net/memory.json", format: "benchmarkdotnet", count: 4,
            metrics: [
                Expected(
                    name: "BenchmarkDotNet.Samples.Memory.AllocEmptyList", value: 77.49449412027995, unit: "ns",
                    samples: 3),
                Expected(name: "BenchmarkDotNet.Samples.Memory.AllocEmptyList [allocated]", value: 368, unit: "B"),
            ]),
        CorpusCase(
            path: "bencher/c_sharp/dot_net/two.json", format: "benchmarkdotnet", count: 2,
            metrics: [
                Expected(
                    name: "BenchmarkDotNet.Samples.Intro.IntroJsonExport.Sleep10", value: 10362283.085796878, unit: "ns"
                )
            ]),
        CorpusCase(
            path: "bencher/c_sharp/dot_net/two_more.json", format: "benchmarkdotnet", count: 2,
            metrics: [
                Expected(name: "Sample.Benchmarks.Fib20", value: 51.52008151549559, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/c_sharp/dot_net/null_namespace.json", format: "benchmarkdotnet", count: 1,
            metrics: [
                Expected(name: "NullNamespaceMethod", value: 0, unit: "ns")
            ]),
        // Catch2's console table, long names wrapped, names qualified where test cases repeat them.
        CorpusCase(
            path: "github-action-benchmark/catch2_output_v2.txt", format: "catch2", count: 4,
            metrics: [
                Expected(name: "Fibonacci 10", value: 344, unit: "ns"),
                Expected(name: "Fibonacci 20", value: 41.731, unit: "us"),
            ]),
        CorpusCase(
            path: "github-action-benchmark/catch2_output_v3.txt", format: "catch2", count: 4,
            metrics: [
                Expected(name: "Fibonacci~ 5!", value: 36, unit: "ns")
            ]),
        CorpusCase(
            path: "github-action-benchmark/issue16_output.txt", format: "catch2", count: 2,
            metrics: [
                Expected(name: "Fibonacci 10", value: 0, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/cpp/catch2/four.txt", format: "catch2", count: 4,
            metrics: [
                Expected(name: "Fibonacci-15_bench", value: 3.789, unit: "us")
            ]),
        CorpusCase(
            path: "bencher/cpp/catch2/two.txt", format: "catch2", count: 2,
            metrics: [
                Expected(name: "Fibonacci 20", value: 1, unit: "ns")
            ]),
        CorpusCase(
            path: "bencher/cpp/catch2/issue_351.txt", format: "catch2", count: 6,
            metrics: [
                Expected(name: "Fibonacci 10 with a long name", value: 344, unit: "ns"),
                Expected(name: "Fibonacci 20 (Unit_assignment / Construction)", value: 41.731, unit: "us"),
            ]),
        // package-benchmark's p90 exports: the benchmark from the file name.
        CorpusCase(
            path: "package-benchmark/P90AbsoluteThresholdsBenchmark.P90Malloc.p90.json", format: "package-benchmark",
            count: 2,
            metrics: [
                Expected(name: "P90AbsoluteThresholdsBenchmark.P90Malloc mallocCountTotal", value: 1012, unit: "count")
            ]),
        CorpusCase(
            path: "package-benchmark/P90AbsoluteThresholdsBenchmark.P90Date.p90.json", format: "package-benchmark",
            count: 2,
            metrics: [
                Expected(name: "P90AbsoluteThresholdsBenchmark.P90Date syscalls", value: 2, unit: "count")
            ]),
        // Julia BenchmarkTools: nested groups joined with /.
        CorpusCase(
            path: "github-action-benchmark/julia_output.json", format: "julia", count: 6,
            metrics: [
                Expected(name: "fib/20", value: 31028, unit: "ns"),
                Expected(name: "fib/10", value: 246.03846153846155, unit: "ns"),
                Expected(name: "fib/10 [memory]", value: 0, unit: "B"),
            ]),
        // benchmark.js: ops/sec, higher-is-better; lines that only look alike are not results.
        CorpusCase(
            path: "github-action-benchmark/benchmarkjs_output.txt", format: "benchmarkjs", count: 3,
            metrics: [
                Expected(name: "fib(10)", value: 1_431_759, unit: "ops/s", direction: .higher)
            ]),
        CorpusCase(
            path: "bencher/js/benchmark/four.txt", format: "benchmarkjs", count: 4,
            metrics: [
                Expected(name: "benchmark with x 2 many things", value: 50, unit: "ops/s", direction: .higher)
            ]),
        CorpusCase(
            path: "bencher/js/benchmark/issue_506.txt", format: "benchmarkjs", count: 6,
            metrics: [
                Expected(name: "sha512 wasm from string utf8", value: 15.2, unit: "ops/s", direction: .higher)
            ]),
    ]

    @Test("reads as documented", arguments: cases)
    func corpusFile(_ expected: CorpusCase) throws {
        let result = try readCorpus(expected.path)
        #expect(result.format == expected.format)
        #expect(result.metrics.metrics.count == expected.count, "\(result.metrics.metrics.map(\.name))")
        for metric in expected.metrics {
            let read = try #require(
                result.metrics[metric.name], "no metric \"\(metric.name)\" in \(result.metrics.metrics.map(\.name))")
            #expect(read.value == metric.value, "\(metric.name)")
            #expect(read.unit?.symbol == metric.unit, "\(metric.name)")
            #expect(read.effectiveDirection == metric.direction, "\(metric.name)")
            #expect((read.samples?.count ?? 0) == metric.samples, "\(metric.name)")
        }
        // Whatever the tool, the result survives the native round trip.
        let native = BaselineDocument.metricsDocument(result.metrics)
        #expect(try NativeFormat.read(SourceText(name: "converted", text: native)) == result.metrics)
    }

    @Test(
        "files of formats redline does not read say so in one short line, and how to name a format",
        arguments: [
            "bencher/dart/benchmark_harness/one.txt", "bencher/ruby/benchmark/two.txt", "bencher/python/asv/six.txt",
            "bencher/rust/iai/two.txt", "github-action-benchmark/benchmarkluau_output.txt", "bencher/js/time/four.txt",
        ])
    func unknownFormats(path: String) {
        do {
            _ = try readCorpus(path)
            Issue.record("read \(path)")
        } catch {
            let message = error.redlineErrors[0].description
            #expect(message.contains("this file matches none of the formats redline reads"), "\(message)")
            #expect(message.contains("name the format with --format NAME"))
            #expect(message.utf8.count < 250, "\(message)")
        }
    }

    @Test("Criterion's change estimates and compare.py's time-less fixture are refused with the reason")
    func refused() {
        #expect(throws: (any Error).self) { try readCorpus("criterion/Fibonacci/Recursive/change/estimates.json") }
        do {
            _ = try readCorpus("google-benchmark/test4_run.json")
        } catch {
            #expect(error.redlineErrors[0].message.contains("has no numeric `real_time`"))
        }
    }

    @Test("notes say what was left out instead of dropping it silently")
    func notes() throws {
        let aggregates = try readCorpus("google-benchmark/test4_run0.json")
        #expect(
            aggregates.notes == [
                "google-benchmark/test4_run0.json: benchmark \"whocares\" has only zz aggregates, no repetitions, median or mean, and is left out"
            ])
        let pytest = try readCorpus("github-action-benchmark/pytest_output.json")
        #expect(pytest.notes.count == 2)
        #expect(pytest.notes[0].contains("`stats.data` holds values that are not numbers"))
    }
}
