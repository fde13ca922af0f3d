#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
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

    /// A new private directory under TMPDIR (else /tmp), by its physical path.
    static func temporaryDirectory(environment: [String: String]) throws -> String {
        let base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/redline-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw failure(base, errno, "has no room for a temporary directory")
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return realPath(path) ?? path
    }

    /// Removes a file, if it is there.
    static func remove(_ path: String) {
        unlink(path)
    }

    /// Removes a directory redline made and the files in it (one level: it makes no deeper ones).
    static func removeTree(_ path: String) {
        for name in names(inDirectory: path) { unlink(path + "/" + name) }
        rmdir(path)
    }

    /// The names in the directory at `path` (`.` for ""), without `.` and `..`; empty when it
    /// cannot be read.
    static func names(inDirectory path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The error for a file that was named explicitly and does not exist: exit 2, with the
    /// nearest name in its directory when one is close ("did you mean baselines/main.json?").
    static func missing(_ path: String, what: String, hint: String) -> RedlineError {
        let slash = path.lastIndex(of: "/")
        let prefix = slash.map { String(path[...$0]) } ?? ""
        let name = String(path.dropFirst(prefix.count))
        if let near = Suggestion.nearest(to: name, among: names(inDirectory: parentDirectory(of: path))) {
            return RedlineError(file: path, message: "\(what) does not exist", hint: "did you mean \(prefix + near)?")
        }
        return RedlineError(file: path, message: "\(what) does not exist", hint: hint)
    }

    /// Reads a whole regular file. A FIFO, device or directory is refused without blocking;
    /// a file over `limit` bytes is refused before it is read; a path that reaches outside the
    /// working directory through a symbolic link is refused (a pull request can commit a link
    /// to any file of the machine).
    static func read(_ path: String, limit: Int = defaultMaximumInputSize) throws -> SourceText {
        try refuseSymlinkOutside(path)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno, "cannot be opened") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, errno, "cannot be inspected") }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            throw RedlineError(file: path, message: "is a directory, not a file", hint: "name a file")
        }
        guard kind == S_IFREG else {
            throw RedlineError(
                file: path, message: "is not a regular file (a FIFO, socket or device)",
                hint: "write the metrics to a file first")
        }
        guard Int(info.st_size) <= limit else { throw tooLarge(path, limit: limit, size: Int(info.st_size)) }
        if Int(info.st_size) >= mappingThreshold, let mapped = map(descriptor, size: Int(info.st_size)) {
            return SourceText(name: path, bytes: mapped)
        }
        return SourceText(
            name: path, bytes: try readAll(descriptor, expecting: Int(info.st_size), limit: limit, name: path))
    }

    /// The name standard input is reported under.
    static let standardInputName = "(standard input)"

    /// Reads all of standard input (`--current -`), refusing more than `limit` bytes.
    static func readStandardInput(limit: Int) throws -> SourceText {
        var info = stat()
        let expected = fstat(STDIN_FILENO, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
        guard expected <= limit else { throw tooLarge(standardInputName, limit: limit, size: expected) }
        return SourceText(
            name: standardInputName,
            bytes: try readAll(
                STDIN_FILENO, expecting: expected, limit: limit,
                name: standardInputName))
    }

    /// The error for an input over the size limit; `size` when it is known before reading.
    static func tooLarge(_ name: String, limit: Int, size: Int? = nil) -> RedlineError {
        RedlineError(
            file: name,
            message: size.map { "is \($0) bytes; the limit is \(limit) bytes" }
                ?? "is over \(limit) bytes; that is the limit",
            hint: "raise it with --max-input-size, or split the metrics into several files")
    }

    /// Everything `descriptor` gives until its end: `expected` bytes straight into the array's
    /// storage without zero-filling it first, then on in chunks (a file may grow, a pipe has no
    /// size), never past `limit`.
    static func readAll(_ descriptor: Int32, expecting expected: Int, limit: Int, name: String) throws -> [UInt8] {
        var readError: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
            while initialized < buffer.count {
                let count = System.read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count < 0 && errno == EINTR { continue }
                if count < 0 {
                    readError = errno
                    return
                }
                if count == 0 { return }
                initialized += count
            }
        }
        guard readError == 0 else { throw failure(name, readError, "cannot be read") }
        guard bytes.count == expected else { return bytes }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { System.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(name, errno, "cannot be read")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw tooLarge(name, limit: limit) }
        }
    }

    /// Files from this size on are mapped instead of copied: reading hundreds of megabytes with
    /// read(2) into fresh memory spent more time in page faults and copying than in parsing.
    static let mappingThreshold = 16 << 20

    /// The file's first `size` bytes mapped read-only, all pages at once; nil when mapping fails
    /// (the caller then reads the file). A file truncated by another process while redline reads
    /// it ends the run with SIGBUS: a failed step, never a passing one.
    static func map(_ descriptor: Int32, size: Int) -> Bytes? {
        guard let address = mmap(nil, size, PROT_READ, System.mappingFlags, descriptor, 0),
            address != UnsafeMutableRawPointer(bitPattern: -1)
        else { return nil }
        let pointer = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
        return Bytes(pointer: pointer) { bytes in
            _ = munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count)
        }
    }

    /// Refuses a path that a symbolic link takes outside the working directory.
    static func refuseSymlinkOutside(_ path: String) throws {
        guard let real = realPath(path) else { return }  // absent: open reports it
        guard let directory = realPath(".") else { return }
        let lexical = normalized(path.hasPrefix("/") ? path : directory + "/" + path)
        guard real != lexical else { return }  // no link on the way
        if real == directory || real.hasPrefix(directory == "/" ? "/" : directory + "/") { return }
        throw RedlineError(
            file: path, message: "is a symbolic link (or under one) to \(real), outside the working directory",
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
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The size of the file at `path` in bytes, 0 when there is none.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// An error for a failed system call on `path`: `action` says what could not be done, in a phrase
    /// that follows the path ("cannot be opened").
    static func failure(_ path: String, _ code: Int32, _ action: String) -> RedlineError {
        let reason = String(cString: strerror(code))
        let hint: String?
        switch code {
        case ENOENT: hint = "check the path"
        case EACCES, EPERM: hint = "check the file's permissions"
        case ENOSPC: hint = "free some disk space"
        case EDQUOT: hint = "the disk quota is used up"
        case EFBIG: hint = "the file size limit (ulimit -f) is too small for this file"
        case EROFS: hint = "the file system is read-only"
        default: hint = nil
        }
        return RedlineError(file: path, message: "\(action): \(reason)", hint: hint)
    }
}
