import TerritoryCore
import TerritoryEvaluation
import TerritorySolving

/// The local-search engine on one penalised objective, travel + Σ λ_r · relative excess, with
/// fixed centers (alternate with a location step for free centers).
///
/// Neighbourhoods, evaluated by delta on the ``IncrementalEvaluator``:
/// - **move**: unit i to another territory, among its q nearest centers and its neighbours'
///   territories (with contiguity: only territories adjacent to i, and only when i's territory
///   stays connected);
/// - **swap**: unit i with a neighbouring unit j of another territory (what tight bands need).
///
/// The engine owns the loop: a work list of units (all at first, then the neighbours of every
/// unit that changed), best-improvement per unit, until no unit improves. Each step strictly
/// lowers the objective, so the loop ends.
struct LocalSearch {
    var state: IncrementalEvaluator
    let neighbours: NeighbourLists
    var candidates: CenterCandidates
    let rules: SearchRules
    let contiguous: Bool
    let adjacency: Adjacency?
    let useSwaps: Bool
    /// Improvements smaller than this are ignored (rounding noise).
    let epsilon: Double
    var counters = SolveCounters()
    /// Called every few thousand units; returning true stops the search.
    var shouldStop: () -> Bool = { false }
    /// Debug mode: after every applied move, compare the incremental objective with a full rebuild.
    var checkDeltas = false
    private var queued: [Bool]
    private var queue: [Int32] = []
    private var head = 0
    // Scratch for BFS connectivity checks.
    private var mark: [UInt32]
    private var stamp: UInt32 = 0
    private var stack: [Int32] = []

    init(state: IncrementalEvaluator, neighbours: NeighbourLists, candidates: CenterCandidates, rules: SearchRules,
         contiguous: Bool, adjacency: Adjacency?, useSwaps: Bool, epsilon: Double) {
        self.state = state
        self.neighbours = neighbours
        self.candidates = candidates
        self.rules = rules
        self.contiguous = contiguous
        self.adjacency = adjacency
        self.useSwaps = useSwaps
        self.epsilon = epsilon
        self.queued = Array(repeating: false, count: state.problem.unitCount)
        self.mark = Array(repeating: 0, count: state.problem.unitCount)
    }

    var objective: Double { state.travel + state.penalty }

    mutating func enqueue(_ i: Int) {
        if !queued[i] {
            queued[i] = true
            queue.append(Int32(i))
        }
    }

    mutating func enqueueAll() {
        for i in 0..<state.problem.unitCount { enqueue(i) }
    }

    /// Runs moves and swaps until no queued unit improves. Returns whether anything changed.
    @discardableResult
    mutating func descend() -> Bool {
        var changed = false
        var steps = 0
        while head < queue.count {
            let i = Int(queue[head])
            head += 1
            queued[i] = false
            if head > 65_536 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            steps += 1
            if steps & 1023 == 0 && shouldStop() { break }
            if improve(i) { changed = true }
        }
        if head >= queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        return changed
    }

    /// Tries the best move of unit i, then its best swap. O((q + deg) · r), plus connectivity checks.
    private mutating func improve(_ i: Int) -> Bool {
        guard rules.isMovable(i) else { return false }
        let a = Int(state.assignment[i])
        var targets: [Int32] = []
        targets.reserveCapacity(candidates.count + 8)
        if !contiguous {
            for t in candidates[i] where Int(t) != a { targets.append(t) }
        }
        for j in neighbours[i] {
            let t = state.assignment[Int(j)]
            if Int(t) != a && !targets.contains(t) { targets.append(t) }
        }
        if state.memberCount(a) > 1 {
            var options: [(delta: Double, target: Int)] = []
            for t32 in targets {
                let b = Int(t32)
                guard rules.canServe(b, i) else { continue }
                counters.movesEvaluated += 1
                let d = state.delta(moving: i, to: b).total
                if d < -epsilon { options.append((d, b)) }
            }
            options.sort { $0.delta < $1.delta || ($0.delta == $1.delta && $0.target < $1.target) }
            for option in options {
                if contiguous && !staysConnected(removing: i, from: a) { break }
                applyMove(i, to: option.target)
                return true
            }
        }
        guard useSwaps else { return false }
        var best: (delta: Double, partner: Int) = (-epsilon, -1)
        for j32 in neighbours[i] {
            let j = Int(j32)
            let b = Int(state.assignment[j])
            guard b != a, rules.isMovable(j), rules.canServe(b, i), rules.canServe(a, j) else { continue }
            counters.swapsEvaluated += 1
            let d = state.delta(swapping: i, j).total
            if d < best.delta || (d == best.delta && j < best.partner) { best = (d, j) }
        }
        guard best.partner >= 0 else { return false }
        let j = best.partner
        if contiguous && !swapKeepsContiguity(i, j) { return false }
        state.swap(i, j)
        counters.swapsApplied += 1
        touched(i)
        touched(j)
        verify()
        return true
    }

    private mutating func applyMove(_ i: Int, to b: Int) {
        state.move(i, to: b)
        counters.movesApplied += 1
        touched(i)
        verify()
    }

    /// Applies a move chosen by a caller (perturbations), keeping the work list in step.
    mutating func forceMove(_ i: Int, to b: Int) {
        guard Int(state.assignment[i]) != b else { return }
        state.move(i, to: b)
        touched(i)
    }

    private mutating func touched(_ i: Int) {
        enqueue(i)
        for j in neighbours[i] { enqueue(Int(j)) }
    }

    private func verify() {
        guard checkDeltas else { return }
        var fresh = state
        fresh.rebuild()
        let scale = max(1, abs(fresh.travel))
        precondition(abs(fresh.travel - state.travel) <= 1e-7 * scale, "incremental travel \(state.travel) ≠ full \(fresh.travel)")
        precondition(abs(fresh.penalty - state.penalty) <= 1e-7 * max(1, abs(fresh.penalty)), "incremental penalty \(state.penalty) ≠ full \(fresh.penalty)")
    }

    // MARK: Contiguity

    /// Whether territory `a` stays connected without unit `i` (assuming it is connected now):
    /// true when i's neighbours inside `a` reach one another without i. Stops as soon as all are
    /// found, so the cost is usually local.
    mutating func staysConnected(removing i: Int, from a: Int) -> Bool {
        guard let adjacency else { return true }
        var inside: [Int32] = []
        for v in adjacency.neighbours(of: i) where Int(state.assignment[Int(v)]) == a { inside.append(v) }
        if inside.count <= 1 { return true }
        stamp &+= 1
        if stamp == 0 { mark = Array(repeating: 0, count: mark.count); stamp = 1 }
        mark[i] = stamp
        stack.removeAll(keepingCapacity: true)
        stack.append(inside[0])
        mark[Int(inside[0])] = stamp
        var remaining = inside.count - 1
        var targetsLeft = Set(inside.dropFirst())
        while let u = stack.popLast() {
            for v in adjacency.neighbours(of: Int(u)) where mark[Int(v)] != stamp && Int(state.assignment[Int(v)]) == a {
                mark[Int(v)] = stamp
                if targetsLeft.remove(v) != nil {
                    remaining -= 1
                    if remaining == 0 { return true }
                }
                stack.append(v)
            }
        }
        return remaining == 0
    }

    /// Whether swapping i (in a) and j (in b) keeps both territories connected. O(n_a + n_b).
    private mutating func swapKeepsContiguity(_ i: Int, _ j: Int) -> Bool {
        let a = Int(state.assignment[i]), b = Int(state.assignment[j])
        state.swap(i, j)
        let ok = isConnected(a) && isConnected(b)
        state.swap(i, j)
        return ok
    }

    /// Whether territory t is one connected piece. O(n_t + its edges).
    mutating func isConnected(_ t: Int) -> Bool {
        guard let adjacency else { return true }
        let members = state.members(of: t)
        guard let first = members.first else { return true }
        stamp &+= 1
        if stamp == 0 { mark = Array(repeating: 0, count: mark.count); stamp = 1 }
        stack.removeAll(keepingCapacity: true)
        stack.append(first)
        mark[Int(first)] = stamp
        var reached = 1
        while let u = stack.popLast() {
            for v in adjacency.neighbours(of: Int(u)) where mark[Int(v)] != stamp && Int(state.assignment[Int(v)]) == t {
                mark[Int(v)] = stamp
                reached += 1
                stack.append(v)
            }
        }
        return reached == members.count
    }
}
