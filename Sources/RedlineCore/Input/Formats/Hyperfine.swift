/// hyperfine's `--export-json`: one metric per command, its median in seconds, with `times` as samples.
enum Hyperfine: MetricsFormat {
    static let name = "hyperfine"
    static let syntax = FormatSyntax.json

    static func match(_ input: FormatInput) -> FormatMatch {
        guard let results = input.root?["results"]?.elements else { return .none }
        return results.first.map { $0["command"] != nil } ?? true ? .strong : .none
    }

    static func read(_ input: FormatInput, companions: [String: SourceText]) throws -> ReadResult {
        let (root, source) = (input.root!, input.source)
        guard let results = root["results"]?.elements else {
            throw RedlineError(source, at: root.offset, "a hyperfine export needs a `results` array",
                               hint: "write it with hyperfine --export-json FILE")
        }
        var collector = MetricCollector(source: source)
        for result in results {
            guard let command = result["command"]?.string else {
                throw RedlineError(source, at: result.offset, "a hyperfine result has no `command`")
            }
            let times = try result["times"]?.elements?.map { node in
                try JSONNumbers.number(node, source: source, what: "a time of \"\(command)\"")
            }
            guard let value = result["median"]?.number ?? times.flatMap(Metric.median) ?? result["mean"]?.number else {
                throw RedlineError(source, at: result.offset, "hyperfine result \"\(command)\" has no median, mean or times",
                                   hint: "the file may be truncated")
            }
            try collector.add(command, value: value, unit: Unit("s"), samples: times?.isEmpty == false ? times : nil,
                              at: result.offset)
        }
        return collector.result(Self.name)
    }
}
