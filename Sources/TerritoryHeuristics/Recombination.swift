import TerritoryCore
import TerritoryEvaluation

/// Cuts of random spanning trees: the tool behind merge-split recombination (the ReCom step of
/// redistricting samplers) and recursive tree partitioning (GerryChain's seed plans).
///
/// For a connected set of units it draws random spanning trees (Kruskal over shuffled edges)
/// and scores every tree edge by the measure sums of the two sides it separates; both sides of
/// a tree cut are connected, so contiguity holds by construction. Balance on several measures
/// is found far more often this way than by moving single boundary units.
/// - Complexity: O(|U| log |U| + r·|U|) per tree for a set of |U| units and r measures.
struct TreeCutter {
    private var mark: [UInt32]
    private var stamp: UInt32 = 0
    private var slot: [Int32]

    init(unitCount: Int) {
        mark = Array(repeating: 0, count: unitCount)
        slot = Array(repeating: -1, count: unitCount)
    }

    /// The best cut found over `trees` random spanning trees of `units`.
    ///
    /// - Parameters:
    ///   - values: per measure, the value of every unit (indexed by unit).
    ///   - score: given the sums of the subtree side and of the rest, returns the cut's score
    ///     (lower is better) and whether the *subtree* side is the one the caller asked for
    ///     (the "piece"); nil rules the cut out.
    /// - Returns: the units of the chosen piece and the score; nil when `units` is not
    ///   connected or no cut is allowed.
    mutating func bestCut(
        of units: [Int32], adjacency: Adjacency, values: [[Double]], trees: Int, rng: inout SplitMix64,
        stopAt goodEnough: Double = 0,
        score: (_ subtree: [Double], _ rest: [Double]) -> (score: Double, subtreeIsPiece: Bool)?
    ) -> (piece: [Int32], score: Double)? {
        let size = units.count
        guard size >= 2 else { return nil }
        stamp &+= 1
        if stamp == 0 { mark = Array(repeating: 0, count: mark.count); stamp = 1 }
        for (p, u) in units.enumerated() {
            mark[Int(u)] = stamp
            slot[Int(u)] = Int32(p)
        }
        var edges: [(Int32, Int32)] = []
        for (p, u) in units.enumerated() {
            for v in adjacency.neighbours(of: Int(u)) where mark[Int(v)] == stamp && Int(slot[Int(v)]) > p {
                edges.append((Int32(p), slot[Int(v)]))
            }
        }
        let measures = values.count
        var totals = [Double](repeating: 0, count: measures)
        var local = [Double](repeating: 0, count: measures * size)
        for r in 0..<measures {
            for (p, u) in units.enumerated() {
                local[r * size + p] = values[r][Int(u)]
                totals[r] += values[r][Int(u)]
            }
        }
        var best: (node: Int, subtreeIsPiece: Bool, score: Double, order: [Int32], parent: [Int32])?
        var parent = [Int32](repeating: -1, count: size)
        var subtree = [Double](repeating: 0, count: measures * size)
        var root = [Int](repeating: 0, count: size)
        var treeAdjacency = [[Int32]](repeating: [], count: size)
        var side = [Double](repeating: 0, count: measures), rest = side
        for _ in 0..<trees {
            var shuffled = edges
            for e in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(e, rng.nextIndex(below: e + 1)) }
            for p in 0..<size {
                root[p] = p
                treeAdjacency[p].removeAll(keepingCapacity: true)
            }
            func find(_ x: Int) -> Int {
                var x = x
                while root[x] != x { root[x] = root[root[x]]; x = root[x] }
                return x
            }
            var joined = 0
            for (u, v) in shuffled {
                let ru = find(Int(u)), rv = find(Int(v))
                if ru == rv { continue }
                root[ru] = rv
                treeAdjacency[Int(u)].append(v)
                treeAdjacency[Int(v)].append(u)
                joined += 1
                if joined == size - 1 { break }
            }
            guard joined == size - 1 else { return nil }
            // Breadth-first order from a random root; subtree sums bottom-up.
            let start = rng.nextIndex(below: size)
            var order: [Int32] = [Int32(start)]
            order.reserveCapacity(size)
            for p in 0..<size { parent[p] = -1 }
            parent[start] = Int32(start)
            var head = 0
            while head < order.count {
                let u = Int(order[head])
                head += 1
                for v in treeAdjacency[u] where parent[Int(v)] < 0 {
                    parent[Int(v)] = Int32(u)
                    order.append(v)
                }
            }
            for i in 0..<(measures * size) { subtree[i] = local[i] }
            for u32 in order.reversed() {
                let u = Int(u32), pu = Int(parent[u])
                guard pu != u else { continue }
                for r in 0..<measures { subtree[r * size + pu] += subtree[r * size + u] }
            }
            for u in 0..<size where u != start {
                for r in 0..<measures {
                    side[r] = subtree[r * size + u]
                    rest[r] = totals[r] - side[r]
                }
                guard let s = score(side, rest) else { continue }
                if best == nil || s.score < best!.score {
                    best = (u, s.subtreeIsPiece, s.score, order, parent)
                }
            }
            if let b = best, b.score <= goodEnough { break }
        }
        guard let chosen = best else { return nil }
        var inSubtree = [Bool](repeating: false, count: size)
        inSubtree[chosen.node] = true
        for u32 in chosen.order {
            let u = Int(u32), pu = Int(chosen.parent[u])
            if pu != u && inSubtree[pu] { inSubtree[u] = true }
        }
        var piece: [Int32] = []
        for p in 0..<size where inSubtree[p] == chosen.subtreeIsPiece { piece.append(units[p]) }
        return (piece, chosen.score)
    }
}

extension SearchContext {
    /// Per balance requirement, the measure values of every unit.
    var requirementValues: [[Double]] {
        problem.balance.map { problem.units.measures[$0.measure].values }
    }

    /// Merge-split of territories a and b along the best cut of random spanning trees of their
    /// union. With `requireImprovement`, applies it only when the pair's penalty drops.
    @discardableResult
    func recombine(_ search: inout LocalSearch, _ cutter: inout TreeCutter, _ a: Int, _ b: Int,
                   rng: inout SplitMix64, requireImprovement: Bool) -> Bool {
        guard let adjacency = problem.adjacency else { return false }
        let state = search.state
        let union = state.members(of: a) + state.members(of: b)
        // Units that may not switch sides.
        for u in union where !(rules.canServe(a, Int(u)) && rules.canServe(b, Int(u))) { return false }
        var before = 0.0
        for r in 0..<state.requirementCount {
            before += state.weights[r] * (state.excess(requirement: r, territory: a) + state.excess(requirement: r, territory: b))
        }
        let requirements = state.requirementCount
        func penalty(_ sideA: [Double], _ sideB: [Double]) -> Double {
            var total = 0.0
            for r in 0..<requirements {
                total += state.weights[r] * (state.excessIf(requirement: r, territory: a, value: sideA[r])
                    + state.excessIf(requirement: r, territory: b, value: sideB[r]))
            }
            return total
        }
        let trees = max(12, min(200, 4000 / max(union.count, 1)))
        guard let cut = cutter.bestCut(of: union, adjacency: adjacency, values: requirementValues, trees: trees, rng: &rng, score: { sub, rest in
            let subtreeToA = penalty(sub, rest), subtreeToB = penalty(rest, sub)
            return subtreeToA <= subtreeToB ? (subtreeToA, true) : (subtreeToB, false)
        }) else { return false }
        if requireImprovement && cut.score >= before - 1e-12 * max(1, before) { return false }
        let toA = Set(cut.piece)
        for u in union {
            let target = toA.contains(u) ? a : b
            if Int(search.state.assignment[Int(u)]) != target { search.forceMove(Int(u), to: target) }
        }
        return true
    }

    /// Recursive tree partitioning (as GerryChain seeds plans): cut one territory at a time off
    /// a random spanning tree of the remaining units, choosing the cut whose piece best meets a
    /// territory's bands while the rest can still host the other territories. Contiguous by
    /// construction on a connected graph. Nil when the graph is disconnected.
    func recursiveTreePartition(rng: inout SplitMix64) -> [Int32]? {
        guard let adjacency = problem.adjacency else { return nil }
        let n = problem.unitCount, k = problem.k
        let totals = problem.measureTotals
        let requirements = problem.balance
        var cutter = TreeCutter(unitCount: n)
        var assignment = [Int32](repeating: -1, count: n)
        var remaining = (0..<n).map(Int32.init)
        let values = requirementValues
        for t in 0..<(k - 1) {
            let left = Double(k - t - 1)
            let trees = max(20, min(500, 20_000 / max(remaining.count, 1)))
            func excess(_ value: Double, _ lower: Double, _ upper: Double, _ scale: Double) -> Double {
                value > upper ? (value - upper) / scale : (value < lower ? (lower - value) / scale : 0)
            }
            func cost(_ piece: [Double], _ rest: [Double]) -> Double {
                var e = 0.0
                for (r, req) in requirements.enumerated() {
                    let total = totals[req.measure]
                    let target = req.target(t, total: total, k: k)
                    let lower = req.lowerBound(t, total: total, k: k), upper = req.upperBound(t, total: total, k: k)
                    e += excess(piece[r], lower, upper, max(target, 1e-12))
                    e += excess(rest[r], lower * left, upper * left, max(target, 1e-12))
                }
                return e
            }
            guard let cut = cutter.bestCut(of: remaining, adjacency: adjacency, values: values, trees: trees, rng: &rng, score: { sub, rest in
                let a = cost(sub, rest), b = cost(rest, sub)
                return a <= b ? (a, true) : (b, false)
            }) else { return nil }
            let piece = Set(cut.piece)
            for u in cut.piece { assignment[Int(u)] = Int32(t) }
            remaining.removeAll { piece.contains($0) }
        }
        for u in remaining { assignment[Int(u)] = Int32(k - 1) }
        return assignment
    }
}
