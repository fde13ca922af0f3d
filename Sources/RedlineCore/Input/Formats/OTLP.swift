import RedlineModel
import RedlineJSON

/// OpenTelemetry metrics as OTLP/JSON (`{"resourceMetrics": [{"scopeMetrics": [{"metrics": […]}]}]}`,
/// one export: the OTLP JSON encoders and the file exporters' lines). Each data point is named by
/// its metric and attributes as Prometheus names series, `NAME{a="x",b="y"}` (attributes sorted;
/// resource and scope attributes are left out):
///
/// - `sum`, `gauge`: the value (`asInt`, a string for 64-bit integers, or `asDouble`).
/// - `histogram`: per point and over all points the figures of a Prometheus histogram (`Prometheus`:
///   `count`, `mean`, `p50` … `p99` by `histogram_quantile`'s interpolation), plus `min` and `max`
///   when the point has them.
/// - `exponentialHistogram`: the same, its percentiles interpolated exponentially inside a bucket as
///   Prometheus does for native histograms; over all points the buckets are merged at the coarsest scale.
/// - `summary`: per point `p50` … from its quantile values, `count` and `mean`.
///
/// `aggregationTemporality` may be a number or its enum name; delta and cumulative points read the
/// same, as the figures of the export. UCUM units: `s`, `ms`, `us`, `ns`, `By` → B (`KiBy` → KiB …),
/// `By/s` → B/s, `1` → no unit, `{request}` and other annotations → count; others as written.
enum OTLP: MetricsFormat {
    static let name = "otlp"
    static let syntax = FormatSyntax.json
    static let kind = FormatKind.loadTest

    static let temporalities = [
        "0", "1", "2", "AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA",
        "AGGREGATION_TEMPORALITY_CUMULATIVE",
    ]

    static func match(_ input: FormatInput) -> FormatMatch {
        input.root?["resourceMetrics"]?.elements != nil ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let source = input.source
        let json = ToolJSON(source)
        let root = try input.rootObject("OTLP/JSON", needed: "OTLP/JSON must be an object").node
        var collector = MetricCollector(source: source, setsAsideBadSeries: true)
        for resource in try json.array(root["resourceMetrics"], "`resourceMetrics`", in: root) {
            for scope in try json.array(
                resource["scopeMetrics"] ?? resource["instrumentationLibraryMetrics"], "`scopeMetrics`", in: resource)
            {
                for metric in try json.array(scope["metrics"], "`metrics` of a scope", in: scope) {
                    try read(metric, json: json, to: &collector)
                }
            }
        }
        return collector.result(Self.name)
    }

    static func read(_ metric: JSONNode, json: ToolJSON, to collector: inout MetricCollector) throws {
        let source = json.source
        guard let name = try json.optionalString(metric, "name", of: "an OTLP metric") else {
            throw RedlineError(source, at: metric.offset, "an OTLP metric has no `name`")
        }
        let unit = self.unit(try json.optionalString(metric, "unit", of: "metric \"\(name)\"") ?? "")
        guard
            let (kind, body) = ["gauge", "sum", "histogram", "exponentialHistogram", "summary"].lazy
                .compactMap({ kind in metric[kind].map { (kind, $0) } }).first
        else {
            collector.note(
                "OTLP metric \"\(name)\" has no data of a known kind and is left out")
            return
        }
        try checkTemporality(of: body, name: name, json: json)
        var series: [Prometheus.Series] = []
        var exponential: [Exponential] = []
        for point in try json.array(
            body["dataPoints"] ?? JSONNode(value: .array([]), offset: body.offset), "`dataPoints` of \"\(name)\"",
            in: body)
        {
            if isStale(point) { continue }
            let what = "a data point of \"\(name)\""
            let labels = try attributes(point["attributes"], json: json)
            let full = name + Prometheus.labelText(labels)
            switch kind {
            case "gauge", "sum":
                let served = kind == "sum" && ServedWork.counts(name, labels: labels)
                try addValue(
                    of: point, name: full, what: what, unit: unit, direction: served ? .higher : nil, json: json,
                    to: &collector)
            case "summary":
                try Prometheus.add(
                    summary(point, labels: labels, what: what, json: json), name: full, unit: unit, to: &collector)
            case "histogram":
                let one = try histogram(point, labels: labels, what: what, json: json)
                try Prometheus.add(one, name: full, unit: unit, to: &collector)
                try addExtremes(of: point, name: full, unit: unit, json: json, to: &collector)
                series.append(one)
            default:
                let one = try Exponential(point, labels: labels, what: what, json: json)
                try one.add(name: full, unit: unit, to: &collector)
                try addExtremes(of: point, name: full, unit: unit, json: json, to: &collector)
                exponential.append(one)
            }
        }
        if series.contains(where: { !$0.labels.isEmpty }) {
            try Prometheus.addTotal(of: series, name: name, unit: unit, to: &collector)
        }
        if exponential.contains(where: { !$0.labels.isEmpty }) {
            try Exponential.merged(exponential).add(name: name, unit: unit, to: &collector)
        }
    }

    /// `aggregationTemporality`, when given, must be one OTLP defines.
    static func checkTemporality(of body: JSONNode, name: String, json: ToolJSON) throws {
        guard let temporality = body["aggregationTemporality"] else { return }
        // Written as a switch: `string ?? number.map(...)` crashes Swift 6.3.1's optimizer (CopyPropagation).
        let text: String
        switch temporality.value {
        case .string(let name): text = name
        case .number(let number): text = JSONWriter.number(number)
        default: text = ""
        }
        guard temporalities.contains(text) else {
            throw RedlineError(
                json.source, at: temporality.offset,
                "`aggregationTemporality` of \"\(name)\" must be 1, 2 or an AGGREGATION_TEMPORALITY_ name, got \(JSONNumbers.describe(temporality))"
            )
        }
    }

    /// Flag 1 of a data point: no recorded value (a staleness marker).
    static func isStale(_ point: JSONNode) -> Bool {
        guard let flags = point["flags"]?.number, flags.isFinite, flags >= 0, flags < 4_294_967_296 else {
            return false
        }
        return UInt32(flags) & 1 == 1
    }

    /// A gauge's or sum's point: its value, or a note when it has none or it is not finite.
    static func addValue(
        of point: JSONNode, name: String, what: String, unit: Unit?, direction: Direction? = nil, json: ToolJSON,
        to collector: inout MetricCollector
    ) throws {
        guard let node = point["asDouble"] ?? point["asInt"] else {
            collector.note("\(name) has no value and is left out")
            return
        }
        let value = try number(node, what: "the value of \(what)", json: json)
        guard value.isFinite else {
            collector.note("\(name) is \(value) and is left out")
            return
        }
        try collector.add(name, value: value, unit: unit, direction: direction, at: node.offset)
    }

    /// A summary's point as a Prometheus summary series.
    static func summary(_ point: JSONNode, labels: [(name: String, value: String)], what: String, json: ToolJSON) throws
        -> Prometheus.Series
    {
        var one = Prometheus.Series(labels: labels, offset: point.offset)
        one.count = try point["count"].map { try json.count($0, what: "`count` of \(what)") } ?? 0
        one.sum = try point["sum"].map { try number($0, what: "`sum` of \(what)", json: json) }
        for quantile in point["quantileValues"]?.elements ?? [] {
            one.quantiles.append(
                (
                    try quantile["quantile"].map { try number($0, what: "a quantile of \(what)", json: json) } ?? 0,
                    try quantile["value"].map { try number($0, what: "a quantile value of \(what)", json: json) } ?? 0,
                    quantile.offset
                ))
        }
        return one
    }

    /// A histogram's point as a Prometheus histogram series (OTLP's counts are per bucket, Prometheus's cumulative).
    static func histogram(_ point: JSONNode, labels: [(name: String, value: String)], what: String, json: ToolJSON)
        throws -> Prometheus.Series
    {
        var one = Prometheus.Series(labels: labels, offset: point.offset)
        one.sum = try point["sum"].map { try number($0, what: "`sum` of \(what)", json: json) }
        let counts = try (point["bucketCounts"]?.elements ?? []).map {
            try json.count($0, what: "a bucket count of \(what)")
        }
        let bounds = try (point["explicitBounds"]?.elements ?? []).map {
            try number($0, what: "a bound of \(what)", json: json)
        }
        if !counts.isEmpty {
            guard counts.count == bounds.count + 1 else {
                throw RedlineError(
                    json.source, at: point.offset,
                    "\(what) has \(counts.count) bucket counts for \(bounds.count) bounds; OTLP needs one more count than bounds"
                )
            }
            var cumulative = 0.0
            one.buckets = zip(bounds + [.infinity], counts).map { bound, count in
                cumulative += count
                return HistogramQuantile.Bucket(upperBound: bound, count: cumulative)
            }
        }
        // proto3's JSON leaves out a count of 0.
        one.count =
            try point["count"].map { try json.count($0, what: "`count` of \(what)") } ?? one.buckets.last?.count ?? 0
        return one
    }

    static func addExtremes(
        of point: JSONNode, name: String, unit: Unit?, json: ToolJSON, to collector: inout MetricCollector
    ) throws {
        for key in ["min", "max"] {
            if let node = point[key] {
                try collector.add(
                    "\(name) \(key)", value: try number(node, what: "`\(key)` of \(name)", json: json), unit: unit,
                    at: node.offset)
            }
        }
    }

    /// A double as protobuf's JSON writes it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`, or
    /// a 64-bit integer as a string.
    static func number(_ node: JSONNode, what: String, json: ToolJSON) throws -> Double {
        if let number = node.number { return number }
        switch node.string {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case let text?: if let number = Double(text) { return number }
        case nil: break
        }
        throw JSONNumbers.notANumber(json.source, at: node.offset, what: what, got: JSONNumbers.describe(node))
    }

    /// The data point's attributes as labels.
    static func attributes(_ node: JSONNode?, json: ToolJSON) throws -> [(name: String, value: String)] {
        try (node?.elements ?? []).map { attribute in
            guard let key = attribute["key"]?.string else {
                throw RedlineError(json.source, at: attribute.offset, "an OTLP attribute has no `key`")
            }
            return (key, text(of: attribute["value"]))
        }
    }

    /// An AnyValue as text: a string as is, numbers and booleans as written, arrays and lists in brackets.
    static func text(of value: JSONNode?) -> String {
        guard let value, let (kind, inner) = value.members?.first.map({ ($0.key, $0.node) }) else { return "" }
        switch kind {
        case "arrayValue":
            return "[" + (inner["values"]?.elements ?? []).map { text(of: $0) }.joined(separator: ",") + "]"
        case "kvlistValue":
            return "{"
                + (inner["values"]?.elements ?? []).map { "\($0["key"]?.string ?? "")=\(text(of: $0["value"]))" }
                .joined(separator: ",") + "}"
        default:
            if let string = inner.string { return string }
            if let number = inner.number { return JSONWriter.number(number) }
            if case .bool(let flag) = inner.value { return flag ? "true" : "false" }
            return ""
        }
    }

    /// A UCUM unit as redline's units.
    static func unit(_ ucum: String) -> Unit? {
        let known = [
            "s": "s", "ms": "ms", "us": "us", "ns": "ns", "min": "min", "h": "h", "By": "B", "KiBy": "KiB",
            "MiBy": "MiB",
            "GiBy": "GiB", "kBy": "kB", "MBy": "MB", "GBy": "GB", "By/s": "B/s", "%": "%", "1/s": "/s",
        ]
        if ucum.isEmpty || ucum == "1" { return nil }
        if let symbol = known[ucum] { return Unit(symbol) }
        // `{request}` annotates a plain count; `{request}/s` a rate of them.
        if ucum.hasPrefix("{"), ucum.hasSuffix("}") { return Unit("count") }
        if ucum.hasPrefix("{"), ucum.hasSuffix("}/s") { return Unit("/s") }
        return Unit(ucum)
    }

    /// An exponential histogram data point: buckets by index at a scale.
    struct Exponential {
        var labels: [(name: String, value: String)]
        var scale: Int
        var zeroCount: Double
        var zeroThreshold: Double
        var positive: [Int: Double]
        var negative: [Int: Double]
        var count: Double
        var sum: Double?
        var offset: Int

        init(
            labels: [(name: String, value: String)], scale: Int, zeroCount: Double, zeroThreshold: Double,
            positive: [Int: Double], negative: [Int: Double], count: Double, sum: Double?, offset: Int
        ) {
            (self.labels, self.scale, self.zeroCount, self.zeroThreshold) = (labels, scale, zeroCount, zeroThreshold)
            (self.positive, self.negative, self.count, self.sum, self.offset) = (positive, negative, count, sum, offset)
        }

        init(_ point: JSONNode, labels: [(name: String, value: String)], what: String, json: ToolJSON) throws {
            func buckets(_ key: String) throws -> [Int: Double] {
                guard let side = point[key] else { return [:] }
                let offset =
                    try side["offset"].map { try OTLP.number($0, what: "`\(key).offset` of \(what)", json: json) } ?? 0
                guard offset.isFinite, offset == offset.rounded(), abs(offset) < 2_147_483_648 else {
                    throw RedlineError(
                        json.source, at: side["offset"]!.offset, "`\(key).offset` of \(what) must be a 32-bit integer")
                }
                let start = Int(offset)
                var result: [Int: Double] = [:]
                for (position, node) in (side["bucketCounts"]?.elements ?? []).enumerated() {
                    result[start + position] = try json.count(node, what: "a bucket count of \(what)")
                }
                return result
            }
            let scale = try point["scale"].map { try OTLP.number($0, what: "`scale` of \(what)", json: json) } ?? 0
            guard scale >= -10, scale <= 20, scale == scale.rounded() else {
                throw RedlineError(
                    json.source, at: point["scale"]!.offset, "`scale` of \(what) must be between -10 and 20")
            }
            self.init(
                labels: labels, scale: Int(scale),
                zeroCount: try point["zeroCount"].map { try json.count($0, what: "`zeroCount` of \(what)") } ?? 0,
                zeroThreshold: try point["zeroThreshold"].map {
                    try OTLP.number($0, what: "`zeroThreshold` of \(what)", json: json)
                } ?? 0,
                positive: try buckets("positive"), negative: try buckets("negative"),
                count: try point["count"].map { try json.count($0, what: "`count` of \(what)") } ?? 0,
                sum: try point["sum"].map { try OTLP.number($0, what: "`sum` of \(what)", json: json) },
                offset: point.offset)
        }

        /// All points' buckets at the coarsest scale among them, counts and sums added.
        static func merged(_ points: [Exponential]) -> Exponential {
            let scale = points.map(\.scale).min() ?? 0
            var total = Exponential(
                labels: [], scale: scale, zeroCount: 0, zeroThreshold: points.map(\.zeroThreshold).max() ?? 0,
                positive: [:], negative: [:], count: 0, sum: 0, offset: points.first?.offset ?? 0)
            for point in points {
                // Index i at scale s falls into index i >> (s - m) at scale m (an arithmetic shift floors).
                let shift = point.scale - scale
                for (index, count) in point.positive { total.positive[index >> shift, default: 0] += count }
                for (index, count) in point.negative { total.negative[index >> shift, default: 0] += count }
                total.zeroCount += point.zeroCount
                total.count += point.count
                total.sum = point.sum.flatMap { sum in total.sum.map { $0 + sum } }
            }
            return total
        }

        func add(name: String, unit: Unit?, to collector: inout MetricCollector) throws {
            try collector.add(
                name + " count", value: count, unit: Unit("count"),
                direction: ServedWork.counts(name, labels: labels) ? .higher : nil, at: offset)
            if count > 0, let sum, sum.isFinite {
                try collector.add(name + " mean", value: sum / count, unit: unit, at: offset)
            }
            // Ascending: negative buckets from the most negative, the zero bucket, positive buckets.
            let width = CLibrary.powerOfTwo(-Double(scale))
            func bound(_ index: Int) -> Double { CLibrary.powerOfTwo(Double(index) * width) }
            var ranges = negative.sorted { $0.key > $1.key }.map {
                HistogramQuantile.Range(lower: -bound($0.key + 1), upper: -bound($0.key), count: $0.value)
            }
            let zero = ranges.count
            ranges.append(.init(lower: -zeroThreshold, upper: zeroThreshold, count: zeroCount))
            ranges += positive.sorted { $0.key < $1.key }.map {
                HistogramQuantile.Range(lower: bound($0.key), upper: bound($0.key + 1), count: $0.value)
            }
            for fraction in Prometheus.fractions {
                let value = HistogramQuantile.exponential(
                    fraction, ranges, zeroBucket: zero, hasNegative: negative.values.contains { $0 > 0 },
                    hasPositive: positive.values.contains { $0 > 0 })
                if value.isFinite {
                    try collector.add(
                        name + " " + LoadMetric.percentileName(fraction), value: value, unit: unit, at: offset)
                }
            }
        }
    }
}
