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
