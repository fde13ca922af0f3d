/// hyperfine's `--export-json`: one metric per command, its median in seconds, with `times` as samples.
enum Hyperfine {
    static func detect(_ root: JSONNode) -> Bool {
        guard let results = root["results"]?.elements, let first = results.first else { return false }
        return first["command"] != nil
    }

    static func read(_ root: JSONNode, _ source: SourceText) throws -> ReadResult {
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
        return collector.result(.hyperfine)
    }
}
