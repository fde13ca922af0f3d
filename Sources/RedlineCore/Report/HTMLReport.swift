import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// Renders a `Judgement` as one self-contained HTML page: no scripts, no requests (a
/// Content-Security-Policy of `default-src 'none'` with inline styles only), inline SVG charts
/// for the metrics that need attention, and every metric in a table with its trend, worst first.
/// Dark mode follows `prefers-color-scheme`; every chart has a title, a description and its
/// figures in a table for screen readers; every string from input is escaped.
public enum HTMLReport {
    /// At most this many charts; the other metrics that need attention are in the table.
    public static let chartLimit = 100

    /// The page for a check.
    public static func render(_ judgement: Judgement, emit: (String) throws -> Void) rethrows {
        let ordered = judgement.worstFirst
        let attention = judgement.findings
        let headline =
            "redline: " + judgement.outcome.rawValue
            + (judgement.outcome == .passed && judgement.counts.warnings > 0
                ? " with \(judgement.counts.warnings) warning\(judgement.counts.warnings == 1 ? "" : "s")" : "")
        var head =
            Formatting.baselineNotice(judgement).map {
                "<p class=\"warning\"><strong>" + inlineMarkdown(Escape.markdownText(MarkdownReport.capitalised($0)))
                    + ".</strong></p>\n"
            } ?? ""
        head += "<h1 class=\"\(judgement.outcome.rawValue)\">" + escape(headline) + "</h1>\n"
        head += "<p>" + escape(judgement.counts.sentence(separator: " · ")) + "</p>\n"
        if let shift = judgement.runShift {
            head +=
                "<p class=\"note\"><strong>Run-wide shift:</strong> "
                + escape(Formatting.runShift(shift) + "; " + Formatting.runShiftCause(shift))
                + ".</p>\n"
        }
        if let reruns = judgement.reruns {
            head += "<p class=\"note\"><strong>Reruns:</strong> " + escape(Formatting.reruns(reruns) { $0 }) + ".</p>\n"
        }
        try emit(page(title: headline) + head)
        if !attention.isEmpty {
            try emit("<section aria-labelledby=\"attention\">\n<h2 id=\"attention\">Needs attention</h2>\n")
            for (index, metric) in attention.prefix(chartLimit).enumerated() {
                try emit(chart(metric, runs: judgement.runs, index: index))
            }
            if attention.count > chartLimit {
                try emit("<p>\(attention.count - chartLimit) more in the table below.</p>\n")
            }
            try emit("</section>\n")
        }
        try emit(
            "<section aria-labelledby=\"all\">\n<h2 id=\"all\">All \(ordered.count) metric\(ordered.count == 1 ? "" : "s"), worst first</h2>\n"
        )
        try emit(
            "<table class=\"metrics\">\n<thead><tr><th scope=\"col\">Verdict</th><th scope=\"col\">Metric</th>"
                + "<th scope=\"col\">Baseline</th><th scope=\"col\">Current</th><th scope=\"col\">Change</th>"
                + "<th scope=\"col\">Trend</th><th scope=\"col\">Budget</th><th scope=\"col\">Details</th><th scope=\"col\">Rule</th></tr></thead>\n<tbody>\n"
        )
        // Rows in batches, so that a large run is never one string.
        var batch = ""
        for metric in ordered {
            batch += row(metric)
            if batch.utf8.count > 1 << 16 {
                try emit(batch)
                batch = ""
            }
        }
        try emit(batch + "</tbody>\n</table>\n</section>\n")
        try emit(
            "<footer>\n"
                + MarkdownReport.footer(judgement).filter { !$0.isEmpty }.map { "<p>" + inlineMarkdown($0) + "</p>" }
                .joined(separator: "\n") + "\n</footer>\n</body>\n</html>\n")
    }

    /// The page for a baseline alone (`baseline show --html`): a chart per metric with history,
    /// up to `chartLimit`, and every metric in a table with its trend. Each chart's centre and
    /// noise band are the window's as the judge sees it (since the last step), at `alpha`.
    public static func render(history baseline: Baseline, name: String, alpha: Double = PolicyDefaults().alpha)
        -> String
    {
        var text = page(title: "redline baseline " + name)
        text +=
            "<h1>" + escape("Baseline " + name) + "</h1>\n<p>"
            + escape(
                "\(baseline.metrics.metrics.count) metrics, "
                    + "\(baseline.runs.count) run\(baseline.runs.count == 1 ? "" : "s") in the history") + "</p>\n"
        let withHistory = baseline.metrics.metrics.filter { baseline.history[$0.name] != nil }
        if !withHistory.isEmpty {
            text += "<section aria-labelledby=\"charts\">\n<h2 id=\"charts\">Recent runs</h2>\n"
            for (index, metric) in withHistory.prefix(chartLimit).enumerated() {
                let history = baseline.history[metric.name]!
                let band = Judge.noiseBand(
                    of: history.window(runIDs: baseline.runIDs(count: history.values.count)) { $0 },
                    alpha: alpha)
                text += figure(
                    name: metric.name, source: nil, caption: "", verdictClass: "unchanged",
                    series: Series(
                        values: history.values, current: [], centre: band?.centre, noise: band?.noise,
                        levels: [], unit: metric.unit),
                    runs: baseline.runs, index: index)
            }
            text += "</section>\n"
        }
        text +=
            "<table class=\"metrics\">\n<thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Value</th>"
            + "<th scope=\"col\">Trend</th><th scope=\"col\">Runs</th></tr></thead>\n<tbody>\n"
        for metric in baseline.metrics.metrics {
            let history = baseline.history[metric.name]
            text +=
                "<tr><th scope=\"row\">" + escape(metric.name) + "</th><td class=\"number\">"
                + escape(Formatting.value(metric.value, unit: metric.unit)) + "</td><td class=\"spark\">"
                + (history.map { Sparkline.line($0.values) } ?? "") + "</td><td class=\"number\">"
                + "\(history?.values.compactMap { $0 }.count ?? 0)</td></tr>\n"
        }
        return text + "</tbody>\n</table>\n</body>\n</html>\n"
    }

    /// Text made safe for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in Escape.visible(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// redline's own markdown lines (bold labels, code spans of escaped input) as HTML. A code
    /// span is a run of backticks up to the next run of the same length; what is between is literal.
    static func inlineMarkdown(_ line: String) -> String {
        let characters = Array(line)
        var out = ""
        var bold = false
        var index = 0
        while index < characters.count {
            if characters[index] == "*", index + 1 < characters.count, characters[index + 1] == "*" {
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
                index += 2
                continue
            }
            if characters[index] == "`" {
                var fence = 0
                while index + fence < characters.count, characters[index + fence] == "`" { fence += 1 }
                var end = index + fence
                var closing: Int?
                while end < characters.count {
                    if characters[end] == "`" {
                        var run = 0
                        while end + run < characters.count, characters[end + run] == "`" { run += 1 }
                        if run == fence {
                            closing = end
                            break
                        }
                        end += run
                    } else {
                        end += 1
                    }
                }
                guard let closing else {
                    out += escape(String(characters[index...]))
                    break
                }
                var content = String(characters[(index + fence)..<closing])
                if content.hasPrefix(" ") && content.hasSuffix(" ") && content.count >= 2 {
                    content = String(content.dropFirst().dropLast())
                }
                out += "<code>" + escape(content) + "</code>"
                index = closing + fence
                continue
            }
            out += escape(String(characters[index]))
            index += 1
        }
        if bold { out += "</strong>" }
        return out
    }

    static func page(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>

        """
    }

    static let style = """
        :root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--grid:#d1d9e0;--band:rgba(9,105,218,.12);\
        --centre:#0969da;--fail:#cf222e;--warn:#9a6700;--ok:#1a7f37;--notice:#0969da;--point:#59636e}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--grid:#3d444d;\
        --band:rgba(56,139,253,.18);--centre:#4493f8;--fail:#f85149;--warn:#d29922;--ok:#3fb950;--notice:#4493f8;--point:#9198a1}}
        body{font:14px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:2rem auto;max-width:1100px;padding:0 1rem}
        h1.failed{color:var(--fail)}h1.passed{color:var(--ok)}.note{color:var(--muted)}
        figure{margin:1.5rem 0;border:1px solid var(--grid);border-radius:6px;padding:.75rem}
        figcaption{font-weight:600}figcaption .verdict{font-weight:400}
        .regressed,.failure{color:var(--fail)}.inconclusive,.warning{color:var(--warn)}.improved,.ok{color:var(--ok)}.notice{color:var(--notice)}
        svg{width:100%;height:auto;max-width:720px;display:block}svg text{fill:var(--muted);font-size:11px}
        .grid{stroke:var(--grid)}.band{fill:var(--band)}.centre{stroke:var(--centre);stroke-dasharray:4 3}
        .level{stroke-dasharray:2 3}.level.error{stroke:var(--fail)}.level.warning{stroke:var(--warn)}.level.target{stroke:var(--ok)}
        .limit{stroke:var(--muted);stroke-dasharray:6 3}.run{fill:var(--point)}.now{stroke:var(--bg);stroke-width:1.5}
        .now.failure{fill:var(--fail)}.now.warning{fill:var(--warn)}.now.notice{fill:var(--notice)}.now.ok{fill:var(--ok)}
        table{border-collapse:collapse;width:100%}th,td{padding:.25rem .5rem;border-bottom:1px solid var(--grid);text-align:left}
        td.number{text-align:right;font-variant-numeric:tabular-nums}td.spark{font-family:ui-monospace,monospace;white-space:nowrap}
        .legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;color:var(--muted)}
        .legend li{display:flex;align-items:center;gap:.3rem}svg.swatch{width:24px;height:12px;display:inline}
        details table{width:auto}code{font-family:ui-monospace,monospace}footer{margin-top:2rem;color:var(--muted)}
        """

    /// One row of the all-metrics table.
    static func row(_ metric: MetricJudgement) -> String {
        "<tr><td class=\"" + metric.severity.name + "\">" + metric.severity.name + "</td><th scope=\"row\">"
            + escape(metric.name) + (metric.source.map { " <span class=\"note\">← " + escape($0) + "</span>" } ?? "")
            + "</th><td class=\"number\">" + escape(Formatting.optional(metric.baseline, unit: metric.unit))
            + "</td><td class=\"number\">" + escape(Formatting.optional(metric.current, unit: metric.unit))
            + "</td><td class=\"number\">" + escape(Formatting.change(of: metric)) + "</td><td class=\"spark\">"
            + (metric.trend.map { Sparkline.line($0) } ?? "") + "</td><td>"
            + escape(metric.budgetLevel?.rawValue ?? "–")
            + "</td><td>" + escape(Formatting.verdictWithNotes(of: metric)) + "</td><td>"
            + escape(metric.rule.key ?? "defaults")
            + "</td></tr>\n"
    }

    /// What a chart draws, in the metric's unit.
    struct Series {
        var values: [Double?]
        var current: [Double]
        var centre: Double?
        var noise: Double?
        var levels: [(name: String, value: Double)]
        var unit: Unit?
        var limit: Double?
    }

    /// The chart of a metric that needs attention, from its judgement.
    static func chart(_ metric: MetricJudgement, runs: [BaselineRun], index: Int) -> String {
        let rule = metric.rule
        let levels = [("target", rule.target), ("warning", rule.warning), ("error", rule.error)].compactMap {
            name, value in
            value.map { (name: name, value: $0) }
        }
        var values = metric.trend?.values ?? []
        if values.isEmpty, let baseline = metric.baseline { values = [baseline] }
        let current = metric.trend?.current ?? metric.current.map { [$0] } ?? []
        let centre = metric.window?.centre ?? metric.baseline
        let caption =
            Formatting.verdictWithNotes(of: metric) + (metric.budgetLevel.map { "; budget " + $0.rawValue } ?? "")
        return figure(
            name: metric.name, source: metric.source, caption: caption, verdictClass: metric.severity.name,
            series: Series(
                values: values, current: current, centre: centre, noise: metric.window?.noise,
                levels: levels, unit: metric.unit, limit: metric.regressionLimit),
            runs: runs, index: index)
    }

    /// A figure: caption, the SVG chart with its title and description, and its figures in a table.
    static func figure(
        name: String, source: String?, caption: String, verdictClass: String, series: Series,
        runs: [BaselineRun], index: Int
    ) -> String {
        let width = 640.0
        let height = 200.0
        let left = 64.0
        let right = 12.0
        let top = 12.0
        let bottom = 28.0
        let points = series.values.count + series.current.count
        var data = series.values.compactMap { $0 } + series.current
        if let centre = series.centre {
            data.append(centre)
            if let noise = series.noise { data += [centre - noise, centre + noise] }
        }
        if let limit = series.limit { data.append(limit) }
        guard var low = data.min(), var high = data.max() else { return "" }
        // A level close to the figures is drawn; one far off would squash them, and is named instead.
        let span = max(high - low, abs(high) * 0.05, 1e-12)
        var offChart: [String] = []
        var levels: [(name: String, value: Double)] = []
        for level in series.levels {
            if level.value >= low - span && level.value <= high + span {
                levels.append(level)
            } else {
                offChart.append(
                    level.name + " " + Formatting.value(level.value, unit: series.unit)
                        + (level.value > high ? " (above)" : " (below)"))
            }
        }
        for level in levels {
            low = min(low, level.value)
            high = max(high, level.value)
        }
        let padding = max(high - low, abs(high) * 0.05, 1e-12) * 0.08
        low -= padding
        high += padding
        func x(_ position: Int) -> Double {
            left + (width - left - right) * (points <= 1 ? 0.5 : Double(position) / Double(points - 1))
        }
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (high - value) / (high - low) }
        func number(_ value: Double) -> String { CFormat.string("%.1f", value) }
        let id = "c\(index)"
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)t \(id)d\">"
        svg +=
            "<title id=\"\(id)t\">" + escape(name) + "</title><desc id=\"\(id)d\">" + escape(describe(series))
            + "</desc>"
        svg +=
            "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(top))\" x2=\"\(number(left))\" y2=\"\(number(height - bottom))\"/>"
        svg +=
            "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(height - bottom))\" x2=\"\(number(width - right))\" y2=\"\(number(height - bottom))\"/>"
        for value in [high - padding, low + padding] {
            svg +=
                "<text x=\"\(number(left - 4))\" y=\"\(number(y(value) + 4))\" text-anchor=\"end\">"
                + escape(Formatting.value(value, unit: series.unit)) + "</text>"
        }
        if let centre = series.centre {
            if let noise = series.noise, noise > 0 {
                svg +=
                    "<rect class=\"band\" x=\"\(number(left))\" y=\"\(number(y(centre + noise)))\" width=\"\(number(width - left - right))\" height=\"\(number(max(0.5, y(centre - noise) - y(centre + noise))))\"><title>noise band</title></rect>"
            }
            svg +=
                "<line class=\"centre\" x1=\"\(number(left))\" y1=\"\(number(y(centre)))\" x2=\"\(number(width - right))\" y2=\"\(number(y(centre)))\"><title>centre "
                + escape(Formatting.value(centre, unit: series.unit)) + "</title></line>"
        }
        if let limit = series.limit {
            svg +=
                "<line class=\"limit\" x1=\"\(number(left))\" y1=\"\(number(y(limit)))\" x2=\"\(number(width - right))\" y2=\"\(number(y(limit)))\"><title>threshold "
                + escape(Formatting.value(limit, unit: series.unit)) + "</title></line>"
        }
        for level in levels {
            svg +=
                "<line class=\"level \(level.name)\" x1=\"\(number(left))\" y1=\"\(number(y(level.value)))\" x2=\"\(number(width - right))\" y2=\"\(number(y(level.value)))\"><title>"
                + level.name + " " + escape(Formatting.value(level.value, unit: series.unit)) + "</title></line>"
            svg +=
                "<text x=\"\(number(width - right - 2))\" y=\"\(number(y(level.value) - 3))\" text-anchor=\"end\">"
                + level.name + "</text>"
        }
        let labelled = runs.suffix(series.values.count)
        for (position, value) in series.values.enumerated() {
            guard let value else { continue }
            svg += "<circle class=\"run\" cx=\"\(number(x(position)))\" cy=\"\(number(y(value)))\" r=\"3\"/>"
        }
        for (offset, value) in series.current.enumerated() {
            let cx = x(series.values.count + offset)
            let cy = y(value)
            svg +=
                "<path class=\"now \(verdictClass)\" d=\"M\(number(cx)) \(number(cy - 6))L\(number(cx + 6)) \(number(cy))L\(number(cx)) \(number(cy + 6))L\(number(cx - 6)) \(number(cy))Z\"><title>"
                + (offset == 0 ? "this run" : "rerun \(offset)") + " "
                + escape(Formatting.value(value, unit: series.unit)) + "</title></path>"
        }
        if let first = labelled.first {
            svg += "<text x=\"\(number(x(0)))\" y=\"\(number(height - 10))\">" + escape(label(first)) + "</text>"
        }
        if !series.current.isEmpty {
            svg +=
                "<text x=\"\(number(x(points - 1)))\" y=\"\(number(height - 10))\" text-anchor=\"end\">this run</text>"
        }
        svg += "</svg>"
        var html =
            "<figure class=\"chart\" id=\"metric-\(index)\"><figcaption>" + escape(name)
            + (source.map { " <span class=\"note\">← " + escape($0) + "</span>" } ?? "")
            + (caption.isEmpty ? "" : " <span class=\"verdict \(verdictClass)\">" + escape(caption) + "</span>")
            + "</figcaption>\n" + svg + "\n"
        html += legend(series, verdictClass: verdictClass, levels: levels.map(\.name)) + "\n"
        if !offChart.isEmpty {
            html += "<p class=\"note\">Off the chart: " + escape(offChart.joined(separator: ", ")) + "</p>\n"
        }
        html +=
            "<details><summary>Figures</summary><table><thead><tr><th scope=\"col\">Run</th><th scope=\"col\">Commit</th>"
            + "<th scope=\"col\">Time</th><th scope=\"col\">Value</th></tr></thead><tbody>"
        // Each baseline value with its run where the baseline recorded one (a baseline without run
        // records still has its value: it is listed as the baseline).
        let unlabelled = series.values.count - labelled.count
        for (position, value) in series.values.enumerated() {
            let run = position >= unlabelled ? labelled[labelled.startIndex + position - unlabelled] : nil
            html +=
                "<tr><td>" + (run.map { "\($0.id)" } ?? "baseline") + "</td><td>" + escape(run?.commit ?? "")
                + "</td><td>"
                + escape(run?.time ?? "") + "</td><td class=\"number\">"
                + escape(value.map { Formatting.value($0, unit: series.unit) } ?? "–") + "</td></tr>"
        }
        for (offset, value) in series.current.enumerated() {
            html +=
                "<tr><td>" + (offset == 0 ? "this run" : "rerun \(offset)")
                + "</td><td></td><td></td><td class=\"number\">"
                + escape(Formatting.value(value, unit: series.unit)) + "</td></tr>"
        }
        return html + "</tbody></table></details></figure>\n"
    }

    /// What each mark of a chart is, for the marks the chart draws: a swatch of each and its name.
    static func legend(_ series: Series, verdictClass: String, levels: [String]) -> String {
        func swatch(_ shape: String) -> String {
            "<svg class=\"swatch\" viewBox=\"0 0 24 12\" aria-hidden=\"true\">" + shape + "</svg>"
        }
        func line(_ classes: String) -> String {
            swatch("<line class=\"\(classes)\" x1=\"1\" y1=\"6\" x2=\"23\" y2=\"6\"/>")
        }
        var items: [String] = []
        if series.values.contains(where: { $0 != nil }) {
            items.append(swatch("<circle class=\"run\" cx=\"12\" cy=\"6\" r=\"3\"/>") + "baseline runs")
        }
        if !series.current.isEmpty {
            items.append(
                swatch("<path class=\"now \(verdictClass)\" d=\"M12 1L17 6L12 11L7 6Z\"/>")
                    + (series.current.count > 1 ? "this run and its reruns" : "this run"))
        }
        if series.centre != nil {
            items.append(line("centre") + (series.noise != nil ? "centre of the window" : "baseline"))
        }
        if let noise = series.noise, noise > 0 {
            items.append(swatch("<rect class=\"band\" x=\"1\" y=\"1\" width=\"22\" height=\"10\"/>") + "noise band")
        }
        if series.limit != nil { items.append(line("limit") + "regression threshold") }
        for level in levels { items.append(line("level " + level) + level) }
        return "<ul class=\"legend\">" + items.map { "<li>" + $0 + "</li>" }.joined() + "</ul>"
    }

    /// The x label of a run: its short commit, else its id.
    static func label(_ run: BaselineRun) -> String {
        (run.commit.map { String($0.prefix(7)) } ?? "run \(run.id)")
            + (run.time.map { " " + String($0.prefix(10)) } ?? "")
    }

    /// A sentence for screen readers: how many runs, the centre and band, the current figure.
    static func describe(_ series: Series) -> String {
        var parts = ["\(series.values.compactMap { $0 }.count) earlier runs"]
        if let centre = series.centre {
            parts.append(
                "centre " + Formatting.value(centre, unit: series.unit)
                    + (series.noise.map { ", noise band ± " + Formatting.value($0, unit: series.unit) } ?? ""))
        }
        if let current = Metric.median(series.current) {
            parts.append("this run " + Formatting.value(current, unit: series.unit))
        }
        for level in series.levels { parts.append(level.name + " " + Formatting.value(level.value, unit: series.unit)) }
        return parts.joined(separator: "; ")
    }
}
