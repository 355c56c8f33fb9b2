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
    /// Undo log (when `logging`): every change since `beginLog()`, so a rejected perturbation
    /// is reverted in O(changes) instead of O(n).
    private enum Change {
        case move(unit: Int32, from: Int32)
        case swap(Int32, Int32)
        case center(territory: Int32, old: Center)
    }
    private var log: [Change] = []
    private(set) var logging = false
    /// Territories whose membership changed since `clearDirty()` (for local location steps).
    private(set) var dirtyTerritories: [Int32] = []
    private var isDirty: [Bool]
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
        self.isDirty = Array(repeating: false, count: state.problem.k)
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
        // Gains below the rounding noise of the objective are not gains: once penalty weights
        // have grown large, noise-sized "improvements" can cycle forever.
        let epsilon = max(self.epsilon, 1e-12 * (abs(state.travel) + abs(state.penalty)))
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
        record(.swap(Int32(i), Int32(j)))
        markDirty(a)
        markDirty(Int(state.assignment[i]))
        counters.swapsApplied += 1
        touched(i)
        touched(j)
        verify()
        return true
    }

    private mutating func applyMove(_ i: Int, to b: Int) {
        let a = Int(state.assignment[i])
        state.move(i, to: b)
        record(.move(unit: Int32(i), from: Int32(a)))
        markDirty(a)
        markDirty(b)
        counters.movesApplied += 1
        touched(i)
        verify()
    }

    /// Applies a move chosen by a caller (perturbations), keeping the work list in step.
    mutating func forceMove(_ i: Int, to b: Int) {
        let a = Int(state.assignment[i])
        guard a != b else { return }
        state.move(i, to: b)
        record(.move(unit: Int32(i), from: Int32(a)))
        markDirty(a)
        markDirty(b)
        touched(i)
    }

    /// Moves the center of territory `t` (fixed mode), logged.
    mutating func setCenter(_ center: Center, of t: Int) {
        let old = state.centerList[t]
        guard old != center else { return }
        state.setCenter(center, of: t)
        record(.center(territory: Int32(t), old: old))
    }

    // MARK: Undo log and dirty territories

    mutating func beginLog() {
        log.removeAll(keepingCapacity: true)
        logging = true
    }

    /// Keeps every change since `beginLog()`.
    mutating func commitLog() {
        log.removeAll(keepingCapacity: true)
        logging = false
    }

    /// Reverts every change since `beginLog()`, newest first, and empties the work list.
    mutating func undoLog() {
        logging = false
        while let change = log.popLast() {
            switch change {
            case .move(let unit, let from): state.move(Int(unit), to: Int(from))
            case .swap(let u, let v): state.swap(Int(u), Int(v))
            case .center(let t, let old): state.setCenter(old, of: Int(t))
            }
        }
        for i in queue[head...] { queued[Int(i)] = false }
        queue.removeAll(keepingCapacity: true)
        head = 0
    }

    private mutating func record(_ change: Change) {
        if logging { log.append(change) }
    }

    private mutating func markDirty(_ t: Int) {
        if !isDirty[t] {
            isDirty[t] = true
            dirtyTerritories.append(Int32(t))
        }
    }

    mutating func clearDirty() {
        for t in dirtyTerritories { isDirty[Int(t)] = false }
        dirtyTerritories.removeAll(keepingCapacity: true)
    }

    /// Queues every member of territory `t` and their neighbours.
    mutating func enqueueTerritory(_ t: Int) {
        for i in state.members(of: t) {
            enqueue(Int(i))
            for j in neighbours[Int(i)] { enqueue(Int(j)) }
        }
    }

    private mutating func touched(_ i: Int) {
        enqueue(i)
        for j in neighbours[i] { enqueue(Int(j)) }
    }

    /// Debug mode: compares the incremental objective with a full rebuild after a move; counts
    /// checks and mismatches (a mismatch is a bug; tests require none).
    private mutating func verify() {
        guard checkDeltas else { return }
        var fresh = state
        fresh.rebuild()
        counters.deltaChecks += 1
        let travelOK = abs(fresh.travel - state.travel) <= 1e-7 * max(1, abs(fresh.travel))
        // The running penalty is recomputed exactly every k + 256 updates; in between it may
        // carry rounding noise of about one ulp of a weighted excess per update.
        let weightScale = state.weights.reduce(state.disruptionWeight, +) * Double(state.territoryCount + 256)
        let penaltyOK = abs(fresh.penalty - state.penalty) <= 1e-7 * max(1, abs(fresh.penalty)) + 1e-15 * weightScale
        if !travelOK || !penaltyOK { counters.deltaMismatches += 1 }
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
