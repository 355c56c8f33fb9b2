/// A static k-d tree over 3-D points (the metric embedding of units or centers) answering
/// k-nearest-neighbour queries by straight-line distance.
///
/// Nearest by embedding distance is nearest by the metric for planar and haversine distances
/// (chords grow with arcs); for truncated distances it is nearest up to ties.
/// - Complexity: build O(n log n); a query for q neighbours O(q log n) typical. Memory O(n).
struct KDTree: Sendable {
    private var order: [Int32]  // point ids, permuted into tree order
    private var coordinates: [SIMD3<Double>]  // coordinates in tree order
    private var axes: [UInt8]  // split axis of the node centered at each position

    init(points: [SIMD3<Double>], ids: [Int32]? = nil) {
        let ids = ids ?? (0..<points.count).map(Int32.init)
        precondition(ids.count == points.count)
        var order = Array(0..<points.count)
        var axes = [UInt8](repeating: 0, count: points.count)
        KDTree.build(&order, &axes, points, 0, points.count)
        self.order = order.map { ids[$0] }
        self.coordinates = order.map { points[$0] }
        self.axes = axes
    }

    var count: Int { order.count }

    private static func build(_ order: inout [Int], _ axes: inout [UInt8], _ points: [SIMD3<Double>], _ lo: Int, _ hi: Int) {
        guard hi - lo > 1 else { return }
        var minimum = points[order[lo]], maximum = minimum
        for p in lo..<hi {
            minimum = pointwiseMin(minimum, points[order[p]])
            maximum = pointwiseMax(maximum, points[order[p]])
        }
        let spread = maximum - minimum
        let axis = spread.x >= spread.y && spread.x >= spread.z ? 0 : (spread.y >= spread.z ? 1 : 2)
        let mid = (lo + hi) / 2
        select(&order, points, axis: axis, lo, hi, mid)
        axes[mid] = UInt8(axis)
        build(&order, &axes, points, lo, mid)
        build(&order, &axes, points, mid + 1, hi)
    }

    /// Quickselect: puts the median along `axis` at `k`, smaller left, larger right.
    private static func select(_ order: inout [Int], _ points: [SIMD3<Double>], axis: Int, _ lo: Int, _ hi: Int, _ k: Int) {
        var lo = lo, hi = hi - 1
        while lo < hi {
            let pivot = points[order[(lo + hi) / 2]][axis]
            var i = lo, j = hi
            while i <= j {
                while points[order[i]][axis] < pivot { i += 1 }
                while points[order[j]][axis] > pivot { j -= 1 }
                if i <= j {
                    order.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }

    /// The `count` nearest points to `query` as (id, squared distance), nearest first; ties are
    /// broken by the smaller id so results never depend on tree layout.
    func nearest(to query: SIMD3<Double>, count wanted: Int, excluding excluded: Int32 = -1) -> [(id: Int32, squaredDistance: Double)] {
        let want = min(wanted, order.count - (excluded >= 0 ? 1 : 0))
        guard want > 0 else { return [] }
        var best: [(id: Int32, squaredDistance: Double)] = []
        best.reserveCapacity(want + 1)
        var worst = Double.infinity
        func consider(_ position: Int) {
            let id = order[position]
            if id == excluded { return }
            let delta = coordinates[position] - query
            let d2 = (delta * delta).sum()
            if best.count == want && (d2 > worst || (d2 == worst && id > best[want - 1].id)) { return }
            var insert = best.count
            while insert > 0 && (best[insert - 1].squaredDistance > d2 || (best[insert - 1].squaredDistance == d2 && best[insert - 1].id > id)) {
                insert -= 1
            }
            best.insert((id, d2), at: insert)
            if best.count > want { best.removeLast() }
            if best.count == want { worst = best[want - 1].squaredDistance }
        }
        func search(_ lo: Int, _ hi: Int) {
            guard lo < hi else { return }
            let mid = (lo + hi) / 2
            if hi - lo == 1 { consider(mid); return }
            let axis = Int(axes[mid])
            let diff = query[axis] - coordinates[mid][axis]
            if diff <= 0 {
                search(lo, mid)
                consider(mid)
                if diff * diff <= worst { search(mid + 1, hi) }
            } else {
                search(mid + 1, hi)
                consider(mid)
                if diff * diff <= worst { search(lo, mid) }
            }
        }
        search(0, order.count)
        return best
    }
}
