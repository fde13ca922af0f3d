import RedlineModel
import RedlinePolicy

/// The bookkeeping of `check --rerun`: while the judgement has suspects (gated metrics that
/// regressed or are inconclusive) and runs are left, one more run is due; each run is judged
/// with all the runs before it, and the record says which suspects each rerun settled. The
/// executable runs the command and reads the files; this decides when and keeps the count.
public struct RerunLoop {
    /// The most runs in all, the first included.
    public let limit: Int
    /// The reruns so far, oldest first.
    public private(set) var reruns: [MetricSet] = []
    /// The judgement of every run so far.
    public private(set) var judgement: Judgement
    private var suspects: [String]
    private var settled: [[String]] = []

    /// The loop after the first run, judged as `first`.
    public init(first: Judgement, limit: Int) {
        (self.judgement, self.limit, self.suspects) = (first, limit, first.suspects)
    }

    /// Why the next rerun is due (its number, the runs it may use and the suspects, the first
    /// five named), or nil when none is: no suspect is left, or no run.
    public var nextRerun: String? {
        guard !suspects.isEmpty && 1 + reruns.count < limit else { return nil }
        let names =
            suspects.prefix(5).joined(separator: ", ") + (suspects.count > 5 ? " and \(suspects.count - 5) more" : "")
        return
            "rerun \(reruns.count + 1) of \(limit - 1): \(suspects.count) suspect\(suspects.count == 1 ? "" : "s") (\(names))"
    }

    /// Adds a rerun and judges all runs again with `judge` (given every rerun so far).
    public mutating func add(_ rerun: MetricSet, judge: ([MetricSet]) throws -> Judgement) rethrows {
        reruns.append(rerun)
        judgement = try judge(reruns)
        let now = Set(judgement.suspects)
        settled.append(suspects.filter { !now.contains($0) })
        suspects = judgement.suspects
    }

    /// The last judgement with the record of its reruns.
    public var result: Judgement {
        judgement.recording(RerunRecord(used: 1 + reruns.count, limit: limit, settled: settled, remaining: suspects))
    }
}

extension Policy {
    /// The acceptances to delete from budgets.json (`validate` lists them): every expired one,
    /// in rule order, then the ones `judgement` shows spent (the baseline has absorbed the
    /// regression) when a run was judged.
    public func staleAcceptances(today: String, judgement: Judgement?) -> [AcceptanceStatus] {
        let expired = rules.flatMap { rule in
            rule.accept.filter { $0.isExpired(today: today) }.map {
                AcceptanceStatus(rule: rule.key, metric: rule.key, acceptance: $0, state: .expired)
            }
        }
        return expired + (judgement?.acceptances.filter { $0.state == .spent } ?? [])
    }
}
