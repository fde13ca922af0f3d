import Foundation
import Testing

extension Tools {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}

/// Runs headless Chromium on a local page with `arguments`; returns its standard output.
func chromium(_ arguments: [String], page: URL, in workspace: Workspace) throws -> String {
    let result = try runProgram(
        Tools.chromium!,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking",
        ]
            + arguments + [page.absoluteString], in: workspace.url, timeout: 120)
    #expect(result.status == 0, "chromium: \(result.stdout.suffix(2000))")
    return result.stdout
}

@Suite("The HTML page, rendered in headless Chromium", .serialized)
struct HTMLTests {
    static let hostile = ["<script>alert(1)</script>", "\"onload=alert(1) x=\"", "</svg><img src=x onerror=alert(1)>"]

    /// A workspace whose baseline has 8 runs of 6 metrics, 3 of them with hostile names, and a
    /// current run in which the hostile ones and `api` regressed.
    static func workspace() throws -> Workspace {
        let workspace = try Workspace()
        let names = ["api", "db", "mem"] + hostile
        for run in 0..<8 {
            let metrics = names.enumerated().map { index, name in
                "{\"name\": \(quoted(name)), \"value\": \(100 + index * 10 + (run * 7) % 5), \"unit\": \"ms\"}"
            }
            try workspace.write("run.json", "{\"metrics\": [" + metrics.joined(separator: ", ") + "]}")
            _ = try workspace.run(
                ["baseline", "update", "--current", "run.json"],
                environment: [
                    "SOURCE_DATE_EPOCH": String(1_764_000_000 + run * 86_400), "GITHUB_SHA": "abcdef\(run)123",
                ])
        }
        try workspace.write(
            "budgets.json", #"{"metrics": {"api": {"unit": "ms", "target": 100, "warning": 150, "error": 400}}}"#)
        let current = names.enumerated().map { index, name in
            "{\"name\": \(quoted(name)), \"value\": \(index == 1 || index == 2 ? 100 + index * 10 : 160 + index * 10), \"unit\": \"ms\"}"
        }
        try workspace.write("m.json", "{\"metrics\": [" + current.joined(separator: ", ") + "]}")
        return workspace
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    @Test("one chart per metric that needs attention, hostile names as text, no request leaves the page, a screenshot")
    func rendered() throws {
        let workspace = try Self.workspace()
        let check = try workspace.run([
            "check", "--current", "m.json", "--html", "report.html", "--json", "result.json",
        ])
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        let html = try workspace.read("report.html")
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"), "no link to anything outside the page")
        #expect(html.components(separatedBy: "<figure class=\"chart\"").count - 1 == 4)
        guard Tools.require(Tools.chromium != nil, "chromium") else { return }
        let page = workspace.url.appendingPathComponent("report.html")
        let netLog = workspace.url.appendingPathComponent("net.json")
        let dom = try chromium(["--dump-dom", "--log-net-log=\(netLog.path)"], page: page, in: workspace)
        // Every chart came through the browser's parser, and no input became markup.
        #expect(dom.components(separatedBy: "<figure class=\"chart\"").count - 1 == 4)
        #expect(!dom.contains("<script"))
        #expect(!dom.contains("<img"))
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(dom.contains("&lt;/svg&gt;&lt;img src=x onerror=alert(1)&gt;"))
        // One chart per metric; the other SVGs are the legend's swatches, one per mark it names.
        let swatches = dom.components(separatedBy: "<svg class=\"swatch\"").count - 1
        #expect(swatches > 0, "each chart has its legend")
        #expect(dom.components(separatedBy: "<svg").count - 1 - swatches == 4)
        // The net log lists every request: the page made none (the browser's own background
        // requests, initiated by no origin, are not the page's).
        let log = try JSONSerialization.jsonObject(with: Data(contentsOf: netLog)) as! [String: Any]
        let types = (log["constants"] as! [String: Any])["logEventTypes"] as! [String: Int]
        let start = types["URL_REQUEST_START_JOB"]!
        let fromPage = (log["events"] as! [[String: Any]]).compactMap { event -> String? in
            guard event["type"] as? Int == start, let params = event["params"] as? [String: Any],
                let url = params["url"] as? String, params["initiator"] as? String != "not an origin"
            else { return nil }
            return url
        }
        #expect(fromPage.allSatisfy { $0 == page.absoluteString }, "requests from the page: \(fromPage)")
        let shot = workspace.url.appendingPathComponent("shot.png")
        _ = try chromium(
            ["--screenshot=\(shot.path)", "--window-size=1000,1400", "--hide-scrollbars"], page: page, in: workspace)
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        if let target = ProcessInfo.processInfo.environment["REDLINE_SCREENSHOT"] {
            try png.write(to: URL(fileURLWithPath: target))
        }
    }

    @Test("10,000 metrics: the page stays under 5 MB, charts only for what needs attention, and Chromium renders it")
    func large() throws {
        let workspace = try Workspace()
        for run in 0..<6 {
            let metrics = (0..<10_000).map {
                "\"suite/case_\($0)\": {\"value\": \(100 + ($0 + run * 3) % 7), \"unit\": \"ns\"}"
            }
            try workspace.write("run.json", "{\"metrics\": {" + metrics.joined(separator: ", ") + "}}")
            #expect(try workspace.run(["baseline", "update", "--current", "run.json"]).status == 0)
        }
        let current = (0..<10_000).map {
            "\"suite/case_\($0)\": {\"value\": \($0 % 50 == 0 ? 200 : 100 + $0 % 7), \"unit\": \"ns\"}"
        }
        try workspace.write("m.json", "{\"metrics\": {" + current.joined(separator: ", ") + "}}")
        let check = try workspace.run(["check", "--current", "m.json", "--html", "report.html"])
        #expect(check.status == 1)
        let size =
            try FileManager.default.attributesOfItem(atPath: workspace.url.appendingPathComponent("report.html").path)[
                .size] as! Int
        print("HTML page for 10,000 metrics (200 regressed): \(size) bytes")
        #expect(size < 5_000_000)
        let html = try workspace.read("report.html")
        #expect(html.components(separatedBy: "<figure class=\"chart\"").count - 1 == 100)
        #expect(html.contains("100 more in the table below."))
        guard Tools.require(Tools.chromium != nil, "chromium") else { return }
        let dom = try chromium(["--dump-dom"], page: workspace.url.appendingPathComponent("report.html"), in: workspace)
        #expect(dom.components(separatedBy: "<tr>").count - 1 >= 10_000)
    }

    @Test("baseline show --html draws the history alone")
    func history() throws {
        let workspace = try Self.workspace()
        let show = try workspace.run(["baseline", "show", "--html", "history.html"])
        #expect(show.status == 0)
        let html = try workspace.read("history.html")
        #expect(html.components(separatedBy: "<figure class=\"chart\"").count - 1 == 6)
        #expect(!html.contains("<script"))
    }
}
