import TerritoryCore

/// The medoid of a set of units: the member minimising the weighted sum of distances from all
/// members to it, `S(m) = Σ_i w_i · d(i, m)`; ties go to the member with the lowest index
/// (the one listed first in the units file).
///
/// Exact. For coordinate metrics it prunes with a triangle-inequality lower bound
/// `S(m) ≥ Σ_i w_i · |d(i, g) − d(m, g)|` around the members' mean point g, evaluating
/// candidates in increasing bound order and stopping once the bound exceeds the best sum;
/// typically a handful of O(n_t) sums instead of n_t of them. Explicit matrices use the plain
/// scan.
///
/// - Parameter members: unit indices, ascending (as in ``TerritoryMembers``).
/// - Returns: the medoid and its sum `S`; nil for an empty set.
/// - Complexity: O(n_t log n_t) typical, O(n_t²) worst case; O(n_t) memory.
public func medoid(
    of members: ArraySlice<Int32>, distances: Distances, weights: [Double]?
) -> (unit: Int, cost: Double)? {
    guard let first = members.first else { return nil }
    if members.count == 1 { return (Int(first), 0) }
    if !distances.hasMetricBounds || members.count <= 48 {
        return bruteForceMedoid(of: members, distances: distances, weights: weights)
    }
    return prunedMedoid(of: members, distances: distances, weights: weights)
}

/// `S(m) = Σ_{i ∈ members} w_i · d(i, m)`, summed in member order. O(n_t).
@inlinable
public func sumOfDistances(to m: Int, from members: ArraySlice<Int32>, distances: Distances, weights: [Double]?) -> Double {
    var sum = 0.0
    if let weights {
        for i in members { sum += weights[Int(i)] * distances(Int(i), m) }
    } else {
        for i in members { sum += distances(Int(i), m) }
    }
    return sum
}

/// Travel of a territory to a fixed center: `Σ_i w_i · d(i, c)`. O(n_t).
public func travel(of members: ArraySlice<Int32>, to center: Center, distances: Distances, weights: [Double]?) -> Double {
    switch center {
    case .unit(let c):
        return sumOfDistances(to: c, from: members, distances: distances, weights: weights)
    case .point(let p):
        var sum = 0.0
        for i in members { sum += (weights?[Int(i)] ?? 1) * distances(Int(i), p) }
        return sum
    }
}

func bruteForceMedoid(of members: ArraySlice<Int32>, distances: Distances, weights: [Double]?) -> (unit: Int, cost: Double) {
    var best = (unit: Int(members.first!), cost: Double.infinity)
    for m in members {
        let s = sumOfDistances(to: Int(m), from: members, distances: distances, weights: weights)
        if s < best.cost { best = (Int(m), s) }  // strict: earlier members win ties
    }
    return best
}

func prunedMedoid(of members: ArraySlice<Int32>, distances: Distances, weights: [Double]?) -> (unit: Int, cost: Double) {
    let count = members.count
    let base = members.startIndex
    // Reference point: the members' mean (any point gives a valid bound; a central one a tight one).
    var gx = 0.0, gy = 0.0
    for i in members {
        let p = distances.coordinates(of: Int(i))
        gx += p.x
        gy += p.y
    }
    let g = Point(x: gx / Double(count), y: gy / Double(count))
    var radius = [Double](repeating: 0, count: count)
    var weight = [Double](repeating: 1, count: count)
    var totalW = 0.0, totalWR = 0.0
    for p in 0..<count {
        let i = Int(members[base + p])
        radius[p] = distances.metricDistance(i, g)
        if let weights { weight[p] = weights[i] }
        totalW += weight[p]
        totalWR += weight[p] * radius[p]
    }
    var order = Array(0..<count)
    order.sort { radius[$0] < radius[$1] }
    // Lower bound per member from prefix sums over the radius order.
    var bound = [Double](repeating: 0, count: count)
    var belowW = 0.0, belowWR = 0.0
    let slack = distances.truncationSlack * totalW
    for p in order {
        let r = radius[p], w = weight[p]
        let aboveW = totalW - belowW - w
        let aboveWR = totalWR - belowWR - w * r
        bound[p] = (r * belowW - belowWR) + (aboveWR - r * aboveW) - slack
        belowW += w
        belowWR += w * r
    }
    order.sort { bound[$0] < bound[$1] || (bound[$0] == bound[$1] && $0 < $1) }
    var best = (unit: Int.max, cost: Double.infinity)
    for p in order {
        let margin = 1e-9 * Swift.max(1, abs(best.cost))
        if bound[p] > best.cost + margin { break }
        let m = Int(members[base + p])
        let s = sumOfDistances(to: m, from: members, distances: distances, weights: weights)
        if s < best.cost || (s == best.cost && m < best.unit) { best = (m, s) }
    }
    return best
}

