import TerritoryCore

/// Quick proofs that a problem has no feasible plan, each with an explanation that names the
/// requirement and the size of the gap. Returns an empty list when no such proof is found
/// (which does not prove feasibility).
///
/// Checks: a unit larger than every territory's upper bound; measure totals that cannot fit
/// k territories' lower or upper bounds; a locked unit or a segment no territory may take;
/// with contiguity, connected components that cannot host whole territories and units that fit
/// no connected territory within the bands (`ConnectedDistrictSearch`, capped).
/// - Complexity: O(n + m + k·r) plus O(c·k) for c components.
public func infeasibilityProofs(_ problem: DesignProblem) -> [String] {
    var reasons: [String] = []
    let k = problem.k, n = problem.unitCount
    if k > n {
        reasons.append("k = \(k) exceeds the number of units (\(n)): at least \(k - n) territor\(k - n == 1 ? "y" : "ies") would be empty")
        return reasons
    }
    let units = problem.units
    for req in problem.balance {
        let m = units.measures[req.measure]
        let total = m.total
        var sumUpper = 0.0, sumLower = 0.0, maxUpper = -Double.infinity
        for t in 0..<k {
            let u = req.upperBound(t, total: total, k: k)
            sumUpper += u
            sumLower += max(0, req.lowerBound(t, total: total, k: k))
            maxUpper = max(maxUpper, u)
        }
        if sumUpper < total * (1 - 1e-12) {
            reasons.append("\(m.name): the territories' upper bounds add up to \(fmtNumber(sumUpper)), less than the total \(fmtNumber(total)) by \(fmtNumber(total - sumUpper))")
        }
        if sumLower > total * (1 + 1e-12) {
            reasons.append("\(m.name): the territories' lower bounds add up to \(fmtNumber(sumLower)), more than the total \(fmtNumber(total)) by \(fmtNumber(sumLower - total))")
        }
        if let big = m.values.indices.max(by: { m.values[$0] < m.values[$1] }), m.values[big] > maxUpper * (1 + 1e-9) {
            reasons.append("\(m.name): unit \(units.ids[big]) alone has \(fmtNumber(m.values[big])), more than any territory may hold (\(fmtNumber(maxUpper))) by \(fmtNumber(m.values[big] - maxUpper))")
        }
    }
    if let segments = units.segments {
        var served = Set<String>()
        var anyUnrestricted = false
        for spec in problem.territories {
            if let allowed = spec.allowedSegments { served.formUnion(allowed) } else { anyUnrestricted = true }
        }
        if !anyUnrestricted {
            let orphans = (0..<n).filter { !segments[$0].isEmpty && !served.contains(segments[$0]) }
            if !orphans.isEmpty {
                reasons.append("\(orphans.count) unit\(orphans.count == 1 ? "" : "s") belong to segments no territory serves (e.g. unit \(units.ids[orphans[0]]), segment \(segments[orphans[0]]))")
            }
        }
    }
    if problem.requiresContiguity, let adjacency = problem.adjacency {
        reasons += contiguityProofs(problem, adjacency: adjacency)
        // Exhaustive district search: some unit may fit no contiguous territory within the
        // bands. Capped at about 3·10⁷ elementary steps (a fraction of a second), so it only decides
        // small instances (county graphs) and costs little elsewhere.
        if reasons.isEmpty, n <= 20_000, var search = ConnectedDistrictSearch(problem),
           let proof = search.proveInfeasible(ids: units.ids, nodeLimit: max(1, 30_000_000 / (n + adjacency.edgeCount))) {
            reasons.append(proof)
        }
    }
    return reasons
}

/// With contiguity every territory lies inside one connected component, so component c must
/// host some number m_c ≥ 1 of whole territories whose bands can hold its totals, and Σ m_c = k.
func contiguityProofs(_ problem: DesignProblem, adjacency: Adjacency) -> [String] {
    let n = problem.unitCount, k = problem.k
    var component = [Int](repeating: -1, count: n)
    var sizes: [Int] = []
    var stack: [Int] = []
    for s in 0..<n where component[s] < 0 {
        let c = sizes.count
        sizes.append(0)
        component[s] = c
        stack.append(s)
        while let u = stack.popLast() {
            sizes[c] += 1
            for v in adjacency.neighbours(of: u) where component[Int(v)] < 0 {
                component[Int(v)] = c
                stack.append(Int(v))
            }
        }
    }
    let c = sizes.count
    if c == 1 { return [] }
    if c > k {
        return ["contiguity: the adjacency graph has \(c) connected components but only k = \(k) territories; every component needs a territory of its own (\(c - k) too few)"]
    }
    // Range of territory counts each component can host, from each band on equal targets.
    var minCount = [Int](repeating: 1, count: c), maxCount = sizes
    for req in problem.balance where req.targetShares == nil {
        let measure = problem.units.measures[req.measure]
        let total = measure.total
        let upper = req.upperBound(0, total: total, k: k)
        let lower = req.lowerBound(0, total: total, k: k)
        var componentTotal = [Double](repeating: 0, count: c)
        for i in 0..<n { componentTotal[component[i]] += measure.values[i] }
        for j in 0..<c {
            if upper.isFinite && upper > 0 { minCount[j] = max(minCount[j], Int((componentTotal[j] / upper - 1e-9).rounded(.up))) }
            if lower > 0 { maxCount[j] = min(maxCount[j], Int((componentTotal[j] / lower + 1e-9).rounded(.down))) }
        }
    }
    var reasons: [String] = []
    for j in 0..<c where minCount[j] > maxCount[j] {
        reasons.append("contiguity: a connected component of \(sizes[j]) units cannot be split into whole territories within the balance bands (it needs at least \(minCount[j]) and at most \(maxCount[j]) territories)")
    }
    let low = minCount.reduce(0, +), high = maxCount.reduce(0, +)
    if reasons.isEmpty && (low > k || high < k) {
        reasons.append("contiguity: the \(c) connected components need between \(low) and \(high) territories in total within the balance bands, but k = \(k)")
    }
    return reasons
}

/// Integers without decimals, others with up to 3 decimals.
func fmtNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return String((x * 1000).rounded() / 1000)
}
