import TerritoryCore
import TerritoryEvaluation

/// How a solve ended. Raw values are stable: they appear in JSON reports and benchmark files.
public enum SolveStatus: String, Sendable, Codable, CaseIterable {
    /// Proven optimal (exact path, within its gap tolerance).
    case optimal
    /// A feasible plan; the search finished its budget of iterations without proof of optimality.
    case feasible
    /// A feasible plan, held when the time limit stopped the search.
    case timeLimit = "time-limit"
    /// Proven infeasible: no plan meets every requirement; `explanation` says which and by how much.
    case infeasible
    /// The search ended without a feasible plan (the best plan found is still returned, with its
    /// violations), but infeasibility is not proven.
    case noFeasiblePlan = "no-feasible-plan"

    /// Whether a plan meeting every requirement is held.
    public var hasFeasiblePlan: Bool { self == .optimal || self == .feasible || self == .timeLimit }
}

/// Work done by a solver, for reports and benchmark comparisons.
public struct SolveCounters: Sendable, Hashable {
    public var movesEvaluated = 0
    public var movesApplied = 0
    public var swapsEvaluated = 0
    public var swapsApplied = 0
    public var centerSwapsEvaluated = 0
    public var centerSwapsApplied = 0
    public var locationSteps = 0
    public var perturbations = 0
    public var restarts = 0
    /// Runs of the feasibility-first merge-split chain whose plan replaced the search's.
    public var balanceChains = 0
    public var nodes = 0
    /// MIP window search: windows solved, and those that lowered travel.
    public var windowsSolved = 0
    public var windowsImproved = 0
    /// MIP core search (fixed centers): core problems solved, and rounds of them that lowered travel.
    public var coreSolved = 0
    public var coreImproved = 0
    /// Ejection chains (cyclic and path exchanges) applied to the final plan.
    public var chainsApplied = 0
    /// Debug mode: incremental objectives checked against a full re-evaluation, and mismatches.
    public var deltaChecks = 0
    public var deltaMismatches = 0

    public init() {}

    public static func + (l: SolveCounters, r: SolveCounters) -> SolveCounters {
        var s = SolveCounters()
        s.movesEvaluated = l.movesEvaluated + r.movesEvaluated
        s.movesApplied = l.movesApplied + r.movesApplied
        s.swapsEvaluated = l.swapsEvaluated + r.swapsEvaluated
        s.swapsApplied = l.swapsApplied + r.swapsApplied
        s.centerSwapsEvaluated = l.centerSwapsEvaluated + r.centerSwapsEvaluated
        s.centerSwapsApplied = l.centerSwapsApplied + r.centerSwapsApplied
        s.locationSteps = l.locationSteps + r.locationSteps
        s.windowsSolved = l.windowsSolved + r.windowsSolved
        s.windowsImproved = l.windowsImproved + r.windowsImproved
        s.coreSolved = l.coreSolved + r.coreSolved
        s.coreImproved = l.coreImproved + r.coreImproved
        s.chainsApplied = l.chainsApplied + r.chainsApplied
        s.balanceChains = l.balanceChains + r.balanceChains
        s.perturbations = l.perturbations + r.perturbations
        s.restarts = l.restarts + r.restarts
        s.nodes = l.nodes + r.nodes
        s.deltaChecks = l.deltaChecks + r.deltaChecks
        s.deltaMismatches = l.deltaMismatches + r.deltaMismatches
        return s
    }

    /// Name/value pairs in a stable order.
    public var fields: [(String, Int)] {
        [("movesEvaluated", movesEvaluated), ("movesApplied", movesApplied), ("swapsEvaluated", swapsEvaluated),
         ("swapsApplied", swapsApplied), ("centerSwapsEvaluated", centerSwapsEvaluated),
         ("centerSwapsApplied", centerSwapsApplied), ("locationSteps", locationSteps),
         ("perturbations", perturbations), ("restarts", restarts), ("balanceChains", balanceChains), ("nodes", nodes),
         ("windowsSolved", windowsSolved), ("windowsImproved", windowsImproved), ("coreSolved", coreSolved), ("coreImproved", coreImproved),
         ("chainsApplied", chainsApplied),
         ("deltaChecks", deltaChecks), ("deltaMismatches", deltaMismatches)]
    }
}

/// A progress report during a long solve.
public struct SolveProgress: Sendable {
    public var seconds: Double
    public var phase: String
    /// Best travel so far among feasible plans (nil before the first).
    public var bestFeasibleTravel: Double?
    /// Current total relative excess over bands and capacities (0 when feasible).
    public var excess: Double
    public var restart: Int

    public init(seconds: Double, phase: String, bestFeasibleTravel: Double?, excess: Double, restart: Int) {
        self.seconds = seconds
        self.phase = phase
        self.bestFeasibleTravel = bestFeasibleTravel
        self.excess = excess
        self.restart = restart
    }
}

/// What every solver returns: the plan (aligned to the problem), how it ended and why.
public struct SolveOutcome: Sendable {
    public var solver: String
    public var status: SolveStatus
    /// The best plan found (complete: every unit assigned), or nil when none exists (e.g. k > n).
    public var plan: Plan?
    /// A proven lower bound on travel, where the solver has one.
    public var bound: Double?
    /// The solver's own travel for `plan` (checked against the evaluator).
    public var reportedTravel: Double?
    /// Why the problem is infeasible or what the search could not meet, sentence by sentence.
    public var explanation: [String]
    public var counters: SolveCounters
    public var seconds: Double
    /// Seconds from the start to the first plan meeting every requirement (nil: none found).
    public var firstFeasibleSeconds: Double?
    /// Exact path: columns fixed by reduced costs, and the backend's own words for the end.
    public var fixedByReducedCost = 0
    /// Exact path: candidate centers ruled out by Lagrangian fixing before branching.
    public var centersFixedByLagrangian = 0
    /// Exact path, free centers: assignments x_ij fixed to 0 by Lagrangian fixing.
    public var assignmentsFixedByLagrangian = 0
    /// Exact path, capacitated p-median: tree nodes whose bound the knapsack Lagrangian raised
    /// above their LP, nodes it closed, and centers it closed or opened inside nodes.
    public var nodesRaisedByLagrangian = 0
    public var nodesClosedByLagrangian = 0
    public var centersFixedInNodes = 0
    public var rawStatus: String?

    public init(solver: String, status: SolveStatus, plan: Plan?, bound: Double? = nil, reportedTravel: Double? = nil,
                explanation: [String] = [], counters: SolveCounters = SolveCounters(), seconds: Double) {
        self.solver = solver
        self.status = status
        self.plan = plan
        self.bound = bound
        self.reportedTravel = reportedTravel
        self.explanation = explanation
        self.counters = counters
        self.seconds = seconds
    }
}

/// Seconds elapsed since `start`.
public func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
