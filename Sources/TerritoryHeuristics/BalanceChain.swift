#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerritoryCore

/// Feasibility first for contiguous, multi-measure bands: a merge-split (ReCom) chain on the
/// band excess alone, before travel is looked at.
///
/// Each step merges a territory with a neighbouring one and re-splits the union along the best
/// cut of a few random spanning trees, scored by the pair's relative band excess (plus a small
/// pull towards the targets, so slack spreads out). A step is kept when the pair's excess does
/// not grow, or, with a small probability that cools over the run, when it grows a little
/// (simulated annealing), so the chain walks along plateaus and out of shallow traps. Both
/// sides of a tree cut are connected, so every plan stays contiguous.
///
/// Why: single-unit moves and swaps rarely fix two measures at once (a county that brings the
/// population band right spoils the land-area band); whole recombinations do, and on county
/// graphs with 30–100 units a step costs microseconds.
/// - Complexity: O(|A ∪ B| · (log + trees · r)) per step; O(n + k·r) memory.
struct BalanceChain {
    let problem: DesignProblem
    let adjacency: Adjacency
    let rules: SearchRules
    /// Per requirement, the measure value of every unit.
    let values: [[Double]]
    let k: Int
    let requirements: Int
    /// Band of requirement r for territory t at index r * k + t, and 1 / target for scaling.
    private let lower: [Double], upper: [Double], inverseTarget: [Double]

    init(problem: DesignProblem, adjacency: Adjacency, rules: SearchRules) {
        self.problem = problem
        self.adjacency = adjacency
        self.rules = rules
        k = problem.k
        requirements = problem.balance.count
        values = problem.balance.map { problem.units.measures[$0.measure].values }
        let totals = problem.measureTotals
        var lower = [Double](repeating: -.infinity, count: requirements * k)
        var upper = [Double](repeating: .infinity, count: requirements * k)
        var inverse = [Double](repeating: 1, count: requirements * k)
        for (r, req) in problem.balance.enumerated() {
            let total = totals[req.measure]
            for t in 0..<k {
                lower[r * k + t] = req.lowerBound(t, total: total, k: k)
                upper[r * k + t] = req.upperBound(t, total: total, k: k)
                inverse[r * k + t] = 1 / max(abs(req.target(t, total: total, k: k)), 1e-12)
            }
        }
        self.lower = lower
        self.upper = upper
        inverseTarget = inverse
    }

    /// Relative excess of territory t over its bands and its squared relative deviation from
    /// the targets, for measure sums `sums` (one per requirement, stride 1).
    @inline(__always)
    func score(_ t: Int, _ sums: UnsafeBufferPointer<Double>) -> (excess: Double, spread: Double) {
        var excess = 0.0, spread = 0.0
        for r in 0..<requirements {
            let j = r * k + t, v = sums[r]
            if v > upper[j] { excess += (v - upper[j]) * inverseTarget[j] }
            else if v < lower[j] { excess += (lower[j] - v) * inverseTarget[j] }
            if lower[j].isFinite {
                let d = v * inverseTarget[j] - 1
                spread += d * d
            }
        }
        return (excess, spread)
    }

    /// Total relative band excess of a plan. O(n·r + k·r).
    func totalExcess(of assignment: [Int32]) -> Double {
        var sums = [Double](repeating: 0, count: k * requirements)
        for r in 0..<requirements { for i in assignment.indices { sums[Int(assignment[i]) * requirements + r] += values[r][i] } }
        var total = 0.0
        for t in 0..<k { total += excess(t, Array(sums[(t * requirements)..<((t + 1) * requirements)])) }
        return total
    }

    func excess(_ t: Int, _ sums: [Double]) -> Double {
        sums.withUnsafeBufferPointer { score(t, $0).excess }
    }

    /// Runs the chain on `assignment` (every territory non-empty and connected) for at most
    /// `steps` steps, stopping early once every band holds or `shouldStop` says so. Returns the
    /// best plan seen (least total excess) and its excess.
    func run(from assignment: [Int32], steps: Int, rng: inout SplitMix64,
             shouldStop: () -> Bool) -> (assignment: [Int32], excess: Double, steps: Int) {
        let n = assignment.count
        var assignment = assignment
        var members = [[Int32]](repeating: [], count: k)
        for i in 0..<n { members[Int(assignment[i])].append(Int32(i)) }
        var sums = [Double](repeating: 0, count: k * requirements) // t * requirements + r
        for r in 0..<requirements { for i in 0..<n { sums[Int(assignment[i]) * requirements + r] += values[r][i] } }
        func territoryExcess(_ t: Int) -> Double {
            sums.withUnsafeBufferPointer { all in
                score(t, UnsafeBufferPointer(rebasing: all[(t * requirements)..<((t + 1) * requirements)])).excess
            }
        }
        var excessOf = (0..<k).map(territoryExcess)
        var total = excessOf.reduce(0, +)
        var best = (assignment: assignment, excess: total)
        guard total > 0, k >= 2, requirements > 0 else { return (assignment, total, 0) }
        // Units that may not change territory: pairs holding one are skipped.
        var pinned = [Bool](repeating: false, count: n)
        if rules.hasRestrictions {
            for i in 0..<n where !rules.isMovable(i) { pinned[i] = true }
        }
        var cutter = TreeCutter(unitCount: n)
        var seen = [Int32](repeating: -1, count: k)
        let startTemperature = 0.02, endTemperature = 1e-4
        var step = 0
        while step < steps && total > 1e-12 {
            if step & 63 == 0 && shouldStop() { break }
            step += 1
            // Temperature cools geometrically within cycles of 2,000 steps (reheats after).
            let phase = Double(step % 2000) / 2000
            let temperature = startTemperature * pow(endTemperature / startTemperature, phase)
            // A violated territory (usually) or any territory, and one of its neighbours.
            var a = rng.nextIndex(below: k)
            if rng.nextUnit() < 0.8 {
                var pick = rng.nextUnit() * total, chosen = -1
                for t in 0..<k where excessOf[t] > 0 {
                    chosen = t
                    pick -= excessOf[t]
                    if pick <= 0 { break }
                }
                if chosen >= 0 { a = chosen }
            }
            var neighbours: [Int] = []
            for i in members[a] {
                for j in adjacency.neighbours(of: Int(i)) {
                    let b = Int(assignment[Int(j)])
                    if b != a && seen[b] != Int32(step & 0x7fff_ffff) {
                        seen[b] = Int32(step & 0x7fff_ffff)
                        neighbours.append(b)
                    }
                }
            }
            guard !neighbours.isEmpty else { continue }
            neighbours.sort()
            let b = neighbours[rng.nextIndex(below: neighbours.count)]
            let union = members[a] + members[b]
            if rules.hasRestrictions {
                var blocked = false
                for u in union where pinned[Int(u)] || !(rules.canServe(a, Int(u)) && rules.canServe(b, Int(u))) {
                    blocked = true
                    break
                }
                if blocked { continue }
            }
            let before = excessOf[a] + excessOf[b]
            let trees = max(4, min(40, 1500 / max(union.count, 1)))
            var pieceA = [Double](repeating: 0, count: requirements), pieceB = pieceA
            guard let cut = cutter.bestCut(of: union, adjacency: adjacency, values: values, trees: trees, rng: &rng, score: { sub, rest in
                func pairScore(_ toA: [Double], _ toB: [Double]) -> Double {
                    let sa = toA.withUnsafeBufferPointer { score(a, $0) }
                    let sb = toB.withUnsafeBufferPointer { score(b, $0) }
                    return sa.excess + sb.excess + 1e-3 * (sa.spread + sb.spread)
                }
                let subtreeToA = pairScore(sub, rest), subtreeToB = pairScore(rest, sub)
                return subtreeToA <= subtreeToB ? (subtreeToA, true) : (subtreeToB, false)
            }) else { continue }
            // Sums of the proposed sides.
            var inA = Set<Int32>()
            inA.reserveCapacity(cut.piece.count)
            for u in cut.piece { inA.insert(u) }
            for r in 0..<requirements {
                var s = 0.0
                for u in cut.piece { s += values[r][Int(u)] }
                pieceA[r] = s
                pieceB[r] = sums[a * requirements + r] + sums[b * requirements + r] - s
            }
            let afterA = excess(a, pieceA), afterB = excess(b, pieceB)
            let delta = afterA + afterB - before
            guard delta <= 1e-12 || rng.nextUnit() < exp(-delta / temperature) else { continue }
            members[a].removeAll(keepingCapacity: true)
            members[b].removeAll(keepingCapacity: true)
            for u in union {
                let t = inA.contains(u) ? a : b
                assignment[Int(u)] = Int32(t)
                members[t].append(u)
            }
            members[a].sort()
            members[b].sort()
            for r in 0..<requirements {
                sums[a * requirements + r] = pieceA[r]
                sums[b * requirements + r] = pieceB[r]
            }
            excessOf[a] = afterA
            excessOf[b] = afterB
            total = excessOf.reduce(0, +)
            if total < best.excess - 1e-12 { best = (assignment, total) }
        }
        return (best.assignment, best.excess <= 1e-12 ? 0 : best.excess, step)
    }
}
