import MILP
import TerritoryCore
import TerritoryEvaluation
import TerritorySolving

/// MIP window search, a matheuristic that polishes a feasible plan without contiguity.
///
/// A *window* is one territory and its nearest territories by center distance. Its units are
/// set free and GLPK re-solves that small problem exactly — the window's units among the window's
/// territories, every other unit where it is, the same bands, capacities, locks, skills and
/// disruption budget — and the result is kept when it lowers travel. Local search changes one or
/// two units at a time; a window rearranges a whole boundary region at once and, with free
/// centers, relocates the centers together with the assignment (the cluster-pair subproblems of
/// Stefanello, Araújo & Müller 2015 for the capacitated p-median, generalised to bands).
///
/// Windows are visited in a seeded order, two disjoint ones at a time on two cores; a window
/// solved without gain is not solved again until one of its territories changes, and the search
/// ends when every window is settled or the time is up. Each window's MIP is capped by a node
/// limit, so the result does not depend on the machine unless the time limit strikes.
/// - Complexity: per window, one GLPK solve of at most `maxColumns` columns; O(n + k log k)
///   Swift work per window. Memory O(n + maxColumns).
public enum WindowSearch {
    public struct Options: Sendable {
        /// Wall-clock budget of the whole search.
        public var timeLimit: Duration = .seconds(30)
        /// Most territories in one window.
        public var maxTerritories = 6
        /// Most assignment columns in one window's MIP: units × territories with fixed centers,
        /// units² with free centers (every unit of the window is a candidate center).
        public var maxColumns = 2500
        /// Branch-and-bound nodes per window (a window's MIP that hits it still returns its best
        /// plan).
        public var nodeLimit = 200
        /// Orders the windows.
        public var seed: UInt64 = 1
        /// Windows solved at once (each on its own thread).
        public var parallelism = 2
        public init() {}
    }

    public struct Result: Sendable {
        /// The polished plan (the input plan when nothing improved).
        public var plan: Plan
        /// Its travel, Σ w_i·d(i, center), summed directly (the evaluator's definition).
        public var travel: Double
        public var windowsSolved = 0
        public var windowsImproved = 0
        public var seconds = 0.0
    }

    /// Why the search cannot polish plans of `problem`, or nil when it can.
    public static func inapplicability(_ problem: DesignProblem) -> String? {
        if problem.requiresContiguity { return "contiguity is kept by the heuristic's moves, not by window MIPs" }
        if (problem.disruptionPrice ?? 0) > 0 { return "a price per moved unit is not in the window MIPs" }
        if problem.k < 2 { return "one territory leaves nothing to rearrange" }
        let fixedCount = problem.territories.filter { $0.center != nil }.count
        if fixedCount != 0 && fixedCount != problem.k { return "some centers are fixed and some free" }
        if fixedCount == 0 {
            if problem.units.locked?.contains(true) == true { return "locks with free centers" }
            if problem.territories.contains(where: { $0.allowedSegments != nil }) { return "skills with free centers" }
            if problem.disruptionBudget != nil { return "a disruption budget with free centers" }
            if problem.balance.contains(where: { $0.targetShares != nil || Set($0.capacities ?? []).count > 1 }) {
                return "per-territory targets or capacities with free centers"
            }
        }
        return nil
    }

    /// Polishes `plan`, a plan of `problem` that meets every requirement. Returns it unchanged
    /// when the search does not apply (see ``inapplicability(_:)``) or the plan is infeasible.
    public static func improve(_ plan: Plan, in problem: DesignProblem, options: Options = Options()) -> Result {
        let start = ContinuousClock.now
        var search = Search(problem: problem, plan: plan, options: options)
        var result = Result(plan: plan, travel: search.travel())
        guard inapplicability(problem) == nil, search.isValid,
              Evaluator.evaluate(plan, in: problem).feasible else {
            result.seconds = secondsSince(start)
            return result
        }
        let deadline = start + options.timeLimit
        var rng = SplitMix64(seed: options.seed ^ 0x57_1D_0C)
        var order = Array(0..<problem.k)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextIndex(below: i + 1)) }
        var settled = Set<[Int]>()  // window keys (territories and their versions) solved without gain
        var improvedInPass = true
        while improvedInPass && ContinuousClock.now < deadline {
            improvedInPass = false
            var next = 0
            while next < order.count && ContinuousClock.now < deadline {
                // Fill a batch with disjoint, unsettled windows in visiting order.
                var batch: [[Int]] = []
                var taken = Set<Int>()
                while next < order.count && batch.count < max(1, options.parallelism) {
                    let window = search.window(around: order[next])
                    if window.count < 2 || settled.contains(search.key(window)) { next += 1; continue }
                    if window.contains(where: taken.contains) { break }  // solve the batch first
                    batch.append(window)
                    taken.formUnion(window)
                    next += 1
                }
                if batch.isEmpty { continue }
                let snapshot = search, windows = batch
                let limit = deadline - ContinuousClock.now
                let outcomes = parallelMap(windows.count) { b in snapshot.solve(window: windows[b], timeLimit: limit) }
                for (window, outcome) in zip(batch, outcomes) {
                    result.windowsSolved += 1
                    if let outcome {
                        search.apply(outcome, to: window)
                        result.windowsImproved += 1
                        improvedInPass = true
                    } else {
                        settled.insert(search.key(window))
                    }
                }
            }
        }
        result.plan = search.plan
        result.travel = search.travel()
        result.seconds = secondsSince(start)
        return result
    }

    /// A window's better arrangement: the new territory of each freed unit and, with free
    /// centers, the new center of each window territory.
    struct Rearrangement: Sendable {
        var units: [Int32]
        var territories: [Int32]
        var centers: [Int]?
    }

    struct Search: Sendable {
        let problem: DesignProblem
        let options: Options
        let fixed: Bool
        var plan: Plan
        /// Per territory: the unit standing for its center (a fixed point center: its nearest unit).
        var proxy: [Int]
        /// Per territory: bumped whenever its units or center change.
        var version: [Int]
        var size: [Int]
        /// False when a free-center plan lacks a center unit inside its territory.
        var isValid = true

        init(problem: DesignProblem, plan: Plan, options: Options) {
            self.problem = problem
            self.options = options
            self.plan = plan
            let k = problem.k, n = problem.unitCount
            fixed = problem.territories.allSatisfy { $0.center != nil }
            version = Array(repeating: 0, count: k)
            size = Array(repeating: 0, count: k)
            for t in plan.assignment where t >= 0 { size[Int(t)] += 1 }
            proxy = Array(repeating: 0, count: k)
            for t in 0..<k {
                switch fixed ? problem.territories[t].center : plan.centers[t] {
                case .unit(let u)?:
                    proxy[t] = u
                    if !fixed && Int(plan.assignment[u]) != t { isValid = false }
                case .point(let p)?:
                    if !fixed { isValid = false }  // free centers are units (medoids)
                    var best = Double.infinity
                    for i in 0..<n where problem.distances(i, p) < best { best = problem.distances(i, p); proxy[t] = i }
                case nil:
                    isValid = false
                }
            }
            if plan.assignment.contains(where: { $0 < 0 }) { isValid = false }
        }

        /// w_i·d(i, center of t) (free centers: the center unit `c`).
        func cost(_ i: Int, territory t: Int, center c: Int? = nil) -> Double {
            let w = problem.units.weight(i)
            if !fixed { return w * problem.distances(i, c ?? proxy[t]) }
            switch problem.territories[t].center! {
            case .unit(let u): return w * problem.distances(i, u)
            case .point(let p): return w * problem.distances(i, p)
            }
        }

        func travel() -> Double {
            guard isValid else { return Evaluator.evaluate(plan, in: problem).travel }
            var sum = 0.0
            for i in 0..<problem.unitCount { sum += cost(i, territory: Int(plan.assignment[i])) }
            return sum
        }

        func columns(units m: Int, territories w: Int) -> Int { fixed ? m * w : m * m }

        /// The anchor and its nearest territories by center distance, while the MIP stays
        /// within `maxColumns`; sorted ascending.
        func window(around anchor: Int) -> [Int] {
            let d = problem.distances
            let others = (0..<problem.k).filter { $0 != anchor }
                .map { (d(proxy[anchor], proxy[$0]), $0) }
                .sorted { $0 < $1 }
            var window = [anchor]
            var units = size[anchor]
            for (_, t) in others where window.count < options.maxTerritories {
                guard columns(units: units + size[t], territories: window.count + 1) <= options.maxColumns else { break }
                window.append(t)
                units += size[t]
            }
            return window.sorted()
        }

        func key(_ window: [Int]) -> [Int] { window.flatMap { [$0, version[$0]] } }

        mutating func apply(_ change: Rearrangement, to window: [Int]) {
            for (i, t) in zip(change.units, change.territories) { plan.assignment[Int(i)] = t }
            for t in window { size[t] = 0; version[t] += 1 }
            for (s, t) in window.enumerated() {
                if let centers = change.centers {
                    proxy[t] = centers[s]
                    plan.centers[t] = .unit(centers[s])
                }
            }
            for i in 0..<problem.unitCount where window.contains(Int(plan.assignment[i])) { size[Int(plan.assignment[i])] += 1 }
        }

        /// Solves the window's MIP; nil when it finds nothing better than the current plan.
        func solve(window: [Int], timeLimit: Duration) -> Rearrangement? {
            guard timeLimit > .zero else { return nil }
            let n = problem.unitCount
            let slotOf = Dictionary(uniqueKeysWithValues: window.enumerated().map { ($1, $0) })
            let units = problem.units
            // Units that may move: the window's, except locked ones and fixed center units.
            var freed: [Int] = []
            var pinned: [Int] = []
            for i in 0..<n where slotOf[Int(plan.assignment[i])] != nil {
                let t = Int(plan.assignment[i])
                let isCenter: Bool = { if fixed, case .unit(let u)? = problem.territories[t].center { return u == i } else { return false } }()
                if (units.locked?[i] ?? false) || isCenter { pinned.append(i) } else { freed.append(i) }
            }
            guard !freed.isEmpty else { return nil }
            let current = freed.reduce(0.0) { $0 + cost($1, territory: Int(plan.assignment[$1])) }
            var program = LinearProgram()
            var warm: [Double] = []
            let totals = problem.measureTotals
            let k = problem.k
            // x[a][s]: freed unit a in slot s (fixed) / served by candidate center freed[s] (free).
            let slots = fixed ? window.count : freed.count
            var x = [[Int]](repeating: [], count: freed.count)
            let positionOf = Dictionary(uniqueKeysWithValues: freed.enumerated().map { ($1, $0) })
            for (a, i) in freed.enumerated() {
                x[a] = Array(repeating: -1, count: slots)
                for s in 0..<slots {
                    let t = fixed ? window[s] : -1
                    if fixed, !allowed(i, in: t) && Int(plan.assignment[i]) != t { continue }
                    let objective = fixed ? cost(i, territory: t) : cost(i, territory: -1, center: freed[s])
                    x[a][s] = program.addVariable("x_\(a + 1)_\(s + 1)", kind: .binary, objective: objective)
                    let isCurrent = fixed ? Int(plan.assignment[i]) == t : proxy[Int(plan.assignment[i])] == freed[s]
                    warm.append(isCurrent ? 1 : 0)
                }
            }
            for a in freed.indices {
                program.addConstraint("assign_\(a + 1)", x[a].filter { $0 >= 0 }.map { ($0, 1.0) }, lower: 1, upper: 1)
            }
            if !fixed {
                program.addConstraint("centers", freed.indices.map { (x[$0][$0], 1.0) }, lower: Double(window.count), upper: Double(window.count))
                for a in freed.indices {
                    for s in freed.indices where s != a {
                        program.addConstraint("link_\(a + 1)_\(s + 1)", [(x[a][s], 1), (x[s][s], -1)], upper: 0)
                    }
                }
            }
            for (r, req) in problem.balance.enumerated() {
                let values = units.measures[req.measure].values
                let scale = 1 / max(totals[req.measure] / Double(k), 1e-12)
                for s in 0..<slots {
                    let t = fixed ? window[s] : 0
                    let lower = req.lowerBound(t, total: totals[req.measure], k: k)
                    let upper = req.upperBound(t, total: totals[req.measure], k: k)
                    guard lower.isFinite && lower > 0 || upper.isFinite else { continue }
                    var terms: [(Int, Double)] = []
                    for a in freed.indices where x[a][s] >= 0 && values[freed[a]] != 0 { terms.append((x[a][s], values[freed[a]] * scale)) }
                    if fixed {
                        let pinnedLoad = pinned.reduce(0.0) { Int(plan.assignment[$1]) == t ? $0 + values[$1] : $0 }
                        program.addConstraint("band_r\(r + 1)_\(s + 1)", terms,
                                              lower: lower.isFinite ? (lower - pinnedLoad) * scale : -.infinity,
                                              upper: upper.isFinite ? (upper - pinnedLoad) * scale : .infinity)
                    } else {
                        // L·x_ss ≤ Σ a_i x_is ≤ U·x_ss; the center's own value sits on both sides.
                        let own = values[freed[s]] * scale
                        func row(_ bound: Double) -> [(Int, Double)] {
                            terms.filter { $0.0 != x[s][s] } + [(x[s][s], own - bound * scale)]
                        }
                        if lower.isFinite && lower > 0 { program.addConstraint("low_r\(r + 1)_\(s + 1)", row(lower), lower: 0) }
                        if upper.isFinite { program.addConstraint("high_r\(r + 1)_\(s + 1)", row(upper), upper: 0) }
                    }
                }
            }
            if fixed, let budget = problem.disruptionBudget, let baseline = problem.baseline {
                // Moved weight stays within the budget: what moved outside the window is fixed.
                let (weights, limit) = budget.allowance(in: units)
                var indexOf: [String: Int] = [:]
                for (t, spec) in problem.territories.enumerated() { indexOf[spec.label] = t }
                func home(_ i: Int) -> Int? {
                    let b = Int(baseline.assignment[i])
                    return b >= 0 ? indexOf[baseline.labels[b]] : nil
                }
                var movedElsewhere = 0.0
                var stay: [(Int, Double)] = []
                var stayWeight = 0.0
                for i in 0..<n where baseline.assignment[i] >= 0 {
                    let w = weights?[i] ?? 1
                    guard w > 0 else { continue }
                    if let a = positionOf[i] {
                        if let h = home(i), let s = slotOf[h], x[a][s] >= 0 {
                            stay.append((x[a][s], w))
                            stayWeight += w
                        } else {
                            movedElsewhere += w
                        }
                    } else if home(i) != Int(plan.assignment[i]) {
                        movedElsewhere += w
                    }
                }
                if !stay.isEmpty {
                    program.addConstraint("disruption", stay, lower: stayWeight + movedElsewhere - limit)
                } else if movedElsewhere > limit * (1 + 1e-9) + 1e-9 {
                    return nil
                }
            }
            var milp = MILPOptions()
            milp.timeLimit = timeLimit
            milp.nodeLimit = options.nodeLimit
            milp.warmStart = warm
            milp.cutoff = current
            let attempt = Swift.Result(catching: { () throws(MILPError) -> MILPResult in try GLPKSolver.solve(program, options: milp) })
            guard case .success(let solved) = attempt,
                  let values = solved.values else { return nil }
            // Read the arrangement back and check it in Swift (GLPK's row tolerance is looser
            // than the evaluator's).
            var territoryOf = [Int32](repeating: -1, count: freed.count)
            var centers: [Int]? = nil
            if fixed {
                for a in freed.indices {
                    for s in 0..<slots where x[a][s] >= 0 && values[x[a][s]] > 0.5 { territoryOf[a] = Int32(window[s]) }
                }
            } else {
                let chosen = freed.indices.filter { values[x[$0][$0]] > 0.5 }
                guard chosen.count == window.count else { return nil }
                // Keep each territory's label with the new center nearest its old one.
                var remaining = chosen
                var centerOf = [Int](repeating: -1, count: freed.count)
                centers = []
                for t in window {
                    let pick = remaining.min { (problem.distances(proxy[t], freed[$0]), $0) < (problem.distances(proxy[t], freed[$1]), $1) }!
                    remaining.removeAll { $0 == pick }
                    centers!.append(freed[pick])
                    centerOf[pick] = t
                }
                for a in freed.indices {
                    for s in chosen where values[x[a][s]] > 0.5 { territoryOf[a] = Int32(centerOf[s]) }
                }
            }
            guard !territoryOf.contains(-1) else { return nil }
            var changed = plan
            for (a, i) in freed.enumerated() { changed.assignment[i] = territoryOf[a] }
            if let centers { for (s, t) in window.enumerated() { changed.centers[t] = .unit(centers[s]) } }
            let better = freed.indices.reduce(0.0) { sum, a in
                let t = Int(territoryOf[a])
                return sum + cost(freed[a], territory: t, center: centers.map { $0[window.firstIndex(of: t)!] })
            }
            guard better < current - 1e-9 * max(1, abs(current)) else { return nil }
            let evaluation = Evaluator.evaluate(changed, in: problem)
            guard evaluation.feasible else { return nil }
            return Rearrangement(units: freed.map { Int32($0) }, territories: territoryOf, centers: centers)
        }

        /// Skills: whether unit i may join territory t.
        func allowed(_ i: Int, in t: Int) -> Bool {
            if let allowed = problem.territories[t].allowedSegments, let segment = problem.units.segments?[i], !segment.isEmpty,
               !allowed.contains(segment) { return false }
            return true
        }
    }
}
