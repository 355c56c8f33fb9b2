import TerritoryCore
import TerritoryEvaluation
import TerritorySolving

/// Ejection chains for feasible plans with tight bands (cyclic and path exchanges, Thompson &
/// Orlin; Ahuja, Orlin & Sharma's very large-scale neighbourhoods for assignment problems).
///
/// A *cyclic exchange* moves unit u₁ into u₂'s territory, u₂ into u₃'s, …, and u_m back into
/// u₁'s: every territory on the cycle gains one unit and loses one, so each checks its bands for
/// that one pair alone; a *path exchange* is the same chain opened at both ends (the first
/// territory only loses, the last only gains). Moves are paths of one unit and swaps are cycles
/// of two; longer chains are what two bands on two measures need, where any single move or swap
/// breaks one of them.
///
/// The search runs on the plan's centers (fixed while it runs) and its hard requirements only:
/// every change keeps every band, capacity, lock, skill and the disruption budget, and strictly
/// lowers travel (plus the price per moved unit when there is one). From every unit in turn a
/// depth-first search extends the chain while its cost so far stays negative — any improving
/// cycle has a rotation whose partial sums are all negative, so that prunes no improving cycle
/// — taking each next unit in order of how little it loses by leaving; the first improving chain
/// is applied. Passes repeat until one finds nothing.
/// - Complexity: per start unit at most `nodeLimit` chain extensions, each O(q + measures) with
///   q candidate territories per unit; memory O(n·q + k). No contiguity (chains would have to
///   keep every territory connected): plans of contiguous problems are returned unchanged.
public enum CyclicExchange {
    public struct Options: Sendable {
        /// Most territories on one chain.
        public var maxLength = 5
        /// Candidate territories per unit: its nearest centers.
        public var candidateCount = 8
        /// Chain extensions explored from one start unit at most.
        public var nodeLimit = 3000
        public var deadline: ContinuousClock.Instant?
        public init() {}
    }

    public struct Result: Sendable {
        public var plan: Plan
        /// How much the objective (travel, plus the price per moved unit) fell.
        public var gain: Double
        /// The change of travel alone (negative: travel fell), summed move by move.
        public var travelChange: Double
        public var chainsApplied: Int
    }

    /// Polishes `plan` (every territory with a center in `plan.centers` or the problem, every
    /// requirement met). Returns the plan unchanged when it is infeasible or contiguity applies.
    public static func improve(_ plan: Plan, in problem: DesignProblem, options: Options = Options()) -> Result {
        var unchanged = Result(plan: plan, gain: 0, travelChange: 0, chainsApplied: 0)
        guard !problem.requiresContiguity, problem.k >= 2 else { return unchanged }
        let centers = (0..<problem.k).compactMap { plan.centers[$0] ?? problem.territories[$0].center }
        guard centers.count == problem.k, !plan.assignment.contains(where: { $0 < 0 }),
              Evaluator.evaluate(plan, in: problem).feasible else { return unchanged }
        var search = ExchangeSearch(problem: problem, plan: plan, centers: centers, options: options)
        search.run()
        unchanged.plan.assignment = search.territory
        unchanged.gain = search.gain
        unchanged.travelChange = search.travelChange
        unchanged.chainsApplied = search.applied
        return unchanged
    }
}

struct ExchangeSearch {
    let problem: DesignProblem
    let options: CyclicExchange.Options
    let n: Int, k: Int
    let centers: [Center]
    let rules: SearchRules
    let candidates: CenterCandidates
    /// Per requirement: the measure's values and each territory's bounds.
    let values: [[Double]]
    let lower: [[Double]], upper: [[Double]]
    /// Territory totals per requirement: load[r][t].
    var load: [[Double]]
    var territory: [Int32]
    /// Each territory's units by increasing `leave`.
    var members: [[Int32]]
    /// The cheapest change of objective for unit i to leave its territory (over its candidates).
    var leave: [Double]
    // Disruption: home territory per unit (-1 none, -2 removed), budget weights and room.
    let home: [Int32]?
    let budgetWeight: [Double]?
    let budgetLimit: Double
    var moved: Double = 0
    let price: Double
    var gain = 0.0
    var travelChange = 0.0
    var applied = 0
    let epsilon: Double

    init(problem: DesignProblem, plan: Plan, centers: [Center], options: CyclicExchange.Options) {
        self.problem = problem
        self.options = options
        n = problem.unitCount
        k = problem.k
        self.centers = centers
        rules = SearchRules(problem: problem, labels: plan.labels)
        candidates = CenterCandidates(problem: problem, centers: centers, count: min(options.candidateCount + 1, k))
        let totals = problem.measureTotals
        values = problem.balance.map { problem.units.measures[$0.measure].values }
        lower = problem.balance.map { req in (0..<problem.k).map { req.lowerBound($0, total: totals[req.measure], k: problem.k) } }
        upper = problem.balance.map { req in (0..<problem.k).map { req.upperBound($0, total: totals[req.measure], k: problem.k) } }
        territory = plan.assignment
        load = values.map { v in
            var sums = [Double](repeating: 0, count: problem.k)
            for i in 0..<problem.unitCount { sums[Int(plan.assignment[i])] += v[i] }
            return sums
        }
        if let baseline = problem.baseline, problem.disruptionBudget != nil || (problem.disruptionPrice ?? 0) > 0 {
            home = homeTerritories(baseline, labels: plan.labels)
        } else {
            home = nil
        }
        price = problem.disruptionPrice ?? 0
        if let budget = problem.disruptionBudget, home != nil {
            let (w, limit) = budget.allowance(in: problem.units)
            budgetWeight = w ?? Array(repeating: 1, count: problem.unitCount)
            budgetLimit = limit
        } else {
            budgetWeight = nil
            budgetLimit = .infinity
        }
        members = Array(repeating: [], count: problem.k)
        leave = Array(repeating: .infinity, count: problem.unitCount)
        var total = 0.0
        for i in 0..<problem.unitCount { total += problem.units.weight(i) * distanceTo(problem.distances, i, centers[Int(plan.assignment[i])]) }
        epsilon = 1e-9 * max(1, total)
        if let home, let w = budgetWeight {
            for i in 0..<n where isMoved(i, to: Int(territory[i]), home: home) { moved += w[i] }
        }
        for i in 0..<n { leave[i] = cheapestLeave(i) }
        for i in 0..<n { members[Int(territory[i])].append(Int32(i)) }
        for t in 0..<k { sortMembers(t) }
    }

    @inline(__always) func isMoved(_ i: Int, to t: Int, home: [Int32]) -> Bool {
        let h = home[i]
        return h != -1 && Int(h) != t
    }

    /// Objective of unit i in territory t: travel plus the price when it leaves today's territory.
    @inline(__always) func cost(_ i: Int, _ t: Int) -> Double {
        var c = problem.units.weight(i) * distanceTo(problem.distances, i, centers[t])
        if price > 0, let home, isMoved(i, to: t, home: home) { c += price * problem.units.weight(i) }
        return c
    }

    func cheapestLeave(_ i: Int) -> Double {
        guard rules.isMovable(i) else { return .infinity }
        let t = Int(territory[i])
        let here = cost(i, t)
        var best = Double.infinity
        for s in candidates[i] where Int(s) != t && rules.canServe(Int(s), i) { best = min(best, cost(i, Int(s)) - here) }
        return best
    }

    mutating func sortMembers(_ t: Int) {
        let leave = self.leave
        members[t].sort { (leave[Int($0)], $0) < (leave[Int($1)], $1) }
    }

    /// Whether territory t stays within every bound after gaining `gained` and losing `lost`
    /// (either may be -1 for none).
    @inline(__always) func fits(_ t: Int, gaining gained: Int, losing lost: Int) -> Bool {
        for r in values.indices {
            var v = load[r][t]
            if gained >= 0 { v += values[r][gained] }
            if lost >= 0 { v -= values[r][lost] }
            let lo = lower[r][t], hi = upper[r][t]
            if v < lo - Evaluator.boundSlack * max(1, abs(lo)) || v > hi + Evaluator.boundSlack * max(1, abs(hi)) { return false }
        }
        return true
    }

    /// A chain: units[c] moves to targets[c].
    struct Chain {
        var units: [Int] = []
        var targets: [Int] = []
    }

    mutating func run() {
        var improved = true
        while improved {
            improved = false
            // A chain's first step is its whole cost so far: only units that gain by leaving start one.
            for start in 0..<n where leave[start] < -epsilon {
                if let deadline = options.deadline, ContinuousClock.now >= deadline { return }
                var chain = Chain()
                var budget = options.nodeLimit
                if let found = extend(from: start, origin: start, cost: 0, depth: 1, chain: &chain, nodes: &budget) {
                    apply(found.chain, gain: -found.cost)
                    improved = true
                }
            }
        }
    }

    /// Depth-first chain search from unit `u` (which must leave its territory), with the chain's
    /// cost so far; returns the first improving chain.
    func extend(from u: Int, origin: Int, cost so: Double, depth: Int, chain: inout Chain, nodes: inout Int) -> (chain: Chain, cost: Double)? {
        let from = Int(territory[u])
        let originTerritory = Int(territory[origin])
        let here = cost(u, from)
        for sCandidate in candidates[u] {
            let s = Int(sCandidate)
            guard s != from, rules.canServe(s, u) else { continue }
            let g = so + cost(u, s) - here
            guard g < -epsilon else { continue }
            nodes -= 1
            if nodes < 0 { return nil }
            if s == originTerritory {
                // Close the cycle: the origin's territory gains u and lost the origin.
                guard depth >= 2, fits(s, gaining: u, losing: origin) else { continue }
                chain.units.append(u); chain.targets.append(s)
                if withinBudget(chain) { return (chain, g) }
                chain.units.removeLast(); chain.targets.removeLast()
                continue
            }
            guard !chain.targets.contains(s) else { continue }
            // Open path: s only gains u, the origin's territory only loses the origin.
            chain.units.append(u); chain.targets.append(s)
            if fits(s, gaining: u, losing: -1), fits(originTerritory, gaining: -1, losing: origin), withinBudget(chain) {
                return (chain, g)
            }
            if depth < options.maxLength {
                for jIndex in members[s] {
                    let j = Int(jIndex)
                    if leave[j] >= -g - epsilon { break }  // no continuation through j can stay negative
                    guard fits(s, gaining: u, losing: j) else { continue }
                    if let found = extend(from: j, origin: origin, cost: g, depth: depth + 1, chain: &chain, nodes: &nodes) { return found }
                    if nodes < 0 { return nil }
                }
            }
            chain.units.removeLast(); chain.targets.removeLast()
        }
        return nil
    }

    func withinBudget(_ chain: Chain) -> Bool {
        guard let home, let w = budgetWeight else { return true }
        var change = 0.0
        for (u, t) in zip(chain.units, chain.targets) {
            if isMoved(u, to: t, home: home) { change += w[u] }
            if isMoved(u, to: Int(territory[u]), home: home) { change -= w[u] }
        }
        return change <= 0 || moved + change <= budgetLimit * (1 + 1e-9) + 1e-9
    }

    mutating func apply(_ chain: Chain, gain g: Double) {
        var touched: [Int] = []
        for (u, t) in zip(chain.units, chain.targets) {
            let from = Int(territory[u])
            let w = problem.units.weight(u)
            travelChange += w * distanceTo(problem.distances, u, centers[t]) - w * distanceTo(problem.distances, u, centers[from])
            for r in values.indices {
                load[r][from] -= values[r][u]
                load[r][t] += values[r][u]
            }
            if let home, let w = budgetWeight {
                if isMoved(u, to: from, home: home) { moved -= w[u] }
                if isMoved(u, to: t, home: home) { moved += w[u] }
            }
            members[from].removeAll { Int($0) == u }
            members[t].append(Int32(u))
            territory[u] = Int32(t)
            touched.append(from)
            touched.append(t)
        }
        for u in chain.units { leave[u] = cheapestLeave(u) }
        for t in Set(touched).sorted() { sortMembers(t) }
        gain += g
        applied += 1
    }
}
