import TerritoryCore

/// A realignment report: what changes between plan `before` and plan `after` of one problem.
public struct PlanComparison: Sendable {
    public struct TerritoryChange: Sendable {
        /// The territory's label in `after` (nil when it exists only before).
        public var label: String?
        /// The `before` label it stands for (nil for a new territory).
        public var beforeLabel: String?
        public var unitsBefore: Int
        public var unitsAfter: Int
        /// Totals of every measure before and after, in measure order.
        public var totalsBefore: [Double]
        public var totalsAfter: [Double]
        public var travelBefore: Double
        public var travelAfter: Double
        /// Units gained and lost, and the measures they carry.
        public var gained: Int
        public var lost: Int
        public var gainedTotals: [Double]
        public var lostTotals: [Double]
    }

    public struct Move: Sendable {
        public var unit: Int
        public var from: String
        public var to: String
    }

    public var before: Evaluation
    public var after: Evaluation
    public var territories: [TerritoryChange]
    /// Every unit whose territory changed, in unit order.
    public var moves: [Move]
    /// Whether `after`'s territories were matched to `before`'s labels by overlap.
    public var matchedByOverlap: Bool
}

/// Compares two plans of the same problem (both aligned to it). Territories of `after` are
/// matched to `before`'s labels as for disruption (same label, else maximum overlap of the first
/// measure). O(n + k³) for the matching.
public func compare(_ before: Plan, _ after: Plan, in problem: DesignProblem) -> PlanComparison {
    let evaluationBefore = Evaluator.evaluate(before, in: problem.reshaped(for: before))
    let evaluationAfter = Evaluator.evaluate(after, in: problem.reshaped(for: after), baseline: before)
    let match = matchTerritories(of: after, to: before, measure: problem.units.measures.first?.values, byLabelOnly: problem.territoriesAreNamed)
    let measures = problem.units.measures
    let m = measures.count
    var beforeIndex: [String: Int] = [:]
    for (t, label) in before.labels.enumerated() { beforeIndex[label] = t }
    // Rows: every territory of `after`, then territories of `before` nobody stands for.
    var rows: [PlanComparison.TerritoryChange] = []
    var rowOfBefore = [Int](repeating: -1, count: before.k)
    for t in 0..<after.k {
        let b = match.labels[t].flatMap { beforeIndex[$0] }
        if let b { rowOfBefore[b] = rows.count }
        rows.append(PlanComparison.TerritoryChange(
            label: after.labels[t], beforeLabel: match.labels[t],
            unitsBefore: b.map { evaluationBefore.territories[$0].unitCount } ?? 0, unitsAfter: evaluationAfter.territories[t].unitCount,
            totalsBefore: b.map { evaluationBefore.territories[$0].totals } ?? Array(repeating: 0, count: m),
            totalsAfter: evaluationAfter.territories[t].totals,
            travelBefore: b.map { evaluationBefore.territories[$0].travel } ?? 0, travelAfter: evaluationAfter.territories[t].travel,
            gained: 0, lost: 0, gainedTotals: Array(repeating: 0, count: m), lostTotals: Array(repeating: 0, count: m)))
    }
    for b in 0..<before.k where rowOfBefore[b] < 0 {
        rowOfBefore[b] = rows.count
        rows.append(PlanComparison.TerritoryChange(
            label: nil, beforeLabel: before.labels[b], unitsBefore: evaluationBefore.territories[b].unitCount, unitsAfter: 0,
            totalsBefore: evaluationBefore.territories[b].totals, totalsAfter: Array(repeating: 0, count: m),
            travelBefore: evaluationBefore.territories[b].travel, travelAfter: 0,
            gained: 0, lost: 0, gainedTotals: Array(repeating: 0, count: m), lostTotals: Array(repeating: 0, count: m)))
    }
    var moves: [PlanComparison.Move] = []
    for i in 0..<problem.unitCount {
        let b = Int(before.assignment[i]), t = Int(after.assignment[i])
        let fromLabel = b >= 0 ? before.labels[b] : nil
        let toStandsFor = t >= 0 ? match.labels[t] : nil
        guard fromLabel != toStandsFor || (b < 0) != (t < 0) else { continue }
        if b < 0 && t < 0 { continue }
        moves.append(PlanComparison.Move(unit: i, from: fromLabel ?? "(none)", to: t >= 0 ? after.labels[t] : "(none)"))
        if t >= 0 {
            rows[t].gained += 1
            for a in 0..<m { rows[t].gainedTotals[a] += measures[a].values[i] }
        }
        if b >= 0 {
            let r = rowOfBefore[b]
            rows[r].lost += 1
            for a in 0..<m { rows[r].lostTotals[a] += measures[a].values[i] }
        }
    }
    return PlanComparison(before: evaluationBefore, after: evaluationAfter, territories: rows, moves: moves, matchedByOverlap: match.byOverlap)
}

extension DesignProblem {
    /// This problem with the territories of `plan` — its k and labels, fixed centers and skills
    /// kept where labels match, per-territory shares and capacities kept only when k is unchanged
    /// — to score a plan whose territories differ from the problem's (today's plan in a what-if).
    /// Returns the problem unchanged when the plan's labels are its territories. O(k + r·k).
    public func reshaped(for plan: Plan) -> DesignProblem {
        if plan.k == k && (!territoriesAreNamed || plan.labels == territories.map(\.label)) { return self }
        var copy = self
        var specs: [String: TerritorySpec] = [:]
        for spec in territories { specs[spec.label] = spec }
        copy.k = plan.k
        copy.territories = plan.labels.map { specs[$0] ?? TerritorySpec(label: $0) }
        copy.territoriesAreNamed = false
        copy.disruptionBudget = nil
        for r in copy.balance.indices where plan.k != k {
            copy.balance[r].targetShares = nil
            if let cap = copy.balance[r].uniformCapacity {
                copy.balance[r].capacities = Array(repeating: cap, count: plan.k)
            } else if let caps = copy.balance[r].capacities {
                // Per-rep capacities follow their labels; others are uncapped.
                var byLabel: [String: Double] = [:]
                for (t, spec) in territories.enumerated() { byLabel[spec.label] = caps[t] }
                copy.balance[r].capacities = plan.labels.map { byLabel[$0] ?? .infinity }
            }
        }
        return copy
    }
}
