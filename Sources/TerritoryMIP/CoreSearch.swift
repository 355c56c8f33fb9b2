import MILP
import TerritoryCore

/// Core search, a matheuristic for fixed-center models (rep homes): the MIP restricted to the
/// assignments an LP-priced plan is likely to use.
///
/// The LP relaxation of a fixed-center model splits only the units on binding band rows, and a
/// plan near the optimum uses few assignments that the LP prices high (travel − LP bound is the
/// sum of the plan's reduced costs plus the priced slack of the binding bands). The *core*
/// problem keeps the assignments the LP uses, the incumbent's own, and the `extra` others with
/// the smallest reduced costs; every other assignment is held at 0 and dropped from the model,
/// so GLPK branches over a few hundred free columns instead of n·k. Its optimum is a plan of the
/// whole problem (the rows are the same), never a bound. GLPK solves each core with its cutting
/// planes, pseudocost branching, best-projection backtracking, the band rows split into
/// one-sided halves, the incumbent as warm start and its travel as the cutoff. Cores of
/// different sizes run at once, one per core: a small one is solved to (near) optimality, a
/// larger one holds better plans GLPK may not reach. ``MIPSolver`` calls this in rounds while
/// a round improves the incumbent (``extraColumns(units:cores:round:)``).
///
/// 1,000 units, 20 rep homes, two measures at ±5 % (the README's fixed-center figure): the
/// LP support and the incumbent give about 1,060 columns of the 20,000; 38 more (reduced cost
/// ≤ 2) hold a plan of 140,487 (HiGHS, offline, proves it optimal for that core in 1.2 s)
/// against the incumbent's 140,726 and an LP bound of 140,097. In the solver two rounds reach
/// 140,418 within the 60 s run.
/// - Complexity: one GLPK solve per core size (exponential in the worst case, capped by the
///   time limit); O(n·k log(n·k)) Swift work to pick the columns.
enum CoreSearch {
    struct Outcome {
        /// Full-model vectors of the cores' best plans (those GLPK found), smallest core first.
        var vectors: [[Double]] = []
        var solved = 0
        /// Columns kept by each core problem (for logs and tests).
        var columns: [Int] = []
    }

    /// Extra columns per core for `n` units in round `round` (0 first): about 4 % and 10 % of
    /// the units in the first round, 10 % and 20 % after it (a second round from the first
    /// round's plan took the 1,000-unit model from 140,455 to 140,418 with these; 20 % and 40 %
    /// found nothing), one core size per available core.
    static func extraColumns(units n: Int, cores: Int, round: Int = 0) -> [Int] {
        let sizes = round == 0 ? [max(8, n / 25), max(20, n / 10)] : [max(20, n / 10), max(40, n / 5)]
        return Array(sizes.prefix(max(1, min(cores, sizes.count))))
    }

    /// Solves the core problems of `model` around the LP solution `lpValues` (with its
    /// `reducedCosts`, from ``TerritoryModel/relaxationForPricing()``) and the feasible
    /// `incumbent` vector of travel `incumbentTravel`, in parallel, within `timeLimit`.
    static func solve(model: TerritoryModel, lpValues: [Double], reducedCosts: [Double], incumbent: [Double],
                      incumbentTravel: Double, extra: [Int], timeLimit: Duration,
                      log: (@Sendable (String) -> Void)? = nil) -> Outcome {
        let program = model.program
        let cores = extra.map { model.coreColumns(lpValues: lpValues, reducedCosts: reducedCosts, incumbent: incumbent, extra: $0) }
        let runs: [(Result<MILPResult, MILPError>, Int)] = parallelMap(cores.count) { c in
            let keep = cores[c]
            let restricted = program.restricted(to: keep).splittingRangedRows()
            var options = MILPOptions()
            options.timeLimit = timeLimit
            options.cuts = true
            options.pseudocostBranching = true
            // Best projection: the search is here for plans, and the default best-bound
            // backtracking found none better than the warm start in 12 s (1,000-unit model).
            options.bestProjection = true
            options.warmStart = keep.map { incumbent[$0] }
            options.cutoff = incumbentTravel
            options.log = log
            return (Result { () throws(MILPError) -> MILPResult in try GLPKSolver.solve(restricted, options: options) }, keep.count)
        }
        var outcome = Outcome()
        for (c, (run, columns)) in runs.enumerated() {
            outcome.columns.append(columns)
            guard case .success(let result) = run else { continue }
            outcome.solved += 1
            if let x = result.values { outcome.vectors.append(program.expanding(x, keeping: cores[c])) }
        }
        return outcome
    }
}
