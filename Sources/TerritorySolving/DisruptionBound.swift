import TerritoryCore

/// A lower bound on how much must change territory, against the problem's baseline, for the
/// balance bands to be met — in units, or in the budget's measure for a budget on a measure —
/// with the reasons behind it.
public struct MovesNeeded: Sendable {
    /// What units of removed territories weigh: they move in every plan.
    public var forced: Double
    /// The bound: `forced` plus what the bands force out of, or into, kept territories.
    public var atLeast: Double
    /// The binding reasons, one sentence each (largest first).
    public var reasons: [String]
    /// "37 units" or "1234.5 revenue".
    public var describe: String
}

/// Integers plain, others with up to 3 decimals.
public func fmtAmount(_ x: Double) -> String { fmtNumber(x) }

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
    // What a moved unit weighs: 1, or its value of the budget's measure.
    var budgetMeasure: Int?
    if case .fractionOfMeasure(let m, _)? = problem.disruptionBudget { budgetMeasure = m }
    let weight: [Double] = budgetMeasure.map { problem.units.measures[$0].values } ?? Array(repeating: 1, count: n)
    let unitName = budgetMeasure.map { problem.units.measures[$0].name } ?? "units"
    func amount(_ x: Double) -> String { fmtNumber(x) + " " + unitName }
    var labelIndex: [String: Int] = [:]
    for (t, spec) in problem.territories.enumerated() { labelIndex[spec.label] = t }
    // home[i]: territory today (-1 none, -2 removed).
    let home: [Int] = (0..<n).map { i in
        guard i < baseline.assignment.count, baseline.assignment[i] >= 0 else { return -1 }
        return labelIndex[baseline.labels[Int(baseline.assignment[i])]] ?? -2
    }
    let forcedUnits = home.filter { $0 == -2 }.count
    let forced = (0..<n).filter { home[$0] == -2 }.reduce(0.0) { $0 + weight[$1] }
    let forcedReason = forcedUnits > 0 ? ["\(forcedUnits) units belong to territories that no longer exist" + (budgetMeasure == nil ? "" : " (\(amount(forced)))")] : []
    var best = MovesNeeded(forced: forced, atLeast: forced, reasons: forcedReason, describe: amount(forced))
    for requirement in problem.balance {
        // With a budget on another measure, the bands say nothing about it.
        if let budgetMeasure, budgetMeasure != requirement.measure { continue }
        let measure = problem.units.measures[requirement.measure]
        let values = measure.values
        let total = measure.total
        var kept = Array(repeating: 0.0, count: k)
        var members = Array(repeating: [Double](), count: k)
        var freeSupply = 0.0
        for i in 0..<n {
            if home[i] >= 0 { kept[home[i]] += values[i]; members[home[i]].append(values[i]) } else { freeSupply += values[i] }
        }
        // Units: the fewest units covering an amount; a budget on this measure: the amount itself.
        func cost(_ need: Double, _ pool: [Double]) -> Double {
            budgetMeasure == nil ? Double(largestCountCovering(need, pool)) : need
        }
        var leave = 0.0, deficit = 0.0
        var worst: (String, Double)?
        for t in 0..<k {
            let upper = requirement.upperBound(t, total: total, k: k)
            let lower = requirement.lowerBound(t, total: total, k: k)
            if kept[t] > upper * (1 + 1e-12) {
                let need = kept[t] - upper
                let c = cost(need, members[t])
                leave += c
                if worst == nil || need > worst!.1 {
                    worst = ("\(problem.territories[t].label) holds \(fmtNumber(kept[t])) \(measure.name) today, its upper bound is \(fmtNumber(upper)): at least \(amount(c)) must leave", need)
                }
            } else if kept[t] < lower {
                deficit += lower - kept[t]
                if worst == nil || lower - kept[t] > worst!.1 {
                    worst = ("\(problem.territories[t].label) holds \(fmtNumber(kept[t])) \(measure.name) today, its lower bound is \(fmtNumber(lower))", lower - kept[t])
                }
            }
        }
        let extraNeed = deficit - freeSupply
        var gain = 0.0
        if extraNeed > 1e-12 * max(1, total) {
            gain = cost(extraNeed, (0..<n).filter { home[$0] >= 0 }.map { values[$0] })
        }
        let bound = forced + max(leave, gain)
        if bound > best.atLeast * (1 + 1e-12) {
            var reasons = forcedReason
            if leave >= gain {
                reasons.append("\(measure.name): \(amount(leave)) must leave territories above their bands")
            } else {
                reasons.append("\(measure.name): territories below their bands lack \(fmtNumber(deficit)) in all, units of removed territories and new units supply \(fmtNumber(freeSupply)), so at least \(amount(gain)) more must move")
            }
            if let worst { reasons.append("e.g. " + worst.0) }
            best = MovesNeeded(forced: forced, atLeast: bound, reasons: reasons, describe: amount(bound))
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
