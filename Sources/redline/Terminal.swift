#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization
import RedlineCore

/// Standard output and error, and whether to colour.
enum Terminal {
    /// Colour only on a TTY, and never when `NO_COLOR` is set to anything non-empty.
    static func wantsColour(environment: [String: String]) -> Bool {
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    /// Writes text to standard output, every line neutralised for GitHub Actions' command
    /// parser (input in it was made visible when it was rendered).
    static func out(_ text: String) {
        write(neutralised(text), to: STDOUT_FILENO)
    }

    /// Writes redline's own annotation lines (`::error title=...::...`), whose input parts
    /// `GitHub.annotations` has escaped, as they are: to standard output, or to standard error when
    /// standard output carries a document (the runner reads workflow commands on both).
    static func annotations(_ lines: [String], toStandardError: Bool) {
        guard !lines.isEmpty else { return }
        write(lines.joined(separator: "\n") + "\n", to: toStandardError ? STDERR_FILENO : STDOUT_FILENO)
    }

    /// Writes one error line to standard error, with control characters made visible, after
    /// `redline: ` (or `redline COMMAND: ` for a problem with a command's arguments).
    static func errorLine(_ text: String) {
        let line = text.hasPrefix("redline ") || text.hasPrefix("redline:") ? text : "redline: " + text
        write(Escape.workflowLine(Escape.terminal(line)) + "\n", to: STDERR_FILENO)
    }

    /// Notes wait until the command has run: a run that ends in exit 2 prints only its error line.
    private static let pendingNotes = Mutex<[String]>([])

    /// A note (not an error) for standard error, printed once the command succeeds (see `flushNotes`).
    static func note(_ text: String) {
        pendingNotes.withLock { $0.append(Escape.workflowLine(Escape.terminal(text))) }
    }

    /// A warning now: a `::warning::` annotation in GitHub Actions, else a line on standard error.
    static func warning(_ text: String, inActions: Bool) {
        if inActions {
            write(
                "::warning::" + GitHub.escapeData(Escape.neutraliseLegacyCommands(Escape.terminal("redline: " + text)))
                    + "\n", to: STDOUT_FILENO)
        } else {
            progress("redline: warning: " + text)
        }
    }

    /// A line for standard error now, whatever happens next (progress that explains a long step).
    static func progress(_ text: String) {
        write(Escape.workflowLine(Escape.terminal(text)) + "\n", to: STDERR_FILENO)
    }

    /// Prints the notes gathered so far; `discard` drops them instead (the run ended in an error).
    static func flushNotes(discard: Bool = false) {
        let notes = pendingNotes.withLock { notes in
            defer { notes.removeAll() }
            return notes
        }
        guard !discard, !notes.isEmpty else { return }
        write(notes.joined(separator: "\n") + "\n", to: STDERR_FILENO)
    }

    static func neutralised(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Escape.workflowLine(String($0)) }
            .joined(separator: "\n")
    }

    /// Writes all of `text`; a closed stream (a reader that went away) is no error worth reporting.
    private static func write(_ text: String, to descriptor: Int32) {
        try? FileSystem.write(text, to: descriptor, name: "")
    }

}
