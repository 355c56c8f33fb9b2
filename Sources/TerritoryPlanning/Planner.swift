import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritoryMIP
import TerritorySolving

/// Which solver designs the territories.
public enum SolveMethod: String, Sendable, CaseIterable {
    /// The MIP for small models (``prefersMIP(_:)``), else the heuristic.
    case auto
    case heuristic
    case mip
}

/// Whether `auto` takes the exact path: free centers up to 60 units, fixed centers up to
/// 20,000 unit × territory pairs (GLPK proves optimality there within seconds to minutes).
public func prefersMIP(_ problem: DesignProblem) -> Bool {
    if (problem.disruptionPrice ?? 0) > 0 { return false }  // not in the exact model
    let fixed = problem.territories.allSatisfy { $0.center != nil }
    return fixed ? problem.unitCount * problem.k <= 20_000 : problem.unitCount <= 60
}

/// Designs the territories of `problem` (validated) with `method`; the MIP takes the heuristic
/// options' time limit and seed unless `mip` is given.
public func designTerritories(
    _ problem: DesignProblem, method: SolveMethod = .auto, heuristic: HeuristicOptions = HeuristicOptions(), mip: MIPOptions? = nil
) -> SolveOutcome {
    let useMIP = method == .mip || (method == .auto && prefersMIP(problem))
    guard useMIP else { return PolishedHeuristic.solve(problem, options: heuristic) }
    var options = mip ?? MIPOptions()
    if mip == nil {
        options.timeLimit = heuristic.timeLimit
        options.seed = heuristic.seed
    }
    return MIPSolver.solve(problem, options: options)
}
