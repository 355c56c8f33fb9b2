import MILP
import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritorySolving

/// The exact territory-design solver: the MIP of ``TerritoryModel`` solved by GLPK, with the
/// heuristic's plan as first incumbent and cutoff for reduced-cost fixing, the deadline enforced
/// between nodes, and the bound and gap recorded as the search goes.
public enum MIPSolver {
    public static let name = "mip"

    public static func solve(_ problem: DesignProblem, options: MIPOptions = MIPOptions()) -> SolveOutcome {
        let start = ContinuousClock.now
        let proofs = infeasibilityProofs(problem)
        if !proofs.isEmpty {
            return SolveOutcome(solver: name, status: .infeasible, plan: nil, explanation: proofs, seconds: secondsSince(start))
        }
        let model: TerritoryModel
        do {
            model = try TerritoryModel(problem: problem, softBandWeight: options.softBandWeight)
        } catch {
            return SolveOutcome(solver: name, status: .noFeasiblePlan, plan: nil,
                                explanation: ["the exact model cannot state this problem: \(error.message)"], seconds: secondsSince(start))
        }
        if let path = options.writeModel {
            do {
                try GLPKSolver.write(model.program, to: path)
            } catch {
                return SolveOutcome(solver: name, status: .noFeasiblePlan, plan: nil, explanation: ["\(error)"], seconds: secondsSince(start))
            }
        }
        var counters = SolveCounters()
        // The best plan known so far, as a vector checked against every row of the model.
        var incumbent: (plan: Plan, travel: Double, vector: [Double])?
        func offer(_ plan: Plan?) {
            guard let plan, let vector = model.vector(for: plan), model.program.maximumViolation(of: vector).amount <= 1e-6 else { return }
            let travel = model.program.objective(of: vector)
            if incumbent == nil || travel < incumbent!.travel - 1e-9 * max(1, abs(travel)) { incumbent = (plan, travel, vector) }
        }
        // Warm start: the heuristic, within its share of the budget.
        if options.warmStart {
            var heuristic = HeuristicOptions()
            heuristic.seed = options.seed
            heuristic.timeLimit = options.timeLimit.map { $0 * options.heuristicShare }
            if problem.unitCount <= 200 { heuristic.stallLimit = 2000 }
            let outcome = HeuristicSolver.solve(problem, options: heuristic)
            counters = counters + outcome.counters
            // With soft bands any plan is feasible for the model.
            if outcome.status.hasFeasiblePlan || options.softBandWeight != nil { offer(outcome.plan) }
        }
        // Relax and repair (fixed centers): the LP relaxation of these models has few fractional
        // units, so rounding each unit to its largest share and letting the local search repair
        // the bands from there usually lands far closer to the LP bound than a fresh heuristic.
        // The LP is solved with the assignments uncapped (``TerritoryModel/relaxationForPricing()``)
        // so that its reduced costs can pick the core problem below.
        var pricedRelaxation: (values: [Double], reducedCosts: [Double])?
        if options.warmStart, model.form == .fixedCenters, !problem.requiresContiguity, options.softBandWeight == nil,
           problem.disruptionBudget == nil, let pricing = model.relaxationForPricing() {
            var lp = MILPOptions()
            if let limit = options.timeLimit { lp.timeLimit = max(limit * 0.25 - (ContinuousClock.now - start), .milliseconds(100)) }
            if case .success(let relaxation) = Result(catching: { () throws(MILPError) -> MILPResult in try GLPKSolver.solve(pricing, options: lp) }),
               relaxation.status == .optimal, let x = relaxation.values, var rounded = model.roundedPlan(fromRelaxation: x) {
                if let reduced = relaxation.reducedCosts { pricedRelaxation = (x, reduced) }
                rounded.centers = problem.territories.map(\.center)
                var repair = problem
                repair.baseline = rounded
                repair.disruptionBudget = .fractionOfUnits(1)  // every restart starts from the rounding
                var heuristic = HeuristicOptions()
                heuristic.seed = options.seed
                heuristic.timeLimit = options.timeLimit.map { $0 * 0.15 }
                heuristic.stallLimit = 2000
                let repaired = HeuristicSolver.solve(repair, options: heuristic)
                counters = counters + repaired.counters
                if repaired.status.hasFeasiblePlan { offer(repaired.plan) }
            }
        }
        // Window search: neighbouring territories re-solved exactly, a few at a time. A better
        // incumbent also tightens the cutoff of reduced-cost fixing below.
        if let current = incumbent, options.windowShare > 0, options.softBandWeight == nil,
           WindowSearch.inapplicability(problem) == nil {
            var window = WindowSearch.Options()
            window.seed = options.seed
            if let limit = options.timeLimit { window.timeLimit = max(limit * options.windowShare, .milliseconds(1)) }
            let polished = WindowSearch.improve(current.plan, in: problem, options: window)
            counters.windowsSolved += polished.windowsSolved
            counters.windowsImproved += polished.windowsImproved
            if polished.windowsImproved > 0 { offer(polished.plan) }
        }
        // Core search (fixed centers): the MIP over the LP's assignments, the incumbent's and the
        // cheapest others by reduced cost, one core size per core, in rounds while a round
        // improves (a new incumbent changes the core and the cutoff). A better incumbent here
        // also tightens reduced-cost fixing in the full search; the full search's bound comes
        // mostly from its root cuts, so it can spare the time.
        if let priced = pricedRelaxation, incumbent != nil, options.coreShare > 0 {
            let budget = options.timeLimit.map { max($0 * options.coreShare, .milliseconds(200)) } ?? .seconds(60)
            let coreDeadline = ContinuousClock.now + budget
            var round = 0
            while let current = incumbent, ContinuousClock.now + .milliseconds(100) < coreDeadline {
                let limit = min(budget / 2, coreDeadline - ContinuousClock.now)
                let core = CoreSearch.solve(model: model, lpValues: priced.values, reducedCosts: priced.reducedCosts,
                                            incumbent: current.vector, incumbentTravel: current.travel,
                                            extra: CoreSearch.extraColumns(units: problem.unitCount, cores: availableCores, round: round),
                                            timeLimit: limit, log: options.log)
                counters.coreSolved += core.solved
                for vector in core.vectors { offer(model.plan(from: vector)) }
                guard let after = incumbent?.travel, after < current.travel - 1e-9 * max(1, abs(current.travel)) else { break }
                counters.coreImproved += 1
                round += 1
            }
        }
        // Lagrangian bound (0-1 knapsack subproblems: stronger than the LP on capacitated models)
        // as a floor for the reported bound, and Lagrangian fixing: a candidate center whose
        // forced-in bound exceeds the incumbent is a center of no better plan, so its column of
        // x_ij leaves the model before GLPK branches (the incumbent's centers stay).
        var program = model.program
        var lagrangianBound: Double?
        var fixedByLagrangian = 0
        var rootMultipliers: [Double]?
        var assignmentsFixedByLagrangian = 0
        if let current = incumbent, options.lagrangian, options.softBandWeight == nil {
            let share = options.timeLimit.map { min($0 * 0.05, .seconds(5)) } ?? .seconds(5)
            let lagrangian = LagrangianBound.compute(problem, upperBound: current.travel, timeLimit: share)
            if lagrangian.bound.isFinite { lagrangianBound = lagrangian.bound }
            rootMultipliers = lagrangian.multipliers
            if let bounds = lagrangian.centerBounds, model.form == .freeCenters {
                let integral = program.variables.allSatisfy { $0.objective == $0.objective.rounded() }
                let cutoff = integral ? current.travel - 1 + 1e-6 : current.travel + 1e-9 * max(1, abs(current.travel))
                let centers = Set(current.plan.centers.compactMap { center -> Int? in if case .unit(let u)? = center { return u } else { return nil } })
                for j in 0..<problem.unitCount where bounds[j] > cutoff && !centers.contains(j) {
                    for column in model.columnsServedBy(center: j) { program.setBounds(column, lower: 0, upper: 0) }
                    fixedByLagrangian += 1
                }
                if let pairs = lagrangian.assignmentBounds {
                    // Assignments no better plan makes (the incumbent's own stay).
                    let n = problem.unitCount
                    for i in 0..<n {
                        let own = Int(current.plan.assignment[i])
                        let ownCenter: Int? = if case .unit(let u)? = current.plan.centers[own] { u } else { nil }
                        for j in 0..<n where i != j && j != ownCenter && pairs[i * n + j] > cutoff {
                            let column = model.assignmentColumn(unit: i, center: j)
                            if program.variables[column].upper > 0 {
                                program.setBounds(column, lower: 0, upper: 0)
                                assignmentsFixedByLagrangian += 1
                            }
                        }
                    }
                }
            }
        }
        var milp = MILPOptions()
        milp.relativeGap = options.relativeGap
        milp.cuts = options.cuts == .on
        milp.pseudocostBranching = options.pseudocostBranching
        if options.branchOnCentersFirst { milp.branchFirst = model.centerColumns }
        milp.log = options.log
        if options.nodeLagrangian, options.softBandWeight == nil,
           let nodeBound = CapacitatedNodeBound(model: model, problem: problem, rootMultipliers: rootMultipliers) {
            milp.nodeBound = nodeBound.oracle(assignmentRows: model.assignmentRows)
        }
        if let limit = options.timeLimit {
            let used = ContinuousClock.now - start
            milp.timeLimit = max(limit - used, .milliseconds(100))
        }
        if let incumbent {
            milp.warmStart = incumbent.vector
            if options.reducedCostFixing { milp.cutoff = incumbent.travel }
        }
        // Two cores. With free centers and center branching the two solves split the tree: the
        // first to solve its root LP picks the most fractional center y_j, one solve searches
        // y_j = 0 and the other y_j = 1, sharing incumbents (each core explores half the tree
        // instead of both exploring the same one: with center branching first, two strategies
        // gave the same bound as one). Otherwise a portfolio: pseudocost branching with
        // best-bound backtracking and GLPK's default branching; the first to prove optimality
        // stops the other. The bound is then the better of the two (both are valid).
        // GLPK's pseudocost initialisation cannot be interrupted (it can take seconds on a model
        // with 10,000 columns), so with less than 30 s left both runs use the Driebeck–Tomlin
        // rule, one backtracking to the best bound and one by best projection.
        // Large models (over 15,000 columns) run once: two copies would solve the same slow root
        // LP twice, and pseudocost initialisation there takes minutes.
        // With fixed centers (n·k columns) the root LP takes seconds even at 20,000 columns, so
        // two runs pay there; free-center models (n² columns) are slower per column.
        let remaining = milp.timeLimit.map { Double($0.components.seconds) } ?? .infinity
        let small = model.program.variableCount <= (model.form == .fixedCenters ? 60_000 : 15_000)
        let pseudocost = options.pseudocostBranching && remaining >= 30 && small
        let twoRuns = options.portfolio && availableCores >= 2 && small
        let splitting = twoRuns && !milp.branchFirst.isEmpty
        var strategies: [(pseudocost: Bool, projection: Bool, cuts: Bool)] = twoRuns
            ? (splitting ? [(pseudocost, false, milp.cuts), (pseudocost, false, milp.cuts)]
                : pseudocost ? [(true, false, milp.cuts), (false, false, milp.cuts)] : [(false, false, milp.cuts), (false, true, milp.cuts)])
            : [(pseudocost, false, milp.cuts)]
        if options.cuts == .automatic, model.form == .fixedCenters, !problem.balance.isEmpty {
            // One run cuts (the bound), the other keeps the node rate; alone, the run cuts. The
            // cutting run branches by GLPK's default rule: its pseudocost initialisation, which
            // never calls back, took 48 s on the cut-enlarged LP of 20,000 columns.
            let cutting = strategies.count - 1
            strategies[cutting].cuts = true
            strategies[cutting].pseudocost = false
        }
        let runStrategies = strategies
        let signal = StopSignal()
        let split = SearchSplit()
        if let incumbent { split.offer(incumbent.travel) }
        let solving = program
        let base = milp
        let runs: [Result<MILPResult, MILPError>] = parallelMap(runStrategies.count) { s in
            var o = base
            o.pseudocostBranching = runStrategies[s].pseudocost
            o.bestProjection = runStrategies[s].projection
            o.cuts = runStrategies[s].cuts
            o.stopSignal = signal
            if splitting { o.split = (split, s == 1) }
            let r = Result { () throws(MILPError) -> MILPResult in try GLPKSolver.solve(solving, options: o) }
            // A proof about one side of a split proves nothing about the whole.
            if case .success(let solved) = r, solved.splitColumn == nil, solved.status == .optimal || solved.status == .infeasible {
                signal.stop()
            }
            return r
        }
        var results: [MILPResult] = []
        var faults: [String] = []
        for run in runs {
            switch run {
            case .success(let r): results.append(r)
            case .failure(let e): faults.append("\(e)")
            }
        }
        guard var result = Self.combine(results) else {
            // A fault the validation missed: keep the heuristic's plan if there is one.
            return SolveOutcome(solver: name, status: incumbent == nil ? .noFeasiblePlan : .feasible, plan: incumbent?.plan,
                                reportedTravel: incumbent?.travel, explanation: faults.map { "GLPK: " + $0 }, seconds: secondsSince(start))
        }
        // (A side of a split lost to a fault leaves no bound: the other side covers half the tree.)
        if result.status != .optimal && result.status != .infeasible {
            result.bound = ([result.bound, lagrangianBound].compactMap { $0 }).max()
        }
        counters.nodes = result.nodes
        var outcome = SolveOutcome(solver: name, status: .noFeasiblePlan, plan: nil, bound: result.bound,
                                   counters: counters, seconds: secondsSince(start))
        outcome.fixedByReducedCost = result.fixedByReducedCost
        outcome.centersFixedByLagrangian = fixedByLagrangian
        outcome.assignmentsFixedByLagrangian = assignmentsFixedByLagrangian
        outcome.nodesRaisedByLagrangian = result.nodesRaisedByOracle
        outcome.nodesClosedByLagrangian = result.nodesClosedByOracle
        outcome.centersFixedInNodes = result.columnsFixedByOracle
        outcome.rawStatus = result.rawStatus
        var bestVector = result.values
        var bestObjective = result.objective
        if let incumbent, bestObjective == nil || incumbent.travel < bestObjective! - 1e-9 * max(1, abs(incumbent.travel)) {
            bestVector = incumbent.vector
            bestObjective = incumbent.travel
        }
        switch result.status {
        case .optimal:
            outcome.status = .optimal
            outcome.bound = result.bound ?? bestObjective
        case .feasible:
            outcome.status = .timeLimit
        case .infeasible:
            outcome.status = .infeasible
            outcome.bound = nil
            outcome.explanation = ["the MIP is infeasible: no plan meets every band, capacity\(problem.requiresContiguity ? ", contiguity" : "") and lock requirement together (proven by GLPK)"]
        case .unbounded:
            outcome.explanation = ["the MIP relaxation is unbounded (a bug in the model)"]
        case .noSolution:
            outcome.status = bestVector == nil ? .noFeasiblePlan : .timeLimit
            if bestVector == nil { outcome.explanation = ["no feasible plan found within the time limit"] }
        }
        if let x = bestVector, outcome.status != .infeasible {
            let plan = model.plan(from: x)
            outcome.plan = plan
            // With soft bands the reported objective includes penalties; report travel alone.
            outcome.reportedTravel = options.softBandWeight == nil ? bestObjective : Evaluator.evaluate(plan, in: problem).travel
            if options.softBandWeight == nil, let bound = outcome.bound, let objective = bestObjective, bound > objective {
                outcome.bound = objective
            }
        }
        if options.softBandWeight != nil { outcome.bound = nil }  // a bound on travel + penalties, not on travel
        outcome.seconds = secondsSince(start)
        return outcome
    }

    /// One result from the runs of one solve: the first proof of a whole-problem run, or both
    /// sides of a split joined (the bound is the weaker side's; a proven side counts with its
    /// optimum, an empty side not at all; optimal when the bound reaches the best objective), or
    /// else the best incumbent with the strongest whole-problem bound. Nil without any run.
    static func combine(_ results: [MILPResult]) -> MILPResult? {
        // Work counters cover every run, whichever result stands for the solve.
        func withTotals(_ r: MILPResult) -> MILPResult {
            var r = r
            r.nodes = results.reduce(0) { $0 + $1.nodes }
            r.priorityBranches = results.reduce(0) { $0 + $1.priorityBranches }
            r.nodesRaisedByOracle = results.reduce(0) { $0 + $1.nodesRaisedByOracle }
            r.nodesClosedByOracle = results.reduce(0) { $0 + $1.nodesClosedByOracle }
            r.columnsFixedByOracle = results.reduce(0) { $0 + $1.columnsFixedByOracle }
            return r
        }
        let whole = results.filter { $0.splitColumn == nil }
        if let proof = whole.first(where: { $0.status == .optimal || $0.status == .infeasible }) { return withTotals(proof) }
        let sides = results.filter { $0.splitColumn != nil }
        let best = results.filter { $0.objective != nil }.min { $0.objective! < $1.objective! }
        guard var result = (best ?? results.first).map(withTotals) else { return nil }
        let sidesCover = sides.count == 2 && sides[0].splitColumn == sides[1].splitColumn && sides[0].splitUpSide != sides[1].splitUpSide
        var bounds = whole.compactMap(\.bound)
        if sidesCover {
            let sideBounds = sides.map { side -> Double? in
                switch side.status {
                case .infeasible: return .infinity
                case .optimal: return side.objective ?? side.bound
                default: return side.bound
                }
            }
            if sideBounds.allSatisfy({ $0 != nil }) { bounds.append(sideBounds.map { $0! }.min()!) }
        }
        result.bound = bounds.max()
        result.cutOffBySplit = results.contains { $0.cutOffBySplit }
        if let objective = best?.objective {
            result.status = .feasible
            if let bound = result.bound, bound >= objective - 1e-9 * max(1, abs(objective)) {
                result.status = .optimal
                result.bound = objective
            }
            if sidesCover {
                result.rawStatus = sides.map { side in
                    "\(side.splitUpSide ? "y=1" : "y=0") side: \(side.rawStatus)" + (side.bound.map { ", bound \($0)" } ?? "") + ", \(side.nodes) nodes"
                }.joined(separator: "; ")
            }
        } else if sidesCover, sides.allSatisfy({ $0.status == .infeasible }) {
            result.status = .infeasible
            result.bound = nil
        } else {
            result.status = results.contains { $0.status == .unbounded } ? .unbounded : .noSolution
        }
        return result
    }

}
