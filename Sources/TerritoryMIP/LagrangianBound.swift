import TerritoryCore
import TerritorySolving

/// A proven lower bound on travel by Lagrangian relaxation of the assignment rows, for
/// instances too large for the MIP (thousands of units).
///
/// Relaxing "every unit in exactly one territory" with multipliers λ leaves, per candidate
/// center j (free centers) or per territory t (fixed centers), the problem of choosing which
/// units to serve at cost `w_i·d(i, j) − λ_i` subject to the balance bands and capacities. Each is
/// bounded below by a knapsack on one requirement at a time (the largest of those bounds is
/// used): the exact 0-1 knapsack by dynamic programming when the weights are integers, the room
/// is small and there is no lower band (as for the capacitated p-median benchmarks), else the
/// continuous knapsack, solved greedily by cost-to-weight ratio. With free centers the k cheapest
/// centers are chosen. L(λ) = Σ λ_i + those costs is a lower bound for every λ; subgradient
/// steps (Polyak, toward the heuristic's travel) raise it. Contiguity, locks and skills are
/// dropped, which keeps the bound valid (a relaxation).
/// - Complexity: O(n·m log n) per iteration for m candidate centers (m = n free, k fixed);
///   parallel over centers. Memory O(n).
public enum LagrangianBound {
    public struct Result: Sendable {
        /// The best bound found (never above the optimum travel).
        public var bound: Double
        public var iterations: Int
        public var seconds: Double
        /// Free centers: per unit, a lower bound on the travel of every plan in which that unit
        /// is a center (the best over the iterations of L(λ) with the unit forced among the k
        /// chosen centers, replacing the dearest). Lagrangian fixing: a unit whose bound exceeds
        /// a known plan's travel is a center of no better plan. nil for fixed centers.
        public var centerBounds: [Double]?
        /// Free centers with one integral capacity (the capacitated p-median): at [i · n + j], a
        /// lower bound on the travel of every plan that assigns unit i to center j (L at the best
        /// λ with j's knapsack forced to take i). Lagrangian fixing: a pair whose bound exceeds
        /// a known plan's travel is an assignment of no better plan. nil otherwise.
        public var assignmentBounds: [Double]?
        /// The multipliers λ (one per unit) of the best bound.
        public var multipliers: [Double]?
    }

    /// - Parameters:
    ///   - upperBound: the travel of a known feasible plan (steers the step size; any value
    ///     above the optimum works, a close one converges faster).
    public static func compute(_ problem: DesignProblem, upperBound: Double, timeLimit: Duration = .seconds(30), maxIterations: Int = 1000) -> Result {
        let start = ContinuousClock.now
        let n = problem.unitCount, k = problem.k
        let fixed = problem.territories.allSatisfy { $0.center != nil }
        let d = problem.distances
        let weights = problem.units.weights
        let totals = problem.measureTotals
        // Knapsack data per requirement: values and the (uniform or per-territory) bounds.
        let requirements = problem.balance.map { req -> (values: [Double], lower: [Double], upper: [Double]) in
            let slots = fixed ? k : 1
            let values = problem.units.measures[req.measure].values
            return (values,
                    (0..<slots).map { req.lowerBound($0, total: totals[req.measure], k: k) },
                    (0..<slots).map { req.upperBound($0, total: totals[req.measure], k: k) })
        }.filter { $0.values.allSatisfy { $0 >= 0 } }
        let candidates = fixed ? k : n
        @Sendable func cost(_ i: Int, _ c: Int) -> Double {
            let w = weights?[i] ?? 1
            if fixed {
                switch problem.territories[c].center! {
                case .unit(let u): return w * d(i, u)
                case .point(let p): return w * d(i, p)
                }
            }
            return w * d(i, c)
        }
        // λ starts at each unit's distance to its nearest candidate: a good dual guess.
        var lambda = [Double](repeating: 0, count: n)
        var best = -Double.infinity
        var theta = 2.0
        var sinceImprovement = 0
        var iterations = 0
        var centerBounds = fixed ? nil : [Double](repeating: -.infinity, count: n)
        var bestLambda: [Double]?
        let chunk = max(1, candidates / (4 * max(availableCores, 1)))
        let chunks = (candidates + chunk - 1) / chunk
        for i in 0..<n {
            var m = Double.infinity
            for c in 0..<candidates where !(fixed == false && c == i) { m = min(m, cost(i, c)) }
            lambda[i] = m.isFinite ? m : 0
        }
        while iterations < maxIterations && ContinuousClock.now - start < timeLimit {
            iterations += 1
            let current = lambda
            // ρ_c and the units it serves, per candidate.
            let parts = parallelMap(chunks) { part -> [(rho: Double, served: [(Int32, Double)])] in
                (part * chunk..<min(candidates, (part + 1) * chunk)).map { c in
                    subproblem(c, n: n, fixed: fixed, lambda: current, cost: cost, requirements: requirements)
                }
            }
            let sub = parts.flatMap { $0 }
            var value = lambda.reduce(0, +)
            var chosen: [Int] = []
            if fixed {
                chosen = Array(0..<k)
            } else {
                chosen = (0..<n).sorted { (sub[$0].rho, $0) < (sub[$1].rho, $1) }.prefix(k).map { $0 }
            }
            for c in chosen { value += sub[c].rho }
            if !value.isFinite { break }  // some required subproblem infeasible: no bound from this λ
            if !fixed, let dearest = chosen.last {
                // Forcing j in: it replaces the dearest chosen center (chosen is sorted by ρ).
                var isChosen = [Bool](repeating: false, count: n)
                for c in chosen { isChosen[c] = true }
                for j in 0..<n {
                    let forced = isChosen[j] ? value : value - sub[dearest].rho + sub[j].rho
                    if forced > centerBounds![j] { centerBounds![j] = forced }
                }
            }
            if !best.isFinite || value > best + 1e-9 * max(1, abs(best)) {
                best = value
                bestLambda = current
                sinceImprovement = 0
            } else {
                sinceImprovement += 1
                if sinceImprovement >= 20 {
                    theta /= 2
                    sinceImprovement = 0
                }
            }
            if theta < 1e-4 || best >= upperBound - 1e-9 * max(1, upperBound) { break }
            // Subgradient: g_i = 1 − (times unit i is served).
            var g = [Double](repeating: 1, count: n)
            for c in chosen { for (i, x) in sub[c].served { g[Int(i)] -= x } }
            let norm = g.reduce(0) { $0 + $1 * $1 }
            if norm < 1e-12 { break }  // the relaxed solution is feasible: the bound is optimal
            let step = theta * max(upperBound - value, 1e-6 * max(1, abs(upperBound))) / norm
            for i in 0..<n { lambda[i] += step * g[i] }
        }
        var assignmentBounds: [Double]?
        if !fixed, best.isFinite, let bestLambda {
            assignmentBounds = Self.assignmentBounds(n: n, k: k, lambda: bestLambda, cost: cost, requirements: requirements)
        }
        // With integer costs every plan's travel is an integer: round the bound up.
        let integral = (weights?.allSatisfy { $0 == $0.rounded() } ?? true)
            && (problem.distances.metric == .euclideanTruncated
                || (problem.distances.metric == .matrix && (0..<min(n, 200)).allSatisfy { i in (0..<n).allSatisfy { d(i, $0) == d(i, $0).rounded() } }))
        if integral && best.isFinite { best = (best - 1e-6).rounded(.up) }
        return Result(bound: best.isFinite ? min(best, upperBound) : -Double.infinity, iterations: iterations, seconds: secondsSince(start),
                      centerBounds: centerBounds, assignmentBounds: assignmentBounds, multipliers: bestLambda)
    }

    /// min Σ (cost − λ_i) x_i over units for one candidate, the candidate serving itself (free
    /// centers), each requirement relaxed to a continuous knapsack separately (the largest of
    /// the per-requirement values is a valid bound). Returns the value and the units served in
    /// the minimiser of the plain problem (for the subgradient).
    static func subproblem(
        _ c: Int, n: Int, fixed: Bool, lambda: [Double], cost: (Int, Int) -> Double,
        requirements: [(values: [Double], lower: [Double], upper: [Double])]
    ) -> (rho: Double, served: [(Int32, Double)]) {
        var reduced: [(Int32, Double)] = []
        var base = 0.0
        var served: [(Int32, Double)] = []
        if !fixed {
            base = cost(c, c) - lambda[c]
            served.append((Int32(c), 1))
        }
        var negatives: [(Int32, Double)] = []
        reduced.reserveCapacity(n)
        for i in 0..<n where fixed || i != c {
            let r = cost(i, c) - lambda[i]
            reduced.append((Int32(i), r))
            if r < 0 { negatives.append((Int32(i), r)) }
        }
        var plain = base
        for (_, r) in negatives { plain += r }
        var rho = plain
        var bestServed = served + negatives.map { ($0.0, 1.0) }
        let slot = fixed ? c : 0
        for req in requirements {
            let lower = req.lower[slot], upper = req.upper[slot]
            var load = fixed ? 0 : req.values[c]
            guard load <= upper + 1e-9 else { return (.infinity, served) }
            // Negative items by cost per weight (most negative first); zero-weight ones are free.
            var value = base
            var takenLoad = load
            let ordered = negatives.sorted { a, b in
                let wa = req.values[Int(a.0)], wb = req.values[Int(b.0)]
                let ra = wa > 0 ? a.1 / wa : -Double.infinity, rb = wb > 0 ? b.1 / wb : -Double.infinity
                return ra < rb || (ra == rb && a.0 < b.0)
            }
            var taken: [(Int32, Double)] = served
            for (i, r) in ordered {
                let w = req.values[Int(i)]
                if w <= 0 || takenLoad + w <= upper {
                    value += r
                    takenLoad += w
                    taken.append((i, 1))
                } else {
                    let fraction = max(0, (upper - takenLoad) / w)
                    if fraction > 0 {
                        value += r * fraction
                        takenLoad += w * fraction
                        taken.append((i, fraction))
                    }
                    break
                }
            }
            load = takenLoad
            if !(lower > 0), let exact = integerKnapsack(negatives, weights: req.values, room: upper - (fixed ? 0 : req.values[c])) {
                // Integral weights and a small room: the 0-1 knapsack itself (a stronger bound
                // than its continuous relaxation, as in the classic capacitated p-median bounds).
                let value = base + exact.value
                if value > rho {
                    rho = value
                    bestServed = served + exact.taken.map { ($0, 1.0) }
                }
                continue
            }
            if load < lower - 1e-9 {
                // Reach the lower bound with the cheapest remaining weight.
                var rest = reduced.filter { $0.1 >= 0 && req.values[Int($0.0)] > 0 }
                rest.sort { a, b in (a.1 / req.values[Int(a.0)], a.0) < (b.1 / req.values[Int(b.0)], b.0) }
                for (i, r) in rest {
                    let w = req.values[Int(i)]
                    let fraction = min(1, (lower - load) / w)
                    value += r * fraction
                    load += w * fraction
                    taken.append((i, fraction))
                    if load >= lower - 1e-9 { break }
                }
                if load < lower - 1e-9 { return (.infinity, served) }
            }
            if value > rho {
                rho = value
                bestServed = taken
            }
        }
        return (rho, bestServed)
    }

    /// Free centers, one requirement with integral weights and no lower band: the bound with
    /// unit i forced to center j, for every pair, at λ. Center j's subproblem with i forced is
    /// exact: r_ij plus the best 0-1 knapsack of the other negative items in the room left by
    /// w_i (for an item of the knapsack, the best over splits of the room between a forward
    /// table of the items before it and a backward table of those after it). The k − 1 cheapest
    /// other centers complete the bound. Nil when the tables would be too large.
    /// - Complexity: O(n · (m + n) · C) time for m negative items and room C per center (one
    ///   pair of tables per center), O(m · C) memory per center (parallel over centers), O(n²)
    ///   for the result.
    static func assignmentBounds(
        n: Int, k: Int, lambda: [Double], cost: @Sendable (Int, Int) -> Double,
        requirements: [(values: [Double], lower: [Double], upper: [Double])]
    ) -> [Double]? {
        guard requirements.count == 1, let req = requirements.first, !(req.lower[0] > 0), req.upper[0].isFinite,
              req.values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }), n * n <= 4_000_000 else { return nil }
        let capacity = Int(req.upper[0].rounded(.down))
        guard capacity >= 0, capacity <= 100_000, n * (capacity + 1) <= 4_000_000,
              Double(n) * Double(n) * Double(capacity + 1) <= 5e8 else { return nil }
        let weights = req.values.map { Int($0) }
        // Per center j: ρ_j (its exact subproblem) and, per unit i, its subproblem with i forced
        // in; the k − 1 cheapest other centers are added once every ρ is known.
        let perCenter = parallelMap(n) { j -> (rho: Double, forced: [Double]) in
            var forced = [Double](repeating: .infinity, count: n)
            let room = capacity - weights[j]
            guard room >= 0 else { return (.infinity, forced) }
            let base = cost(j, j) - lambda[j]
            var items: [(unit: Int, value: Double, weight: Int)] = []
            for i in 0..<n where i != j {
                let r = cost(i, j) - lambda[i]
                if r < 0 { items.append((i, r, weights[i])) }
            }
            let width = room + 1, m = items.count
            // forward[p][c]: best with items 0..<p within weight c; backward[p][c]: items p..<m.
            var forward = [Double](repeating: 0, count: (m + 1) * width)
            for p in 0..<m {
                let (_, v, w) = items[p]
                for c in 0..<width {
                    var best = forward[p * width + c]
                    if w <= c { best = min(best, forward[p * width + c - w] + v) }
                    forward[(p + 1) * width + c] = best
                }
            }
            var backward = [Double](repeating: 0, count: (m + 1) * width)
            for p in stride(from: m - 1, through: 0, by: -1) {
                let (_, v, w) = items[p]
                for c in 0..<width {
                    var best = backward[(p + 1) * width + c]
                    if w <= c { best = min(best, backward[(p + 1) * width + c - w] + v) }
                    backward[p * width + c] = best
                }
            }
            let rho = base + forward[m * width + room]
            forced[j] = rho  // j a center (x_jj = y_j)
            var itemIndex = [Int](repeating: -1, count: n)
            for (p, item) in items.enumerated() { itemIndex[item.unit] = p }
            for i in 0..<n where i != j {
                let left = room - weights[i]
                guard left >= 0 else { continue }  // i alone overfills j: infinite bound
                var rest: Double
                if itemIndex[i] < 0 {
                    rest = forward[m * width + left]
                } else {
                    let p = itemIndex[i]
                    rest = .infinity
                    for a in 0...left { rest = min(rest, forward[p * width + a] + backward[(p + 1) * width + left - a]) }
                }
                forced[i] = base + (cost(i, j) - lambda[i]) + rest
            }
            return (rho, forced)
        }
        let rho = perCenter.map(\.rho)
        let order = (0..<n).sorted { (rho[$0], $0) < (rho[$1], $1) }
        let lambdaSum = lambda.reduce(0, +)
        // The k − 1 cheapest centers other than j: the k cheapest minus j, or minus the k-th.
        let kCheapest = order.prefix(k).reduce(0) { $0 + rho[$1] }
        let kth = rho[order[k - 1]]
        var isAmongK = [Bool](repeating: false, count: n)
        for j in order.prefix(k) { isAmongK[j] = true }
        var result = [Double](repeating: .infinity, count: n * n)
        for j in 0..<n {
            let others = isAmongK[j] ? kCheapest - rho[j] : kCheapest - kth
            guard others.isFinite else { continue }
            for i in 0..<n where perCenter[j].forced[i].isFinite { result[i * n + j] = lambdaSum + others + perCenter[j].forced[i] }
        }
        return result
    }

    /// min Σ r_i x_i subject to Σ w_i x_i ≤ room, x binary, over items with negative r_i, by
    /// dynamic programming over the room; nil when a weight is not a non-negative integer or the
    /// table would exceed 4·10⁶ cells. O(items · room).
    static func integerKnapsack(_ items: [(Int32, Double)], weights: [Double], room: Double) -> (value: Double, taken: [Int32])? {
        guard room.isFinite, room >= 0 else { return nil }
        let capacity = Int(room.rounded(.down))
        guard capacity <= 100_000, items.count * (capacity + 1) <= 4_000_000 else { return nil }
        var free = 0.0
        var freeTaken: [Int32] = []
        var packed: [(unit: Int32, value: Double, weight: Int)] = []
        for (i, r) in items {
            let w = weights[Int(i)]
            guard w >= 0, w == w.rounded() else { return nil }
            if w == 0 { free += r; freeTaken.append(i) } else if Int(w) <= capacity { packed.append((i, r, Int(w))) }
        }
        var best = [Double](repeating: 0, count: capacity + 1)
        var take = [Bool](repeating: false, count: packed.count * (capacity + 1))
        for (p, item) in packed.enumerated() {
            for c in stride(from: capacity, through: item.weight, by: -1) {
                let candidate = best[c - item.weight] + item.value
                if candidate < best[c] {
                    best[c] = candidate
                    take[p * (capacity + 1) + c] = true
                }
            }
        }
        var taken = freeTaken
        var c = capacity
        for p in stride(from: packed.count - 1, through: 0, by: -1) where take[p * (capacity + 1) + c] {
            taken.append(packed[p].unit)
            c -= packed[p].weight
        }
        return (free + best[capacity], taken)
    }
}
