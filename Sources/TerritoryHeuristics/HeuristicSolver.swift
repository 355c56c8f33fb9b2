import TerritoryCore
import TerritoryEvaluation
import TerritorySolving

/// The heuristic territory-design solver: seeding (k-means++ or bisection), a balanced initial
/// assignment, penalised local search with moves and swaps alternating with exact-medoid
/// location steps, and iterated local search with center perturbations; independent restarts
/// run in parallel. Unconstrained p-median problems use FasterPAM center swaps instead.
public enum HeuristicSolver {
    public static let name = "heuristic"

    /// Solves `problem` (validated) and returns the best plan found with its status.
    public static func solve(_ problem: DesignProblem, options: HeuristicOptions = HeuristicOptions()) -> SolveOutcome {
        let start = ContinuousClock.now
        var proofs = infeasibilityProofs(problem)
        if problem.k > problem.unitCount {
            return SolveOutcome(solver: name, status: .infeasible, plan: nil, explanation: proofs, seconds: secondsSince(start))
        }
        var options = options
        if !proofs.isEmpty {
            // Proven infeasible: still return the plan closest to feasible, with a short search.
            options.restarts = 1
            options.stallLimit = min(options.stallLimit ?? 200, 200)
            options.timeLimit = min(options.timeLimit ?? .seconds(2), .seconds(2))
        }
        let deadline = options.timeLimit.map { start + $0 }
        let labels = territoryLabels(problem)
        let home = problem.baseline.map { homeTerritories($0, labels: labels) }
        if home != nil, let budget = problem.disruptionBudget, let needed = movesNeeded(problem) {
            let allowed = budget.allowance(in: problem.units).limit
            if needed.atLeast > allowed * (1 + 1e-9) + 1e-9 {
                proofs.append("disruption budget: at most \(budget.describe(in: problem.units)) may move, the bands need at least \(needed.describe) (over by \(fmtAmount(needed.atLeast - allowed))): " + needed.reasons.joined(separator: "; "))
            }
        }
        let context = SearchContext(problem: problem, options: options, labels: labels, home: home, deadline: deadline, start: start)
        let seed = options.seed
        // With a baseline: under a budget every restart starts from today's plan; without one the
        // fresh restarts run exactly as for a fresh design and one extra restart starts from
        // today's plan, so the result is never worse than a fresh design from the same seed.
        let warmOnly = home != nil && problem.disruptionBudget != nil
        let freshRuns = options.restarts
        let runs = freshRuns + (home != nil && !warmOnly ? 1 : 0)
        /// Restarts `first ..< first + count` in parallel; restart r draws from seed stream r.
        func restarts(from first: Int, count: Int) -> [ChainResult] {
            parallelMap(count) { j in
                let r = first + j
                var rng = SplitMix64.derived(seed: seed, stream: UInt64(r))
                return context.runChain(restart: r, warm: warmOnly || (r >= freshRuns && r < runs), rng: &rng)
            }
        }
        var chains = restarts(from: 0, count: runs)
        // No restart found a feasible plan, nothing proves there is none, and time is left: more
        // fresh restarts (their seeds continue the streams), `restarts` at a time, until one is
        // feasible or the deadline passes. Tight contiguous instances need this: MS-k8 (two
        // measures at ±5 %) has a plan that one restart in several finds.
        if options.restartUntilFeasible, proofs.isEmpty, !warmOnly, let deadline {
            while !chains.contains(where: { $0.excess == 0 }), ContinuousClock.now < deadline {
                chains += restarts(from: chains.count, count: options.restarts)
            }
        }
        var best = 0
        for r in 1..<chains.count where chains[r].isBetter(than: chains[best]) { best = r }
        let winner = chains[best]
        var counters = chains.reduce(SolveCounters()) { $0 + $1.counters }
        counters.restarts = chains.count
        let timedOut = deadline.map { ContinuousClock.now >= $0 } ?? false
        let plan = Plan(assignment: winner.assignment, labels: labels, centers: winner.centers.map { $0 })
        var status: SolveStatus
        if !proofs.isEmpty {
            status = .infeasible
        } else if winner.excess > 0 {
            status = .noFeasiblePlan
        } else {
            status = timedOut || chains.contains(where: \.timedOut) ? .timeLimit : .feasible
        }
        let evaluation = Evaluator.evaluate(plan, in: problem)
        if status.hasFeasiblePlan && !evaluation.feasible {
            // The evaluator has the last word (e.g. a contiguity break the search could not mend).
            status = .noFeasiblePlan
        }
        if status == .noFeasiblePlan || status == .infeasible {
            proofs += evaluation.violations.prefix(20).map { "best plan found: " + $0.message }
        }
        var outcome = SolveOutcome(
            solver: name, status: status, plan: plan, reportedTravel: winner.travel, explanation: proofs,
            counters: counters, seconds: secondsSince(start))
        outcome.firstFeasibleSeconds = chains.compactMap(\.firstFeasibleSeconds).min()
        return outcome
    }
}

/// The labels the solver gives its territories: the problem's when it names them; otherwise
/// today's labels (from the baseline) for the first territories, so that kept territories keep
/// their names, then `T<i>` labels that do not collide.
func territoryLabels(_ problem: DesignProblem) -> [String] {
    guard !problem.territoriesAreNamed, let baseline = problem.baseline else { return problem.territories.map(\.label) }
    var labels = Array(baseline.labels.prefix(problem.k))
    var used = Set(labels)
    var next = 1
    while labels.count < problem.k {
        var label = "T\(next)"
        while used.contains(label) { next += 1; label = "T\(next)" }
        used.insert(label)
        labels.append(label)
    }
    return labels
}

/// Each unit's territory today, in the solver's indices: -1 for a unit without one, -2 when its
/// territory is not among `labels` (it must move).
func homeTerritories(_ baseline: Plan, labels: [String]) -> [Int32] {
    var index: [String: Int32] = [:]
    for (t, label) in labels.enumerated() { index[label] = Int32(t) }
    return baseline.assignment.map { b in
        guard b >= 0 else { return -1 }
        return index[baseline.labels[Int(b)]] ?? -2
    }
}

/// The best plan of one restart.
struct ChainResult: Sendable {
    var assignment: [Int32]
    var centers: [Center]
    var travel: Double
    var excess: Double
    var counters: SolveCounters
    var timedOut: Bool
    var restart: Int
    /// Seconds from the start of the solve to this restart's first feasible plan.
    var firstFeasibleSeconds: Double?
    /// Travel plus the disruption price of the moved units (= travel without a price).
    var cost: Double

    /// Feasible beats infeasible; then less excess; then less cost; then the earlier restart.
    func isBetter(than other: ChainResult) -> Bool {
        if (excess == 0) != (other.excess == 0) { return excess == 0 }
        if excess != other.excess { return excess < other.excess }
        if cost != other.cost { return cost < other.cost }
        return restart < other.restart
    }
}

/// Everything a restart needs that does not change during the search.
struct SearchContext: Sendable {
    let problem: DesignProblem
    let options: HeuristicOptions
    let labels: [String]
    let deadline: ContinuousClock.Instant?
    let start: ContinuousClock.Instant
    let rules: SearchRules
    let neighbours: NeighbourLists
    let fixedCenters: [Center?]
    let seedWeights: [Double]
    let stallLimit: Int
    let pureMedian: Bool
    /// Whether to finish each descent with exact-medoid deltas (all centers free, small territories).
    let polishWithMedoids: Bool
    /// Territories whose center the search may move.
    let freeTerritories: [Int]
    /// Each unit's territory in today's plan (solver indices; -1 none, -2 a territory that no
    /// longer exists), when the problem has a baseline.
    let home: [Int32]?
    /// The disruption budget in units (or in the budget measure), when the problem has one.
    let maxMoved: Double?
    /// What each unit weighs against the budget (nil: 1 each).
    let movedWeights: [Double]?
    /// Travel charged per moved unit (0: none).
    let movePrice: Double

    init(problem: DesignProblem, options: HeuristicOptions, labels: [String], home: [Int32]?,
         deadline: ContinuousClock.Instant?, start: ContinuousClock.Instant) {
        self.problem = problem
        self.options = options
        self.labels = labels
        self.deadline = deadline
        self.start = start
        self.home = home
        let allowance = home == nil ? nil : problem.disruptionBudget?.allowance(in: problem.units)
        self.maxMoved = allowance?.limit
        self.movedWeights = allowance?.weights
        self.movePrice = home == nil ? 0 : (problem.disruptionPrice ?? 0)
        // A budget of zero moves: every unit stays where it is today (on a measure: every unit
        // that carries some of it).
        var freeze: [Int32]?
        if maxMoved == 0, let home {
            freeze = movedWeights.map { w in home.indices.map { w[$0] > 0 ? home[$0] : -1 } } ?? home
        }
        self.rules = SearchRules(problem: problem, labels: labels, frozen: freeze)
        if problem.requiresContiguity, let adjacency = problem.adjacency {
            neighbours = NeighbourLists(adjacency: adjacency)
        } else {
            neighbours = NeighbourLists(nearestOf: problem, count: options.neighbourCount)
        }
        fixedCenters = problem.territories.map(\.center)
        // Seed weights: the first balanced measure (units that carry more attract centers).
        if let first = problem.balance.first {
            let values = problem.units.measures[first.measure].values
            let mean = max(values.reduce(0, +) / Double(max(values.count, 1)), 1e-12)
            seedWeights = values.map { max($0, 0) + 1e-3 * mean }
        } else {
            seedWeights = Array(repeating: 1, count: problem.unitCount)
        }
        let n = problem.unitCount
        stallLimit = options.stallLimit ?? max(5000, 20 * problem.k)
        freeTerritories = (0..<problem.k).filter { problem.territories[$0].center == nil }
        pureMedian = problem.balance.isEmpty && !problem.requiresContiguity && fixedCenters.allSatisfy { $0 == nil }
            && !rules.hasRestrictions && problem.disruptionBudget == nil && (problem.disruptionPrice ?? 0) == 0 && options.useCenterMoves
        polishWithMedoids = options.useCenterMoves && fixedCenters.allSatisfy { $0 == nil }
            && n / max(problem.k, 1) <= 400 && n <= 50_000
    }

    var timeUp: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    func report(_ phase: String, restart: Int, best: ChainResult?, excess: Double) {
        options.progress?(SolveProgress(
            seconds: secondsSince(start), phase: phase,
            bestFeasibleTravel: best.flatMap { $0.excess == 0 ? $0.travel : nil }, excess: excess, restart: restart))
    }

    func runChain(restart: Int, warm: Bool, rng: inout SplitMix64) -> ChainResult {
        pureMedian && !warm ? runMedianChain(restart: restart, rng: &rng) : runTerritoryChain(restart: restart, warm: warm, rng: &rng)
    }

    // MARK: Unconstrained p-median: FasterPAM + iterated local search

    func runMedianChain(restart: Int, rng: inout SplitMix64) -> ChainResult {
        let n = problem.unitCount, k = problem.k
        let initial = kMeansPlusPlusCenters(problem: problem, fixed: Array(repeating: nil, count: k), weights: seedWeights, rng: &rng)
        let medoids = initial.map { center -> Int in if case .unit(let u) = center { return u } else { return 0 } }
        var search = PMedianSwap(distances: problem.distances, weights: problem.units.weights, medoids: medoids)
        var counters = SolveCounters()
        if options.localSearch { search.run(start: rng.nextIndex(below: n), shouldStop: { timeUp }) }
        var bestMedoids = search.medoids
        var bestCost = search.cost
        var stall = 0, iterations = 0
        let firstFeasible = secondsSince(start)
        report("local optimum", restart: restart, best: nil, excess: 0)
        while options.perturb && options.localSearch && stall < stallLimit && !timeUp && k < n {
            if let limit = options.maxIterations, iterations >= limit { break }
            iterations += 1
            counters.perturbations += 1
            // Kick: replace 1–3 medoids by units drawn in proportion to their current cost.
            var medoids = bestMedoids
            let changes = 1 + rng.nextIndex(below: min(3, k))
            var isMedoid = [Bool](repeating: false, count: n)
            for m in medoids { isMedoid[m] = true }
            for _ in 0..<changes {
                let slot = rng.nextIndex(below: k)
                var total = 0.0
                for i in 0..<n where !isMedoid[i] { total += search.d1[i] * search.d1[i] }
                let pick = rng.nextUnit() < 0.5 || total == 0
                    ? (0..<n).filter { !isMedoid[$0] }[rng.nextIndex(below: n - k)]
                    : (sample(0..<n, weight: { isMedoid[$0] ? 0 : search.d1[$0] * search.d1[$0] }, total: total, rng: &rng) ?? 0)
                isMedoid[medoids[slot]] = false
                medoids[slot] = pick
                isMedoid[pick] = true
            }
            search = PMedianSwap(distances: problem.distances, weights: problem.units.weights, medoids: medoids)
            search.run(start: rng.nextIndex(below: n), shouldStop: { timeUp })
            if search.cost < bestCost - 1e-9 * max(1, bestCost) {
                bestCost = search.cost
                bestMedoids = search.medoids
                stall = 0
                report("improved", restart: restart, best: nil, excess: 0)
            } else {
                stall += 1
            }
            counters.centerSwapsEvaluated += search.swapsEvaluated
            counters.centerSwapsApplied += search.swapsApplied
        }
        let final = PMedianSwap(distances: problem.distances, weights: problem.units.weights, medoids: bestMedoids)
        return ChainResult(
            assignment: final.assignment, centers: bestMedoids.map { .unit($0) }, travel: final.cost, excess: 0,
            counters: counters, timedOut: timeUp, restart: restart, firstFeasibleSeconds: firstFeasible, cost: final.cost)
    }

    // MARK: Territory design: penalised local search + location steps + ILS

    func runTerritoryChain(restart: Int, warm: Bool, rng: inout SplitMix64) -> ChainResult {
        let n = problem.unitCount, k = problem.k
        var counters = SolveCounters()
        var (assignment, centers) = construct(rng: &rng)
        if warm, let home {
            // Warm start from today's plan: every unit whose territory still exists starts there.
            // Locked units (manual moves included) stay where their lock puts them.
            for i in 0..<n where home[i] >= 0 && rules.lockedTerritory[i] == nil { assignment[i] = home[i] }
            ensureNoEmptyTerritory(&assignment)
            centers = medoidCenters(assignment: assignment, current: centers)
        }
        let probe = IncrementalEvaluator(problem: problem, assignment: assignment, centerMode: .fixed(centers))
        let baseWeight = max(probe.travel / Double(k), 1e-9)
        let state = makeState(assignment, centers: centers, like: nil, baseWeight: baseWeight)
        let epsilon = 1e-10 * max(1, state.travel / Double(n))
        var search = LocalSearch(
            state: state, neighbours: neighbours,
            candidates: CenterCandidates(problem: problem, centers: centers, count: options.candidateCount),
            rules: rules, contiguous: problem.requiresContiguity, adjacency: problem.adjacency,
            useSwaps: options.useSwaps, epsilon: epsilon)
        search.checkDeltas = options.checkDeltas
        let deadline = self.deadline
        search.shouldStop = { deadline.map { ContinuousClock.now >= $0 } ?? false }

        if maxMoved == 0, movedWeights == nil, let home, home.allSatisfy({ $0 >= 0 }) {
            // A zero budget with every unit in a kept territory: today's plan is the only
            // candidate; only free centers move (to their exact medoids).
            finishCenters(&search)
            var result = snapshot(search, counters: counters, restart: restart)
            result.firstFeasibleSeconds = result.excess == 0 ? secondsSince(start) : nil
            return result
        }
        if !options.localSearch {
            // Construction only (a baseline for benchmarks): seeded plan, exact medoids.
            finishCenters(&search)
            var result = snapshot(search, counters: counters, restart: restart)
            result.firstFeasibleSeconds = result.excess == 0 ? secondsSince(start) : nil
            return result
        }
        optimise(&search, counters: &counters, rng: &rng)
        rebalance(&search, counters: &counters, rng: &rng)
        var firstFeasible: Double?
        func noteFeasible(_ excess: Double) {
            if firstFeasible == nil && excess <= 1e-12 { firstFeasible = secondsSince(start) }
        }
        noteFeasible(search.state.totalExcess)
        report("local optimum", restart: restart, best: snapshot(search, counters: counters, restart: restart), excess: search.state.totalExcess)
        var lastReport = ContinuousClock.now

        // Iterated local search, kept local: perturb one region, descend from the units it
        // touched, re-center the territories that changed, then keep the result or undo it change
        // by change. Acceptance is record-to-record travel: a result within `acceptance` of the
        // best objective becomes the current solution, so the search can cross shallow ridges;
        // the best solution is kept apart. A global refresh (every move, exact medoids, fresh
        // candidate lists) runs now and then.
        var current = (objective: search.objective, excess: search.state.totalExcess)
        var best = snapshot(search, counters: counters, restart: restart)
        var bestObjective = current.objective
        var stall = 0, iterations = 0
        var changedSinceRefresh = false
        let refreshInterval = max(500, problem.unitCount / 20)
        let threshold = options.acceptance
        search.clearDirty()
        while options.perturb && stall < stallLimit && !timeUp {
            if let limit = options.maxIterations, iterations >= limit { break }
            iterations += 1
            counters.perturbations += 1
            search.beginLog()
            perturb(&search, rng: &rng)
            search.descend()
            relocateDirty(&search, counters: &counters)
            let objective = search.objective
            let excess = search.state.totalExcess
            let improvesBest = excess <= best.excess + 1e-12 && objective < bestObjective - 1e-12 * max(1, abs(bestObjective))
            let acceptable = excess <= current.excess + 1e-12
                && (objective < current.objective || objective <= bestObjective + threshold * abs(bestObjective))
            if improvesBest || acceptable {
                search.commitLog()
                current = (objective, excess)
                changedSinceRefresh = true
                noteFeasible(excess)
            } else {
                search.undoLog()
            }
            search.clearDirty()
            if improvesBest {
                let gain = (bestObjective - objective) / max(abs(bestObjective), 1e-12)
                stall = gain > 1e-9 ? 0 : stall + 1
                bestObjective = objective
                best = snapshot(search, counters: counters, restart: restart)
            } else {
                stall += 1
            }
            if changedSinceRefresh && (iterations % refreshInterval == 0 || stall >= stallLimit) {
                optimise(&search, counters: &counters, rng: &rng)
                search.clearDirty()
                current = (search.objective, search.state.totalExcess)
                changedSinceRefresh = false
                let candidate = snapshot(search, counters: counters, restart: restart)
                if candidate.isBetter(than: best) {
                    if (best.travel - candidate.travel) / max(best.travel, 1e-12) > 1e-9 { stall = 0 }
                    best = candidate
                    bestObjective = current.objective
                }
                noteFeasible(best.excess)
                report("improved", restart: restart, best: best, excess: best.excess)
                lastReport = ContinuousClock.now
            }
            // Stuck without a feasible plan: start again from a fresh construction.
            if best.excess > 0 && stall > 0 && stall % 1000 == 0 && !timeUp {
                let (assignment, centers) = construct(rng: &rng)
                let fresh = makeState(assignment, centers: centers, like: search.state)
                let carried = search.counters
                search.state = fresh
                search.counters = carried
                search.candidates = CenterCandidates(problem: problem, centers: centers, count: options.candidateCount)
                counters.restarts += 1
                optimise(&search, counters: &counters, rng: &rng)
                rebalance(&search, counters: &counters, rng: &rng)
                search.clearDirty()
                current = (search.objective, search.state.totalExcess)
                let candidate = snapshot(search, counters: counters, restart: restart)
                if candidate.isBetter(than: best) {
                    best = candidate
                    bestObjective = current.objective
                    noteFeasible(best.excess)
                }
            }
            if options.progress != nil && iterations % 64 == 0 && ContinuousClock.now - lastReport > .seconds(1) {
                report("searching, \(iterations) perturbations", restart: restart, best: best, excess: best.excess)
                lastReport = ContinuousClock.now
            }
        }
        // The best solution, polished once more.
        let bestState = makeState(best.assignment, centers: best.centers, like: search.state)
        let carried = search.counters
        search.state = bestState
        search.counters = carried
        search.candidates = CenterCandidates(problem: problem, centers: best.centers, count: options.candidateCount)
        if !timeUp { optimise(&search, counters: &counters, rng: &rng) }
        applyChains(&search, counters: &counters)
        finishCenters(&search)
        let polished = snapshot(search, counters: counters, restart: restart)
        if polished.isBetter(than: best) || polished.cost == best.cost { best = polished }
        best.counters = counters + search.counters
        best.timedOut = timeUp
        best.firstFeasibleSeconds = firstFeasible ?? (best.excess == 0 ? secondsSince(start) : nil)
        return best
    }

    /// A first plan: seeded centers and a balanced assignment (regret greedy), a bisection of
    /// the units for large free-center instances, or, with contiguity, a recursive tree
    /// partition (growth from seeds when locks, skills or fixed centers apply).
    func construct(rng: inout SplitMix64) -> (assignment: [Int32], centers: [Center]) {
        let n = problem.unitCount
        let allFixed = fixedCenters.allSatisfy { $0 != nil }
        let useBisection: Bool
        switch options.seeding {
        case .bisection: useBisection = !allFixed && !problem.requiresContiguity
        case .kmeansPlusPlus: useBisection = false
        case .automatic: useBisection = fixedCenters.allSatisfy { $0 == nil } && !problem.requiresContiguity && n > 20_000
        }
        var centers: [Center]
        var assignment: [Int32]
        if useBisection {
            assignment = bisectionPartition(problem: problem, weights: seedWeights)
            for i in 0..<n { if let t = rules.lockedTerritory[i] { assignment[i] = Int32(t) } }
            centers = medoidCenters(assignment: assignment, current: nil)
        } else {
            centers = allFixed ? fixedCenters.map { $0! } : kMeansPlusPlusCenters(problem: problem, fixed: fixedCenters, weights: seedWeights, rng: &rng)
            let candidates = CenterCandidates(problem: problem, centers: centers, count: options.candidateCount)
            if problem.requiresContiguity, let adjacency = problem.adjacency {
                if !allFixed && !rules.hasRestrictions, let partition = recursiveTreePartition(rng: &rng) {
                    assignment = partition
                } else {
                    let seeds = centers.map { nearestUnit(to: $0) }
                    assignment = contiguousGrowth(problem: problem, seeds: seeds, adjacency: adjacency, weights: seedWeights, rules: rules)
                }
            } else if allFixed && !problem.balance.isEmpty && options.bandPrices {
                assignment = bandPriceAssignment(problem: problem, centers: centers, candidates: candidates, rules: rules, deadline: deadline)
            } else {
                assignment = regretAssignment(problem: problem, centers: centers, candidates: candidates, rules: rules)
            }
            ensureNoEmptyTerritory(&assignment)
            if !allFixed { centers = medoidCenters(assignment: assignment, current: centers) }
        }
        ensureNoEmptyTerritory(&assignment)
        return (assignment, centers)
    }

    /// When the penalised search ends with contiguous territories that still miss a band, runs
    /// the feasibility-first merge-split chain from its plan and searches again from the
    /// chain's plan if that one has less excess.
    func rebalance(_ search: inout LocalSearch, counters: inout SolveCounters, rng: inout SplitMix64) {
        guard problem.requiresContiguity, let adjacency = problem.adjacency, !problem.balance.isEmpty,
              search.state.totalExcess > 0, !timeUp else { return }
        let before = search.state.assignment
        var counts = [Int](repeating: 0, count: problem.k)
        for t in before { counts[Int(t)] += 1 }
        guard counts.allSatisfy({ $0 > 0 }) else { return }
        let chain = BalanceChain(problem: problem, adjacency: adjacency, rules: rules)
        let excessBefore = chain.totalExcess(of: before)
        let after = balanceFirst(before, adjacency: adjacency, rng: &rng)
        guard chain.totalExcess(of: after) < excessBefore - 1e-12 else { return }
        let centers = problem.territories.indices.map { fixedCenters[$0] } .allSatisfy { $0 != nil }
            ? fixedCenters.map { $0! } : medoidCenters(assignment: after, current: search.state.centerList)
        let carried = search.counters
        search.state = makeState(after, centers: centers, like: search.state)
        search.counters = carried
        search.candidates = CenterCandidates(problem: problem, centers: centers, count: options.candidateCount)
        counters.balanceChains += 1
        optimise(&search, counters: &counters, rng: &rng)
    }

    /// Runs the feasibility-first merge-split chain (`BalanceChain`) on a contiguous plan that
    /// misses a band: a step cap that keeps the run deterministic, and at most a quarter of the
    /// time left. Returns the plan with the least excess seen.
    func balanceFirst(_ assignment: [Int32], adjacency: Adjacency, rng: inout SplitMix64) -> [Int32] {
        let chain = BalanceChain(problem: problem, adjacency: adjacency, rules: rules)
        let now = ContinuousClock.now
        // A burst, not a marathon: the penalised local search that follows often finishes the
        // job, and a stalled restart constructs (and runs the chain) again.
        let chainDeadline = deadline.map { now + ($0 - now) / 4 }
        let steps = options.balanceChainSteps ?? max(1_000, min(20_000, 40_000_000 / max(problem.unitCount, 1) / max(problem.unitCount / problem.k, 1)))
        let result = chain.run(from: assignment, steps: steps, rng: &rng, shouldStop: {
            chainDeadline.map { ContinuousClock.now >= $0 } ?? false
        })
        return result.assignment
    }

    /// Re-centers territories whose membership changed (exact medoids), re-descending around
    /// each moved center; a few rounds at most.
    func relocateDirty(_ search: inout LocalSearch, counters: inout SolveCounters) {
        guard options.useCenterMoves else { return }
        for _ in 0..<5 {
            let dirty = search.dirtyTerritories
            search.clearDirty()
            var moved = false
            for t32 in dirty {
                let t = Int(t32)
                guard fixedCenters[t] == nil else { continue }
                let members = ArraySlice(search.state.members(of: t).sorted())
                guard let m = medoid(of: members, distances: problem.distances, weights: problem.units.weights) else { continue }
                if search.state.centerList[t] != .unit(m.unit) {
                    search.setCenter(.unit(m.unit), of: t)
                    search.enqueueTerritory(t)
                    moved = true
                }
            }
            counters.locationSteps += 1
            if !moved { break }
            search.descend()
        }
    }

    /// Makes every free center the exact medoid of its territory (travel only drops).
    func finishCenters(_ search: inout LocalSearch) {
        guard options.useCenterMoves else { return }
        let current = search.state.centerList
        let next = medoidCenters(assignment: search.state.assignment, current: current)
        if next != current { search.state.setCenters(next) }
    }

    /// Ejection chains (``CyclicExchange``) on a plan that meets every requirement, without
    /// contiguity: longer exchanges than moves and swaps, which tight bands on several measures
    /// need. Rebuilds the search state when a chain was applied.
    func applyChains(_ search: inout LocalSearch, counters: inout SolveCounters) {
        guard options.cyclicExchange, !problem.requiresContiguity, search.state.totalExcess <= 1e-12, !timeUp,
              let centers = search.state.centers else { return }
        var exchange = CyclicExchange.Options()
        exchange.candidateCount = options.candidateCount
        exchange.deadline = deadline
        let plan = Plan(assignment: search.state.assignment, labels: labels, centers: centers.map { $0 })
        let result = CyclicExchange.improve(plan, in: problem, options: exchange)
        guard result.chainsApplied > 0 else { return }
        counters.chainsApplied += result.chainsApplied
        let carried = search.counters
        search.state = makeState(result.plan.assignment, centers: centers, like: search.state)
        search.counters = carried
    }

    /// Local search to a local optimum, raising penalty weights while bands are violated, then
    /// location steps (exact medoids) for free centers until the centers stop moving.
    func optimise(_ search: inout LocalSearch, counters: inout SolveCounters, rng: inout SplitMix64) {
        search.enqueueAll()
        search.descend()
        repairBalance(&search, rng: &rng)
        var candidatesStale = false
        for round in 0..<50 {
            guard options.useCenterMoves, !timeUp else { break }
            let current = search.state.centerList
            let next = medoidCenters(assignment: search.state.assignment, current: current)
            counters.locationSteps += 1
            let moved = (0..<problem.k).filter { next[$0] != current[$0] }
            if moved.isEmpty { break }
            let before = search.objective
            search.state.setCenters(next)
            // Fresh candidate lists when many centers moved; otherwise the neighbours'
            // territories cover the change and the lists are refreshed once at the end.
            if moved.count * 4 > problem.k || round == 0 {
                search.candidates = CenterCandidates(problem: problem, centers: next, count: options.candidateCount)
                candidatesStale = false
            } else {
                candidatesStale = true
            }
            for t in moved { search.enqueueTerritory(t) }
            search.descend()
            repairBalance(&search, rng: &rng)
            // Stop when a round gains almost nothing (large instances converge slowly at the tail).
            if round >= 2 && (before - search.objective) < 1e-6 * abs(before) { break }
        }
        if candidatesStale {
            search.candidates = CenterCandidates(problem: problem, centers: search.state.centerList, count: options.candidateCount)
        }
        if polishWithMedoids && !timeUp {
            polish(&search, counters: &counters)
        }
        finishCenters(&search)
    }

    /// While bands are violated, raises the penalty weight of each violated requirement (×4)
    /// and descends again from every unit (at most 12 rounds); with contiguity, then recombines
    /// violated territories with their neighbours (merge-split) while that lowers the excess.
    func repairBalance(_ search: inout LocalSearch, rng: inout SplitMix64) {
        var rounds = 0
        // Weights stop growing at 10⁷ × travel per territory: beyond that the penalty's rounding
        // noise swamps travel (and weights raised on every refresh would otherwise overflow).
        let cap = 1e7 * max(search.state.travel / Double(problem.k), 1e-9)
        while search.state.totalExcess > 0 && rounds < 12 && !timeUp {
            rounds += 1
            var raised = false
            for r in 0..<search.state.requirementCount {
                var violated = false
                for t in 0..<problem.k where search.state.excess(requirement: r, territory: t) > 0 { violated = true; break }
                if violated && search.state.weights[r] < cap {
                    search.state.setWeight(min(search.state.weights[r] * 4, cap), requirement: r)
                    raised = true
                }
            }
            if search.state.disruptionExcess(moved: search.state.moved) > 0 && search.state.disruptionWeight < cap {
                search.state.setDisruptionWeight(min(search.state.disruptionWeight * 4, cap))
                raised = true
            }
            guard raised else { break }
            search.enqueueAll()
            search.descend()
        }
        guard problem.requiresContiguity, problem.adjacency != nil else { return }
        var recombination = TreeCutter(unitCount: problem.unitCount)
        var attempts = 0
        while search.state.totalExcess > 0 && attempts < 50 * problem.k && !timeUp {
            // Violated territories, worst first; each tries its neighbours in random order.
            var violated: [(excess: Double, territory: Int)] = []
            for t in 0..<problem.k {
                var e = 0.0
                for r in 0..<search.state.requirementCount { e += search.state.excess(requirement: r, territory: t) }
                if e > 0 { violated.append((e, t)) }
            }
            violated.sort { $0.excess > $1.excess || ($0.excess == $1.excess && $0.territory < $1.territory) }
            var improved = false
            for (_, a) in violated {
                var others = adjacentTerritories(of: a, search: search)
                for i in stride(from: others.count - 1, to: 0, by: -1) { others.swapAt(i, rng.nextIndex(below: i + 1)) }
                for b in others {
                    attempts += 1
                    if recombine(&search, &recombination, a, b, rng: &rng, requireImprovement: true) {
                        improved = true
                        break
                    }
                }
                if improved { break }
            }
            if !improved { break }
            search.descend()
        }
    }

    /// Territories sharing an adjacency edge with territory `t`, ascending.
    func adjacentTerritories(of t: Int, search: LocalSearch) -> [Int] {
        guard let adjacency = problem.adjacency else { return [] }
        var seen = Set<Int>()
        for i in search.state.members(of: t) {
            for j in adjacency.neighbours(of: Int(i)) {
                let u = Int(search.state.assignment[Int(j)])
                if u != t { seen.insert(u) }
            }
        }
        return seen.sorted()
    }

    /// A new incremental state for `assignment` carrying `like`'s penalty weights and the
    /// disruption budget (fixed centers, or exact medoids when `centers` is nil).
    func makeState(_ assignment: [Int32], centers: [Center]?, like other: IncrementalEvaluator?, baseWeight: Double = 1) -> IncrementalEvaluator {
        var state = IncrementalEvaluator(problem: problem, assignment: assignment, centerMode: centers.map { .fixed($0) } ?? .medoid)
        for r in 0..<state.requirementCount { state.setWeight(other?.weights[r] ?? baseWeight, requirement: r) }
        if let home, maxMoved != nil || movePrice > 0 {
            state.setDisruptionBudget(home: home, maxMoved: maxMoved ?? .infinity, weights: movedWeights, weight: other?.disruptionWeight ?? baseWeight)
            if movePrice > 0 { state.setDisruptionPrice(movePrice) }
        }
        return state
    }

    /// Local search whose deltas re-pick both territories' exact medoids (O(n_a + n_b) per delta):
    /// finds moves that only pay off once the centers follow. Used when territories are small.
    func polish(_ search: inout LocalSearch, counters: inout SolveCounters) {
        let state = makeState(search.state.assignment, centers: nil, like: search.state)
        var exact = LocalSearch(
            state: state, neighbours: neighbours, candidates: search.candidates, rules: rules,
            contiguous: problem.requiresContiguity, adjacency: problem.adjacency, useSwaps: options.useSwaps,
            epsilon: search.epsilon)
        exact.checkDeltas = options.checkDeltas
        exact.shouldStop = search.shouldStop
        exact.enqueueAll()
        guard exact.descend() else {
            counters = counters + exact.counters
            return
        }
        counters = counters + exact.counters
        let centers = exact.state.medoids.map { Center.unit($0) }
        search.state = makeState(exact.state.assignment, centers: centers, like: exact.state)
        search.candidates = CenterCandidates(problem: problem, centers: centers, count: options.candidateCount)
    }

    /// Changes the incumbent in one region (logged, so it can be undone). Free centers: a
    /// territory's center jumps to a unit near it (70 %) or to a poorly served unit drawn in
    /// proportion to its squared travel (30 %), taking that unit along. Otherwise, or with
    /// contiguity: a patch of units joins a neighbouring territory.
    func perturb(_ search: inout LocalSearch, rng: inout SplitMix64) {
        let n = problem.unitCount, k = problem.k
        if options.useCenterMoves && !freeTerritories.isEmpty && !problem.requiresContiguity {
            let t = freeTerritories[rng.nextIndex(below: freeTerritories.count)]
            var u: Int
            if rng.nextUnit() < 0.7 {
                let members = search.state.members(of: t)
                let x = Int(members[rng.nextIndex(below: members.count)])
                let near = neighbours[x]
                u = near.isEmpty ? x : Int(near[near.startIndex + rng.nextIndex(below: near.count)])
            } else {
                // Squared travel of a few random units; the worst served of them (cheap D²-like draw).
                u = rng.nextIndex(below: n)
                var worst = -1.0
                for _ in 0..<8 {
                    let i = rng.nextIndex(below: n)
                    let d = distanceTo(problem.distances, i, search.state.centerList[Int(search.state.assignment[i])])
                    if d > worst { worst = d; u = i }
                }
            }
            let s = Int(search.state.assignment[u])
            if s != t {
                guard rules.isMovable(u), rules.canServe(t, u), search.state.memberCount(s) > 1 else { return }
                search.forceMove(u, to: t)
            }
            search.setCenter(.unit(u), of: t)
            search.enqueueTerritory(t)
            return
        }
        if problem.requiresContiguity && k > 1 && rng.nextUnit() < 0.5 {
            // A ReCom step: merge a random territory with a neighbour and re-split along a tree.
            let a = rng.nextIndex(below: k)
            let others = adjacentTerritories(of: a, search: search)
            if !others.isEmpty {
                var recombination = TreeCutter(unitCount: n)
                recombine(&search, &recombination, a, others[rng.nextIndex(below: others.count)], rng: &rng, requireImprovement: false)
                return
            }
        }
        // Patch kick: a random unit and its same-territory neighbours join a neighbouring territory.
        let seed = rng.nextIndex(below: n)
        let from = Int(search.state.assignment[seed])
        var to = -1
        for j in neighbours[seed] where Int(search.state.assignment[Int(j)]) != from { to = Int(search.state.assignment[Int(j)]); break }
        if to < 0 {
            guard k > 1, !problem.requiresContiguity else { return }
            to = (from + 1 + rng.nextIndex(below: k - 1)) % k
        }
        var patch = [seed]
        for j in neighbours[seed] where Int(search.state.assignment[Int(j)]) == from { patch.append(Int(j)) }
        for i in patch where rules.isMovable(i) && rules.canServe(to, i) && search.state.memberCount(from) > 1 {
            if problem.requiresContiguity {
                // Only units touching the destination, and only if the source stays in one piece.
                guard let adjacency = problem.adjacency,
                      adjacency.neighbours(of: i).contains(where: { Int(search.state.assignment[Int($0)]) == to }),
                      search.staysConnected(removing: i, from: from) else { continue }
            }
            search.forceMove(i, to: to)
        }
    }

    func snapshot(_ search: LocalSearch, counters: SolveCounters, restart: Int) -> ChainResult {
        let excess = search.state.totalExcess
        return ChainResult(
            assignment: search.state.assignment, centers: search.state.centers!, travel: search.state.travel,
            excess: excess <= 1e-12 ? 0 : excess, counters: counters, timedOut: false, restart: restart,
            cost: search.state.travel + search.state.disruptionPrice * Double(search.state.movedUnits))
    }

    /// Exact medoids of every free territory (fixed centers stay). Parallel over territories.
    func medoidCenters(assignment: [Int32], current: [Center]?) -> [Center] {
        let members = TerritoryMembers(assignment: assignment, k: problem.k)
        let distances = problem.distances
        let weights = problem.units.weights
        let fixed = fixedCenters
        return parallelMap(problem.k) { t -> Center in
            if let f = fixed[t] { return f }
            guard let m = medoid(of: members[t], distances: distances, weights: weights) else {
                return current?[t] ?? .unit(0)
            }
            return .unit(m.unit)
        }
    }

    func nearestUnit(to center: Center) -> Int {
        switch center {
        case .unit(let u): return u
        case .point(let p):
            var best = 0
            for i in 1..<problem.unitCount where problem.distances(i, p) < problem.distances(best, p) { best = i }
            return best
        }
    }

    /// Gives every empty territory one unit: the unit nearest to its seed that can move without
    /// emptying another territory.
    func ensureNoEmptyTerritory(_ assignment: inout [Int32]) {
        let k = problem.k
        var counts = [Int](repeating: 0, count: k)
        for t in assignment { counts[Int(t)] += 1 }
        for t in 0..<k where counts[t] == 0 {
            var best = -1
            for i in 0..<problem.unitCount where rules.isMovable(i) && rules.canServe(t, i) && counts[Int(assignment[i])] > 1 {
                best = i
                break
            }
            guard best >= 0 else { continue }
            counts[Int(assignment[best])] -= 1
            assignment[best] = Int32(t)
            counts[t] += 1
        }
    }
}
