#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import RedlineCore

/// A program run with arguments (no shell), its output captured.
enum ChildProcess {
    /// What a run gave.
    struct Output {
        var ending: Shell.Ending
        var stdout: [UInt8]
        var stderr: String
        var succeeded: Bool { ending == .exited(0) }
        /// Standard output as text, without its last line break.
        var text: String {
            var text = String(decoding: stdout, as: UTF8.self)
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
    }

    /// Runs `arguments[0]` (found on PATH) with the rest as its arguments, in redline's environment
    /// plus `environment`, and waits for it. Its standard input is /dev/null.
    static func run(_ arguments: [String], environment: [String: String] = [:], base: [String: String]) -> Output {
        func temporary() -> (descriptor: Int32, path: String)? {
            var template = Array(
                ((base["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/redline-child-XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { return nil }
            return (
                descriptor, String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            )
        }
        guard let out = temporary(), let err = temporary() else {
            return Output(ending: .notStarted(errno), stdout: [], stderr: "cannot create a temporary file")
        }
        defer {
            close(out.descriptor)
            close(err.descriptor)
            unlink(out.path)
            unlink(err.path)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out.descriptor, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, err.descriptor, STDERR_FILENO)
        var merged = base
        for (key, value) in environment { merged[key] = value }
        let variables: [UnsafeMutablePointer<CChar>?] = merged.sorted { $0.key < $1.key }.map {
            strdup($0.key + "=" + $0.value)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        defer { for pointer in variables + argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, nil, argv + [nil], variables + [nil])
        guard status == 0 else { return Output(ending: .notStarted(status), stdout: [], stderr: "") }
        var result: Int32 = 0
        while waitpid(pid, &result, 0) == -1 {
            guard errno == EINTR else { return Output(ending: .notStarted(errno), stdout: [], stderr: "") }
        }
        let signal = result & 0x7F
        func contents(_ path: String) -> [UInt8] {
            guard let file = fopen(path, "rb") else { return [] }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = fread(&buffer, 1, buffer.count, file)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            return bytes
        }
        return Output(
            ending: signal == 0 ? .exited((result >> 8) & 0xFF) : .signalled(signal),
            stdout: contents(out.path), stderr: String(decoding: contents(err.path), as: UTF8.self))
    }
}

/// Baselines on a data branch: one parentless commit that every update replaces, so the branch
/// never grows and the default branch never sees a baseline commit. git runs as a child process,
/// without the repository's hooks (a pull request may have planted one), never touching the
/// working tree, the index, HEAD or a local branch: files are read with `cat-file`, the commit is
/// built in a temporary index with `commit-tree`, and only `refs/remotes/REMOTE/BRANCH` is written
/// locally. Pushes carry a lease on the commit read, so a concurrent update is never lost.
struct DataBranch {
    let branch: String
    let remote: String
    /// The baseline's path from the top of the branch, which is also its path here (run from the
    /// top of the checkout).
    let path: String
    let environment: [String: String]

    static let message = "Update the redline baselines [skip ci]"

    /// Checks the branch name and the path; reads the remote and the token from the environment.
    init(branch: String, remote: String?, path: String, environment: [String: String]) throws {
        self.branch = branch
        self.remote = remote ?? environment["REDLINE_REMOTE"].flatMap { $0.isEmpty ? nil : $0 } ?? "origin"
        self.path = path
        var variables = environment
        variables["GIT_TERMINAL_PROMPT"] = "0"
        self.environment = variables
        guard !branch.isEmpty, !branch.hasPrefix("-"), !branch.hasPrefix("@"),
            git(["check-ref-format", "refs/heads/" + branch]).succeeded
        else {
            throw RedlineError(
                file: "", message: "redline: '\(branch)' is not a branch name",
                hint: "give --branch a name such as redline-baselines")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("-"),
            !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        else {
            throw RedlineError(
                file: path, message: "a baseline on a data branch must be a plain relative path inside the repository",
                hint: "such as baselines/main.json, given from the top of the checkout")
        }
    }

    /// git without hooks, in the environment (plus `extra`), with the token of `REDLINE_GIT_TOKEN`
    /// when the checkout keeps no credentials of its own.
    func git(_ arguments: [String], extra: [String: String] = [:]) -> ChildProcess.Output {
        var variables = extra
        if let token = environment["REDLINE_GIT_TOKEN"], !token.isEmpty, !hasAuthHeader {
            // Through the environment, never the command line, where other processes could read it.
            let count = Int(environment["GIT_CONFIG_COUNT"] ?? "") ?? 0
            let server = environment["GITHUB_SERVER_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://github.com"
            variables["GIT_CONFIG_KEY_\(count)"] = "http.\(server)/.extraheader"
            variables["GIT_CONFIG_VALUE_\(count)"] =
                "AUTHORIZATION: basic " + Base64.encode(Array("x-access-token:\(token)".utf8))
            variables["GIT_CONFIG_COUNT"] = String(count + 1)
        }
        return ChildProcess.run(
            ["git", "-c", "core.hooksPath=/dev/null"] + arguments, environment: variables, base: environment)
    }

    /// Whether git already sends an authorization header (actions/checkout with its credentials).
    var hasAuthHeader: Bool {
        ChildProcess.run(["git", "config", "--get-regexp", "^http\\..*\\.extraheader$"], base: environment).succeeded
    }

    /// An error for a git step that failed, with what git said.
    func failure(_ what: String, _ output: ChildProcess.Output, hint: String? = nil) -> RedlineError {
        let said =
            output.stderr.split(separator: "\n").last.map { ": git says \"" + Escape.terminal(String($0)) + "\"" } ?? ""
        return RedlineError(file: "", message: "redline: \(what)\(said)", hint: hint)
    }

    /// Whether the current directory is in a git repository with the remote.
    func repositoryProblem() -> String? {
        guard git(["rev-parse", "--git-dir"]).succeeded else { return "not in a git repository" }
        guard git(["remote", "get-url", remote]).succeeded else { return "no remote \(remote)" }
        return nil
    }

    /// The remote branch's commit, fetched into `refs/remotes/REMOTE/BRANCH`, or nil when the
    /// remote has no such branch. Throws when the remote cannot be read.
    func read() throws -> String? {
        let heads = git(["ls-remote", "--heads", remote, "refs/heads/" + branch])
        guard heads.succeeded else { throw failure("cannot read branch \(branch) from \(remote)", heads) }
        guard
            heads.text.split(separator: "\n").contains(where: {
                $0.split(separator: "\t").last == Substring("refs/heads/" + branch)
            })
        else {
            return nil
        }
        var arguments = ["fetch", "--no-tags", "--quiet"]
        let usage = git(["fetch", "-h"])
        if (usage.text + usage.stderr).contains("--no-write-fetch-head") { arguments.append("--no-write-fetch-head") }
        if git(["rev-parse", "--is-shallow-repository"]).text == "true" { arguments.append("--depth=1") }
        let fetched = git(arguments + [remote, "+refs/heads/\(branch):refs/remotes/\(remote)/\(branch)"])
        guard fetched.succeeded else { throw failure("cannot fetch branch \(branch) from \(remote)", fetched) }
        let sha = git(["rev-parse", "--verify", "--quiet", "refs/remotes/\(remote)/\(branch)^{commit}"])
        guard sha.succeeded else { throw failure("cannot resolve \(remote)/\(branch)", sha) }
        return sha.text
    }

    /// The baseline's bytes in `commit`, or nil when the commit has no such file.
    func file(in commit: String) -> [UInt8]? {
        guard git(["cat-file", "-t", "\(commit):\(path)"]).text == "blob" else { return nil }
        let blob = git(["cat-file", "blob", "\(commit):\(path)"])
        return blob.succeeded ? blob.stdout : nil
    }

    /// Every file's path in `commit`.
    func files(in commit: String) -> [String] {
        git(["ls-tree", "-r", "--name-only", commit]).text.split(separator: "\n").map(String.init)
    }

    func short(_ commit: String) -> String { git(["rev-parse", "--short", commit]).text }

    /// The first part of `path` here that is a symbolic link, if any: the checkout may come from a
    /// pull request, and the baseline must not be written anywhere else on the machine.
    func linkOnPath() -> String? {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + part
            var info = stat()
            if lstat(prefix, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { return prefix }
        }
        return nil
    }

    /// Replaces the branch with one parentless commit holding `file` at `path` (the tree of `base`
    /// with the file replaced), pushed with a lease on `base` (create-only when nil). Returns the
    /// new commit, or nil when nothing changed; throws `Lost` when the push was refused.
    func replace(base: String?, with file: String, name: String, email: String) throws -> String? {
        let blob = git(["hash-object", "-w", "--no-filters", file])
        guard blob.succeeded else { throw failure("cannot store \(path) in the object database", blob) }
        let index = file + ".index"
        defer { unlink(index) }
        let indexed = ["GIT_INDEX_FILE": index]
        let started = git(["read-tree"] + (base.map { [$0] } ?? ["--empty"]), extra: indexed)
        guard started.succeeded else { throw failure("cannot start the tree", started) }
        let added = git(["update-index", "--add", "--cacheinfo", "100644,\(blob.text),\(path)"], extra: indexed)
        guard added.succeeded else { throw failure("cannot add \(path) to the tree", added) }
        let tree = git(["write-tree"], extra: indexed)
        guard tree.succeeded else { throw failure("cannot write the tree", tree) }
        if let base, git(["rev-parse", base + "^{tree}"]).text == tree.text,
            !git(["cat-file", "-p", base]).text.split(separator: "\n").contains(where: { $0.hasPrefix("parent ") })
        {
            return nil
        }
        let identity = [
            "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        ]
        let commit = git(["commit-tree", "--no-gpg-sign", "-m", Self.message, tree.text], extra: identity)
        guard commit.succeeded else { throw failure("cannot create the commit", commit) }
        // The lease: the remote branch must still be the commit read (or still be absent).
        let pushed = git([
            "push", "--quiet", "--force-with-lease=refs/heads/\(branch):\(base ?? "")", remote,
            "\(commit.text):refs/heads/\(branch)",
        ])
        guard pushed.succeeded else { throw Lost(said: pushed.stderr) }
        return commit.text
    }

    /// A push the remote refused: the branch moved meanwhile (or the remote said no).
    struct Lost: Error {
        var said: String
    }
}

/// Base64, for the authorization header of a token.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
