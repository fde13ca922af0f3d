#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization
import RedlineCore

/// Where one output goes, decided before anything is judged so that a run never writes half its
/// outputs and then refuses the rest.
enum OutputTarget: Equatable {
    /// Standard output (`-`): one document at most.
    case standardOutput
    /// A regular file, or a path where none exists yet: written atomically (temporary file, rename).
    case file(String)
    /// An existing FIFO or character device: opened and written, never replaced.
    case stream(String)

    var path: String? {
        switch self {
        case .standardOutput: return nil
        case .file(let path), .stream(let path): return path
        }
    }
}

/// The outputs of one run: each flag's target, checked together against each other and the inputs.
struct OutputPlan {
    private(set) var targets: [String: OutputTarget] = [:]

    /// Checks every output: `-` is standard output (at most one), an existing FIFO or character
    /// device is written by opening it, any other special file or a directory is refused, and no
    /// output may be an input or another output of the same run. `appended` are files other
    /// steps append to as well ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT): they take part in the check.
    init(outputs: [(flag: String, path: String)], inputs: [String], appended: [(name: String, path: String)] = [])
        throws
    {
        var seen: [(what: String, identity: FileIdentity)] = inputs.map { ("the input \($0)", FileIdentity($0)) }
        var standardOutput: String?
        for (name, path) in appended {
            seen.append(("$\(name)", FileIdentity(path)))
        }
        for (flag, path) in outputs {
            if path == "-" {
                if let other = standardOutput {
                    throw RedlineError(
                        file: "", message: "--\(other) - and --\(flag) - both ask for standard output",
                        hint: "send one of them to a file")
                }
                standardOutput = flag
                targets[flag] = .standardOutput
                continue
            }
            let identity = FileIdentity(path)
            if let clash = seen.first(where: { $0.identity == identity }) {
                throw RedlineError(
                    file: path, message: "--\(flag) would write over \(clash.what)",
                    hint: "give every output its own file, apart from the inputs")
            }
            seen.append(("--\(flag)", identity))
            targets[flag] = try Self.target(path, flag: flag)
        }
    }

    /// What writing to `path` means: a file to replace atomically or a stream to open.
    static func target(_ path: String, flag: String) throws -> OutputTarget {
        var info = stat()
        guard stat(path, &info) == 0 else { return .file(path) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(path)
        case S_IFIFO, S_IFCHR: return .stream(path)
        case S_IFDIR:
            throw RedlineError(file: path, message: "--\(flag) names a directory", hint: "name a file to write")
        default:
            throw RedlineError(
                file: path, message: "--\(flag) names a socket or block device, which redline never writes",
                hint: "name a regular file")
        }
    }

    /// The flag whose document goes to standard output, if any.
    var standardOutputFlag: String? {
        targets.first { $0.value == .standardOutput }?.key
    }

    /// Whether `flag` was given.
    func has(_ flag: String) -> Bool { targets[flag] != nil }

    /// Writes the document of `flag`, produced in pieces, to its target; nothing when the flag was not given.
    func write(_ flag: String, _ produce: (_ write: (String) throws -> Void) throws -> Void) throws {
        switch targets[flag] {
        case nil: return
        case .standardOutput:
            var text = ""
            try produce { text += $0 }
            Terminal.out(text)
        case .file(let path):
            try FileSystem.writeAtomically(to: path, produce)
        case .stream(let path):
            try FileSystem.writeStream(to: path, produce)
        }
    }

    /// Writes `text` as the document of `flag`; the text is made only when the flag was given.
    func write(_ flag: String, text: @autoclosure () -> String) throws {
        guard has(flag) else { return }
        try write(flag) { write in try write(text()) }
    }
}

/// What makes two paths the same file: the device and inode of an existing file, else the path
/// made absolute with its directory's links resolved.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    let path: String

    init(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0 {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            self.path = ""
        } else {
            device = 0
            inode = 0
            let directory = FileSystem.parentDirectory(of: path)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let base =
                FileSystem.realPath(directory)
                ?? FileSystem.normalized(
                    directory.hasPrefix("/") ? directory : (FileSystem.realPath(".") ?? "") + "/" + directory)
            self.path = FileSystem.normalized(base + "/" + name)
        }
    }
}

extension FileSystem {
    /// Writes `text` to `path` atomically (see `writeAtomically(to:_:)`).
    static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(to: path) { write in try write(text) }
    }

    /// Writes to `path` atomically: a temporary file in the same directory, fsync, rename over
    /// the old file, fsync of the directory. The old file's read and write permission bits are
    /// kept (never setuid, setgid or execute bits). On any failure, or when the process is
    /// interrupted (SIGINT, SIGTERM, SIGHUP), the old file is untouched and the temporary file removed.
    static func writeAtomically(to path: String, _ produce: (_ write: (String) throws -> Void) throws -> Void) throws {
        let directory = parentDirectory(of: path)
        try makeDirectories(directory)
        removeStaleTemporaries(in: directory)
        var mode: mode_t = 0o644
        var old = stat()
        let hadOld = stat(path, &old) == 0
        if hadOld {
            if old.st_mode & S_IFMT == S_IFDIR {
                throw RedlineError(file: path, message: "is a directory", hint: "name a file to write")
            }
            mode = old.st_mode & 0o666
        }
        var temporary = ""
        var descriptor: Int32 = -1
        var slot: Int?
        var openError: Int32 = 0
        for _ in 0..<100 {
            temporary = directory + "/" + temporaryName(for: path)
            // Registered before it exists: an interruption right after the open still removes it.
            slot = Interruption.register(temporary)
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if descriptor >= 0 { break }
            openError = errno
            Interruption.unregister(slot)
            slot = nil
            if openError != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw failure(directory, openError, "cannot hold a temporary file for the output")
        }
        var finished = false
        defer {
            if !finished { unlink(temporary) }
            Interruption.unregister(slot)
        }
        do {
            defer { if descriptor >= 0 { close(descriptor) } }
            if hadOld, fchmod(descriptor, mode) != 0 {
                throw failure(temporary, errno, "cannot take the old file's mode")
            }
            try produce { piece in try write(piece, to: descriptor, name: path) }
            guard fsync(descriptor) == 0 else { throw failure(path, errno, "cannot be flushed to disk") }
            let closed = close(descriptor)
            descriptor = -1
            guard closed == 0 else { throw failure(path, errno, "cannot be closed") }
        }
        guard rename(temporary, path) == 0 else { throw failure(path, errno, "cannot be replaced") }
        finished = true
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Writes to an existing FIFO or character device by opening it: never replaced by a file.
    /// A FIFO nobody reads is an error, not a hang.
    static func writeStream(to path: String, _ produce: (_ write: (String) throws -> Void) throws -> Void) throws {
        let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            if errno == ENXIO {
                throw RedlineError(
                    file: path, message: "is a FIFO that no process is reading",
                    hint: "start its reader first, or write to a file")
            }
            throw failure(path, errno, "cannot be opened for writing")
        }
        defer { close(descriptor) }
        // Blocking from here on: a reader that is slow must not turn into a lost write.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        try produce { piece in try write(piece, to: descriptor, name: path) }
    }

    /// Appends `text` to the file at `path`, creating it if needed (for GitHub's summary and outputs,
    /// which other steps append to as well).
    static func append(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0o644)
        guard descriptor >= 0 else { throw failure(path, errno, "cannot be opened for appending") }
        defer { close(descriptor) }
        try write(text, to: descriptor, name: path)
    }

    /// Writes all of `text` to `descriptor`, however many calls it takes.
    static func write(_ text: String, to descriptor: Int32, name: String) throws {
        var text = text
        try text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = System.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure(name, errno, "cannot be written")
                }
                offset += written
            }
        }
    }

    /// Runs `body` holding an exclusive lock on the directory that holds `path` (created if
    /// absent), so that two baseline updates never interleave: the second waits, then reads what
    /// the first wrote.
    static func withDirectoryLock<T>(for path: String, _ body: () throws -> T) throws -> T {
        let directory = parentDirectory(of: path)
        try makeDirectories(directory)
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(directory, errno, "cannot be opened") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw failure(directory, errno, "cannot be locked") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Temporary files are `.redline-HASH-PID-RANDOM.tmp`: short whatever the output's name (a
    /// name of 255 bytes is legal), and tagged with the writer's process id so that the next
    /// write can tell a temporary file of a killed run from one still being written.
    static let temporaryPrefix = ".redline-"

    static func temporaryName(for path: String) -> String {
        // FNV-1a of the file name: which output a temporary file was for, to a reader of the directory.
        var hash: UInt32 = 2_166_136_261
        for byte in (path.split(separator: "/").last ?? "").utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return temporaryPrefix + String(hash, radix: 16) + "-\(getpid())-"
            + String(UInt32.random(in: 0...UInt32.max), radix: 16) + ".tmp"
    }

    /// Removes redline's temporary files in `directory` whose writer is no longer running (a run
    /// killed by SIGKILL or a power cut), leaving those of runs still writing.
    static func removeStaleTemporaries(in directory: String) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name.hasPrefix(temporaryPrefix), name.hasSuffix(".tmp") else { continue }
            let fields = name.dropFirst(temporaryPrefix.count).split(separator: "-")
            guard fields.count == 3, let pid = pid_t(fields[1]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    /// Creates `path` and its parents as directories where absent.
    static func makeDirectories(_ path: String) throws {
        if path.isEmpty || path == "." || path == "/" { return }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw RedlineError(
                    file: path, message: "exists but is not a directory", hint: "move it away or write elsewhere")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch let error as CocoaError {
            // The folder that failed and why, as the one-line error says it for every other call.
            let failed = error.userInfo["NSFilePath"] as? String ?? path
            let code = (error.underlying as? POSIXError)?.code.rawValue ?? EIO
            throw failure(failed, code, "cannot be created as a directory")
        }
    }

    /// The directory part of a path (`.` for a bare file name).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}

/// Removes the temporary files being written when the process is interrupted, so that a ^C or a
/// cancelled CI job leaves no half-written file behind. The handler only calls `unlink`, which is
/// safe in a signal handler; paths wait in fixed slots of C memory.
enum Interruption {
    static let slots = 8
    static let pathCapacity = Int(PATH_MAX) + 1
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let memory = UnsafeMutablePointer<CChar>.allocate(capacity: slots * pathCapacity)
        memory.initialize(repeating: 0, count: slots * pathCapacity)
        return memory
    }()
    static let lock = Mutex<Void>(())

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP; SIGXFSZ is ignored, so that a file
    /// size limit makes a write fail with a clear message instead of killing the process.
    static func install() {
        _ = paths
        // A parent may have started redline with these signals blocked (test runners and some CI
        // agents do): unblock them, or an interrupted run would finish its write regardless.
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            System.signal(signal) { number in
                for slot in 0..<Interruption.slots {
                    let path = Interruption.paths + slot * Interruption.pathCapacity
                    if path.pointee != 0 { unlink(path) }
                }
                System.signal(number, SIG_DFL)
                raise(number)
            }
        }
        System.signal(SIGXFSZ, SIG_IGN)
    }

    /// Remembers `path` for removal on interruption; nil when it does not fit (it is then only
    /// removed by the next write's sweep).
    static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard bytes.count < pathCapacity else { return nil }
        return lock.withLock { _ in
            for slot in 0..<slots where paths[slot * pathCapacity] == 0 {
                let start = paths + slot * pathCapacity
                for (index, byte) in bytes.enumerated().dropFirst() { start[index] = CChar(bitPattern: byte) }
                start[bytes.count] = 0
                // The first byte last: the handler sees a slot only once its path is whole.
                start[0] = CChar(bitPattern: bytes.first ?? 0)
                return slot
            }
            return nil
        }
    }

    /// Forgets the path in `slot`.
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { _ in paths[slot * pathCapacity] = 0 }
    }
}
