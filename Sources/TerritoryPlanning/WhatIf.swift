import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritorySolving

/// The outcome of one what-if scenario.
public struct WhatIfResult: Sendable {
    public var scenario: Scenario
    public var outcome: SolveOutcome
    /// The new plan scored by the evaluator (nil when the solver returned no plan).
    public var evaluation: Evaluation?
    /// The new plan against today's plan (nil without a baseline or a plan).
    public var comparison: PlanComparison?
    /// The quota split, when the scenario sets a quota.
    public var quotas: [QuotaShare]?

    /// Whether the plan meets every requirement (bands, budget, locks, contiguity).
    public var feasible: Bool { outcome.status.hasFeasiblePlan && (evaluation?.feasible ?? false) }
}

/// Runs one scenario: designs the territories (from today's plan when there is one) and
/// compares the result with today's plan. `threads` bounds the parallel restarts.
public func runScenario(_ scenario: Scenario, restarts: Int = 2, progress: (@Sendable (SolveProgress) -> Void)? = nil) -> WhatIfResult {
    var options = HeuristicOptions()
    options.seed = scenario.seed
    options.timeLimit = .milliseconds(Int64((scenario.timeLimitSeconds * 1000).rounded()))
    options.restarts = restarts
    options.progress = progress
    let problem = scenario.problem
    let outcome = designTerritories(problem, method: SolveMethod(rawValue: scenario.method) ?? .auto, heuristic: options)
    var result = WhatIfResult(scenario: scenario, outcome: outcome)
    guard let plan = outcome.plan else { return result }
    result.evaluation = Evaluator.evaluate(plan, in: problem, baseline: problem.baseline)
    if let baseline = problem.baseline {
        result.comparison = compare(baseline, plan, in: problem)
    }
    if let quota = scenario.quota, let measure = scenario.quotaMeasure {
        result.quotas = splitQuota(quota, plan: plan, problem: problem, potential: measure,
                                   history: scenario.quotaHistory, blend: scenario.quotaBlend)
    }
    return result
}
