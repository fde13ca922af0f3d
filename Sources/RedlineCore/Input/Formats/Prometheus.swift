import RedlineModel
import RedlineJSON

/// Prometheus's text exposition format (0.0.4) and OpenMetrics, as a `/metrics` scrape saves them.
/// Each series is named as PromQL shows it, `NAME{a="x",b="y"}` (labels sorted, values escaped);
/// a series without labels is `NAME`.
///
/// - Counters, gauges and untyped samples: their value (a counter's `_total` name kept).
/// - A series that breaks a rule (NaN or ±Inf, a negative size or duration, a name with its labels
///   too long to shorten) is left out, with one note naming the first and counting the others; it
///   is an error only where a budget gates that very series. A long name is shortened to a
///   readable, unique one.
/// - Histograms: per series (`le` removed) `count`, `mean` (sum / count) and `p50`, `p90`, `p95`,
///   `p99` as `histogram_quantile` computes them (`HistogramQuantile.classic`); buckets that
///   decrease are made monotonic as Prometheus does, with a note. Over all series of the
///   histogram, `NAME count`, `NAME mean` and, when every series has the same buckets, the
///   percentiles of the summed buckets (`sum by (le)`).
/// - Summaries: per series `p50` … from its quantile samples (`quantile="0.99"` → `p99`), `count`
///   and `mean`; summaries cannot be aggregated, so there is no figure over all series.
/// - `_created` series (OpenMetrics, and the 0.0.4 gauges prometheus_client adds for them) are
///   not read.
///
/// Units come from `# UNIT` or the name's suffix (`_seconds` → s, `_milliseconds` → ms, `_bytes`
/// → B, `_percent` → %, `_ratio` none); a counter without one counts (count). Counts of work done
/// (`ServedWork`: requests served, by a family's name, unless the name or a status label says
/// errors) are higher-is-better: in the same load, fewer requests served is worse. Everything else
/// takes its unit's default direction (lower is better).
enum Prometheus: MetricsFormat {
    static let name = "prometheus"
    static let syntax = FormatSyntax.text
    static let kind = FormatKind.loadTest

    static let kinds: Set<String> = [
        "counter", "gauge", "histogram", "gaugehistogram", "summary", "untyped", "unknown", "info", "stateset",
    ]
    static let fractions = [0.5, 0.9, 0.95, 0.99]

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let lines = input.lines?.lines else { return .none }
        if lines.contains(where: { line in
            guard line.text.hasPrefix("# TYPE ") else { return false }
            let words = line.text.split(separator: " ")
            return words.count == 4 && kinds.contains(String(words[3]))
        }) {
            return .strong
        }
        var samples = 0
        for line in lines where !line.text.hasPrefix("#") && !line.text.allSatisfy({ $0 == " " || $0 == "\t" }) {
            guard PrometheusText.isSample(line.text) else { return .none }
            samples += 1
        }
        return samples > 0 ? .weak : .none
    }

    /// The samples of one histogram or summary series.
    struct Series {
        var labels: [(name: String, value: String)]
        var buckets: [HistogramQuantile.Bucket] = []
        var quantiles: [(fraction: Double, value: Double, offset: Int)] = []
        var count: Double?
        var sum: Double?
        var offset: Int
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let text = try PrometheusText(try input.textLines(), source: source)
        var collector = MetricCollector(source: source, setsAsideBadSeries: true)
        // Histograms and summaries, by family, their series by label set, in the file's order.
        var families: [(name: String, kind: String, series: [(key: String, series: Series)])] = []
        for sample in text.samples {
            let (family, kind, suffix) = resolve(sample.name, types: text.types)
            if suffix == "_created" || isCreatedFamily(family, kind: kind, types: text.types) { continue }
            guard kind == "histogram" || kind == "gaugehistogram" || kind == "summary" else {
                let unit = self.unit(of: family, kind: kind, units: text.units)
                let served = kind == "counter" && ServedWork.counts(family, labels: sample.labels)
                try collector.add(
                    sample.name + labelText(sample.labels), value: sample.value, unit: unit,
                    direction: served ? .higher : nil, at: sample.offset)
                continue
            }
            let own = sample.labels.filter { $0.name != "le" && !(kind == "summary" && $0.name == "quantile") }
            let key = labelText(own)
            let index: Int
            if let known = families.lastIndex(where: { $0.name == family }) {
                index = known
            } else {
                families.append((family, kind, []))
                index = families.count - 1
            }
            var slot = families[index].series.firstIndex { $0.key == key }
            if slot == nil {
                families[index].series.append((key, Series(labels: own, offset: sample.offset)))
                slot = families[index].series.count - 1
            }
            func count() throws -> Double {
                guard sample.value.isFinite, sample.value >= 0 else {
                    throw RedlineError(
                        source, at: sample.valueOffset,
                        "\(sample.name)\(key) is \(sample.value), but a count must be a number ≥ 0",
                        hint: "NaN or a negative number where a count is expected")
                }
                return sample.value
            }
            switch suffix {
            case "_bucket":
                guard
                    let bound = sample.labels.first(where: { $0.name == "le" }).flatMap({
                        PrometheusText.number($0.value)
                    }), !bound.isNaN
                else {
                    throw RedlineError(
                        source, at: sample.offset, "\(sample.name)\(key) needs an `le` label with a number")
                }
                families[index].series[slot!].series.buckets.append(.init(upperBound: bound, count: try count()))
            case "_count", "_gcount", "_sum", "_gsum":
                let isCount = suffix.hasSuffix("count")
                guard
                    (isCount ? families[index].series[slot!].series.count : families[index].series[slot!].series.sum)
                        == nil
                else {
                    throw RedlineError(
                        source, at: sample.offset, "\(sample.name)\(key) appears twice",
                        hint: "each series may appear once")
                }
                if isCount {
                    families[index].series[slot!].series.count = try count()
                } else {
                    families[index].series[slot!].series.sum = sample.value
                }
            default:
                guard kind == "summary" else {
                    throw RedlineError(
                        source, at: sample.offset, "\(sample.name)\(key) is no sample of histogram \(family)",
                        hint: "a histogram's samples are \(family)_bucket, \(family)_count and \(family)_sum")
                }
                guard
                    let quantile = sample.labels.first(where: { $0.name == "quantile" }).flatMap({
                        PrometheusText.number($0.value)
                    }),
                    quantile >= 0, quantile <= 1
                else {
                    throw RedlineError(
                        source, at: sample.offset,
                        "summary sample \(sample.name)\(key) needs a `quantile` label between 0 and 1")
                }
                families[index].series[slot!].series.quantiles.append((quantile, sample.value, sample.valueOffset))
            }
        }
        for family in families {
            let unit = self.unit(of: family.name, kind: family.kind, units: text.units)
            for (key, series) in family.series {
                try add(series, name: family.name + key, unit: unit, to: &collector)
            }
            if family.kind != "summary", family.series.contains(where: { !$0.series.labels.isEmpty }) {
                try addTotal(of: family.series.map(\.series), name: family.name, unit: unit, to: &collector)
            }
        }
        return collector.result(Self.name)
    }

    /// One histogram or summary series: count, mean and percentiles.
    static func add(_ series: Series, name: String, unit: Unit?, to collector: inout MetricCollector) throws {
        let count = series.count ?? series.buckets.first { $0.upperBound == .infinity }?.count
        if let count {
            try collector.add(
                name + " count", value: count, unit: Unit("count"),
                direction: ServedWork.counts(name, labels: series.labels) ? .higher : nil, at: series.offset)
        }
        if let count, count > 0, let sum = series.sum, sum.isFinite {
            try collector.add(name + " mean", value: sum / count, unit: unit, at: series.offset)
        }
        for quantile in series.quantiles {
            guard quantile.value.isFinite else {
                collector.note(
                    "\(name) quantile \(JSONWriter.number(quantile.fraction)) is \(quantile.value) (no observations in its window) and is left out"
                )
                continue
            }
            try collector.add(
                name + " " + LoadMetric.percentileName(quantile.fraction), value: quantile.value, unit: unit,
                at: quantile.offset)
        }
        guard !series.buckets.isEmpty else { return }
        if !series.buckets.contains(where: { $0.upperBound == .infinity }) {
            collector.note(
                "histogram \(name) has no le=\"+Inf\" bucket, so its percentiles are left out")
            return
        }
        try addPercentiles(of: series.buckets, name: name, unit: unit, at: series.offset, to: &collector)
    }

    /// The histogram over all its series: counts and sums added, and the percentiles of the summed
    /// buckets when every series has the same bounds.
    static func addTotal(of series: [Series], name: String, unit: Unit?, to collector: inout MetricCollector) throws {
        let offset = series[0].offset
        let counts = series.compactMap { $0.count ?? $0.buckets.first { $0.upperBound == .infinity }?.count }
        guard counts.count == series.count else { return }
        let count = counts.reduce(0, +)
        try collector.add(
            name + " count", value: count, unit: Unit("count"),
            direction: ServedWork.counts(name, labels: []) ? .higher : nil,
            at: offset)
        let sums = series.compactMap(\.sum)
        if count > 0, sums.count == series.count, sums.allSatisfy(\.isFinite) {
            try collector.add(name + " mean", value: sums.reduce(0, +) / count, unit: unit, at: offset)
        }
        let bounds = series[0].buckets.map(\.upperBound).sorted()
        guard !bounds.isEmpty, bounds.last == .infinity else { return }
        guard series.allSatisfy({ $0.buckets.map(\.upperBound).sorted() == bounds }) else {
            collector.note(
                "the series of histogram \(name) have different buckets, so there are no percentiles over all of them"
            )
            return
        }
        let summed = bounds.map { bound in
            HistogramQuantile.Bucket(
                upperBound: bound,
                count: series.reduce(0) { total, one in
                    total + one.buckets.filter { $0.upperBound == bound }.reduce(0) { $0 + $1.count }
                })
        }
        try addPercentiles(of: summed, name: name, unit: unit, at: offset, to: &collector)
    }

    static func addPercentiles(
        of buckets: [HistogramQuantile.Bucket], name: String, unit: Unit?, at offset: Int,
        to collector: inout MetricCollector
    ) throws {
        var forced = false
        for fraction in fractions {
            let (value, forcedMonotonic) = HistogramQuantile.classic(fraction, buckets)
            forced = forced || forcedMonotonic
            guard value.isFinite else { continue }
            try collector.add(name + " " + LoadMetric.percentileName(fraction), value: value, unit: unit, at: offset)
        }
        if forced {
            collector.note(
                "the buckets of histogram \(name) decrease somewhere; they were made monotonic as Prometheus's histogram_quantile does"
            )
        }
    }

    /// The family a sample belongs to, the family's kind, and the sample's suffix within it.
    static func resolve(_ name: String, types: [String: String]) -> (family: String, kind: String, suffix: String) {
        if let kind = types[name] { return (name, kind, "") }
        for suffix in ["_bucket", "_count", "_sum", "_created", "_total", "_gcount", "_gsum", "_info"]
        where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let kind = types[base] { return (base, kind, suffix) }
        }
        return (name, "untyped", "")
    }

    /// Whether the family is the 0.0.4 gauge prometheus_client writes for a `_created` series
    /// (`http_requests_created` beside the counter `http_requests_total`).
    static func isCreatedFamily(_ family: String, kind: String, types: [String: String]) -> Bool {
        guard family.hasSuffix("_created"), kind == "gauge" || kind == "untyped" else { return false }
        let base = String(family.dropLast("_created".count))
        return [base, base + "_total"].contains {
            ["counter", "histogram", "summary", "gaugehistogram"].contains(types[$0] ?? "")
        }
    }

    /// The family's unit: OpenMetrics' `# UNIT`, else the name's suffix; a counter without one counts.
    static func unit(of family: String, kind: String, units: [String: String]) -> Unit? {
        var name = family
        if name.hasSuffix("_total") { name.removeLast("_total".count) }
        let words = [
            "seconds": "s", "milliseconds": "ms", "microseconds": "us", "nanoseconds": "ns", "bytes": "B",
            "percent": "%", "ratio": "",
        ]
        let word = units[family] ?? words.keys.first { name.hasSuffix("_" + $0) }
        if let word { return words[word].map { $0.isEmpty ? nil : Unit($0) } ?? Unit(word) }
        return kind == "counter" ? Unit("count") : nil
    }

    /// `{a="x",b="y"}`: labels sorted by name, values escaped as in the exposition format; empty without labels.
    static func labelText(_ labels: [(name: String, value: String)]) -> String {
        guard !labels.isEmpty else { return "" }
        let escaped = labels.sorted { $0.name < $1.name }.map { label in
            var value = ""
            for character in label.value {
                switch character {
                case "\\": value += "\\\\"
                case "\"": value += "\\\""
                case "\n": value += "\\n"
                default: value.append(character)
                }
            }
            return "\(label.name)=\"\(value)\""
        }
        return "{" + escaped.joined(separator: ",") + "}"
    }
}

/// Which counts of a service's telemetry are work done: requests served (a request counter, the
/// count of a request-duration histogram). In a load test of fixed length, fewer of them is worse,
/// so they are higher-is-better; a count of errors, failures or rejections, or a series whose
/// status label is a 4xx or 5xx code, stays lower-is-better, as does any other count (queries
/// run, cache misses: more of them is more cost).
enum ServedWork {
    static let workWords = ["request", "http_server", "rpc_server", "response"]
    static let troubleWords = [
        "error", "fail", "reject", "drop", "timeout", "retr", "abort", "denied", "invalid", "exception",
        "panic", "refused", "cancel", "queue", "inflight", "in_flight", "pending", "wait",
    ]
    static let statusLabels: Set<String> = [
        "code", "status", "status_code", "http_status", "http_status_code",
        "http.response.status_code", "rpc.grpc.status_code",
    ]

    /// Whether the count named `name` (a family or a series name, labels aside) with `labels` is work done.
    static func counts(_ name: String, labels: [(name: String, value: String)]) -> Bool {
        let base = name.prefix { $0 != "{" }.lowercased()
        guard workWords.contains(where: { base.contains($0) }), !troubleWords.contains(where: { base.contains($0) })
        else { return false }
        return !labels.contains { label in
            statusLabels.contains(label.name.lowercased()) && (label.value.hasPrefix("4") || label.value.hasPrefix("5"))
        }
    }
}
