import MILP
import TerritoryCore

/// The capacitated p-median's Lagrangian bound at every node of the MIP's tree: GLPK bounds a
/// node by its LP, which on these models is far weaker than relaxing the assignment rows and
/// solving one 0-1 knapsack per candidate center (the set-partitioning bound). This oracle takes
/// the node's branching (centers closed or opened, assignments fixed) and the node LP's duals of
/// the assignment rows as multipliers λ — at those, the knapsack bound is at least the node's
/// LP — improves λ by a few subgradient steps, and returns the bound (GLPK holds the node's
/// objective above it, closing the node when it reaches the incumbent) with the centers it
/// proves closed or open in every better plan of the node (Lagrangian probing).
///
/// Applies to free centers with one requirement: integral non-negative values, an upper band
/// (capacity) and no lower band, no contiguity, no soft bands — the model rows are then exactly
/// assignment, Σ y = k, x_ij ≤ y_j and capacity, so the relaxation is valid at every node.
/// - Complexity: per call, O((iterations + 2) · Σ_j m_j · C) for m_j knapsack items of center j
///   and capacity C, plus O(n²) to read the node; memory O(n² + max m_j · C).
struct CapacitatedNodeBound: Sendable {
    let n: Int
    let k: Int
    /// w_i · d(i, j) at [i * n + j].
    let cost: [Double]
    let weights: [Int]
    /// The same demands as doubles, for ``LagrangianBound/integerKnapsack(_:weights:room:)``.
    let demands: [Double]
    let capacity: Int
    /// The model's column of x_ij at [i * n + j] (x_jj is y_j).
    let columns: [Int]
    /// Multipliers from the root's Lagrangian, tried beside the node's duals.
    let rootMultipliers: [Double]?
    let iterations: Int
    let probing: Bool

    init?(model: TerritoryModel, problem: DesignProblem, rootMultipliers: [Double]?, iterations: Int = 25, probing: Bool = true) {
        self.probing = probing
        guard model.form == .freeCenters, !problem.requiresContiguity, problem.balance.count == 1,
              let req = problem.balance.first, problem.unitCount <= 400 else { return nil }
        let n = problem.unitCount, k = problem.k
        let total = problem.measureTotals[req.measure]
        let values = problem.units.measures[req.measure].values
        let upper = req.upperBound(0, total: total, k: k)
        guard !(req.lowerBound(0, total: total, k: k) > 0), upper.isFinite, upper >= 0,
              Double(n) * (upper + 1) <= 4_000_000,  // every knapsack table fits integerKnapsack
              values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 <= 1e6 }) else { return nil }
        self.n = n
        self.k = k
        capacity = Int(upper.rounded(.down))
        weights = values.map { Int($0) }
        demands = values
        let d = problem.distances
        var cost = [Double](repeating: 0, count: n * n)
        var columns = [Int](repeating: 0, count: n * n)
        for i in 0..<n {
            let w = problem.units.weight(i)
            for j in 0..<n {
                cost[i * n + j] = w * d(i, j)
                columns[i * n + j] = model.assignmentColumn(unit: i, center: j)
            }
        }
        self.cost = cost
        self.columns = columns
        self.rootMultipliers = rootMultipliers?.count == n ? rootMultipliers : nil
        self.iterations = iterations
    }

    /// The oracle for `MILPOptions.nodeBound`: it reads the duals of the assignment rows.
    func oracle(assignmentRows: [Int]) -> NodeBoundOracle {
        precondition(assignmentRows.count == n)
        return NodeBoundOracle(rows: assignmentRows, roundsPerNode: 2) { node in self.evaluate(node) }
    }

    /// One evaluation of L(λ) at a node: its value, each center's ρ_j, which centers were
    /// chosen and the units each chosen center serves.
    private struct Evaluation {
        var value: Double
        var rho: [Double]
        var chosen: [Int]
        var served: [[Int]]
        /// Knapsack table cells filled (the work of this evaluation).
        var cells = 0
    }

    /// The node's state: per center closed (y_j = 0), opened (y_j = 1) or free; per pair (i, j)
    /// whether x_ij is fixed at 0 or 1.
    private struct NodeState {
        var closed: [Bool]
        var opened: [Bool]
        var excluded: [Bool]  // x_ij ≤ 0 at [i * n + j]
        var forced: [Bool]    // x_ij ≥ 1
    }

    func evaluate(_ node: NodeRelaxation) -> NodeBound? {
        guard node.lower.count > (columns.max() ?? 0), node.duals.count == n else { return nil }
        var state = NodeState(closed: [Bool](repeating: false, count: n), opened: [Bool](repeating: false, count: n),
                              excluded: [Bool](repeating: false, count: n * n), forced: [Bool](repeating: false, count: n * n))
        for i in 0..<n {
            for j in 0..<n {
                let c = columns[i * n + j]
                state.excluded[i * n + j] = node.upper[c] < 0.5
                state.forced[i * n + j] = node.lower[c] > 0.5
            }
        }
        // The memo: λ, then the centers an ancestor's probing closed and opened (facts about
        // every plan better than its cutoff, and cutoffs only fall).
        let memo = node.memo?.count == 3 * n ? node.memo : nil
        for j in 0..<n {
            state.closed[j] = state.excluded[j * n + j] || (memo.map { $0[n + j] > 0.5 } ?? false)
            state.opened[j] = state.forced[j * n + j] || (0..<n).contains { state.forced[$0 * n + j] }
                || (memo.map { $0[2 * n + j] > 0.5 } ?? false)
            if state.opened[j] && state.closed[j] { return NodeBound(bound: .infinity) }
        }
        if state.opened.filter({ $0 }).count > k { return NodeBound(bound: .infinity) }
        var lambda = node.duals
        var best = evaluate(lambda, state)
        var startWork = best.cells
        if let root = memo.map({ Array($0[0..<n]) }) ?? rootMultipliers {
            let atRoot = evaluate(root, state)
            startWork += atRoot.cells
            if atRoot.value > best.value {
                best = atRoot
                lambda = root
            }
        }
        let target = node.cutoff ?? (best.value + max(1, abs(best.value) * 0.01))
        var current = best
        var bestLambda = lambda
        var theta = 1.0
        var stalls = 0
        // Steps stop at `iterations` or at a work cap (table cells; deterministic, unlike a clock),
        // so that large capacities cost fewer steps (cpmp20 takes all 25).
        var work = startWork
        for _ in 0..<iterations where current.value.isFinite && best.value < target - 1e-9 * max(1, abs(target))
            && work < Self.cellsPerCall {
            var g = [Double](repeating: 1, count: n)
            for (j, units) in zip(current.chosen, current.served) {
                g[j] -= 1
                for i in units { g[i] -= 1 }
            }
            let norm = g.reduce(0) { $0 + $1 * $1 }
            if norm < 1e-12 { break }  // the relaxed solution is a plan: L is its travel
            let step = theta * (target - current.value) / norm
            for i in 0..<n { lambda[i] += step * g[i] }
            current = evaluate(lambda, state)
            work += current.cells
            if current.value > best.value + 1e-9 * max(1, abs(best.value)) {
                best = current
                bestLambda = lambda
                stalls = 0
            } else {
                stalls += 1
                if stalls >= 2 { theta /= 2; stalls = 0 }
            }
        }
        guard best.value.isFinite else { return NodeBound(bound: best.value) }
        // Probing at the best λ: opening a free unchosen center replaces the dearest free chosen
        // one; closing a free chosen center brings in the cheapest unchosen one.
        var closing: [Int] = [], opening: [Int] = []
        if probing, let cutoff = node.cutoff {
            let threshold = node.integralObjective ? cutoff - 1 + 1e-6 : cutoff + 1e-9 * max(1, abs(cutoff))
            let isChosen = Set(best.chosen)
            let freeChosen = best.chosen.filter { !state.opened[$0] }
            let unchosen = (0..<n).filter { !isChosen.contains($0) && !state.closed[$0] && best.rho[$0].isFinite }
                .sorted { (best.rho[$0], $0) < (best.rho[$1], $1) }
            if let dearest = freeChosen.max(by: { (best.rho[$0], $0) < (best.rho[$1], $1) }) {
                for j in unchosen where best.value - best.rho[dearest] + best.rho[j] > threshold { closing.append(j) }
            }
            for j in freeChosen {
                let replacement = unchosen.first.map { best.rho[$0] } ?? .infinity
                if best.value - best.rho[j] + replacement > threshold { opening.append(j) }
            }
        }
        var newMemo = bestLambda + [Double](repeating: 0, count: 2 * n)
        for j in 0..<n {
            if state.closed[j] { newMemo[n + j] = 1 }
            if state.opened[j] { newMemo[2 * n + j] = 1 }
        }
        for j in closing { newMemo[n + j] = 1 }
        for j in opening { newMemo[2 * n + j] = 1 }
        return NodeBound(bound: best.value, fixAtZero: closing.map { columns[$0 * n + $0] },
                         fixAtOne: opening.map { columns[$0 * n + $0] }, memo: newMemo)
    }

    /// L(λ) = Σ λ_i + the opened centers' ρ_j + the cheapest free ones up to k, where ρ_j is
    /// center j's exact subproblem: c_jj − λ_j, its forced units, and the best 0-1 knapsack of
    /// its other units with negative reduced cost in the capacity left. +∞ when no choice is
    /// feasible.
    /// Work cap per oracle call, in knapsack table cells.
    static let cellsPerCall = 10_000_000

    private func evaluate(_ lambda: [Double], _ state: NodeState) -> Evaluation {
        var cells = 0
        var rho = [Double](repeating: .infinity, count: n)
        var served = [[Int]](repeating: [], count: n)
        for j in 0..<n where !state.closed[j] {
            var value = cost[j * n + j] - lambda[j]
            var room = capacity - weights[j]
            var units: [Int] = []
            var items: [(Int32, Double)] = []
            for i in 0..<n where i != j && !state.excluded[i * n + j] {
                let r = cost[i * n + j] - lambda[i]
                if state.forced[i * n + j] {
                    value += r
                    room -= weights[i]
                    units.append(i)
                } else if r < 0 {
                    items.append((Int32(i), r))
                }
            }
            guard room >= 0 else { continue }
            // The init's size guard keeps every table within integerKnapsack's limits; were one
            // refused, −∞ is the (useless but valid) bound.
            guard let knapsack = LagrangianBound.integerKnapsack(items, weights: demands, room: Double(room)) else {
                return Evaluation(value: -.infinity, rho: rho, chosen: [], served: [], cells: cells)
            }
            value += knapsack.value
            cells += items.count * (room + 1)
            units += knapsack.taken.map { Int($0) }
            rho[j] = value
            served[j] = units
        }
        var chosen = (0..<n).filter { state.opened[$0] }
        var value = lambda.reduce(0, +)
        for j in chosen { value += rho[j] }
        let free = (0..<n).filter { !state.opened[$0] && !state.closed[$0] && rho[$0].isFinite }
            .sorted { (rho[$0], $0) < (rho[$1], $1) }
        let wanted = k - chosen.count
        if wanted > free.count || !value.isFinite {
            return Evaluation(value: .infinity, rho: rho, chosen: [], served: [], cells: cells)
        }
        for j in free.prefix(wanted) {
            chosen.append(j)
            value += rho[j]
        }
        return Evaluation(value: value, rho: rho, chosen: chosen, served: chosen.map { served[$0] }, cells: cells)
    }
}
