import TerritoryCore

/// How the first centers (or the first partition) of a restart are chosen.
public enum Seeding: String, Sendable, CaseIterable {
    /// k-means++ (Arthur & Vassilvitskii 2007): each next center is drawn with probability
    /// proportional to `weight × D²`, D the distance to the nearest chosen center. Fixed centers
    /// (rep homes) are kept and count as already chosen.
    case kmeansPlusPlus = "kmeans++"
    /// Recursive bisection: split the units at the weighted median of the longer axis into parts
    /// proportional to the territories each side gets, until k parts remain. Balanced on the
    /// first balanced measure from the start; used for large instances without fixed centers.
    case bisection
    /// Let the solver choose: bisection for large instances without fixed centers, else k-means++.
    case automatic = "auto"
}

/// k-means++ centers: keeps `fixed` (non-nil entries) and draws the others.
/// - Complexity: O(n·k) distance evaluations, O(n) memory.
func kMeansPlusPlusCenters(
    problem: DesignProblem, fixed: [Center?], weights: [Double], rng: inout SplitMix64
) -> [Center] {
    let n = problem.unitCount, k = problem.k
    let distances = problem.distances
    var centers = fixed
    var nearest = [Double](repeating: .infinity, count: n)
    func absorb(_ center: Center) {
        for i in 0..<n {
            let d = distanceTo(distances, i, center)
            if d < nearest[i] { nearest[i] = d }
        }
    }
    var chosen = Set<Int>()
    for case let c? in fixed {
        absorb(c)
        if case .unit(let u) = c { chosen.insert(u) }
    }
    for t in 0..<k where centers[t] == nil {
        var pick: Int
        if chosen.isEmpty && nearest[0] == .infinity {
            // First center: drawn by weight alone.
            pick = sample(weights.indices, weight: { weights[$0] }, total: weights.reduce(0, +), rng: &rng) ?? rng.nextIndex(below: n)
        } else {
            var total = 0.0
            for i in 0..<n where !chosen.contains(i) { total += weights[i] * nearest[i] * nearest[i] }
            if total > 0 {
                pick = sample(0..<n, weight: { chosen.contains($0) ? 0 : weights[$0] * nearest[$0] * nearest[$0] }, total: total, rng: &rng) ?? 0
            } else {
                // Everything coincides with a center: take any unit not chosen yet.
                pick = (0..<n).first { !chosen.contains($0) } ?? 0
            }
        }
        chosen.insert(pick)
        centers[t] = .unit(pick)
        absorb(.unit(pick))
    }
    return centers.map { $0! }
}

/// Draws an index with probability weight/total (nil when rounding runs off the end).
func sample<C: Collection>(_ indices: C, weight: (Int) -> Double, total: Double, rng: inout SplitMix64) -> Int? where C.Element == Int {
    var target = rng.nextUnit() * total
    var last: Int?
    for i in indices {
        let w = weight(i)
        if w <= 0 { continue }
        last = i
        target -= w
        if target < 0 { return i }
    }
    return last
}

/// Recursive coordinate bisection into k parts balanced on `weights`.
/// - Complexity: O(n log n log k).
func bisectionPartition(problem: DesignProblem, weights: [Double]) -> [Int32] {
    let n = problem.unitCount
    var assignment = [Int32](repeating: 0, count: n)
    let points = (0..<n).map { problem.distances.embedding(of: $0) }
    var work: [(units: [Int32], first: Int, parts: Int)] = [((0..<n).map(Int32.init), 0, problem.k)]
    while let (units, first, parts) = work.popLast() {
        if parts == 1 {
            for i in units { assignment[Int(i)] = Int32(first) }
            continue
        }
        var lo = points[Int(units[0])], hi = lo
        for i in units {
            lo = pointwiseMin(lo, points[Int(i)])
            hi = pointwiseMax(hi, points[Int(i)])
        }
        let spread = hi - lo
        let axis = spread.x >= spread.y && spread.x >= spread.z ? 0 : (spread.y >= spread.z ? 1 : 2)
        let sorted = units.sorted { (points[Int($0)][axis], $0) < (points[Int($1)][axis], $1) }
        let leftParts = parts / 2
        let total = sorted.reduce(0.0) { $0 + weights[Int($1)] }
        let goal = total * Double(leftParts) / Double(parts)
        var acc = 0.0
        var cut = 0
        while cut < sorted.count && acc + weights[Int(sorted[cut])] / 2 <= goal {
            acc += weights[Int(sorted[cut])]
            cut += 1
        }
        // Every part needs at least one unit per territory.
        cut = max(leftParts, min(sorted.count - (parts - leftParts), cut))
        work.append((Array(sorted[..<cut]), first, leftParts))
        work.append((Array(sorted[cut...]), first + leftParts, parts - leftParts))
    }
    return assignment
}
