import Foundation
import Testing
import MILP
import TerritoryCore
import TerritoryEvaluation
import TerritoryIO
import TerritorySolving
import TerritoryHeuristics
@testable import TerritoryMIP

let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("datasets").path

func quickMIP(_ seconds: Int = 60, warmStart: Bool = false) -> MIPOptions {
    var options = MIPOptions()
    options.timeLimit = .seconds(seconds)
    options.warmStart = warmStart
    return options
}

/// A small planar problem with two measures.
func smallProblem(n: Int = 24, k: Int = 3, tolerance: Double = 0.1, seed: UInt64 = 3) -> DesignProblem {
    let units = SyntheticInstance.units(count: n, seed: seed)
    var problem = DesignProblem(name: "small", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: k)
    problem.balance = [BalanceRequirement(measure: 0, tolerance: tolerance), BalanceRequirement(measure: 1, tolerance: tolerance)]
    return problem
}

@Suite struct MIPTests {
    @Test func osmanInstanceIsProvenOptimal() throws {
        let problem = try readInstance(datasets + "/cpmp-osman/cpmp01.txt", format: .cpmpOsman)
        let outcome = MIPSolver.solve(problem, options: quickMIP())
        #expect(outcome.status == .optimal)
        #expect(outcome.reportedTravel == 713)
        #expect(outcome.bound == 713)
        let evaluation = Evaluator.evaluate(try problem.align(outcome.plan!), in: problem)
        #expect(evaluation.travel == 713)
        #expect(evaluation.feasible)
    }

    @Test func warmStartIsInjectedAndReducedCostsFixColumns() throws {
        let problem = smallProblem()
        let outcome = MIPSolver.solve(problem, options: quickMIP(warmStart: true))
        #expect(outcome.status == .optimal)
        #expect(outcome.fixedByReducedCost > 0)
        let evaluation = Evaluator.evaluate(outcome.plan!, in: problem)
        #expect(evaluation.feasible)
        #expect(abs(evaluation.travel - outcome.reportedTravel!) <= 1e-6 * evaluation.travel)
        // The heuristic alone can be no better than the proven optimum.
        #expect(outcome.bound! <= evaluation.travel + 1e-6)
    }

    @Test func fixedCentersWithTwoMeasuresLocksAndSkills() throws {
        var problem = smallProblem(n: 30, k: 3, tolerance: 0.15)
        problem.territories = [
            TerritorySpec(label: "A", center: .point(Point(x: 100, y: 100))),
            TerritorySpec(label: "B", center: .point(Point(x: 900, y: 500)), allowedSegments: ["SMB"]),
            TerritorySpec(label: "C", center: .unit(5)),
        ]
        problem.territoriesAreNamed = true
        problem.units.segments = (0..<30).map { $0 % 4 == 0 ? "ENT" : "SMB" }
        problem.units.currentTerritory = (0..<30).map { $0 == 7 ? "A" : "" }
        problem.units.locked = (0..<30).map { $0 == 7 }
        try problem.validate()
        let outcome = MIPSolver.solve(problem, options: quickMIP())
        #expect(outcome.status == .optimal)
        let plan = outcome.plan!
        #expect(plan.assignment[7] == 0)
        #expect(plan.assignment[5] == 2)
        for i in stride(from: 0, to: 30, by: 4) { #expect(plan.assignment[i] != 1) }
        let evaluation = Evaluator.evaluate(plan, in: problem)
        #expect(evaluation.feasible, "\(evaluation.violations)")
        #expect(abs(evaluation.travel - outcome.reportedTravel!) <= 1e-6 * evaluation.travel)
    }

    @Test func contiguityMakesMaineInfeasibleAtFivePercentOnPopulationAndArea() throws {
        // No contiguous 2-district plan of Maine's 16 counties has population and land area
        // both within ±5 % (checked by enumerating all 32,767 bipartitions); the MIP proves it.
        var problem = try readInstance(datasets + "/districting-us-county/county23.json", format: .countyJSON)
        problem.setTerritoryCount(2)
        problem.balance = [
            BalanceRequirement(measure: problem.units.measureIndex(named: "TOTPOP")!, tolerance: 0.05),
            BalanceRequirement(measure: problem.units.measureIndex(named: "ALAND10")!, tolerance: 0.05),
        ]
        problem.requiresContiguity = true
        let outcome = MIPSolver.solve(problem, options: quickMIP())
        #expect(outcome.status == .infeasible)
        // Population alone at ±0.5 %: feasible, contiguous.
        problem.balance.removeLast()
        problem.balance[0].tolerance = 0.005
        let feasible = MIPSolver.solve(problem, options: quickMIP())
        #expect(feasible.status == .optimal)
        let evaluation = Evaluator.evaluate(feasible.plan!, in: problem)
        #expect(evaluation.feasible && evaluation.noncontiguous == 0)
    }

    @Test func hostileProblemsEndInAStatusOrAnError() throws {
        // More territories than units: a status, no plan.
        #expect(MIPSolver.solve(smallProblem(n: 4, k: 6), options: quickMIP()).status == .infeasible)
        // Invalid data is caught by validation before any model is built.
        var nan = smallProblem()
        nan.units.measures[0].values[3] = .nan
        #expect(throws: InputError.self) { try nan.validate() }
        var negative = smallProblem()
        negative.balance[0].tolerance = -0.1
        #expect(throws: InputError.self) { try negative.validate() }
        var empty = smallProblem()
        empty.units = try UnitTable(ids: [])
        #expect(throws: InputError.self) { try empty.validate() }
        // A problem the model cannot state: a status with an explanation.
        var mixed = smallProblem()
        mixed.territories[0].center = .unit(0)
        let outcome = MIPSolver.solve(mixed, options: quickMIP())
        #expect(outcome.plan == nil)
        #expect(outcome.explanation.first?.contains("fixed or every one free") == true)
        // A tolerance no plan can meet: proven before GLPK.
        #expect(MIPSolver.solve(smallProblem(tolerance: 0), options: quickMIP()).status != .optimal)
    }

    @Test func theDeadlineHoldsOnAModelGLPKCannotFinish() throws {
        let problem = try readInstance(datasets + "/cpmp-osman/cpmp20.txt", format: .cpmpOsman)
        let start = ContinuousClock.now
        var options = quickMIP(3)
        options.portfolio = false
        let outcome = MIPSolver.solve(problem, options: options)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(10))
        #expect([SolveStatus.timeLimit, .noFeasiblePlan, .optimal].contains(outcome.status))
        if outcome.status == .timeLimit { #expect(outcome.bound != nil && outcome.bound! <= outcome.reportedTravel!) }
    }

    @Test func modelExportWritesLPAndMPS() throws {
        let dir = NSTemporaryDirectory() + "territory-mip-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let model = try TerritoryModel(problem: smallProblem())
        try GLPKSolver.write(model.program, to: dir + "/m.lp")
        try GLPKSolver.write(model.program, to: dir + "/m.mps")
        let lp = try String(contentsOfFile: dir + "/m.lp", encoding: .utf8)
        #expect(lp.contains("Minimize") && lp.contains("assign_1"))
        let mps = try String(contentsOfFile: dir + "/m.mps", encoding: .utf8)
        #expect(mps.contains("ROWS") && mps.contains("COLUMNS"))
    }

    @Test func softBandsTradeBalanceForTravel() throws {
        let problem = smallProblem(n: 20, k: 2, tolerance: 0.01)
        let hard = MIPSolver.solve(problem, options: quickMIP())
        var options = quickMIP()
        options.softBandWeight = 1
        let soft = MIPSolver.solve(problem, options: options)
        #expect(soft.plan != nil)
        if hard.status == .optimal, let softTravel = soft.reportedTravel {
            #expect(softTravel <= hard.reportedTravel! + 1e-6)
        }
    }

    @Test func lagrangianBoundsAreValidAndTight() throws {
        let pmed = try readInstance(datasets + "/orlib-pmed/pmed1.txt", format: .pmed)
        let bound = LagrangianBound.compute(pmed, upperBound: 5900, timeLimit: .seconds(20))
        #expect(bound.bound <= 5819)
        #expect(bound.bound >= 5819 * 0.99)
        let osman = try readInstance(datasets + "/cpmp-osman/cpmp01.txt", format: .cpmpOsman)
        let capacitated = LagrangianBound.compute(osman, upperBound: 713, timeLimit: .seconds(20))
        #expect(capacitated.bound <= 713)
        #expect(capacitated.bound >= 713 * 0.95)
        // The 0-1 knapsack subproblems beat their continuous relaxation on a hard capacitated
        // instance (961 with the continuous knapsack; the optimum is 1005).
        let cpmp20 = try readInstance(datasets + "/cpmp-osman/cpmp20.txt", format: .cpmpOsman)
        let strong = LagrangianBound.compute(cpmp20, upperBound: 1005, timeLimit: .seconds(60), maxIterations: 1000)
        #expect(strong.bound <= 1005)
        #expect(strong.bound >= 970, "\(strong.bound)")
    }

    /// Window MIPs keep every requirement and only lower travel, with fixed and free centers.
    @Test func windowSearchPolishesWithoutBreakingRequirements() throws {
        var fixed = smallProblem(n: 90, k: 6, tolerance: 0.04, seed: 5)
        fixed.territories = (0..<6).map { TerritorySpec(label: "R\($0)", center: .unit($0 * 15)) }
        fixed.territoriesAreNamed = true
        var heuristic = HeuristicOptions()
        heuristic.timeLimit = nil
        heuristic.stallLimit = 0
        heuristic.cyclicExchange = false
        let osman = try readInstance(datasets + "/cpmp-osman/cpmp15.txt", format: .cpmpOsman)
        for problem in [fixed, osman] {
            let start = try #require(HeuristicSolver.solve(problem, options: heuristic).plan)
            let before = Evaluator.evaluate(start, in: problem)
            #expect(before.feasible)
            var options = WindowSearch.Options()
            options.timeLimit = .seconds(60)
            let result = WindowSearch.improve(start, in: problem, options: options)
            let after = Evaluator.evaluate(result.plan, in: problem)
            #expect(after.feasible, "\(after.violations)")
            #expect(after.travel <= before.travel + 1e-9 * before.travel)
            #expect(abs(after.travel - result.travel) <= 1e-9 * after.travel)
            #expect(result.windowsSolved > 0)
        }
        var contiguous = fixed
        contiguous.requiresContiguity = true
        #expect(WindowSearch.inapplicability(contiguous) != nil)
    }

    /// Core search on a fixed-center model: the pricing LP's reduced costs are those of the row
    /// duals alone (none negative), the core keeps the LP's and the incumbent's assignments plus
    /// exactly the cheapest others, and every plan it returns meets every row, costs no more than
    /// the incumbent and no less than the proven optimum of the whole model.
    @Test func coreSearchKeepsThePricedColumnsAndReturnsValidPlans() throws {
        var problem = smallProblem(n: 60, k: 4, tolerance: 0.05, seed: 11)
        problem.territories = [
            TerritorySpec(label: "R1", center: .point(Point(x: 150, y: 150))),
            TerritorySpec(label: "R2", center: .point(Point(x: 850, y: 200))),
            TerritorySpec(label: "R3", center: .point(Point(x: 200, y: 800))),
            TerritorySpec(label: "R4", center: .unit(7)),
        ]
        problem.territoriesAreNamed = true
        try problem.validate()
        let model = try TerritoryModel(problem: problem)
        let pricing = try #require(model.relaxationForPricing())
        let lp = try GLPKSolver.solve(pricing)
        #expect(lp.status == .optimal)
        let x = try #require(lp.values), reduced = try #require(lp.reducedCosts)
        for (j, v) in model.program.variables.enumerated() where v.lower == 0 && v.upper > 0 {
            #expect(reduced[j] >= -1e-7, "column \(v.name): reduced cost \(reduced[j])")
        }
        var heuristic = HeuristicOptions()
        heuristic.timeLimit = nil
        heuristic.stallLimit = 0
        heuristic.cyclicExchange = false
        let start = try #require(HeuristicSolver.solve(problem, options: heuristic).plan)
        let incumbent = try #require(model.vector(for: start))
        #expect(model.program.maximumViolation(of: incumbent).amount <= 1e-6)
        let incumbentTravel = model.program.objective(of: incumbent)

        let extra = 12
        let core = model.coreColumns(lpValues: x, reducedCosts: reduced, incumbent: incumbent, extra: extra)
        let kept = Set(core)
        #expect(core == core.sorted())
        let base = (0..<model.program.variableCount).filter { x[$0] > 1e-9 || incumbent[$0] > 0.5 || model.program.variables[$0].lower > 0 }
        #expect(base.allSatisfy(kept.contains))
        #expect(core.count == Set(base).count + extra)
        let others = (0..<model.program.variableCount).filter { !Set(base).contains($0) && model.program.variables[$0].upper > 0 }
        let cheapestLeftOut = others.filter { !kept.contains($0) }.map { reduced[$0] }.min() ?? .infinity
        let dearestTaken = others.filter(kept.contains).map { reduced[$0] }.max() ?? -.infinity
        #expect(dearestTaken <= cheapestLeftOut)

        let optimum = try #require(MIPSolver.solve(problem, options: quickMIP()).reportedTravel)
        let outcome = CoreSearch.solve(model: model, lpValues: x, reducedCosts: reduced, incumbent: incumbent,
                                       incumbentTravel: incumbentTravel, extra: [extra, 40], timeLimit: .seconds(30))
        #expect(outcome.solved == 2)
        #expect(outcome.columns.count == 2 && outcome.columns[0] < outcome.columns[1])
        #expect(!outcome.vectors.isEmpty)  // the warm start at least
        for vector in outcome.vectors {
            #expect(model.program.maximumViolation(of: vector).amount <= 1e-6)
            let travel = model.program.objective(of: vector)
            #expect(travel <= incumbentTravel + 1e-6 * incumbentTravel)
            #expect(travel >= optimum - 1e-6 * optimum)
            let evaluation = Evaluator.evaluate(model.plan(from: vector), in: problem)
            #expect(evaluation.feasible, "\(evaluation.violations)")
            #expect(abs(evaluation.travel - travel) <= 1e-6 * travel)
        }
        #expect(CoreSearch.extraColumns(units: 1000, cores: 2) == [40, 100])
        #expect(CoreSearch.extraColumns(units: 1000, cores: 1) == [40])
        #expect(CoreSearch.extraColumns(units: 1000, cores: 2, round: 1) == [100, 200])

        // The solver runs it with a warm start (and skips it when asked).
        var withCore = quickMIP(warmStart: true)
        withCore.timeLimit = .seconds(20)
        let solved = MIPSolver.solve(problem, options: withCore)
        #expect(solved.counters.coreSolved >= 1)
        let final = Evaluator.evaluate(try #require(solved.plan), in: problem)
        #expect(final.feasible && abs(final.travel - solved.reportedTravel!) <= 1e-6 * final.travel)
        withCore.coreShare = 0
        #expect(MIPSolver.solve(problem, options: withCore).counters.coreSolved == 0)
    }

    /// The heuristic followed by windows: feasible, never worse than the heuristic alone, its
    /// reported travel the evaluator's; skipped on small problems and with contiguity.
    @Test func polishedHeuristicImprovesOnTheHeuristic() throws {
        let problem = try readInstance(datasets + "/cpmp-sjc/SJC3a.dat", format: .cpmp)
        #expect(PolishedHeuristic.polishes(problem))
        var options = HeuristicOptions()
        options.timeLimit = nil
        options.stallLimit = 20
        let plain = HeuristicSolver.solve(problem, options: options)
        let polished = PolishedHeuristic.solve(problem, options: options)
        let evaluation = Evaluator.evaluate(try #require(polished.plan), in: problem)
        #expect(evaluation.feasible)
        #expect(abs(evaluation.travel - polished.reportedTravel!) <= 1e-9 * evaluation.travel)
        #expect(evaluation.travel <= plain.reportedTravel! + 1e-9 * evaluation.travel)
        #expect(polished.counters.windowsSolved > 0)
        #expect(!PolishedHeuristic.polishes(smallProblem()))
        var contiguous = try readInstance(datasets + "/districting-us-county/county19.json", format: .countyJSON)
        contiguous.setTerritoryCount(4)
        contiguous.balance = [BalanceRequirement(measure: contiguous.units.measureIndex(named: "TOTPOP")!, tolerance: 0.05)]
        contiguous.requiresContiguity = true
        #expect(!PolishedHeuristic.polishes(contiguous))
    }

    /// The forced-assignment bounds equal a brute-force evaluation of their definition: at a
    /// random λ, Σλ + the k − 1 cheapest other centers' knapsacks + center j's knapsack with
    /// unit i forced in (every subset enumerated).
    @Test func assignmentBoundsMatchBruteForce() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<20 {
            let n = 4 + rng.nextIndex(below: 5), k = 1 + rng.nextIndex(below: 3)
            let costs = (0..<(n * n)).map { _ in Double(rng.nextIndex(below: 30)) }
            let weights = (0..<n).map { _ in Double(1 + rng.nextIndex(below: 6)) }
            let capacity = Double(6 + rng.nextIndex(below: 12))
            let lambda = (0..<n).map { _ in 30 * rng.nextUnit() }
            let cost: @Sendable (Int, Int) -> Double = { i, c in i == c ? 0 : costs[i * n + c] }
            guard let bounds = LagrangianBound.assignmentBounds(n: n, k: k, lambda: lambda, cost: cost,
                                                                requirements: [(weights, [0], [capacity])]) else {
                Issue.record("a small integral capacity must be handled")
                continue
            }
            // Brute force: center j's subproblem with `forced` units in, others optional.
            func knapsack(_ j: Int, forced: [Int]) -> Double {
                let others = (0..<n).filter { $0 != j && !forced.contains($0) }
                var best = Double.infinity
                for mask in 0..<(1 << others.count) {
                    var w = weights[j], v = cost(j, j) - lambda[j]
                    for i in forced { w += weights[i]; v += cost(i, j) - lambda[i] }
                    for (b, i) in others.enumerated() where mask & (1 << b) != 0 { w += weights[i]; v += cost(i, j) - lambda[i] }
                    if w <= capacity { best = min(best, v) }
                }
                return best
            }
            let rho = (0..<n).map { knapsack($0, forced: []) }
            let sum = lambda.reduce(0, +)
            for j in 0..<n {
                let others = (0..<n).filter { $0 != j }.map { rho[$0] }.sorted().prefix(k - 1).reduce(0, +)
                for i in 0..<n {
                    let expected = sum + others + knapsack(j, forced: i == j ? [] : [i])
                    let got = bounds[i * n + j]
                    #expect(expected.isInfinite ? got.isInfinite : abs(got - expected) <= 1e-9, "i \(i) j \(j): \(got) vs \(expected)")
                }
            }
        }
    }

    /// On cpmp01's model (root LP fractional in the centers) the callback branches on centers
    /// first and still proves the optimum; two solves splitting the tree fix the same center
    /// column at 0 and at 1, each side's plan respects its fix, and the better side is optimal.
    @Test func centerBranchingAndTheSplitTreeKeepTheOptimum() throws {
        let problem = try readInstance(datasets + "/cpmp-osman/cpmp01.txt", format: .cpmpOsman)
        let model = try TerritoryModel(problem: problem)
        let relaxation = try GLPKSolver.solve(model.program.relaxed())
        #expect(model.centerColumns.contains { relaxation.values![$0] > 1e-6 && relaxation.values![$0] < 1 - 1e-6 })
        var options = MILPOptions()
        options.timeLimit = .seconds(120)
        options.branchFirst = model.centerColumns
        let prioritized = try GLPKSolver.solve(model.program, options: options)
        #expect(prioritized.status == .optimal && prioritized.objective == 713)
        #expect(prioritized.priorityBranches >= 1)
        let split = SearchSplit()
        let shared = options
        let sides = parallelMap(2) { s in
            var o = shared
            o.split = (split, s == 1)
            return Result { () throws(MILPError) -> MILPResult in try GLPKSolver.solve(model.program, options: o) }
        }.map { try? $0.get() }
        let column = try #require(sides[0]?.splitColumn)
        #expect(sides[1]?.splitColumn == column)
        #expect(model.centerColumns.contains(column))
        for side in sides.compactMap({ $0 }) {
            if let values = side.values {
                // No warm start: every incumbent is GLPK's own, found on its side.
                #expect(values[column].rounded() == (side.splitUpSide ? 1 : 0))
            }
            #expect(side.status == .optimal || side.status == .infeasible || side.cutOffBySplit, "\(side.rawStatus)")
        }
        let combined = try #require(MIPSolver.combine(sides.compactMap { $0 }))
        #expect(combined.status == .optimal && combined.objective == 713 && combined.bound == 713)
        #expect(split.best == 713)
    }

    /// With a warm start, Lagrangian fixing removes assignments and the MIP still proves the
    /// published optimum.
    @Test func lagrangianFixingKeepsTheOptimum() throws {
        let problem = try readInstance(datasets + "/cpmp-osman/cpmp03.txt", format: .cpmpOsman)
        let outcome = MIPSolver.solve(problem, options: quickMIP(warmStart: true))
        #expect(outcome.status == .optimal)
        #expect(outcome.reportedTravel == 751)
        #expect(outcome.assignmentsFixedByLagrangian > 0)
        let evaluation = Evaluator.evaluate(try problem.align(outcome.plan!), in: problem)
        #expect(evaluation.travel == 751 && evaluation.feasible)
    }

    /// The node oracle against enumeration: random small capacitated p-median instances, random
    /// nodes (centers closed and opened, assignments excluded and forced), random multipliers.
    /// Its bound never passes the node's optimum, and every center it closes (opens) is closed
    /// (open) in every plan of the node better than the cutoff, also when the node inherits an
    /// ancestor's memo.
    @Test func nodeLagrangianIsValidAtRandomNodes() throws {
        var rng = SplitMix64(seed: 23)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("node-lagrangian-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var checkedNodes = 0, probed = 0, raised = 0
        for instance in 0..<12 {
            let n = 6 + rng.nextIndex(below: 3), k = 2 + rng.nextIndex(below: 2)
            let demands = (0..<n).map { _ in 1 + rng.nextIndex(below: 6) }
            let capacity = Int((Double(demands.reduce(0, +)) / Double(k) * 1.4).rounded(.up))
            var text = "\(n) \(k)\n"
            for i in 0..<n { text += "\(rng.nextIndex(below: 40)) \(rng.nextIndex(below: 40)) \(capacity) \(demands[i])\n" }
            let path = directory.appendingPathComponent("r\(instance).txt").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let problem = try readInstance(path, format: .cpmpOsman)
            let model = try TerritoryModel(problem: problem)
            let oracle = try #require(CapacitatedNodeBound(model: model, problem: problem, rootMultipliers: nil, iterations: 5))
            let objective = model.program.variables.map(\.objective)
            // Every plan: k centers, each other unit to one of them, within capacity.
            var plans: [(cost: Double, columns: [Int], centers: [Int])] = []
            for mask in 0..<(1 << n) where mask.nonzeroBitCount == k {
                let centers = (0..<n).filter { mask & (1 << $0) != 0 }
                let others = (0..<n).filter { mask & (1 << $0) == 0 }
                var choice = [Int](repeating: 0, count: others.count)
                while true {
                    var load = [Int](repeating: 0, count: k)
                    var columns = centers.map { model.assignmentColumn(unit: $0, center: $0) }
                    for (c, j) in centers.enumerated() { load[c] += demands[j] }
                    for (o, i) in others.enumerated() {
                        load[choice[o]] += demands[i]
                        columns.append(model.assignmentColumn(unit: i, center: centers[choice[o]]))
                    }
                    if load.allSatisfy({ $0 <= capacity }) { plans.append((columns.reduce(0) { $0 + objective[$1] }, columns, centers)) }
                    var d = 0
                    while d < choice.count && choice[d] == k - 1 { choice[d] = 0; d += 1 }
                    if d == choice.count { break }
                    choice[d] += 1
                }
            }
            for _ in 0..<15 {
                var lower = model.program.variables.map(\.lower), upper = model.program.variables.map(\.upper)
                let closed = rng.nextIndex(below: n), opened = rng.nextIndex(below: n)
                if rng.nextUnit() < 0.5 { upper[model.assignmentColumn(unit: closed, center: closed)] = 0 }
                if rng.nextUnit() < 0.5, opened != closed { lower[model.assignmentColumn(unit: opened, center: opened)] = 1 }
                for _ in 0..<rng.nextIndex(below: 4) {
                    let i = rng.nextIndex(below: n), j = rng.nextIndex(below: n)
                    if i != j { upper[model.assignmentColumn(unit: i, center: j)] = 0 }
                }
                if rng.nextUnit() < 0.3 {
                    let i = rng.nextIndex(below: n), j = rng.nextIndex(below: n)
                    if i != j && upper[model.assignmentColumn(unit: i, center: j)] > 0 { lower[model.assignmentColumn(unit: i, center: j)] = 1 }
                }
                let inNode = plans.filter { plan in
                    let used = Set(plan.columns)
                    return (0..<lower.count).allSatisfy { c in used.contains(c) ? upper[c] >= 1 : lower[c] <= 0 }
                }
                let optimum = inNode.map(\.cost).min() ?? .infinity
                let cutoff = optimum.isFinite ? optimum + Double(rng.nextIndex(below: 4)) : 100.0
                var node = NodeRelaxation(lower: lower, upper: upper, duals: (0..<n).map { _ in 40 * rng.nextUnit() },
                                          objective: 0, cutoff: cutoff, integralObjective: true, memo: nil)
                var memo: [Double]?
                for round in 0..<2 {
                    node.memo = memo
                    let proof = try #require(oracle.evaluate(node))
                    #expect(proof.bound <= optimum + 1e-9, "instance \(instance) round \(round): bound \(proof.bound) above the node's optimum \(optimum)")
                    for plan in inNode where plan.cost <= cutoff - 1 {
                        let used = Set(plan.columns)
                        for column in proof.fixAtZero { #expect(!used.contains(column), "a plan better than the cutoff uses a closed center") }
                        for column in proof.fixAtOne { #expect(used.contains(column), "a plan better than the cutoff lacks an opened center") }
                    }
                    probed += proof.fixAtZero.count + proof.fixAtOne.count
                    if proof.bound > 0 { raised += 1 }
                    memo = proof.memo
                    checkedNodes += 1
                }
            }
        }
        #expect(checkedNodes == 12 * 15 * 2)
        #expect(probed > 0, "probing never fired: the test would not see a wrong fixing")
        #expect(raised > 0)
    }

    /// With the node oracle, cpmp08 (the n = 50 instance that needs the most branching) is still
    /// proven at its optimum 820, and the oracle took part.
    @Test func nodeLagrangianKeepsTheOptimum() throws {
        let problem = try readInstance(datasets + "/cpmp-osman/cpmp08.txt", format: .cpmpOsman)
        let outcome = MIPSolver.solve(problem, options: quickMIP(120, warmStart: true))
        #expect(outcome.status == .optimal)
        #expect(outcome.reportedTravel == 820)
        #expect(outcome.nodesRaisedByLagrangian > 0)
        let evaluation = Evaluator.evaluate(try problem.align(outcome.plan!), in: problem)
        #expect(evaluation.travel == 820 && evaluation.feasible)
    }

    @Test func integerKnapsackMatchesBruteForce() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let count = 1 + rng.nextIndex(below: 10)
            let weights = (0..<count).map { _ in Double(rng.nextIndex(below: 15)) }
            let items = (0..<count).map { (Int32($0), -1 - 20 * rng.nextUnit()) }
            let room = Double(rng.nextIndex(below: 40))
            guard let exact = LagrangianBound.integerKnapsack(items, weights: weights, room: room) else {
                Issue.record("integral weights and a small room must be solved")
                continue
            }
            var best = 0.0
            for mask in 0..<(1 << count) {
                var w = 0.0, v = 0.0
                for i in 0..<count where mask & (1 << i) != 0 { w += weights[i]; v += items[i].1 }
                if w <= room && v < best { best = v }
            }
            #expect(abs(exact.value - best) <= 1e-9)
            // The reported items achieve the value within the room.
            let takenWeight = exact.taken.reduce(0.0) { $0 + weights[Int($1)] }
            let takenValue = exact.taken.reduce(0.0) { $0 + items[Int($1)].1 }
            #expect(takenWeight <= room && abs(takenValue - exact.value) <= 1e-9)
        }
        #expect(LagrangianBound.integerKnapsack([(0, -1)], weights: [1.5], room: 3) == nil)  // fractional weight
    }
}
