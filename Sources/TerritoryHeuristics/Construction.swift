import TerritoryCore

/// Regret-ordered greedy assignment to fixed centers that honors every upper bound where it can:
/// units with the most to lose (the gap between their nearest and second-nearest candidate
/// center) choose first, each taking the nearest candidate territory with room for it; a unit
/// with no room anywhere goes to its nearest territory (local search repairs the overflow).
/// Locked units go to their territory and eligible territories are respected.
/// - Complexity: O(n·q + n log n).
func regretAssignment(
    problem: DesignProblem, centers: [Center], candidates: CenterCandidates, rules: SearchRules
) -> [Int32] {
    let n = problem.unitCount, k = problem.k
    let distances = problem.distances
    let totals = problem.measureTotals
    let requirements = problem.balance
    var sums = [Double](repeating: 0, count: requirements.count * k)
    var assignment = [Int32](repeating: -1, count: n)
    var order: [(regret: Double, unit: Int)] = []
    order.reserveCapacity(n)
    for i in 0..<n {
        if let t = rules.lockedTerritory[i] {
            assignment[i] = Int32(t)
            for (r, req) in requirements.enumerated() { sums[r * k + t] += problem.units.measures[req.measure].values[i] }
            continue
        }
        let c = candidates[i]
        let d1 = distanceTo(distances, i, centers[Int(c[c.startIndex])])
        let d2 = c.count > 1 ? distanceTo(distances, i, centers[Int(c[c.startIndex + 1])]) : d1
        order.append((d2 - d1, i))
    }
    order.sort { $0.regret > $1.regret || ($0.regret == $1.regret && $0.unit < $1.unit) }
    let upper: [Double] = requirements.enumerated().flatMap { r, req in
        (0..<k).map { t in req.upperBound(t, total: totals[req.measure], k: k) }
    }
    for (_, i) in order {
        var chosen = -1
        var fallback = -1
        for t32 in candidates[i] {
            let t = Int(t32)
            guard rules.canServe(t, i) else { continue }
            if fallback < 0 { fallback = t }
            var fits = true
            for (r, req) in requirements.enumerated() where sums[r * k + t] + problem.units.measures[req.measure].values[i] > upper[r * k + t] {
                fits = false
                break
            }
            if fits { chosen = t; break }
        }
        if chosen < 0 {
            // No candidate has room: the eligible territory with the most room on the tightest requirement.
            var bestRoom = -Double.infinity
            for t in 0..<k where rules.canServe(t, i) {
                var room = Double.infinity
                for r in requirements.indices { room = min(room, (upper[r * k + t] - sums[r * k + t]) / max(abs(upper[r * k + t]), 1e-12)) }
                if room > bestRoom { bestRoom = room; chosen = t }
            }
            if chosen < 0 { chosen = fallback >= 0 ? fallback : Int(candidates[i].first!) }
        }
        assignment[i] = Int32(chosen)
        for (r, req) in requirements.enumerated() { sums[r * k + chosen] += problem.units.measures[req.measure].values[i] }
    }
    return assignment
}

/// Grows k contiguous territories from seed units over the adjacency graph: the territory with
/// the smallest share of its target takes its frontier unit nearest to its seed, until every
/// reachable unit is assigned. Units in components without a seed join their nearest seed's
/// territory (contiguity cannot hold there; the pre-checks report it).
/// - Complexity: O((n + m) log n).
func contiguousGrowth(problem: DesignProblem, seeds: [Int], adjacency: Adjacency, weights: [Double], rules: SearchRules) -> [Int32] {
    let n = problem.unitCount, k = problem.k
    let distances = problem.distances
    var assignment = [Int32](repeating: -1, count: n)
    var load = [Double](repeating: 0, count: k)
    // One frontier heap per territory: (distance to seed, unit).
    var frontier = [[(Double, Int32)]](repeating: [], count: k)
    func push(_ t: Int, _ u: Int) {
        frontier[t].append((distances(u, seeds[t]), Int32(u)))
        var c = frontier[t].count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if frontier[t][p] <= frontier[t][c] { break }
            frontier[t].swapAt(p, c)
            c = p
        }
    }
    func pop(_ t: Int) -> Int? {
        guard !frontier[t].isEmpty else { return nil }
        let top = frontier[t][0]
        let last = frontier[t].removeLast()
        if !frontier[t].isEmpty {
            frontier[t][0] = last
            var c = 0
            while true {
                let l = 2 * c + 1, r = l + 1
                var m = c
                if l < frontier[t].count && frontier[t][l] < frontier[t][m] { m = l }
                if r < frontier[t].count && frontier[t][r] < frontier[t][m] { m = r }
                if m == c { break }
                frontier[t].swapAt(m, c)
                c = m
            }
        }
        return Int(top.1)
    }
    func take(_ t: Int, _ u: Int) {
        assignment[u] = Int32(t)
        load[t] += weights[u]
        for v in adjacency.neighbours(of: u) where assignment[Int(v)] < 0 { push(t, Int(v)) }
    }
    for (t, s) in seeds.enumerated() where assignment[s] < 0 { take(t, s) }
    // Locked units join their territory's growth as extra seeds.
    for i in 0..<n { if let t = rules.lockedTerritory[i], assignment[i] < 0 { take(t, i) } }
    var active = Set(0..<k)
    while !active.isEmpty {
        // The territory furthest below its share grows next (ties: lowest index).
        let t = active.min { (load[$0], $0) < (load[$1], $1) }!
        var grown = false
        while let u = pop(t) {
            if assignment[u] >= 0 || !rules.canServe(t, u) { continue }
            take(t, u)
            grown = true
            break
        }
        if !grown { active.remove(t) }
    }
    // Units no seed could reach: nearest seed.
    for i in 0..<n where assignment[i] < 0 {
        var best = 0
        for t in 1..<k where distances(i, seeds[t]) < distances(i, seeds[best]) { best = t }
        assignment[i] = Int32(best)
    }
    return assignment
}

/// Band-price assignment to fixed centers (a Lagrangian relaxation of the bands): each unit joins
/// the candidate territory with the lowest *priced* cost, w_i·d(i, c_t) + Σ_r π_tr·a_ir, where the
/// price π_tr of requirement r in territory t rises while t is over its band and falls while it
/// is under (projected subgradient steps, halved whenever 20 steps bring no better assignment). The prices converge toward the LP
/// relaxation's duals, so the assignment lands close to the LP optimum: nearly balanced, with
/// the cost structure of the best plans, and only the units on price ties left for the local
/// search to settle. The iteration with the least total relative excess (then travel) is kept.
/// Locked units stay, eligible territories are respected.
/// - Complexity: O(iterations · n · q · measures); iterations fall with n (n·iterations ≤ 3·10⁷),
///   and end early at `deadline`.
func bandPriceAssignment(
    problem: DesignProblem, centers: [Center], candidates: CenterCandidates, rules: SearchRules,
    deadline: ContinuousClock.Instant? = nil
) -> [Int32] {
    let n = problem.unitCount, k = problem.k
    let totals = problem.measureTotals
    let requirements = problem.balance
    let m = requirements.count
    let values = requirements.map { problem.units.measures[$0.measure].values }
    let lower = requirements.map { req in (0..<k).map { req.lowerBound($0, total: totals[req.measure], k: k) } }
    let upper = requirements.map { req in (0..<k).map { req.upperBound($0, total: totals[req.measure], k: k) } }
    let target = requirements.map { req in (0..<k).map { max(req.target($0, total: totals[req.measure], k: k), 1e-12) } }
    // Candidate costs once: q per unit.
    let q = candidates.count
    var cost = [Double](repeating: 0, count: n * q)
    var meanCost = 0.0
    for i in 0..<n {
        for (p, t) in candidates[i].enumerated() {
            cost[i * q + p] = problem.units.weight(i) * distanceTo(problem.distances, i, centers[Int(t)])
        }
        meanCost += cost[i * q]
    }
    meanCost = max(meanCost / Double(max(n, 1)), 1e-12)
    // A price step of θ moves a unit worth 1/θ of the mean travel per target (scale-free).
    let unitsPerTerritory = Double(n) / Double(k)
    // Price = α − β: α ≥ 0 prices the upper bound, β ≥ 0 the lower one (projected subgradient).
    var alpha = [Double](repeating: 0, count: m * k), beta = [Double](repeating: 0, count: m * k)
    var price = [Double](repeating: 0, count: m * k)
    var assignment = [Int32](repeating: -1, count: n)
    var best: (excess: Double, travel: Double, assignment: [Int32])?
    let iterations = max(20, min(2000, 30_000_000 / max(n * max(q, 1), 1)))
    // The step halves after 20 iterations without a better assignment.
    var theta = 0.5
    var sinceBest = 0
    for _ in 0..<iterations {
        var load = [Double](repeating: 0, count: m * k)
        var travel = 0.0
        for i in 0..<n {
            var chosen = -1, chosenCost = Double.infinity, chosenTravel = 0.0
            if let t = rules.lockedTerritory[i] {
                chosen = t
                chosenTravel = problem.units.weight(i) * distanceTo(problem.distances, i, centers[t])
            } else {
                for (p, t32) in candidates[i].enumerated() {
                    let t = Int(t32)
                    guard rules.canServe(t, i) else { continue }
                    var priced = cost[i * q + p]
                    for r in 0..<m { priced += price[r * k + t] * values[r][i] }
                    if priced < chosenCost { chosenCost = priced; chosen = t; chosenTravel = cost[i * q + p] }
                }
                if chosen < 0 {
                    // No eligible candidate: the nearest eligible territory at all.
                    var nearest = Double.infinity
                    for t in 0..<k where rules.canServe(t, i) {
                        let d = problem.units.weight(i) * distanceTo(problem.distances, i, centers[t])
                        if d < nearest { nearest = d; chosen = t; chosenTravel = d }
                    }
                    if chosen < 0 { chosen = Int(candidates[i].first!) }
                }
            }
            assignment[i] = Int32(chosen)
            travel += chosenTravel
            for r in 0..<m { load[r * k + chosen] += values[r][i] }
        }
        var excess = 0.0
        for r in 0..<m {
            for t in 0..<k {
                let a = load[r * k + t]
                let over = max(0, a - upper[r][t]), under = max(0, lower[r][t] - a)
                excess += (over + under) / target[r][t]
                // A step of θ·(relative slack) in cost per measure unit, scaled so that a unit of
                // average size moves by θ·slack·(mean travel).
                let step = theta * meanCost / max(target[r][t] / unitsPerTerritory, 1e-12)
                let j = r * k + t
                if upper[r][t].isFinite { alpha[j] = max(0, alpha[j] + step * (a - upper[r][t]) / target[r][t]) }
                if lower[r][t].isFinite { beta[j] = max(0, beta[j] + step * (lower[r][t] - a) / target[r][t]) }
                price[j] = alpha[j] - beta[j]
            }
        }
        if best == nil || excess < best!.excess - 1e-12 || (abs(excess - best!.excess) <= 1e-12 && travel < best!.travel) {
            best = (excess, travel, assignment)
            sinceBest = 0
        } else {
            sinceBest += 1
            if sinceBest >= 20 { theta *= 0.5; sinceBest = 0 }
        }
        // Done when balanced, or at the deadline.
        if excess == 0 { break }
        if let deadline, ContinuousClock.now >= deadline { break }
    }
    return best?.assignment ?? assignment
}
