// A tiny Google Benchmark program for redline's end-to-end tests. REDLINE_SLOWDOWN=N makes
// BM_Sort do N times the work, and REDLINE_EXTRA_PERCENT=P P% more (one more sort every 100/P
// iterations), so a test can produce a real regression on demand.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <vector>

static int Slowdown() {
  const char* text = std::getenv("REDLINE_SLOWDOWN");
  return text ? std::max(1, std::atoi(text)) : 1;
}

static int ExtraPercent() {
  const char* text = std::getenv("REDLINE_EXTRA_PERCENT");
  return text ? std::max(0, std::atoi(text)) : 0;
}

static void BM_Sort(benchmark::State& state) {
  std::vector<int> values(static_cast<size_t>(state.range(0)));
  const int rounds = Slowdown();
  const int extra = ExtraPercent();
  int credit = 0;
  for (auto _ : state) {
    int runs = rounds;
    credit += extra;
    if (credit >= 100) {
      credit -= 100;
      runs += 1;
    }
    for (int round = 0; round < runs; ++round) {
      std::iota(values.rbegin(), values.rend(), 0);
      std::sort(values.begin(), values.end());
    }
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sort)->Arg(1024)->Arg(8192);

static void BM_Sum(benchmark::State& state) {
  std::vector<double> values(4096, 1.5);
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::accumulate(values.begin(), values.end(), 0.0));
  }
}
BENCHMARK(BM_Sum);

BENCHMARK_MAIN();
