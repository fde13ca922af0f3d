import RedlineCore

/// `redline baseline fetch`: read the baseline from a data branch, for `check`.
struct BaselineFetch: Command {
    static let branch = OptionSpec.text(
        "branch", "BRANCH", "the data branch that holds the baselines, e.g. redline-baselines")
    static let remote = OptionSpec.text(
        "remote", "NAME", defaultText: "REDLINE_REMOTE, else origin", "the git remote")

    static let spec = CommandSpec(
        words: ["baseline", "fetch"],
        summary: "copy the baseline from a data branch (git) to its path here, for check",
        details: """
            Copies --baseline (default baselines/main.json) from the remote's --branch to the same path
            here, read with `git cat-file` (the working tree's other files, the index, HEAD and local
            branches are untouched; only refs/remotes/REMOTE/BRANCH is fetched), without the repository's
            hooks. It never pushes, so a read-only token is enough, for forks too: REDLINE_GIT_TOKEN is
            sent when the checkout kept no credentials. No branch yet (the first run), or a branch
            without the file, is no error: the checked-out file is used, or there is no baseline and
            every metric is new; but a path that is a slip away from a file the branch has is exit 2 with
            that file's name (a typo must not pass as a first run). A remote that cannot be read is exit 2: a gate must not pass because it
            could not read its baseline. Outside a git repository, or without the remote, it warns and
            leaves the file as it is. The path must be plain and relative, from the top of the checkout,
            and is never written through a symbolic link.
            """,
        options: [branch, SharedOptions.baseline, remote])

    let branchName: String
    let remoteName: String?
    let path: String

    init(_ options: ParsedOptions) throws {
        guard let name = options.text(Self.branch) else { throw options.usageError("--branch BRANCH is required") }
        branchName = name
        remoteName = options.text(Self.remote)
        path = options.defaultedText(SharedOptions.baseline)
    }

    func run(_ environment: Environment) throws -> Int32 {
        let data = try DataBranch(
            branch: branchName, remote: remoteName, path: path, environment: environment.variables)
        if let problem = data.repositoryProblem() {
            Terminal.warning(
                "\(problem): no baseline is read from branch \(branchName)", inActions: environment.inActions)
            return 0
        }
        let here = FileSystem.exists(path) ? "the checked-out \(path) is used" : "no baseline yet: every metric is new"
        guard let commit = try data.read() else {
            Terminal.out("redline: no branch \(branchName) on \(data.remote): \(here).\n")
            return 0
        }
        guard let bytes = data.file(in: commit) else {
            // The branch has baselines, but not this one: a mistyped path must not pass as a first run.
            if let near = Self.nearest(to: path, among: data.files(in: commit)) {
                throw RedlineError(
                    file: path, message: "\(data.remote)/\(branchName) (\(data.short(commit))) has no such baseline",
                    hint: "did you mean \(near)?")
            }
            Terminal.out("redline: \(data.remote)/\(branchName) (\(data.short(commit))) has no \(path): \(here).\n")
            return 0
        }
        if let link = data.linkOnPath() {
            throw RedlineError(file: link, message: "is a symbolic link; \(path) is not written through it")
        }
        try FileSystem.writeAtomically(String(decoding: bytes, as: UTF8.self), to: path)
        Terminal.out("redline: baseline \(path) from \(data.remote)/\(branchName) (\(data.short(commit))).\n")
        return 0
    }

    /// The branch's file that `path` most likely meant: a name a slip away in the same folder, or
    /// the same name in a folder a slip away (`baseline/main.json` for `baselines/main.json`).
    static func nearest(to path: String, among files: [String]) -> String? {
        func split(_ path: String) -> (folder: String, name: String) {
            guard let slash = path.lastIndex(of: "/") else { return ("", path) }
            return (String(path[..<slash]), String(path[path.index(after: slash)...]))
        }
        let (folder, name) = split(path)
        let parts = files.map(split)
        if let near = Suggestion.nearest(to: name, among: parts.filter { $0.folder == folder }.map(\.name)) {
            return folder.isEmpty ? near : folder + "/" + near
        }
        return Suggestion.nearest(to: folder, among: parts.filter { $0.name == name }.map(\.folder)).map {
            $0 + "/" + name
        }
    }
}
