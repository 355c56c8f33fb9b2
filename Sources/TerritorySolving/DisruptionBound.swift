import TerritoryCore

/// A lower bound on how many units must change territory, against the problem's baseline, for
/// the balance bands to be met — with the reasons behind it.
public struct MovesNeeded: Sendable {
    /// Units whose territory no longer exists: they move in every plan.
    public var forced: Int
    /// The bound: `forced` plus the units the bands force out of, or into, kept territories.
    public var atLeast: Int
    /// The binding reasons, one sentence each (largest first).
    public var reasons: [String]
}

/// Bounds the moves any plan needs from today's plan (`problem.baseline`, matched to the
/// territories by label; unknown labels are territories that no longer exist).
///
/// Per balanced measure: a kept territory above its upper bound must lose its largest units
/// until it fits; the deficits of territories below their lower bounds, less what units of
/// removed territories and new units (which never count as extra moves) can supply, must be
/// filled with the largest units of other territories. The bound is `forced` plus the larger
/// of the two counts, maximised over measures. Returns nil without a baseline.
/// - Complexity: O(n log n · r) for r balanced measures.
public func movesNeeded(_ problem: DesignProblem) -> MovesNeeded? {
    guard let baseline = problem.baseline else { return nil }
    let k = problem.k, n = problem.unitCount
    var labelIndex: [String: Int] = [:]
    for (t, spec) in problem.territories.enumerated() { labelIndex[spec.label] = t }
    // home[i]: territory today (-1 none, -2 removed).
    let home: [Int] = (0..<n).map { i in
        guard i < baseline.assignment.count, baseline.assignment[i] >= 0 else { return -1 }
        return labelIndex[baseline.labels[Int(baseline.assignment[i])]] ?? -2
    }
    let forced = home.filter { $0 == -2 }.count
    var best = MovesNeeded(forced: forced, atLeast: forced, reasons: forced > 0
        ? ["\(forced) units belong to territories that no longer exist"] : [])
    for requirement in problem.balance {
        let measure = problem.units.measures[requirement.measure]
        let values = measure.values
        let total = measure.total
        var kept = Array(repeating: 0.0, count: k)
        var members = Array(repeating: [Double](), count: k)
        var freeSupply = 0.0
        for i in 0..<n {
            if home[i] >= 0 { kept[home[i]] += values[i]; members[home[i]].append(values[i]) } else { freeSupply += values[i] }
        }
        var leave = 0, deficit = 0.0
        var worst: (String, Double)?
        for t in 0..<k {
            let upper = requirement.upperBound(t, total: total, k: k)
            let lower = requirement.lowerBound(t, total: total, k: k)
            if kept[t] > upper * (1 + 1e-12) {
                let need = kept[t] - upper
                let count = largestCountCovering(need, members[t])
                leave += count
                if worst == nil || need > worst!.1 {
                    worst = ("\(problem.territories[t].label) holds \(fmtNumber(kept[t])) \(measure.name) today, its upper bound is \(fmtNumber(upper)): at least \(count) units must leave", need)
                }
            } else if kept[t] < lower {
                deficit += lower - kept[t]
                if worst == nil || lower - kept[t] > worst!.1 {
                    worst = ("\(problem.territories[t].label) holds \(fmtNumber(kept[t])) \(measure.name) today, its lower bound is \(fmtNumber(lower))", lower - kept[t])
                }
            }
        }
        let extraNeed = deficit - freeSupply
        var gain = 0
        if extraNeed > 1e-12 * max(1, total) {
            gain = largestCountCovering(extraNeed, (0..<n).filter { home[$0] >= 0 }.map { values[$0] })
        }
        let bound = forced + max(leave, gain)
        if bound > best.atLeast {
            var reasons = best.reasons.prefix(forced > 0 ? 1 : 0).map { $0 }
            if leave >= gain {
                reasons.append("\(measure.name): \(leave) units must leave territories above their bands")
            } else {
                reasons.append("\(measure.name): territories below their bands lack \(fmtNumber(deficit)) in all, units of removed territories and new units supply \(fmtNumber(freeSupply)), so at least \(gain) more units must move")
            }
            if let worst { reasons.append("e.g. " + worst.0) }
            best = MovesNeeded(forced: forced, atLeast: bound, reasons: reasons)
        }
    }
    return best
}

/// The fewest values (largest first) whose sum reaches `amount`; `values.count + 1` if even all
/// of them fall short (the requirement cannot be met by moves at all).
func largestCountCovering(_ amount: Double, _ values: [Double]) -> Int {
    guard amount > 0 else { return 0 }
    var sum = 0.0
    for (count, v) in values.sorted(by: >).enumerated() {
        sum += v
        if sum >= amount * (1 - 1e-12) { return count + 1 }
    }
    return values.count + 1
}
