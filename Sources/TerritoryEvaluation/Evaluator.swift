import TerritoryCore

/// The one evaluation module: scores every plan the same way, whichever solver made it.
public enum Evaluator {
    /// Relative slack when checking bounds, so values exactly on a bound pass despite rounding.
    public static let boundSlack = 1e-9

    /// Evaluates `plan` (aligned to `problem`: same k, same units) against every metric and
    /// requirement of the problem.
    ///
    /// - Parameter baseline: the plan to measure disruption against; defaults to `problem.baseline`.
    /// - Complexity: O(n + m) plus one medoid per free-center territory (O(n_t log n_t) typical on
    ///   coordinate metrics); territories are evaluated in parallel.
    public static func evaluate(_ plan: Plan, in problem: DesignProblem, baseline: Plan? = nil) -> Evaluation {
        precondition(plan.k == problem.k, "align the plan to the problem first (plan k = \(plan.k), problem k = \(problem.k))")
        precondition(plan.unitCount == problem.unitCount, "plan and problem cover different units")
        let k = problem.k
        let units = problem.units
        let members = plan.members()
        let measureCount = units.measures.count

        // Per-territory travel and centers, in parallel (medoids dominate the cost).
        let distances = problem.distances
        let weights = units.weights
        let centerOverrides = plan.centers
        let fixedCenters = problem.territories.map(\.center)
        let perTerritory = parallelMap(k) { t -> (travel: Double, center: Center?, isMedoid: Bool) in
            let list = members[t]
            if list.isEmpty { return (0, centerOverrides[t] ?? fixedCenters[t], false) }
            if let fixed = centerOverrides[t] ?? fixedCenters[t] {
                return (travel(of: list, to: fixed, distances: distances, weights: weights), fixed, false)
            }
            let m = medoid(of: list, distances: distances, weights: weights)!
            return (m.cost, .unit(m.unit), true)
        }

        // Measure totals per territory.
        var totals = [[Double]](repeating: [Double](repeating: 0, count: measureCount), count: k)
        for (a, measure) in units.measures.enumerated() {
            for t in 0..<k {
                var sum = 0.0
                for i in members[t] { sum += measure.values[Int(i)] }
                totals[t][a] = sum
            }
        }

        let pieces: [Int]? = problem.adjacency.map { connectedPieces(members: members, assignment: plan.assignment, adjacency: $0) }

        var violations: [Violation] = []
        let unassigned = plan.assignment.indices.filter { plan.assignment[$0] < 0 }
        if !unassigned.isEmpty {
            violations.append(Violation(
                kind: .unassignedUnits, amount: Double(unassigned.count),
                message: "\(unassigned.count) unit\(unassigned.count == 1 ? " is" : "s are") unassigned (\(examples(unassigned, units)))"))
        }
        var empty = 0
        for t in 0..<k where members.count(t) == 0 {
            empty += 1
            violations.append(Violation(
                kind: .emptyTerritory, territory: plan.labels[t], amount: 1,
                message: "territory \(plan.labels[t]) has no units"))
        }

        // Balance: every measure is reported; required ones are checked.
        var balance: [MeasureBalance] = []
        let measureTotals = units.measures.map(\.total)
        for a in 0..<measureCount {
            let requirement = problem.balance.last { $0.measure == a }
            let total = measureTotals[a]
            var maxDeviation: Double? = 0
            var lo = Double.infinity, hi = -Double.infinity
            for t in 0..<k {
                let value = totals[t][a]
                lo = min(lo, value)
                hi = max(hi, value)
                let target = requirement?.target(t, total: total, k: k) ?? total / Double(k)
                if target == 0 {
                    maxDeviation = nil
                } else if let d = maxDeviation {
                    maxDeviation = max(d, abs(value - target) / abs(target))
                }
            }
            balance.append(MeasureBalance(
                name: units.measures[a].name, total: total, maxDeviation: maxDeviation,
                minimum: lo, maximum: hi, requirement: requirement))
        }
        for requirement in problem.balance {
            let a = requirement.measure
            let name = units.measures[a].name
            let total = measureTotals[a]
            for t in 0..<k {
                let value = totals[t][a]
                let target = requirement.target(t, total: total, k: k)
                if requirement.tolerance != nil {
                    let lower = requirement.lowerBound(t, total: total, k: k)
                    let upper = (1 + requirement.tolerance!) * target
                    if value < lower - boundSlack * max(1, abs(lower)) {
                        violations.append(Violation(
                            kind: .belowBand, territory: plan.labels[t], measure: name, amount: lower - value,
                            message: "territory \(plan.labels[t]): \(name) \(fmt(value)) is below the band's lower bound \(fmt(lower)) by \(fmt(lower - value)) (\(pct((lower - value) / target)) of target)"))
                    }
                    if value > upper + boundSlack * max(1, abs(upper)) {
                        violations.append(Violation(
                            kind: .aboveBand, territory: plan.labels[t], measure: name, amount: value - upper,
                            message: "territory \(plan.labels[t]): \(name) \(fmt(value)) is above the band's upper bound \(fmt(upper)) by \(fmt(value - upper)) (\(pct((value - upper) / target)) of target)"))
                    }
                }
                if let cap = requirement.capacities?[t], value > cap + boundSlack * max(1, abs(cap)) {
                    violations.append(Violation(
                        kind: .aboveCapacity, territory: plan.labels[t], measure: name, amount: value - cap,
                        message: "territory \(plan.labels[t]): \(name) \(fmt(value)) exceeds the capacity \(fmt(cap)) by \(fmt(value - cap))"))
                }
            }
        }

        if problem.requiresContiguity, let pieces {
            for t in 0..<k where pieces[t] > 1 {
                violations.append(Violation(
                    kind: .noncontiguous, territory: plan.labels[t], amount: Double(pieces[t] - 1),
                    message: "territory \(plan.labels[t]) is not contiguous: it falls into \(pieces[t]) pieces"))
            }
        }

        // Skills: a unit's segment must be served by its territory.
        if let segments = units.segments {
            var offenders: [Int] = []
            for i in 0..<units.count where plan.assignment[i] >= 0 && !segments[i].isEmpty {
                if let allowed = problem.territories[Int(plan.assignment[i])].allowedSegments, !allowed.contains(segments[i]) {
                    offenders.append(i)
                }
            }
            if !offenders.isEmpty {
                violations.append(Violation(
                    kind: .segmentNotServed, amount: Double(offenders.count),
                    message: "\(offenders.count) unit\(offenders.count == 1 ? " is" : "s are") in a territory that does not serve \(offenders.count == 1 ? "its" : "their") segment (\(examples(offenders, units)))"))
            }
        }

        // Disruption against the baseline, and locks against today's territories.
        let baselinePlan = baseline ?? problem.baseline
        var disruption: Disruption?
        if let baselinePlan {
            disruption = measureDisruption(plan: plan, baseline: baselinePlan, units: units, byLabelOnly: problem.territoriesAreNamed)
            if let budget = problem.disruptionBudget {
                switch budget {
                case .units, .fractionOfUnits:
                    let allowed = budget.maxMoved(unitCount: units.count)
                    if disruption!.moved > allowed {
                        violations.append(Violation(
                            kind: .disruptionBudget, amount: Double(disruption!.moved - allowed),
                            message: "\(disruption!.moved) units changed territory, the budget allows \(allowed) (over by \(disruption!.moved - allowed))"))
                    }
                case .fractionOfMeasure(let m, _):
                    let limit = budget.allowance(in: units).limit
                    let movedAmount = disruption!.movedShare[m] * units.measures[m].total
                    if movedAmount > limit * (1 + 1e-9) + 1e-9 {
                        let name = units.measures[m].name
                        violations.append(Violation(
                            kind: .disruptionBudget, measure: name, amount: movedAmount - limit,
                            message: "the units that changed territory carry \(formatFixed(movedAmount, decimals: 3)) \(name), the budget allows \(formatFixed(limit, decimals: 3)) (over by \(formatFixed(movedAmount - limit, decimals: 3)))"))
                    }
                }
            }
        }
        if let locked = units.locked, let current = units.currentTerritory, locked.contains(true) {
            let today = planFromLabels(current)
            let labels = matchTerritories(of: plan, to: today, measure: units.measures.first?.values, byLabelOnly: problem.territoriesAreNamed).labels
            var broken: [Int] = []
            for i in 0..<units.count where locked[i] {
                let t = Int(plan.assignment[i])
                if t < 0 || labels[t] != current[i] { broken.append(i) }
            }
            if !broken.isEmpty {
                violations.append(Violation(
                    kind: .lockBroken, amount: Double(broken.count),
                    message: "\(broken.count) locked unit\(broken.count == 1 ? " left its" : "s left their") territory (\(examples(broken, units)))"))
            }
        }

        let territories = (0..<k).map { t in
            TerritoryMetrics(
                label: plan.labels[t], unitCount: members.count(t), totals: totals[t],
                travel: perTerritory[t].travel, center: members.count(t) == 0 ? nil : perTerritory[t].center,
                centerIsMedoid: perTerritory[t].isMedoid, centerIsFixedByProblem: t < fixedCenters.count && fixedCenters[t] != nil,
                pieces: pieces?[t])
        }
        // Sum in territory order so every caller gets the identical figure.
        let travelTotal = territories.reduce(0) { $0 + $1.travel }
        return Evaluation(
            k: k, unitCount: units.count, travel: travelTotal, territories: territories, balance: balance,
            noncontiguous: pieces.map { p in p.filter { $0 > 1 }.count },
            cutEdges: problem.adjacency.map { countCutEdges(plan.assignment, $0) }, emptyTerritories: empty,
            unassignedUnits: unassigned.count, disruption: disruption, violations: violations)
    }

    static func measureDisruption(plan: Plan, baseline: Plan, units: UnitTable, byLabelOnly: Bool) -> Disruption {
        let match = matchTerritories(of: plan, to: baseline, measure: units.measures.first?.values, byLabelOnly: byLabelOnly)
        var moved = 0, newUnits = 0
        var movedShare = [Double](repeating: 0, count: units.measures.count)
        for i in 0..<units.count {
            let b = Int(baseline.assignment[i])
            guard b >= 0 else { newUnits += 1; continue }
            let t = Int(plan.assignment[i])
            let label = t >= 0 ? match.labels[t] : nil
            if label != baseline.labels[b] {
                moved += 1
                for (a, m) in units.measures.enumerated() { movedShare[a] += m.values[i] }
            }
        }
        for (a, m) in units.measures.enumerated() {
            let total = m.total
            movedShare[a] = total == 0 ? 0 : movedShare[a] / total
        }
        return Disruption(
            moved: moved, newUnits: newUnits, movedShare: movedShare,
            matchedByOverlap: match.byOverlap, baselineLabels: match.labels)
    }
}

/// Adjacency pairs joining different territories (unassigned units count as their own). O(m).
func countCutEdges(_ assignment: [Int32], _ adjacency: Adjacency) -> Int {
    var cut = 0
    for i in 0..<adjacency.unitCount {
        for j in adjacency.neighbours(of: i) where Int(j) > i && (assignment[i] != assignment[Int(j)] || assignment[i] < 0) {
            cut += 1
        }
    }
    return cut
}

/// Number of connected pieces of every territory in the adjacency graph. O(n + m).
func connectedPieces(members: TerritoryMembers, assignment: [Int32], adjacency: Adjacency) -> [Int] {
    var seen = [Bool](repeating: false, count: assignment.count)
    var stack: [Int] = []
    var pieces = [Int](repeating: 0, count: members.k)
    for t in 0..<members.k {
        for start in members[t] where !seen[Int(start)] {
            pieces[t] += 1
            seen[Int(start)] = true
            stack.append(Int(start))
            while let u = stack.popLast() {
                for v in adjacency.neighbours(of: u) where !seen[Int(v)] && assignment[Int(v)] == Int32(t) {
                    seen[Int(v)] = true
                    stack.append(Int(v))
                }
            }
        }
    }
    return pieces
}

/// Up to five unit ids, then "… and N more".
func examples(_ indices: [Int], _ units: UnitTable) -> String {
    let shown = indices.prefix(5).map { units.ids[$0] }.joined(separator: ", ")
    return indices.count > 5 ? shown + ", … and \(indices.count - 5) more" : shown
}

/// A number for messages: integers without decimals; others rounded (1 decimal from 1000 up,
/// 3 from 1, 6 below) with trailing zeros dropped.
public func fmt(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    let magnitude = abs(x)
    let decimals = magnitude >= 1000 ? 1 : magnitude >= 1 ? 3 : 6
    var text = formatFixed(x, decimals: decimals)
    guard text.contains(".") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

/// `x` as a percentage with two decimals: `0.0123` → `1.23 %`.
public func pct(_ x: Double) -> String { formatFixed(x * 100, decimals: 2) + " %" }

/// Fixed-point formatting without Foundation.
public func formatFixed(_ x: Double, decimals: Int) -> String {
    guard x.isFinite else { return String(x) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    guard scaled < 9e18 else { return String(x) }
    let whole = UInt64(scaled)
    let p = UInt64(scale)
    let intPart = whole / p
    var frac = String(whole % p)
    while frac.count < decimals { frac = "0" + frac }
    let sign = x < 0 && whole != 0 ? "-" : ""
    return decimals == 0 ? "\(sign)\(intPart)" : "\(sign)\(intPart).\(frac)"
}
