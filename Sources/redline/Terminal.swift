#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// `GitHub.annotations` has escaped, to standard output as they are.
    static func annotations(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        write(lines.joined(separator: "\n") + "\n", to: STDOUT_FILENO)
    }

    /// Writes one line to standard error, with control characters made visible.
    static func errorLine(_ text: String) {
        write(Escape.workflowLine("redline: " + Escape.terminal(text)) + "\n", to: STDERR_FILENO)
    }

    /// Writes a note (not an error) to standard error.
    static func note(_ text: String) {
        write(Escape.workflowLine(Escape.terminal(text)) + "\n", to: STDERR_FILENO)
    }

    static func neutralised(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Escape.workflowLine(String($0)) }
            .joined(separator: "\n")
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
