import TerritoryCore

/// The medoid of a set of units: the member minimising the weighted sum of distances from all
/// members to it, `S(m) = Σ_i w_i · d(i, m)`; ties go to the member with the lowest index
/// (the one listed first in the units file).
///
/// Exact. For coordinate metrics it prunes with convexity: embedded in 3-D (the plane, or the
/// sphere for haversine, where chords never exceed arcs), `S` is bounded below by the convex
/// function `Ŝ(p) = Σ_i w_i·|p − p_i|`, and `Ŝ` lies above every tangent plane
/// `Ŝ(q) + ∇Ŝ(q)·(p − q)`. Tangent planes at a few dozen points around the geometric median give
/// a lower bound for every member in O(1) each; members are then evaluated exactly in
/// increasing bound order until the bound exceeds the best sum. Typically a handful of O(n_t)
/// sums are needed instead of n_t. Explicit matrices use the plain scan.
///
/// - Parameter members: unit indices, ascending (as in ``TerritoryMembers``).
/// - Returns: the medoid and its sum `S`; nil for an empty set.
/// - Complexity: O(n_t log n_t) typical, O(n_t²) worst case; O(n_t) memory.
public func medoid(
    of members: ArraySlice<Int32>, distances: Distances, weights: [Double]?
) -> (unit: Int, cost: Double)? {
    guard let first = members.first else { return nil }
    if members.count == 1 { return (Int(first), 0) }
    if !distances.hasMetricBounds || members.count <= 64 {
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
    var points = [SIMD3<Double>](repeating: .zero, count: count)
    var weight = [Double](repeating: 1, count: count)
    var totalW = 0.0
    var mean = SIMD3<Double>.zero
    for p in 0..<count {
        let i = Int(members[base + p])
        points[p] = distances.embedding(of: i)
        if let weights { weight[p] = weights[i] }
        totalW += weight[p]
        mean += points[p]
    }
    mean /= Double(count)
    guard totalW > 0 else { return (Int(members.first!), 0) }

    // Ŝ(q) and a subgradient at q. O(n_t).
    func sumAndGradient(_ q: SIMD3<Double>) -> (Double, SIMD3<Double>) {
        var sum = 0.0
        var gradient = SIMD3<Double>.zero
        for p in 0..<count {
            let delta = q - points[p]
            let length = (delta * delta).sum().squareRoot()
            if length > 0 {
                sum += weight[p] * length
                gradient += (weight[p] / length) * delta
            }
        }
        return (sum, gradient)
    }

    // Approximate geometric median (Weiszfeld), the center of the tangent points.
    var center = mean
    for _ in 0..<12 {
        var numerator = SIMD3<Double>.zero, denominator = 0.0
        for p in 0..<count {
            let delta = center - points[p]
            let length = Swift.max((delta * delta).sum().squareRoot(), 1e-12)
            numerator += (weight[p] / length) * points[p]
            denominator += weight[p] / length
        }
        center = numerator / denominator
    }
    var radius = 0.0
    for p in 0..<count {
        let delta = points[p] - center
        radius = Swift.max(radius, (delta * delta).sum().squareRoot())
    }
    // Two directions spanning the surface at the center (the plane, or the sphere's tangent plane).
    let normal: SIMD3<Double> = distances.metric == .haversine ? center / Swift.max((center * center).sum().squareRoot(), 1e-12) : SIMD3(0, 0, 1)
    var u = abs(normal.x) < 0.9 ? SIMD3<Double>(1, 0, 0) : SIMD3<Double>(0, 1, 0)
    u -= (u * normal).sum() * normal
    u /= (u * u).sum().squareRoot()
    let v = SIMD3(normal.y * u.z - normal.z * u.y, normal.z * u.x - normal.x * u.z, normal.x * u.y - normal.y * u.x)

    // Tangent planes at the center and on rings of halving radius, 8 directions each.
    var planes: [(point: SIMD3<Double>, value: Double, gradient: SIMD3<Double>)] = []
    let (centerValue, centerGradient) = sumAndGradient(center)
    planes.append((center, centerValue, centerGradient))
    let spacing = radius / Double(count).squareRoot()
    var ring = radius / 2
    while ring >= spacing / 2 && planes.count < 80 {
        for k in 0..<8 {
            let angle = Double(k) * .pi / 4 + (planes.count % 16 == 1 ? 0 : .pi / 8)
            let q = center + ring * (cosine(angle) * u + sine(angle) * v)
            let (value, gradient) = sumAndGradient(q)
            planes.append((q, value, gradient))
        }
        ring /= 2
    }
    let slack = distances.truncationSlack * totalW
    var bound = [Double](repeating: 0, count: count)
    for p in 0..<count {
        var best = -Double.infinity
        for plane in planes {
            best = Swift.max(best, plane.value + (plane.gradient * (points[p] - plane.point)).sum())
        }
        bound[p] = best - slack
    }
    var order = Array(0..<count)
    order.sort { bound[$0] < bound[$1] || (bound[$0] == bound[$1] && $0 < $1) }
    var best = (unit: Int.max, cost: Double.infinity)
    for p in order {
        // Relative margin: bounds and sums are computed in different orders and embeddings.
        let margin = 1e-9 * Swift.max(1, abs(best.cost))
        if bound[p] > best.cost + margin { break }
        let m = Int(members[base + p])
        let s = sumOfDistances(to: m, from: members, distances: distances, weights: weights)
        if s < best.cost || (s == best.cost && m < best.unit) { best = (m, s) }
    }
    return best
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func cosine(_ x: Double) -> Double { cos(x) }
@inline(__always) func sine(_ x: Double) -> Double { sin(x) }
