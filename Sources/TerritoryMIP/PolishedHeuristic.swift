import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritorySolving

/// The heuristic, then the MIP window search (``WindowSearch``) on its plan: what
/// `territory solve --method heuristic` runs. The heuristic gets `1 − windowShare` of the time
/// limit (it often stops earlier, when it stalls); the window search the rest. Windows only run
/// where they pay: no contiguity, some band or capacity, more than ``minUnits`` units (on
/// smaller problems the heuristic alone converges within its time and the exact MIP is the
/// tool) and territories of at most ``maxUnitsPerTerritory`` units on average (larger ones give
/// window MIPs GLPK cannot search well within a node limit).
public enum PolishedHeuristic {
    public static let minUnits = 200
    public static let maxUnitsPerTerritory = 50

    /// Whether the window search runs on plans of `problem`.
    public static func polishes(_ problem: DesignProblem) -> Bool {
        WindowSearch.inapplicability(problem) == nil && !problem.balance.isEmpty
            && problem.unitCount > minUnits && problem.unitCount <= maxUnitsPerTerritory * problem.k
    }

    public static func solve(_ problem: DesignProblem, options: HeuristicOptions = HeuristicOptions(), windowShare: Double = 0.4) -> SolveOutcome {
        precondition(windowShare >= 0 && windowShare < 1, "the window share lies in 0..<1")
        guard windowShare > 0, polishes(problem) else { return HeuristicSolver.solve(problem, options: options) }
        let start = ContinuousClock.now
        var heuristic = options
        heuristic.timeLimit = options.timeLimit.map { $0 * (1 - windowShare) }
        var outcome = HeuristicSolver.solve(problem, options: heuristic)
        guard let plan = outcome.plan, outcome.status.hasFeasiblePlan else { return outcome }
        var window = WindowSearch.Options()
        window.seed = options.seed
        if let limit = options.timeLimit {
            let left = limit - (ContinuousClock.now - start)
            guard left > .milliseconds(10) else { return outcome }
            window.timeLimit = left
        } else {
            window.timeLimit = .seconds(365 * 86_400)  // iteration budgets only: run until every window is settled
        }
        let polished = WindowSearch.improve(plan, in: problem, options: window)
        outcome.counters.windowsSolved += polished.windowsSolved
        outcome.counters.windowsImproved += polished.windowsImproved
        if polished.windowsImproved > 0 {
            outcome.plan = polished.plan
            outcome.reportedTravel = polished.travel
        }
        if let limit = options.timeLimit, ContinuousClock.now - start >= limit, outcome.status == .feasible {
            outcome.status = .timeLimit
        }
        outcome.seconds = secondsSince(start)
        return outcome
    }
}
