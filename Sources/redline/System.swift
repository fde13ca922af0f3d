#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import RedlineCore

// The executable runs on Linux (Glibc; what CI proves) and on macOS (Darwin). Its files that
// make system calls import whichever C library the platform has; the calls whose names redline's
// own functions shadow (`read`, `write`, `signal`) are reached through `System`, so that no file
// names one platform's module, and what only Linux has (`MAP_POPULATE`) is said here.

// At file scope these names are the C library's; inside `System` they would be its own.
private func cRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func cWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func cSignal(_ number: Int32, _ handler: (@convention(c) (Int32) -> Void)?) -> (@convention(c) (Int32) -> Void)?
{
    signal(number, handler)
}

private func cSleep(_ seconds: UInt32) -> UInt32 {
    sleep(seconds)
}

/// The C library's calls that redline's own `read`, `write` and `signal` shadow.
enum System {
    static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        cRead(descriptor, buffer, count)
    }

    static func write(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        cWrite(descriptor, buffer, count)
    }

    @discardableResult
    static func signal(_ number: Int32, _ handler: (@convention(c) (Int32) -> Void)?) -> (
        @convention(c) (Int32) -> Void
    )? {
        cSignal(number, handler)
    }

    /// Waits `seconds` whole seconds (none for 0).
    static func sleep(seconds: Int) {
        var left = UInt32(max(0, seconds))
        while left > 0 { left = cSleep(left) }
    }

    /// Flags of a read-only mapping: on Linux every page is read at once (`MAP_POPULATE`), which
    /// saves the page faults of a large input; macOS has no such flag.
    static var mappingFlags: Int32 {
        #if os(Linux)
            return MAP_PRIVATE | MAP_POPULATE
        #else
            return MAP_PRIVATE
        #endif
    }
}

/// Runs shell commands for `check --rerun`.
enum Shell {
    /// How a command ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case notStarted(Int32)
    }

    /// How a command ended, for a message: `exited with status 3`, `was ended by signal 9`.
    static func describe(_ ending: Ending) -> String {
        switch ending {
        case .exited(let status): return "the command exited with status \(status)"
        case .signalled(let signal): return "the command was ended by signal \(signal)"
        case .notStarted(let code): return "/bin/sh could not be started (error \(code))"
        }
    }

    /// Runs rerun `number` of `command`; a command that fails or cannot start is an error saying so,
    /// with `what` as the hint.
    static func rerun(_ command: String, number: Int, what: String) throws {
        let ending = run(command)
        guard ending != .exited(0) else { return }
        throw RedlineError(file: "", message: "rerun \(number) failed: " + describe(ending), hint: what)
    }

    /// `text` as one word for a POSIX shell: as is when it has only safe characters, else in
    /// single quotes (a quote inside written as '\'').
    static func quoted(_ text: String) -> String {
        if !text.isEmpty && text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0)) })
        {
            return text
        }
        return "'" + text.replacing("'", with: "'\\''") + "'"
    }

    /// Runs `command` with `/bin/sh -c` in redline's environment and waits for it. Its standard
    /// output goes to redline's standard error, so that a document redline writes to standard
    /// output never has the command's output in it.
    /// With `standardOutputTo`, its standard output goes to that file instead (created with
    /// mode 0600, or emptied), for a command that prints its metrics.
    static func run(_ command: String, standardOutputTo path: String? = nil) -> Ending {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let path {
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO)
        }
        let arguments: [UnsafeMutablePointer<CChar>?] = ["sh", "-c", command].map { (text: String) in strdup(text) }
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, nil, arguments + [nil], environ)
        guard status == 0 else { return .notStarted(status) }
        var result: Int32 = 0
        while waitpid(pid, &result, 0) == -1 {
            guard errno == EINTR else { return .notStarted(errno) }
        }
        // The wait status: the low 7 bits are the signal that ended it, 0 when it exited.
        let signal = result & 0x7F
        return signal == 0 ? .exited((result >> 8) & 0xFF) : .signalled(signal)
    }
}
