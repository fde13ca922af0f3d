#if canImport(Glibc)
import Glibc
#endif
import RedlineCore

/// The executable's file access: careful reads of untrusted paths and atomic writes.
enum FileSystem {
    /// The largest input file read by default, in bytes (`--max-input-size` raises it).
    static let defaultMaximumInputSize = 512 << 20

    /// Whether something exists at `path` (a broken link counts as absent).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Reads a whole regular file. A FIFO, device or directory is refused without blocking;
    /// a file over `limit` bytes is refused before it is read; a path that reaches outside the
    /// working directory through a symbolic link is refused (a pull request can commit a link
    /// to any file of the machine).
    static func read(_ path: String, limit: Int = defaultMaximumInputSize) throws -> SourceText {
        try refuseSymlinkOutside(path)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno, doing: "cannot open") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, errno, doing: "cannot inspect") }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            throw RedlineError(file: path, message: "is a directory, not a file", hint: "name a file")
        }
        guard kind == S_IFREG else {
            throw RedlineError(file: path, message: "is not a regular file (a FIFO, socket or device)",
                               hint: "write the metrics to a file first")
        }
        guard Int(info.st_size) <= limit else {
            throw RedlineError(file: path, message: "is \(info.st_size) bytes; the limit is \(limit) bytes",
                               hint: "raise it with --max-input-size, or split the metrics into several files")
        }
        if Int(info.st_size) >= mappingThreshold, let mapped = map(descriptor, size: Int(info.st_size)) {
            return SourceText(name: path, bytes: mapped)
        }
        // Read straight into the array's storage, without zero-filling it first.
        var readError: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(info.st_size)) { buffer, initialized in
            while initialized < buffer.count {
                let count = Glibc.read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { readError = errno; return }
                if count == 0 { return }
                initialized += count
            }
        }
        guard readError == 0 else { throw failure(path, readError, doing: "cannot read") }
        // The file may have grown since fstat: read on to its end in chunks, within the limit.
        if bytes.count == Int(info.st_size) {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, errno, doing: "cannot read")
                }
                if count == 0 { break }
                bytes.append(contentsOf: chunk[0..<count])
                if bytes.count > limit {
                    throw RedlineError(file: path, message: "is over \(limit) bytes; that is the limit",
                                       hint: "raise it with --max-input-size, or split the metrics into several files")
                }
            }
        }
        return SourceText(name: path, bytes: bytes)
    }

    /// Writes `text` to `path` atomically: a temporary file in the same directory, fsync, rename
    /// over the old file, fsync of the directory. The old file's permission bits are kept. On any
    /// failure the old file is untouched and the temporary file removed.
    static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(to: path) { write in try write(text) }
    }

    /// Files from this size on are mapped instead of copied: reading hundreds of megabytes with
    /// read(2) into fresh memory spent more time in page faults and copying than in parsing.
    static let mappingThreshold = 16 << 20

    /// The file's first `size` bytes mapped read-only, all pages at once; nil when mapping fails
    /// (the caller then reads the file). A file truncated by another process while redline reads
    /// it ends the run with SIGBUS: a failed step, never a passing one.
    static func map(_ descriptor: Int32, size: Int) -> Bytes? {
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0),
              address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        let pointer = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
        return Bytes(pointer: pointer) { bytes in
            _ = munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count)
        }
    }

    /// `writeAtomically(_:to:)` for text produced in pieces: `produce` calls `write` with each.
    static func writeAtomically(to path: String, _ produce: (_ write: (String) throws -> Void) throws -> Void) throws {
        let directory = parentDirectory(of: path)
        try makeDirectories(directory)
        var mode: mode_t = 0o644
        var old = stat()
        let hadOld = stat(path, &old) == 0
        if hadOld {
            if old.st_mode & S_IFMT == S_IFDIR {
                throw RedlineError(file: path, message: "is a directory", hint: "name a file to write")
            }
            mode = old.st_mode & 0o7777
        }
        var temporary = ""
        var descriptor: Int32 = -1
        for attempt in 0..<100 {
            temporary = directory + "/" + temporaryPrefix(for: path) + "\(getpid())-\(attempt)-\(UInt32.random(in: 0...UInt32.max)).tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, hadOld ? mode : 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw failure(directory, errno, doing: "cannot create a temporary file in") }
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }
        do {
            defer { if descriptor >= 0 { close(descriptor) } }
            if hadOld, fchmod(descriptor, mode) != 0 { throw failure(temporary, errno, doing: "cannot set the mode of") }
            try produce { piece in try write(piece, to: descriptor, path: temporary, doing: "cannot write") }
            guard fsync(descriptor) == 0 else { throw failure(temporary, errno, doing: "cannot flush") }
            let closed = close(descriptor)
            descriptor = -1
            guard closed == 0 else { throw failure(temporary, errno, doing: "cannot close") }
        }
        guard rename(temporary, path) == 0 else { throw failure(path, errno, doing: "cannot replace") }
        finished = true
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Refuses a path that a symbolic link takes outside the working directory.
    static func refuseSymlinkOutside(_ path: String) throws {
        guard let real = realPath(path) else { return }  // absent: open reports it
        guard let directory = realPath(".") else { return }
        let lexical = normalized(path.hasPrefix("/") ? path : directory + "/" + path)
        guard real != lexical else { return }            // no link on the way
        if real == directory || real.hasPrefix(directory == "/" ? "/" : directory + "/") { return }
        throw RedlineError(file: path, message: "is a symbolic link (or under one) to \(real), outside the working directory",
                           hint: "redline does not follow links out of the working tree; name the file itself")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` with `.` and `..` resolved lexically (no file system access).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The size of the file at `path` in bytes, 0 when there is none.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Appends `text` to the file at `path`, creating it if needed (for GitHub's summary and outputs,
    /// which other steps append to as well).
    static func append(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, errno, doing: "cannot open") }
        defer { close(descriptor) }
        try write(text, to: descriptor, path: path, doing: "cannot append to")
    }

    /// Writes all of `text` to `descriptor`, however many calls it takes; `doing` words the error.
    static func write(_ text: String, to descriptor: Int32, path: String, doing: String) throws {
        var text = text
        try text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, errno, doing: doing)
                }
                offset += written
            }
        }
    }

    /// Runs `body` holding an exclusive lock on the directory that holds `path` (created if
    /// absent), so that two baseline updates never interleave: the second waits, then reads what
    /// the first wrote. Temporary files that a killed update left behind are removed first: under
    /// the lock no other update can be writing one.
    static func withDirectoryLock<T>(for path: String, _ body: () throws -> T) throws -> T {
        let directory = parentDirectory(of: path)
        try makeDirectories(directory)
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(directory, errno, doing: "cannot open") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw failure(directory, errno, doing: "cannot lock") }
        }
        defer { flock(descriptor, LOCK_UN) }
        removeStaleTemporaries(for: path)
        return try body()
    }

    /// The prefix of the temporary files `writeAtomically` makes for `path`.
    static func temporaryPrefix(for path: String) -> String {
        "." + (path.split(separator: "/").last.map(String.init) ?? path) + ".redline-"
    }

    static func removeStaleTemporaries(for path: String) {
        let directory = parentDirectory(of: path)
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let prefix = temporaryPrefix(for: path)
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(prefix) && name.hasSuffix(".tmp") { unlink(directory + "/" + name) }
        }
    }

    /// Creates `path` and its parents as directories where absent.
    static func makeDirectories(_ path: String) throws {
        if path.isEmpty || path == "." || path == "/" { return }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw RedlineError(file: path, message: "exists but is not a directory")
            }
            return
        }
        try makeDirectories(parentDirectory(of: path))
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw failure(path, errno, doing: "cannot create the directory")
        }
    }

    /// The directory part of a path (`.` for a bare file name).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func failure(_ path: String, _ code: Int32, doing action: String) -> RedlineError {
        let reason = String(cString: strerror(code))
        let hint: String?
        switch code {
        case ENOENT: hint = "check the path"
        case EACCES, EPERM: hint = "check the file's permissions"
        case ENOSPC: hint = "free some disk space"
        case EROFS: hint = "the file system is read-only"
        default: hint = nil
        }
        return RedlineError(file: path, message: "\(action) it: \(reason)", hint: hint)
    }
}
