import TerritoryCore

/// The change in the search objective caused by a move, before it is applied.
public struct ObjectiveDelta: Sendable, Hashable {
    /// Change in travel (distance units).
    public var travel: Double
    /// Change in the weighted band/capacity excess (see ``IncrementalEvaluator/penalty``).
    public var penalty: Double
    /// `travel + penalty`.
    @inlinable public var total: Double { travel + penalty }
}

/// Incremental evaluation for local search: keeps a plan's travel and balance excess up to date
/// under single-unit moves and two-unit swaps, and predicts the change of a move without
/// applying it.
///
/// Objective = travel + penalty, where
/// `penalty = Σ_requirements λ_r · Σ_t excess_{r,t} / T_{r,t}` and `excess` is how far `A_t`
/// lies outside `[lower, upper]` (zero inside). Weights `λ_r` are in travel units per unit of
/// relative excess, so a solver can raise them adaptively.
///
/// Two center modes:
/// - `.fixed`: each territory has a fixed center (rep home, chosen unit). Deltas are O(r) for r
///   balance requirements.
/// - `.medoid`: travel is measured to each territory's exact medoid. The state keeps, for every
///   unit m, `S(m) = Σ_{i in m's territory} w_i·d(i, m)`, so a move's delta is
///   O(n_a + n_b) (the two territories involved) and memory stays O(n).
public struct IncrementalEvaluator: Sendable {
    public enum CenterMode: Sendable {
        case fixed([Center])
        case medoid
    }

    public let problem: DesignProblem
    /// Whether travel is measured to exact medoids (else to `centerList`).
    public let medoidMode: Bool
    /// Fixed centers (fixed mode; empty in medoid mode).
    public private(set) var centerList: [Center]
    public private(set) var assignment: [Int32]
    /// `A_t` per requirement: `sums[r * k + t]`.
    public private(set) var sums: [Double]
    /// Travel of each territory.
    public private(set) var territoryTravel: [Double]
    public var travel: Double { territoryTravel.reduce(0, +) }
    /// Penalty weight per balance requirement (travel units per unit of relative excess).
    public private(set) var weights: [Double]
    public private(set) var penalty: Double

    // Bounds per requirement and territory (flattened like `sums`), and targets for scaling.
    @usableFromInline let lower: [Double]
    @usableFromInline let upper: [Double]
    @usableFromInline let scale: [Double]
    @usableFromInline let values: [[Double]]
    @usableFromInline let k: Int

    // Members of each territory (any order) and each unit's position in its list: O(1) moves.
    private var memberList: [[Int32]] = []
    private var position: [Int32] = []
    // Medoid mode only.
    private var memberSum: [Double] = []
    public private(set) var medoids: [Int] = []

    // Disruption budget: each unit's territory in today's plan (in this evaluator's territory
    // indices, -1 for none), the budget, and how many units are away from it now.
    @usableFromInline var home: [Int32] = []
    /// What each unit weighs against the budget (empty: 1 each), the allowance, and the weight
    /// that is away from home now.
    @usableFromInline var movedWeight: [Double] = []
    public private(set) var maxMoved = Double.infinity
    public private(set) var moved = 0.0
    @usableFromInline var budgetScale = 1.0
    public private(set) var disruptionWeight = 0.0
    /// Travel charged per moved unit (a soft disruption objective, in the penalty but never in
    /// the excess).
    public private(set) var disruptionPrice = 0.0

    public init(problem: DesignProblem, assignment: [Int32], centerMode: CenterMode, penaltyWeight: Double = 1) {
        precondition(assignment.count == problem.unitCount)
        precondition(assignment.allSatisfy { $0 >= 0 && Int($0) < problem.k }, "every unit must be assigned")
        self.problem = problem
        switch centerMode {
        case .fixed(let centers):
            precondition(centers.count == problem.k)
            self.medoidMode = false
            self.centerList = centers
        case .medoid:
            self.medoidMode = true
            self.centerList = []
        }
        self.assignment = assignment
        self.k = problem.k
        let reqs = problem.balance
        let totals = problem.measureTotals
        var lower: [Double] = [], upper: [Double] = [], scale: [Double] = []
        for r in reqs {
            for t in 0..<k {
                let total = totals[r.measure]
                lower.append(r.lowerBound(t, total: total, k: k))
                upper.append(r.upperBound(t, total: total, k: k))
                let target = r.target(t, total: total, k: k)
                scale.append(target > 0 ? 1 / target : 1)
            }
        }
        self.lower = lower
        self.upper = upper
        self.scale = scale
        self.values = reqs.map { problem.units.measures[$0.measure].values }
        self.weights = Array(repeating: penaltyWeight, count: reqs.count)
        self.sums = []
        self.territoryTravel = []
        self.penalty = 0
        rebuild()
    }

    /// Recomputes every cached quantity from `assignment`. O(n · r) plus the medoids.
    public mutating func rebuild() {
        let n = problem.unitCount
        sums = Array(repeating: 0, count: values.count * k)
        for (r, v) in values.enumerated() {
            for i in 0..<n { sums[r * k + Int(assignment[i])] += v[i] }
        }
        moved = 0
        if !home.isEmpty {
            for i in 0..<n where home[i] != -1 && home[i] != assignment[i] { moved += unitMovedWeight(i) }
        }
        recomputePenalty()
        let d = problem.distances
        let w = problem.units.weights
        memberList = Array(repeating: [], count: k)
        position = Array(repeating: 0, count: n)
        for i in 0..<n {
            let t = Int(assignment[i])
            position[i] = Int32(memberList[t].count)
            memberList[t].append(Int32(i))
        }
        if !medoidMode {
            territoryTravel = Array(repeating: 0, count: k)
            for i in 0..<n {
                let t = Int(assignment[i])
                territoryTravel[t] += (w?[i] ?? 1) * distanceToCenter(i, centerList[t])
            }
        } else {
            memberSum = Array(repeating: 0, count: n)
            territoryTravel = Array(repeating: 0, count: k)
            medoids = Array(repeating: -1, count: k)
            for t in 0..<k {
                let list = memberList[t]
                var best = (unit: -1, cost: Double.infinity)
                for m in list {
                    var s = 0.0
                    for i in list { s += (w?[Int(i)] ?? 1) * d(Int(i), Int(m)) }
                    memberSum[Int(m)] = s
                    if s < best.cost || (s == best.cost && Int(m) < best.unit) { best = (Int(m), s) }
                }
                medoids[t] = best.unit
                territoryTravel[t] = list.isEmpty ? 0 : best.cost
            }
        }
    }

    /// Replaces the fixed centers (e.g. after a location step) and recomputes travel. O(n).
    public mutating func setCenters(_ centers: [Center]) {
        precondition(centers.count == k)
        precondition(!medoidMode, "setCenters needs fixed-center mode")
        centerList = centers
        let w = problem.units.weights
        territoryTravel = Array(repeating: 0, count: k)
        for i in 0..<assignment.count {
            let t = Int(assignment[i])
            territoryTravel[t] += (w?[i] ?? 1) * distanceToCenter(i, centers[t])
        }
    }

    /// Moves the center of territory `t` and recomputes its travel. O(n_t).
    public mutating func setCenter(_ center: Center, of t: Int) {
        precondition(!medoidMode, "setCenter needs fixed-center mode")
        centerList[t] = center
        let w = problem.units.weights
        var sum = 0.0
        for i in memberList[t] { sum += (w?[Int(i)] ?? 1) * distanceToCenter(Int(i), center) }
        territoryTravel[t] = sum
    }

    /// The current fixed centers (nil in medoid mode).
    public var centers: [Center]? { medoidMode ? nil : centerList }

    /// The members of territory `t`, in no particular order. O(1).
    public func members(of t: Int) -> [Int32] { memberList[t] }

    /// Number of members of territory `t`. O(1).
    public func memberCount(_ t: Int) -> Int { memberList[t].count }

    /// `A_t` of requirement `r` for territory `t`.
    @inlinable public func sum(requirement r: Int, territory t: Int) -> Double { sums[r * k + t] }

    /// Lower and upper bound of requirement `r` for territory `t`.
    @inlinable public func bounds(requirement r: Int, territory t: Int) -> (lower: Double, upper: Double) {
        (lower[r * k + t], upper[r * k + t])
    }

    /// Relative excess of territory `t` over requirement `r`'s bounds (0 inside).
    @inlinable public func excess(requirement r: Int, territory t: Int) -> Double { excess(r, t, sums[r * k + t]) }

    /// Relative excess territory `t` would have over requirement `r` with `A_t = value`.
    @inlinable public func excessIf(requirement r: Int, territory t: Int, value: Double) -> Double { excess(r, t, value) }

    /// Number of territories.
    public var territoryCount: Int { k }

    /// Number of balance requirements tracked.
    public var requirementCount: Int { values.count }

    /// The value of requirement `r`'s measure for unit `i`.
    @inlinable public func value(requirement r: Int, unit i: Int) -> Double { values[r][i] }

    /// Sets the penalty weight of requirement `r` and updates the penalty. O(k).
    public mutating func setWeight(_ weight: Double, requirement r: Int) {
        weights[r] = weight
        recomputePenalty()
    }

    /// Tracks a disruption budget: the units away from `home` (each unit's territory today in
    /// this evaluator's indices; -1 for a unit without one, which never counts; -2 for a unit
    /// whose territory no longer exists, which always counts) may weigh at most `maxMoved` in
    /// all — each unit weighs `weights[i]` (nil: 1, a unit count). The relative excess
    /// (moved − budget) / max(budget, scale) is penalised with `weight` like a band. O(n).
    public mutating func setDisruptionBudget(home: [Int32], maxMoved: Double, weights: [Double]? = nil, weight: Double) {
        precondition(home.count == assignment.count)
        precondition(weights == nil || weights!.count == assignment.count)
        self.home = home
        self.maxMoved = maxMoved
        self.movedWeight = weights ?? []
        if let weights {
            let positive = weights.filter { $0 > 0 }
            budgetScale = positive.isEmpty ? 1 : positive.reduce(0, +) / Double(positive.count)
        } else {
            budgetScale = 1
        }
        self.disruptionWeight = weight
        moved = 0
        for i in 0..<assignment.count where home[i] != -1 && home[i] != assignment[i] { moved += unitMovedWeight(i) }
        recomputePenalty()
    }

    @inlinable func unitMovedWeight(_ i: Int) -> Double { movedWeight.isEmpty ? 1 : movedWeight[i] }

    /// Charges `price` travel units per unit away from home (call after
    /// ``setDisruptionBudget(home:maxMoved:weights:weight:)``). O(k·r).
    public mutating func setDisruptionPrice(_ price: Double) {
        disruptionPrice = price
        recomputePenalty()
    }

    /// Units away from home (what the price is charged on).
    public var movedUnits: Int {
        guard !home.isEmpty else { return 0 }
        var count = 0
        for i in 0..<assignment.count where home[i] != -1 && home[i] != assignment[i] { count += 1 }
        return count
    }

    /// Changes the disruption penalty weight.
    public mutating func setDisruptionWeight(_ weight: Double) {
        disruptionWeight = weight
        recomputePenalty()
    }

    /// Relative excess over the disruption budget (0 within it).
    @inlinable public func disruptionExcess(moved m: Double) -> Double {
        guard !home.isEmpty, m > maxMoved * (1 + 1e-12) + 1e-12 else { return 0 }
        return (m - maxMoved) / max(maxMoved, budgetScale)
    }

    private var updatesSinceRecompute = 0

    private mutating func recomputePenalty() {
        updatesSinceRecompute = 0
        penalty = 0
        for r in 0..<values.count {
            for t in 0..<k { penalty += weights[r] * excess(r, t, sums[r * k + t]) }
        }
        penalty += disruptionWeight * disruptionExcess(moved: moved)
        if disruptionPrice > 0 { penalty += disruptionPrice * Double(movedUnits) }
    }

    /// Change in the number of units away from home if `u` goes from `a` to `b`.
    @inlinable func movedUnitChange(_ u: Int, from a: Int, to b: Int) -> Int {
        guard !home.isEmpty, home[u] != -1 else { return 0 }
        return (Int32(b) != home[u] ? 1 : 0) - (Int32(a) != home[u] ? 1 : 0)
    }

    /// Change in the moved weight (units, or the budget measure) if `u` goes from `a` to `b`.
    @inlinable func movedChange(_ u: Int, from a: Int, to b: Int) -> Double {
        guard !home.isEmpty, home[u] != -1 else { return 0 }
        let change = (Int32(b) != home[u] ? 1 : 0) - (Int32(a) != home[u] ? 1 : 0)
        return change == 0 ? 0 : Double(change) * unitMovedWeight(u)
    }

    /// Relative excess of `value` outside requirement `r`'s bounds for territory `t`.
    @inlinable func excess(_ r: Int, _ t: Int, _ value: Double) -> Double {
        let j = r * k + t
        if value > upper[j] { return (value - upper[j]) * scale[j] }
        if value < lower[j] { return (lower[j] - value) * scale[j] }
        return 0
    }

    /// Unweighted total relative excess (0 means every band, capacity and the disruption
    /// budget are met).
    public var totalExcess: Double {
        var e = disruptionExcess(moved: moved)
        for r in 0..<values.count { for t in 0..<k { e += excess(r, t, sums[r * k + t]) } }
        return e
    }

    @inlinable func distanceToCenter(_ i: Int, _ c: Center) -> Double {
        switch c {
        case .unit(let u): return problem.distances(i, u)
        case .point(let p): return problem.distances(i, p)
        }
    }

    private func penaltyChange(removing u: Int, from a: Int, adding v: Int?, to b: Int) -> Double {
        // Unit u leaves a for b; optionally unit v leaves b for a (a swap).
        var change = 0.0
        for r in 0..<values.count {
            let val = values[r]
            let delta = val[u] - (v.map { val[$0] } ?? 0)
            if delta == 0 { continue }
            let oldA = sums[r * k + a], oldB = sums[r * k + b]
            change += weights[r] * (excess(r, a, oldA - delta) - excess(r, a, oldA)
                + excess(r, b, oldB + delta) - excess(r, b, oldB))
        }
        if !home.isEmpty {
            var m = moved + movedChange(u, from: a, to: b)
            if let v { m += movedChange(v, from: b, to: a) }
            change += disruptionWeight * (disruptionExcess(moved: m) - disruptionExcess(moved: moved))
            if disruptionPrice > 0 {
                var units = movedUnitChange(u, from: a, to: b)
                if let v { units += movedUnitChange(v, from: b, to: a) }
                change += disruptionPrice * Double(units)
            }
        }
        return change
    }

    /// The change of moving unit `u` to territory `b` (no-op when already there).
    /// - Complexity: O(r) fixed centers; O(n_a + n_b) medoids.
    public func delta(moving u: Int, to b: Int) -> ObjectiveDelta {
        let a = Int(assignment[u])
        if a == b { return ObjectiveDelta(travel: 0, penalty: 0) }
        let pen = penaltyChange(removing: u, from: a, adding: nil, to: b)
        if !medoidMode {
            let w = problem.units.weight(u)
            return ObjectiveDelta(travel: w * (distanceToCenter(u, centerList[b]) - distanceToCenter(u, centerList[a])), penalty: pen)
        } else {
            let newA = bestMedoid(of: a, removing: u, adding: nil).cost
            let newB = bestMedoid(of: b, removing: nil, adding: u).cost
            return ObjectiveDelta(travel: newA + newB - territoryTravel[a] - territoryTravel[b], penalty: pen)
        }
    }

    /// The change of swapping units `u` and `v` (in different territories).
    /// - Complexity: O(r) fixed centers; O(n_a + n_b) medoids.
    public func delta(swapping u: Int, _ v: Int) -> ObjectiveDelta {
        let a = Int(assignment[u]), b = Int(assignment[v])
        if a == b { return ObjectiveDelta(travel: 0, penalty: 0) }
        let pen = penaltyChange(removing: u, from: a, adding: v, to: b)
        if !medoidMode {
            let centers = centerList
            let wu = problem.units.weight(u), wv = problem.units.weight(v)
            let t = wu * (distanceToCenter(u, centers[b]) - distanceToCenter(u, centers[a]))
                + wv * (distanceToCenter(v, centers[a]) - distanceToCenter(v, centers[b]))
            return ObjectiveDelta(travel: t, penalty: pen)
        } else {
            let newA = bestMedoid(of: a, removing: u, adding: v).cost
            let newB = bestMedoid(of: b, removing: v, adding: u).cost
            return ObjectiveDelta(travel: newA + newB - territoryTravel[a] - territoryTravel[b], penalty: pen)
        }
    }

    /// Moves unit `u` to territory `b`.
    public mutating func move(_ u: Int, to b: Int) {
        let a = Int(assignment[u])
        guard a != b else { return }
        applyBalance(u, from: a, to: b)
        assignment[u] = Int32(b)
        if !medoidMode {
            let w = problem.units.weight(u)
            territoryTravel[a] -= w * distanceToCenter(u, centerList[a])
            territoryTravel[b] += w * distanceToCenter(u, centerList[b])
            detach(u, from: a)
            attach(u, to: b)
        } else {
            detach(u, from: a)
            updateMedoidState(removed: u, from: a, adding: nil)
            updateMedoidState(removed: nil, from: b, adding: u)
        }
    }

    /// Swaps the territories of units `u` and `v`.
    public mutating func swap(_ u: Int, _ v: Int) {
        let a = Int(assignment[u]), b = Int(assignment[v])
        guard a != b else { return }
        applyBalance(u, from: a, to: b)
        applyBalance(v, from: b, to: a)
        assignment[u] = Int32(b)
        assignment[v] = Int32(a)
        if !medoidMode {
            let centers = centerList
            let wu = problem.units.weight(u), wv = problem.units.weight(v)
            territoryTravel[a] += wv * distanceToCenter(v, centers[a]) - wu * distanceToCenter(u, centers[a])
            territoryTravel[b] += wu * distanceToCenter(u, centers[b]) - wv * distanceToCenter(v, centers[b])
            detach(u, from: a)
            detach(v, from: b)
            attach(v, to: a)
            attach(u, to: b)
        } else {
            detach(u, from: a)
            detach(v, from: b)
            updateMedoidState(removed: u, from: a, adding: v)
            updateMedoidState(removed: v, from: b, adding: u)
        }
    }

    private mutating func applyBalance(_ u: Int, from a: Int, to b: Int) {
        if disruptionPrice > 0 { penalty += disruptionPrice * Double(movedUnitChange(u, from: a, to: b)) }
        let change = movedChange(u, from: a, to: b)
        if change != 0 {
            penalty += disruptionWeight * (disruptionExcess(moved: moved + change) - disruptionExcess(moved: moved))
            moved += change
        }
        for r in 0..<values.count {
            let x = values[r][u]
            if x == 0 { continue }
            let ja = r * k + a, jb = r * k + b
            penalty -= weights[r] * (excess(r, a, sums[ja]) + excess(r, b, sums[jb]))
            sums[ja] -= x
            sums[jb] += x
            penalty += weights[r] * (excess(r, a, sums[ja]) + excess(r, b, sums[jb]))
        }
        // The running sum drifts by rounding (badly so once weights are large); an exact
        // recomputation every k + 256 updates keeps it honest at O(r) amortised cost.
        updatesSinceRecompute += 1
        if updatesSinceRecompute >= k + 256 { recomputePenalty() }
    }

    /// The medoid and cost of territory `t` after removing `out` and adding `inn`, from the
    /// cached member sums. O(n_t).
    private func bestMedoid(of t: Int, removing out: Int?, adding inn: Int?) -> (unit: Int, cost: Double) {
        let d = problem.distances
        let w = problem.units.weights
        var best = (unit: -1, cost: Double.infinity)
        var innSum = 0.0
        for m32 in memberList[t] {
            let m = Int(m32)
            if m == out { continue }
            var s = memberSum[m]
            if let out { s -= (w?[out] ?? 1) * d(out, m) }
            if let inn {
                let dm = d(inn, m)
                s += (w?[inn] ?? 1) * dm
                innSum += (w?[m] ?? 1) * dm
            }
            if s < best.cost || (s == best.cost && m < best.unit) { best = (m, s) }
        }
        if let inn, innSum < best.cost || (innSum == best.cost && inn < best.unit) { best = (inn, innSum) }
        return best.unit < 0 ? (-1, 0) : best
    }

    /// Removes `u` from territory `t`'s member list in O(1) (swap with the last member).
    private mutating func detach(_ u: Int, from t: Int) {
        let p = Int(position[u])
        let last = memberList[t].removeLast()
        if Int(last) != u {
            memberList[t][p] = last
            position[Int(last)] = Int32(p)
        }
    }

    private mutating func attach(_ u: Int, to t: Int) {
        position[u] = Int32(memberList[t].count)
        memberList[t].append(Int32(u))
    }

    /// Updates the member sums of territory `t` after `out` was detached from it and `inn` joins
    /// it, then re-picks its medoid. O(n_t).
    private mutating func updateMedoidState(removed out: Int?, from t: Int, adding inn: Int?) {
        let d = problem.distances
        let w = problem.units.weights
        var innSum = 0.0
        for m32 in memberList[t] {
            let m = Int(m32)
            if let out { memberSum[m] -= (w?[out] ?? 1) * d(out, m) }
            if let inn {
                let dm = d(inn, m)
                memberSum[m] += (w?[inn] ?? 1) * dm
                innSum += (w?[m] ?? 1) * dm
            }
        }
        if let inn {
            memberSum[inn] = innSum
            attach(inn, to: t)
        }
        var best = (unit: -1, cost: Double.infinity)
        for m32 in memberList[t] {
            let m = Int(m32)
            if memberSum[m] < best.cost || (memberSum[m] == best.cost && m < best.unit) { best = (m, memberSum[m]) }
        }
        medoids[t] = best.unit
        territoryTravel[t] = best.unit < 0 ? 0 : best.cost
    }

    /// The current plan with `labels`; medoid mode leaves centers free, fixed mode records them.
    public func plan(labels: [String]) -> Plan {
        medoidMode ? Plan(assignment: assignment, labels: labels) : Plan(assignment: assignment, labels: labels, centers: centerList.map { $0 })
    }
}
