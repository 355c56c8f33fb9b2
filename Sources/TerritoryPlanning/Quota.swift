import TerritoryCore
import TerritoryEvaluation

/// One territory's share of a company quota.
public struct QuotaShare: Sendable, Equatable {
    public var label: String
    /// The territory's share of the driver (0…1).
    public var share: Double
    /// Its quota, rounded to whole units; the shares add up to the total exactly.
    public var quota: Double
}

/// Splits `total` across the plan's territories in proportion to `potential` (a measure index),
/// optionally blended with `history` (another measure, e.g. last year's sales):
/// `share_t = blend · P_t / ΣP + (1 − blend) · H_t / ΣH`. Quotas are rounded to whole units by
/// largest remainder, so they add up to `total` exactly. Territories get equal shares when
/// the drivers are all zero. O(n + k log k).
public func splitQuota(_ total: Double, plan: Plan, problem: DesignProblem, potential: Int, history: Int? = nil, blend: Double = 1) -> [QuotaShare] {
    precondition(blend >= 0 && blend <= 1, "blend lies in 0…1")
    let k = plan.k
    func shares(_ m: Int) -> [Double] {
        var sums = Array(repeating: 0.0, count: k)
        let values = problem.units.measures[m].values
        for (i, t) in plan.assignment.enumerated() where t >= 0 { sums[Int(t)] += values[i] }
        let sum = sums.reduce(0, +)
        return sum > 0 ? sums.map { $0 / sum } : Array(repeating: 1 / Double(k), count: k)
    }
    var share = shares(potential)
    if let history, blend < 1 {
        let h = shares(history)
        share = (0..<k).map { blend * share[$0] + (1 - blend) * h[$0] }
    }
    let whole = total.rounded()
    let raw = share.map { $0 * whole }
    var quotas = raw.map { $0.rounded(.down) }
    var left = Int(whole - quotas.reduce(0, +))
    // Largest remainders first; ties by territory order, so the split is deterministic.
    let order = (0..<k).sorted { (raw[$0] - quotas[$0], -$0) > (raw[$1] - quotas[$1], -$1) }
    for t in order where left > 0 {
        quotas[t] += 1
        left -= 1
    }
    return (0..<k).map { QuotaShare(label: plan.labels[$0], share: share[$0], quota: quotas[$0]) }
}
