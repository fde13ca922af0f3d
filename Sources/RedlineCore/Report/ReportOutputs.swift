import RedlineModel
import RedlineJSON
import RedlineInput
import RedlinePolicy
import RedlineHistory
import RedlineVerdict
import RedlineBaseline

/// What an output may need beyond the judgement, from the run's surroundings.
public struct OutputContext: Sendable {
    /// A link to the run's job summary, where a pull-request comment that had to leave rows out
    /// sends its reader; nil outside GitHub Actions.
    public var jobSummaryURL: String?

    /// A context; empty by default.
    public init(jobSummaryURL: String? = nil) {
        self.jobSummaryURL = jobSummaryURL
    }
}

/// One document `redline check` can write: its flag, its help line and its renderer, which reads
/// only the judgement. A new output (HTML, JUnit) is one renderer and one row in `ReportOutputs.all`.
public struct ReportOutput: Sendable {
    /// The flag without dashes (`report` is `--report FILE`).
    public let flag: String
    /// One line of help.
    public let help: String
    /// Writes the document in pieces through `emit`.
    public let render:
        @Sendable (_ judgement: Judgement, _ context: OutputContext, _ emit: (String) throws -> Void) throws -> Void
}

/// The documents `redline check` writes on request.
public enum ReportOutputs {
    /// GitHub rejects a comment body past this many characters; bytes are a safe bound.
    public static let commentLimit = 65_536
    /// The hidden line by which a workflow finds and updates its own sticky comment.
    public static let commentMarker = "<!-- redline:report -->"

    /// Every output, in the order their flags are listed.
    public static let all: [ReportOutput] = [
        ReportOutput(flag: "report", help: "write the markdown report to FILE (- for stdout, in place of the table)") {
            judgement, _, emit in
            try emit(MarkdownReport.render(judgement))
        },
        ReportOutput(flag: "json", help: "write the redline.result.v1 JSON result to FILE (- for stdout)") {
            judgement, _, emit in
            try JSONResult.render(judgement, emit: emit)
        },
        ReportOutput(
            flag: "html", help: "write a self-contained HTML page with charts of the recent runs to FILE (- for stdout)"
        ) { judgement, _, emit in
            try HTMLReport.render(judgement, emit: emit)
        },
        ReportOutput(
            flag: "comment",
            help: "write a pull-request comment (at most 64 KiB, with a hidden marker) to FILE (- for stdout)"
        ) { judgement, context, emit in
            try emit(comment(judgement, context: context))
        },
    ]

    /// The pull-request comment: the report within 64 KiB, marked so that a workflow can find it,
    /// and pointing at the run's job summary when rows had to be left out.
    public static func comment(_ judgement: Judgement, context: OutputContext) -> String {
        let whereToLook =
            context.jobSummaryURL.map { "the [job summary](\($0)) has the full report" }
            ?? "the job summary has the full report"
        return MarkdownReport.render(
            judgement, limit: commentLimit, preamble: [commentMarker], layout: .comment, whereToLook: whereToLook)
    }
}
