import MILP
import TerritoryCore

/// Options of the exact path.
public struct MIPOptions: Sendable {
    /// Wall-clock budget for the whole solve (heuristic warm start included).
    public var timeLimit: Duration? = .seconds(60)
    /// Stop at this relative gap. 1e-6 proves optimality up to rounding.
    public var relativeGap = 1e-6
    /// Run the heuristic first and inject its plan as the first incumbent (and use its travel
    /// as the cutoff for reduced-cost fixing).
    public var warmStart = true
    /// Share of the time limit the warm-start heuristic may use.
    public var heuristicShare = 0.2
    /// Fix columns whose root reduced cost proves them useless (needs an incumbent).
    public var reducedCostFixing = true
    /// Share of the time limit for the MIP window search (``WindowSearch``) that polishes the
    /// warm start before branch and bound (models without contiguity or soft bands); 0 skips it.
    public var windowShare = 0.1
    /// Share of the time limit for the core search (``CoreSearch``; fixed-center models without
    /// contiguity, soft bands or a disruption budget) before branch and bound, in rounds of at
    /// most half of it each while a round improves the plan (60 s in all without a time limit);
    /// 0 skips it.
    public var coreShare = 0.55
    /// Compute a Lagrangian bound (a floor for the reported bound) and, with free centers, rule
    /// out candidate centers by Lagrangian fixing before branch and bound.
    public var lagrangian = true
    /// Soft bands: nil keeps every band hard; a weight w adds w · (relative deviation outside
    /// the band) to the objective, in travel units per target, so an analyst can trade travel
    /// for balance.
    public var softBandWeight: Double?
    /// When GLPK generates cutting planes (``CuttingPlanes``; automatic by default).
    public var cuts = CuttingPlanes.automatic
    /// Pseudocost branching with best-bound backtracking (on by default: it proves optimality
    /// sooner on the capacitated models).
    public var pseudocostBranching = true
    /// Free centers: branch on the center variables y_j (most fractional first) before any
    /// assignment x_ij; GLPK's own rule takes over once every y_j is integral.
    public var branchOnCentersFirst = true
    /// Capacitated p-median models: bound every node of the tree by the knapsack Lagrangian
    /// (``CapacitatedNodeBound``) instead of the LP alone, and close or open centers there by
    /// Lagrangian probing.
    public var nodeLagrangian = true
    /// Use two cores: with center branching the two runs split the tree (y_j = 0 and y_j = 1 for
    /// the root's most fractional center); otherwise both branching strategies run at once and
    /// the first proof stops the other.
    public var portfolio = true
    /// Write the model here (`.lp` CPLEX LP or `.mps` fixed MPS) before solving.
    public var writeModel: String?
    /// Seed of the warm-start heuristic.
    public var seed: UInt64 = 1
    public var log: (@Sendable (String) -> Void)?

    public init() {}
}

/// When the exact solver switches GLPK's cutting planes (Gomory mixed-integer, MIR, cover and
/// clique cuts) on.
public enum CuttingPlanes: String, Sendable, CaseIterable {
    /// Fixed-center models with balance bands: one run of the portfolio cuts and the other does
    /// not (the reported bound is the better of the two). There the LP relaxation splits only
    /// the units on binding band rows, and MIR and cover cuts on those knapsack-like rows lift
    /// the bound (1,000 units, 20 rep homes, two measures at ±5 %, 60 s: 140,100 → 140,148),
    /// while the run without cuts keeps GLPK's node rate (about 20 times the cutting run's).
    /// Free-center models: off (there the cuts slowed the search more than they lifted the
    /// bound; the center branching and the node Lagrangian do that work).
    case automatic = "auto"
    /// Every run cuts.
    case on
    /// No run cuts.
    case off
}

/// The territory-design MIP, built once and solver-independently (one function per
/// constraint family), with the maps between plans and variable vectors.
///
/// Two forms:
/// - **free centers** (p-median form): `x_ij` = unit i served from center unit j, with
///   `x_jj` the center indicator; Σ_j x_ij = 1, Σ_j x_jj = k, x_ij ≤ x_jj (the strong,
///   disaggregated linking), bands L·x_jj ≤ Σ_i a_i x_ij ≤ U·x_jj, capacities Σ_i a_i x_ij ≤ C·x_jj;
/// - **fixed centers** (rep homes or given units): `x_it` = unit i in territory t; Σ_t x_it = 1,
///   bands and capacities per territory (per-territory targets allowed), locks and skills as
///   variable bounds, a disruption budget against the baseline.
///
/// Contiguity is flow-based (Shirabe 2009): one commodity per center, sent from the center to
/// every unit it serves over adjacency arcs, an arc carrying flow only into units of the same
/// territory. Flow needs no row generation (GLPK's lazy-constraint support is clumsy) and stays
/// polynomial; cut-based models are stronger but need separation in the callback.
/// Objective: Σ w_i d(i, center) x plus, with soft bands, the weighted deviations.
public struct TerritoryModel: Sendable {
    public enum Form: String, Sendable { case freeCenters = "free-centers", fixedCenters = "fixed-centers" }

    public let form: Form
    public private(set) var program = LinearProgram()
    let n: Int
    let k: Int
    /// Free: column of x_ij at [i * n + j]; fixed: at [i * k + t]; -1 where absent.
    private(set) var assign: [Int32]
    /// Per arc slot (see `arcs`) and commodity: the flow column, -1 where absent.
    private(set) var flow: [Int32] = []
    private(set) var arcs: [(Int32, Int32)] = []
    /// Soft-band deviation columns: (requirement, territory or center, over/under) → column.
    private(set) var deviations: [(requirement: Int, slot: Int, over: Bool, column: Int)] = []
    let problem: DesignProblem

    /// Builds the model. Throws when the problem asks for something this model cannot state
    /// (mixed fixed and free centers, locks or skills with free centers, a disruption budget with
    /// free centers, per-territory targets with free centers, a point center with contiguity).
    public init(problem: DesignProblem, softBandWeight: Double? = nil) throws(InputError) {
        self.problem = problem
        n = problem.unitCount
        k = problem.k
        let fixedCount = problem.territories.filter { $0.center != nil }.count
        guard fixedCount == 0 || fixedCount == k else {
            throw InputError("the exact model needs every territory's center fixed or every one free (\(fixedCount) of \(k) are fixed)")
        }
        form = fixedCount == k ? .fixedCenters : .freeCenters
        if (problem.disruptionPrice ?? 0) > 0 {
            throw InputError(column: "--move-price", "a price per moved unit is not in the exact model; use the heuristic (--method heuristic) or a budget (--max-moved)")
        }
        if form == .freeCenters {
            if problem.units.locked?.contains(true) == true {
                throw InputError("locks need named territories with fixed centers in the exact model")
            }
            if problem.territories.contains(where: { $0.allowedSegments != nil }) {
                throw InputError("skills need territories with fixed centers in the exact model")
            }
            if problem.disruptionBudget != nil {
                throw InputError("a disruption budget needs territories with fixed centers in the exact model")
            }
            if problem.balance.contains(where: { $0.targetShares != nil || Set($0.capacities ?? []).count > 1 }) {
                throw InputError("per-territory targets or capacities need fixed centers in the exact model")
            }
        } else if problem.requiresContiguity, problem.territories.contains(where: { if case .point = $0.center { return true } else { return false } }) {
            throw InputError("contiguity in the exact model needs centers that are units (rep homes are points)")
        }
        let columns = form == .freeCenters ? n * n : n * k
        guard columns <= 4_000_000 else {
            throw InputError("the exact model would need \(columns) assignment variables; use the heuristic (or `territory bound` for a lower bound)")
        }
        assign = Array(repeating: -1, count: columns)
        switch form {
        case .freeCenters: buildFreeCenters()
        case .fixedCenters: buildFixedCenters()
        }
        addBalance(softBandWeight: softBandWeight)
        if problem.requiresContiguity, let adjacency = problem.adjacency { addContiguity(adjacency) }
        if form == .fixedCenters { addDisruptionBudget() }
    }

    // MARK: Constraint families

    private mutating func buildFreeCenters() {
        let d = problem.distances
        for i in 0..<n {
            let w = problem.units.weight(i)
            for j in 0..<n {
                assign[i * n + j] = Int32(program.addVariable("x_\(i + 1)_\(j + 1)", kind: .binary, objective: w * d(i, j)))
            }
        }
        for i in 0..<n { program.addConstraint("assign_\(i + 1)", (0..<n).map { (Int(assign[i * n + $0]), 1.0) }, lower: 1, upper: 1) }
        program.addConstraint("centers", (0..<n).map { (Int(assign[$0 * n + $0]), 1.0) }, lower: Double(k), upper: Double(k))
        for i in 0..<n {
            for j in 0..<n where i != j {
                program.addConstraint("link_\(i + 1)_\(j + 1)", [(Int(assign[i * n + j]), 1), (Int(assign[j * n + j]), -1)], upper: 0)
            }
        }
    }

    private mutating func buildFixedCenters() {
        let d = problem.distances
        let rules = problem.units
        for i in 0..<n {
            let w = rules.weight(i)
            for t in 0..<k {
                let cost: Double
                switch problem.territories[t].center! {
                case .unit(let u): cost = d(i, u)
                case .point(let p): cost = d(i, p)
                }
                var upper = 1.0
                if let allowed = problem.territories[t].allowedSegments, let segment = rules.segments?[i], !segment.isEmpty, !allowed.contains(segment) { upper = 0 }
                if let locked = rules.locked, locked[i], let current = rules.currentTerritory?[i], current != problem.territories[t].label { upper = 0 }
                if case .unit(let u) = problem.territories[t].center!, u == i {
                    // A center unit belongs to its own territory.
                    assign[i * k + t] = Int32(program.addVariable("x_\(i + 1)_\(t + 1)", lower: 1, upper: 1, kind: .binary, objective: w * cost))
                    continue
                }
                assign[i * k + t] = Int32(program.addVariable("x_\(i + 1)_\(t + 1)", lower: 0, upper: upper, kind: .binary, objective: w * cost))
            }
        }
        for i in 0..<n { program.addConstraint("assign_\(i + 1)", (0..<k).map { (Int(assign[i * k + $0]), 1.0) }, lower: 1, upper: 1) }
    }

    private mutating func addBalance(softBandWeight: Double?) {
        let totals = problem.measureTotals
        for (r, req) in problem.balance.enumerated() {
            let values = problem.units.measures[req.measure].values
            let total = totals[req.measure]
            let slots = form == .freeCenters ? n : k
            for s in 0..<slots {
                let t = form == .freeCenters ? 0 : s  // free centers: uniform bounds
                let rawLower = req.lowerBound(t, total: total, k: k), rawUpper = req.upperBound(t, total: total, k: k)
                let target = max(req.target(t, total: total, k: k), 1e-12)
                // Rows are scaled by the target (measures such as land area in m² reach 1e10;
                // unscaled they make GLPK's basis singular): coefficients a_i/T, bounds L/T, U/T.
                let scale = 1 / max(total / Double(k), 1e-12)
                let lower = rawLower * scale, upper = rawUpper * scale
                var terms: [(Int, Double)] = []
                for i in 0..<n where values[i] != 0 {
                    let column = form == .freeCenters ? assign[i * n + s] : assign[i * k + s]
                    if column >= 0 { terms.append((Int(column), values[i] * scale)) }
                }
                var under: Int?, over: Int?
                if let weight = softBandWeight {
                    let name = "r\(r + 1)_\(s + 1)"
                    if lower.isFinite {
                        under = program.addVariable("under_" + name, objective: weight / (scale * target))
                        deviations.append((r, s, false, under!))
                    }
                    if upper.isFinite {
                        over = program.addVariable("over_" + name, objective: weight / (scale * target))
                        deviations.append((r, s, true, over!))
                    }
                }
                if form == .freeCenters {
                    // L·x_jj ≤ Σ a_i x_ij ≤ U·x_jj; the center's own value sits in both sides.
                    let center = Int(assign[s * n + s])
                    func merged(_ coefficient: Double) -> [(Int, Double)] {
                        var out = terms.filter { $0.0 != center }
                        out.append((center, (terms.first { $0.0 == center }?.1 ?? 0) + coefficient))
                        return out
                    }
                    if lower.isFinite && lower > 0 {
                        var row = merged(-lower)
                        if let under { row.append((under, 1)) }
                        program.addConstraint("low_r\(r + 1)_\(s + 1)", row, lower: 0)
                    }
                    if upper.isFinite {
                        var row = merged(-upper)
                        if let over { row.append((over, -1)) }
                        program.addConstraint("high_r\(r + 1)_\(s + 1)", row, upper: 0)
                    }
                } else {
                    var row = terms
                    if let under { row.append((under, 1)) }
                    if let over { row.append((over, -1)) }
                    if lower.isFinite && upper.isFinite && under == nil && over == nil {
                        program.addConstraint("band_r\(r + 1)_\(s + 1)", row, lower: lower, upper: upper)
                    } else {
                        if lower.isFinite { program.addConstraint("low_r\(r + 1)_\(s + 1)", row.filter { $0.0 != over }, lower: lower) }
                        if upper.isFinite { program.addConstraint("high_r\(r + 1)_\(s + 1)", row.filter { $0.0 != under }, upper: upper) }
                    }
                }
            }
        }
    }

    /// Shirabe's flow model: commodity c (a center) flows from its root over arcs; every other
    /// unit it serves absorbs one unit; flow enters a unit only if the commodity serves it.
    private mutating func addContiguity(_ adjacency: Adjacency) {
        for (a, b) in adjacency.edges {
            arcs.append((Int32(a), Int32(b)))
            arcs.append((Int32(b), Int32(a)))
        }
        let commodities = form == .freeCenters ? n : k
        flow = Array(repeating: -1, count: arcs.count * commodities)
        var incoming = [[Int]](repeating: [], count: n), outgoing = [[Int]](repeating: [], count: n)
        for (e, (u, v)) in arcs.enumerated() {
            outgoing[Int(u)].append(e)
            incoming[Int(v)].append(e)
        }
        for c in 0..<commodities {
            let root: Int
            if form == .freeCenters { root = c } else if case .unit(let u) = problem.territories[c].center! { root = u } else { continue }
            for (e, (_, v)) in arcs.enumerated() where Int(v) != root {
                flow[e * commodities + c] = Int32(program.addVariable("f_\(e + 1)_\(c + 1)", upper: Double(n - 1)))
            }
            for i in 0..<n where i != root {
                let x = Int(form == .freeCenters ? assign[i * n + c] : assign[i * k + c])
                var balance: [(Int, Double)] = []
                for e in incoming[i] where flow[e * commodities + c] >= 0 { balance.append((Int(flow[e * commodities + c]), 1)) }
                var capacity = balance.map { ($0.0, 1.0) }
                for e in outgoing[i] where flow[e * commodities + c] >= 0 { balance.append((Int(flow[e * commodities + c]), -1)) }
                balance.append((x, -1))
                program.addConstraint("flow_\(i + 1)_\(c + 1)", balance, lower: 0, upper: 0)
                capacity.append((x, -Double(n - 1)))
                program.addConstraint("cap_\(i + 1)_\(c + 1)", capacity, upper: 0)
            }
        }
    }

    private mutating func addDisruptionBudget() {
        guard let budget = problem.disruptionBudget, let baseline = problem.baseline else { return }
        let (weights, allowed) = budget.allowance(in: problem.units)
        var index: [String: Int] = [:]
        for (t, spec) in problem.territories.enumerated() { index[spec.label] = t }
        var stay: [(Int, Double)] = []
        var stayWeight = 0.0, mustMoveWeight = 0.0
        for i in 0..<n {
            let b = Int(baseline.assignment[i])
            guard b >= 0 else { continue }
            let w = weights?[i] ?? 1
            if let t = index[baseline.labels[b]] {
                if w > 0 { stay.append((Int(assign[i * k + t]), w)); stayWeight += w }
            } else {
                mustMoveWeight += w
            }
        }
        // Weight that keeps its territory: at least (weight with a baseline) − budget.
        let keep = stayWeight + mustMoveWeight - allowed
        program.addConstraint("disruption", stay, lower: min(keep, stayWeight))
    }

    // MARK: Plans ↔ vectors

    /// The variable vector of `plan` (aligned to the problem), with a feasible flow where the
    /// model has contiguity; nil when the plan does not fit the model (wrong centers, a territory
    /// not connected).
    public func vector(for plan: Plan) -> [Double]? {
        var x = [Double](repeating: 0, count: program.variableCount)
        var rootOf = [Int](repeating: -1, count: k)
        var slotOf = [Int](repeating: -1, count: k)
        for t in 0..<k {
            switch form {
            case .freeCenters:
                guard case .unit(let u)? = plan.centers[t] else { return nil }
                rootOf[t] = u
                slotOf[t] = u
            case .fixedCenters:
                slotOf[t] = t
                if case .unit(let u)? = problem.territories[t].center { rootOf[t] = u }
            }
        }
        for i in 0..<n {
            let t = Int(plan.assignment[i])
            guard t >= 0 else { return nil }
            let column = form == .freeCenters ? assign[i * n + slotOf[t]] : assign[i * k + t]
            guard column >= 0 else { return nil }
            x[Int(column)] = 1
        }
        if form == .freeCenters {
            for t in 0..<k where Int(plan.assignment[rootOf[t]]) != t { return nil }
        }
        // Soft-band deviations.
        let totals = problem.measureTotals
        for dev in deviations {
            let req = problem.balance[dev.requirement]
            let values = problem.units.measures[req.measure].values
            let t = form == .freeCenters ? (slotOf.firstIndex(of: dev.slot) ?? -1) : dev.slot
            guard t >= 0 else { continue }
            var sum = 0.0
            for i in 0..<n where Int(plan.assignment[i]) == t { sum += values[i] }
            let slot = form == .freeCenters ? 0 : dev.slot
            let bound = dev.over ? req.upperBound(slot, total: totals[req.measure], k: k) : req.lowerBound(slot, total: totals[req.measure], k: k)
            let scale = 1 / max(totals[req.measure] / Double(k), 1e-12)
            x[dev.column] = (dev.over ? max(0, sum - bound) : max(0, bound - sum)) * scale
        }
        // Flow: each territory's breadth-first tree from its root carries subtree sizes.
        if !flow.isEmpty, let adjacency = problem.adjacency {
            let commodities = form == .freeCenters ? n : k
            var arcIndex: [Int: Int] = [:]
            for (e, (u, v)) in arcs.enumerated() { arcIndex[Int(u) * n + Int(v)] = e }
            for t in 0..<k {
                let root = rootOf[t]
                guard root >= 0 else { continue }
                var parent = [Int](repeating: -2, count: n)
                parent[root] = -1
                var order = [root]
                var head = 0
                while head < order.count {
                    let u = order[head]
                    head += 1
                    for v in adjacency.neighbours(of: u) where parent[Int(v)] == -2 && Int(plan.assignment[Int(v)]) == t {
                        parent[Int(v)] = u
                        order.append(Int(v))
                    }
                }
                let members = (0..<n).filter { Int(plan.assignment[$0]) == t }.count
                guard order.count == members else { return nil }  // not contiguous
                var size = [Double](repeating: 1, count: n)
                for u in order.reversed() where parent[u] >= 0 {
                    let e = arcIndex[parent[u] * n + u]!
                    x[Int(flow[e * commodities + slotOf[t]])] = size[u]
                    size[parent[u]] += size[u]
                }
            }
        }
        return x
    }

    /// Fixed centers: each unit in the territory with its largest share in a fractional (LP)
    /// solution — the start of the relax-and-repair heuristic. nil for free centers.
    func roundedPlan(fromRelaxation x: [Double]) -> Plan? {
        guard form == .fixedCenters else { return nil }
        var assignment = [Int32](repeating: -1, count: n)
        for i in 0..<n {
            var best = -1.0
            for t in 0..<k {
                let column = assign[i * k + t]
                if column >= 0 && x[Int(column)] > best { best = x[Int(column)]; assignment[i] = Int32(t) }
            }
        }
        return Plan(assignment: assignment, labels: problem.territories.map(\.label), centers: problem.territories.map(\.center))
    }

    /// Fixed centers: the LP relaxation with the assignment columns' upper bound of 1 lifted
    /// (each unit's row already caps them), so that the duals price the rows alone and the
    /// reduced costs mean what ``coreColumns(lpValues:reducedCosts:incumbent:extra:)`` reads
    /// from them. nil for free centers.
    func relaxationForPricing() -> LinearProgram? {
        guard form == .fixedCenters else { return nil }
        var relaxed = program.relaxed()
        for column in assign where column >= 0 {
            let v = relaxed.variables[Int(column)]
            if v.lower == 0 && v.upper == 1 { relaxed.setBounds(Int(column), lower: 0, upper: .infinity) }
        }
        return relaxed
    }

    /// Fixed centers: the columns of a *core* problem, ascending. Every column that is not a
    /// unit-to-territory assignment stays; of the assignments, those the LP uses, the
    /// incumbent's, those held at 1, and the `extra` others with the smallest reduced costs
    /// (ties by column). Assignments a skill or lock forbids (upper bound 0) leave.
    /// - Complexity: O(columns log columns).
    func coreColumns(lpValues: [Double], reducedCosts: [Double], incumbent: [Double], extra: Int) -> [Int] {
        precondition(form == .fixedCenters && lpValues.count == program.variableCount
            && reducedCosts.count == program.variableCount && incumbent.count == program.variableCount)
        var keep = [Bool](repeating: true, count: program.variableCount)
        var candidates: [Int] = []
        for column in assign where column >= 0 {
            let j = Int(column)
            let v = program.variables[j]
            if v.upper <= 0 { keep[j] = false; continue }
            if v.lower > 0 || lpValues[j] > 1e-9 || incumbent[j] > 0.5 { continue }
            keep[j] = false
            candidates.append(j)
        }
        candidates.sort { (reducedCosts[$0], $0) < (reducedCosts[$1], $1) }
        for j in candidates.prefix(max(extra, 0)) { keep[j] = true }
        return keep.indices.filter { keep[$0] }
    }

    /// Free centers: the columns y_j = x_jj, one per candidate center; empty for fixed centers.
    var centerColumns: [Int] {
        guard form == .freeCenters else { return [] }
        return (0..<n).map { Int(assign[$0 * n + $0]) }
    }

    /// Free centers: the rows "unit i is served once" (0-based), in unit order (they come first).
    var assignmentRows: [Int] { form == .freeCenters ? Array(0..<n) : [] }

    /// Free centers: the column x_ij (unit i served from center unit j).
    func assignmentColumn(unit i: Int, center j: Int) -> Int {
        precondition(form == .freeCenters && i >= 0 && i < n && j >= 0 && j < n)
        return Int(assign[i * n + j])
    }

    /// Free centers: the columns x_ij of every unit i served from center unit j.
    func columnsServedBy(center j: Int) -> [Int] {
        guard form == .freeCenters else { return [] }
        return (0..<n).compactMap { i in assign[i * n + j] >= 0 ? Int(assign[i * n + j]) : nil }
    }

    /// The plan a solution vector describes.
    public func plan(from x: [Double]) -> Plan {
        var assignment = [Int32](repeating: -1, count: n)
        switch form {
        case .freeCenters:
            let centers = (0..<n).filter { x[Int(assign[$0 * n + $0])] > 0.5 }
            var territoryOf = [Int: Int32]()
            for (t, c) in centers.enumerated() { territoryOf[c] = Int32(t) }
            for i in 0..<n {
                for c in centers where x[Int(assign[i * n + c])] > 0.5 { assignment[i] = territoryOf[c]!; break }
            }
            return Plan(assignment: assignment, labels: (0..<centers.count).map { "T\($0 + 1)" }, centers: centers.map { .unit($0) })
        case .fixedCenters:
            for i in 0..<n {
                for t in 0..<k where x[Int(assign[i * k + t])] > 0.5 { assignment[i] = Int32(t); break }
            }
            return Plan(assignment: assignment, labels: problem.territories.map(\.label), centers: problem.territories.map(\.center))
        }
    }
}
