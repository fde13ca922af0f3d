/// One measured quantity of a run: a named value, optionally with its samples.
public struct Metric: Equatable, Sendable {
    /// The metric's name, 1 to 256 characters, no control characters.
    public var name: String
    /// The headline value; the median of `samples` when the input gave only samples.
    public var value: Double
    /// The individual measurements, when the input gave them.
    public var samples: [Double]?
    /// The unit, when the input named one; a metric without one takes its budget's or baseline's.
    public var unit: Unit?
    /// Which way is better, when the input said so explicitly.
    public var direction: Direction?
    /// Where the metric was read, for messages; not part of its identity (`==` ignores it).
    public var location: Location?

    /// Creates a metric.
    public init(
        name: String, value: Double, samples: [Double]? = nil, unit: Unit? = nil, direction: Direction? = nil,
        location: Location? = nil
    ) {
        (self.name, self.value, self.samples) = (name, value, samples)
        (self.unit, self.direction, self.location) = (unit, direction, location)
    }

    /// The figure that stands for the metric in every comparison and budget: the median of its
    /// samples when it has any, else its value. A tool's headline value beside samples (JMH and
    /// BenchmarkDotNet write the mean) never decides over what the samples say.
    public var centre: Double {
        guard let samples, let median = Metric.median(samples) else { return value }
        return median
    }

    public static func == (lhs: Metric, rhs: Metric) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value && lhs.samples == rhs.samples && lhs.unit == rhs.unit
            && lhs.direction == rhs.direction
    }
}

/// Where a metric was read: which of its set's `files`, and the line and column in it.
public struct Location: Sendable, Hashable {
    /// Index into the `files` of the set the metric belongs to.
    public var file: Int32
    /// 1-based line.
    public var line: Int32
    /// 1-based column, in characters.
    public var column: Int32

    /// Creates a location.
    public init(file: Int = 0, line: Int, column: Int) {
        self.file = Int32(clamping: file)
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
    }
}

/// The metrics of one run (or of a baseline), with the run's context.
public struct MetricSet: Equatable, Sendable {
    /// The metrics, sorted by name, names unique.
    public private(set) var metrics: [Metric]
    /// Free-form facts about the run (`commit`, `branch`, `runner`, ...), sorted by key.
    public var context: [(key: String, value: String)]
    /// The names of the files the metrics were read from, which their `location`s point into.
    public var files: [String]
    /// Series of telemetry the reader left out because they break a rule, with why: not
    /// metrics of the set, but a budget that gates one of them must hear of it.
    public var setAside: [SetAsideSeries] = []

    /// Creates a set; the metrics are sorted by name (Swift's Unicode-aware, locale-free order).
    /// Names must already be unique.
    public init(metrics: consuming [Metric], context: [(key: String, value: String)] = [], files: [String] = []) {
        // Sorted in place: a large set is never held twice.
        metrics.sort { $0.name < $1.name }
        self.metrics = metrics
        self.context = context.sorted { $0.key < $1.key }
        self.files = files
    }

    /// The metrics read from `source`: each metric's byte offset (in `offsets`, in the same order)
    /// becomes its line and column, all in one pass over the bytes, so that the bytes need not be
    /// kept for messages about metrics later (a unit that differs from the baseline's, a name in two files).
    public init(
        metrics: consuming [Metric], offsets: [Int], context: [(key: String, value: String)] = [], source: SourceText
    ) {
        for (index, position) in source.positions(of: offsets).enumerated() {
            metrics[index].location = Location(line: position.line, column: position.column)
        }
        self.init(metrics: metrics, context: context, files: [source.name])
    }

    /// Where `metric` was read: its file, line and column; only `fallbackFile` when it has no location.
    public func place(of metric: Metric, fallbackFile: String) -> (file: String, line: Int?, column: Int?) {
        guard let location = metric.location, Int(location.file) < files.count else { return (fallbackFile, nil, nil) }
        return (files[Int(location.file)], Int(location.line), Int(location.column))
    }

    /// An error about `metric` at the place it was read (see `place(of:fallbackFile:)`).
    public func error(at metric: Metric, fallbackFile: String, _ message: String, hint: String? = nil) -> RedlineError {
        let place = place(of: metric, fallbackFile: fallbackFile)
        return RedlineError(file: place.file, line: place.line, column: place.column, message: message, hint: hint)
    }

    /// Every name of `current`, `baseline` and `names`, in order, as the index of its metric on each
    /// side (or of its name in `names`): the lists are sorted, so one merge pairs them (no hashing,
    /// no searching, no sort of the union), and a pair of a large run costs a few bytes, not two metrics.
    public static func union(_ current: MetricSet, _ baseline: MetricSet?, names: [String]) -> Union {
        let currentMetrics = current.metrics
        let baselineMetrics = baseline?.metrics ?? []
        let extra = Array(Set(names)).sorted()
        var pairs: [Union.Pair] = []
        pairs.reserveCapacity(max(currentMetrics.count, baselineMetrics.count))
        var (nextCurrent, nextBaseline, nextExtra) = (0, 0, 0)
        while true {
            var name: String?
            for head in [
                nextCurrent < currentMetrics.count ? currentMetrics[nextCurrent].name : nil,
                nextBaseline < baselineMetrics.count ? baselineMetrics[nextBaseline].name : nil,
                nextExtra < extra.count ? extra[nextExtra] : nil,
            ] {
                if let head, name == nil || head < name! { name = head }
            }
            guard let name else { return Union(current: current, baseline: baseline, extra: extra, pairs: pairs) }
            var pair = Union.Pair(current: -1, baseline: -1, extra: -1)
            if nextCurrent < currentMetrics.count && currentMetrics[nextCurrent].name == name {
                pair.current = Int32(nextCurrent)
                nextCurrent += 1
            }
            if nextBaseline < baselineMetrics.count && baselineMetrics[nextBaseline].name == name {
                pair.baseline = Int32(nextBaseline)
                nextBaseline += 1
            }
            if nextExtra < extra.count && extra[nextExtra] == name {
                pair.extra = Int32(nextExtra)
                nextExtra += 1
            }
            pairs.append(pair)
        }
    }

    /// The union of two sets and some names (see `union`): the pairs, and the name and metrics of each.
    public struct Union: Sendable {
        /// Indices into the current set, the baseline and the extra names; -1 where absent.
        public struct Pair: Sendable {
            var current: Int32
            var baseline: Int32
            var extra: Int32
        }

        let current: MetricSet
        let baseline: MetricSet?
        let extra: [String]
        let pairs: [Pair]

        /// How many names.
        public var count: Int { pairs.count }

        /// The name, current metric and baseline metric at `index`.
        public subscript(index: Int) -> (name: String, current: Metric?, baseline: Metric?) {
            let pair = pairs[index]
            let currentMetric = pair.current >= 0 ? current.metrics[Int(pair.current)] : nil
            let baselineMetric = pair.baseline >= 0 ? baseline?.metrics[Int(pair.baseline)] : nil
            let name = currentMetric?.name ?? baselineMetric?.name ?? extra[Int(pair.extra)]
            return (name, currentMetric, baselineMetric)
        }
    }

    /// The metric called `name`, if any.
    public subscript(name: String) -> Metric? {
        var low = 0
        var high = metrics.count
        while low < high {
            let mid = (low + high) / 2
            if metrics[mid].name == name { return metrics[mid] }
            if metrics[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// The value of a context key, if present.
    public func context(_ key: String) -> String? {
        context.first { $0.key == key }?.value
    }

    public static func == (lhs: MetricSet, rhs: MetricSet) -> Bool {
        lhs.metrics == rhs.metrics && lhs.context.elementsEqual(rhs.context) { $0 == $1 }
    }
}

/// A series of a telemetry file (a `/metrics` scrape, an OTLP export) left out of a run because
/// it breaks a rule every metric obeys (a negative size, NaN, a name too long).
public struct SetAsideSeries: Equatable, Sendable {
    /// The series as the file names it.
    public var name: String
    /// What is wrong with it, as a phrase after its name ("is NaN…").
    public var reason: String
    /// The file it is in.
    public var file: String

    /// Creates one.
    public init(name: String, reason: String, file: String) {
        self.name = name
        self.reason = reason
        self.file = file
    }
}

/// Where a baseline came from: recorded by `redline baseline update`.
public struct Provenance: Equatable, Sendable {
    /// The commit whose run produced the baseline.
    public var commit: String?
    /// The branch the baseline belongs to.
    public var branch: String?
    /// When the baseline was written, ISO 8601 UTC.
    public var updatedAt: String?
    /// The redline version that wrote it.
    public var redlineVersion: String?
    /// The metrics files it was made from, with their formats.
    public var sources: [Source]
    /// Why it was updated, as the updater said.
    public var reason: String?

    /// One input file of a baseline update.
    public struct Source: Equatable, Sendable {
        /// The file name as given on the command line.
        public var file: String
        /// The format it was read as (`native`, ...).
        public var format: String

        /// Creates a source entry.
        public init(file: String, format: String) {
            self.file = file
            self.format = format
        }
    }

    /// Creates provenance; every field is optional.
    public init(
        commit: String? = nil, branch: String? = nil, updatedAt: String? = nil,
        redlineVersion: String? = nil, sources: [Source] = [], reason: String? = nil
    ) {
        (self.commit, self.branch, self.updatedAt) = (commit, branch, updatedAt)
        (self.redlineVersion, self.sources, self.reason) = (redlineVersion, sources, reason)
    }
}

extension Metric {
    /// The median of values (the mean of the middle two for an even count); nil when empty.
    @inlinable public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        // Selected (not sorted) in a buffer on the stack: the centre of every metric of a large run is asked for.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: values.count) { buffer in
            _ = buffer.initialize(from: values)
            let middle = buffer.count / 2
            Statistics.select(buffer, middle, from: 0)
            if buffer.count % 2 == 1 { return buffer[middle] }
            // Nothing before the middle is larger than it, so the value just below it is their largest.
            // Halves first so that two huge values cannot overflow to infinity.
            return buffer[0..<middle].max()! / 2 + buffer[middle] / 2
        }
    }

    /// The direction this metric is judged in when no budget rule overrides it.
    public var effectiveDirection: Direction { direction ?? unit?.defaultDirection ?? .lower }
}
