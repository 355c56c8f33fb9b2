import TerritoryCore

/// Fixed-degree or variable-degree neighbour lists in compressed rows.
struct NeighbourLists: Sendable {
    let offsets: [Int]
    let ids: [Int32]

    subscript(i: Int) -> ArraySlice<Int32> { ids[offsets[i]..<offsets[i + 1]] }

    /// The adjacency graph's neighbours.
    init(adjacency: Adjacency) {
        var offsets = [0]
        var ids: [Int32] = []
        ids.reserveCapacity(adjacency.edgeCount * 2)
        for i in 0..<adjacency.unitCount {
            ids.append(contentsOf: adjacency.neighbours(of: i))
            offsets.append(ids.count)
        }
        self.offsets = offsets
        self.ids = ids
    }

    /// Each unit's `count` nearest other units (ties by index).
    /// - Complexity: O(n log n + n·count·log n) with coordinates (parallel); O(n²) with a matrix.
    init(nearestOf problem: DesignProblem, count: Int) {
        let n = problem.unitCount
        let want = min(count, n - 1)
        var ids = [Int32](repeating: 0, count: n * max(want, 0))
        if want > 0 {
            let distances = problem.distances
            if distances.metric == .matrix {
                for i in 0..<n {
                    var row: [(Double, Int32)] = []
                    row.reserveCapacity(n - 1)
                    for j in 0..<n where j != i { row.append((distances(i, j), Int32(j))) }
                    row.sort { $0 < $1 }
                    for q in 0..<want { ids[i * want + q] = row[q].1 }
                }
            } else {
                let points = (0..<n).map { distances.embedding(of: $0) }
                let tree = KDTree(points: points)
                let chunk = 4096
                let chunks = (n + chunk - 1) / chunk
                let parts = parallelMap(chunks) { c -> [Int32] in
                    var out: [Int32] = []
                    out.reserveCapacity(chunk * want)
                    for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                        for hit in tree.nearest(to: points[i], count: want, excluding: Int32(i)) { out.append(hit.id) }
                    }
                    return out
                }
                ids = parts.flatMap { $0 }
            }
        }
        self.offsets = (0...n).map { $0 * max(want, 0) }
        self.ids = ids
    }
}

/// For every unit, its `count` nearest territory centers (territory indices, nearest first).
struct CenterCandidates: Sendable {
    let count: Int
    private(set) var ids: [Int32]

    subscript(i: Int) -> ArraySlice<Int32> { ids[(i * count)..<((i + 1) * count)] }

    init(problem: DesignProblem, centers: [Center], count wanted: Int) {
        let n = problem.unitCount, k = centers.count
        let q = min(wanted, k)
        self.count = q
        let distances = problem.distances
        if distances.metric == .matrix || k <= 2 * q {
            // Direct scan: k is small, or there is no embedding (matrix).
            let chunk = 2048
            let parts = parallelMap((n + chunk - 1) / chunk) { c -> [Int32] in
                var out: [Int32] = []
                var row: [(Double, Int32)] = Array(repeating: (0, 0), count: k)
                for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                    for t in 0..<k { row[t] = (distanceTo(distances, i, centers[t]), Int32(t)) }
                    row.sort { $0 < $1 }
                    for p in 0..<q { out.append(row[p].1) }
                }
                return out
            }
            ids = parts.flatMap { $0 }
            return
        }
        let points = centers.map { center -> SIMD3<Double> in
            switch center {
            case .unit(let u): return distances.embedding(of: u)
            case .point(let p): return distances.embedding(of: p)
            }
        }
        let tree = KDTree(points: points)
        let chunk = 4096
        let parts = parallelMap((n + chunk - 1) / chunk) { c -> [Int32] in
            var out: [Int32] = []
            out.reserveCapacity(chunk * q)
            for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                for hit in tree.nearest(to: distances.embedding(of: i), count: q) { out.append(hit.id) }
            }
            return out
        }
        ids = parts.flatMap { $0 }
    }
}

/// Distance from unit `i` to a center.
@inline(__always)
func distanceTo(_ distances: Distances, _ i: Int, _ center: Center) -> Double {
    switch center {
    case .unit(let u): return distances(i, u)
    case .point(let p): return distances(i, p)
    }
}
