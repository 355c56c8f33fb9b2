import Foundation
import Testing
import TerritoryCore
import TerritoryEvaluation
import TerritoryIO
import TerritorySolving
@testable import TerritoryHeuristics

let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("datasets").path

/// A random planar problem with two measures.
func syntheticProblem(n: Int, k: Int, seed: UInt64, tolerance: Double) -> DesignProblem {
    let units = SyntheticInstance.units(count: n, layout: .clustered, clusters: 5, seed: seed)
    var problem = DesignProblem(name: "synthetic", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: k)
    problem.balance = [BalanceRequirement(measure: 0, tolerance: tolerance), BalanceRequirement(measure: 1, tolerance: tolerance)]
    return problem
}

func quick(seed: UInt64 = 1) -> HeuristicOptions {
    var options = HeuristicOptions()
    options.seed = seed
    options.timeLimit = nil  // budgets by iterations only: results must not depend on timing
    options.stallLimit = 5
    return options
}

@Suite struct HeuristicTests {
    @Test func balancedPlanIsFeasibleAndReportedTravelMatchesTheEvaluator() throws {
        let problem = syntheticProblem(n: 400, k: 8, seed: 2, tolerance: 0.05)
        try problem.validate()
        let outcome = HeuristicSolver.solve(problem, options: quick())
        #expect(outcome.status == .feasible)
        let plan = try #require(outcome.plan)
        let evaluation = Evaluator.evaluate(plan, in: problem)
        #expect(evaluation.feasible, "\(evaluation.violations)")
        #expect(abs(outcome.reportedTravel! - evaluation.travel) <= 1e-9 * evaluation.travel)
        #expect(evaluation.balance[0].maxDeviation! <= 0.05 + 1e-9)
        #expect(evaluation.balance[1].maxDeviation! <= 0.05 + 1e-9)
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentSearch() throws {
        let problem = syntheticProblem(n: 300, k: 6, seed: 4, tolerance: 0.05)
        let a = HeuristicSolver.solve(problem, options: quick(seed: 7))
        let b = HeuristicSolver.solve(problem, options: quick(seed: 7))
        let bytesA = planCSV(a.plan!, units: problem.units), bytesB = planCSV(b.plan!, units: problem.units)
        #expect(bytesA == bytesB)
        #expect(a.plan!.centers == b.plan!.centers)
        #expect(a.counters == b.counters)
    }

    @Test func debugModeChecksEveryAcceptedMoveAgainstFullEvaluation() throws {
        var problem = syntheticProblem(n: 150, k: 5, seed: 5, tolerance: 0.03)
        problem.units.weights = (0..<150).map { 1 + Double($0 % 3) }
        var options = quick()
        options.checkDeltas = true
        options.stallLimit = 2
        let outcome = HeuristicSolver.solve(problem, options: options)
        #expect(outcome.counters.deltaChecks > 100)
        #expect(outcome.counters.deltaMismatches == 0)
    }

    @Test func pMedianReachesTheOptimumOfPmed1() throws {
        let problem = try readInstance(datasets + "/orlib-pmed/pmed1.txt", format: .pmed)
        var options = quick()
        options.stallLimit = 30
        let outcome = HeuristicSolver.solve(problem, options: options)
        #expect(outcome.reportedTravel == 5819)
        #expect(Evaluator.evaluate(outcome.plan!, in: problem).travel == 5819)
    }

    @Test func capacitatedMedianFindsAFeasiblePlanNearTheOptimum() throws {
        let problem = try readInstance(datasets + "/cpmp-osman/cpmp01.txt", format: .cpmpOsman)
        var options = quick()
        options.stallLimit = 50
        let outcome = HeuristicSolver.solve(problem, options: options)
        let evaluation = Evaluator.evaluate(outcome.plan!, in: problem)
        #expect(evaluation.feasible)
        #expect(evaluation.travel <= 713 * 1.01)
    }

    @Test func contiguousCountyDistrictsWithTwoMeasures() throws {
        var problem = try readInstance(datasets + "/districting-us-county/county23.json", format: .countyJSON)
        problem.setTerritoryCount(2)
        let pop = problem.units.measureIndex(named: "TOTPOP")!
        problem.balance = [BalanceRequirement(measure: pop, tolerance: 0.05)]
        problem.requiresContiguity = true
        try problem.validate()
        let outcome = HeuristicSolver.solve(problem, options: quick())
        let evaluation = Evaluator.evaluate(outcome.plan!, in: problem)
        #expect(outcome.status == .feasible)
        #expect(evaluation.noncontiguous == 0)
        #expect(evaluation.feasible, "\(evaluation.violations)")
    }

    @Test func aUnitLargerThanTheBandIsProvenInfeasible() throws {
        var problem = syntheticProblem(n: 60, k: 4, seed: 6, tolerance: 0.001)
        problem.units.measures[0].values[17] = problem.units.measures[0].total  // half the total in one unit
        let outcome = HeuristicSolver.solve(problem, options: quick())
        #expect(outcome.status == .infeasible)
        #expect(outcome.explanation.first?.contains("unit u18 alone has") == true)
        #expect(outcome.plan != nil)  // the closest plan is still returned
    }

    @Test func contiguityOnADisconnectedGraphIsProvenInfeasible() throws {
        var problem = syntheticProblem(n: 40, k: 2, seed: 8, tolerance: 0.5)
        // Three separate paths: three components for two territories.
        var pairs: [(Int, Int)] = []
        for i in 0..<39 where (i + 1) % 13 != 0 { pairs.append((i, i + 1)) }
        problem.adjacency = Adjacency(unitCount: 40, pairs: pairs)
        problem.requiresContiguity = true
        let outcome = HeuristicSolver.solve(problem, options: quick())
        #expect(outcome.status == .infeasible)
        #expect(outcome.explanation.first?.contains("connected components") == true)
    }

    @Test func moreTerritoriesThanUnitsIsInfeasibleWithoutAPlan() {
        let problem = syntheticProblem(n: 5, k: 9, seed: 1, tolerance: 0.1)
        let outcome = HeuristicSolver.solve(problem, options: quick())
        #expect(outcome.status == .infeasible)
        #expect(outcome.plan == nil)
        #expect(outcome.explanation == ["k = 9 exceeds the number of units (5): at least 4 territories would be empty"])
    }

    @Test func skillsAndLocksAreRespected() throws {
        var problem = syntheticProblem(n: 200, k: 4, seed: 9, tolerance: 0.1)
        var rng = SplitMix64(seed: 3)
        let segments = ["SMB", "ENT", "GOV"]
        problem.units.segments = (0..<200).map { _ in segments[rng.nextIndex(below: 3)] }
        problem.territories = [
            TerritorySpec(label: "A", allowedSegments: ["SMB", "ENT"]), TerritorySpec(label: "B", allowedSegments: ["SMB", "GOV"]),
            TerritorySpec(label: "C", allowedSegments: ["ENT", "GOV"]), TerritorySpec(label: "D"),
        ]
        problem.territoriesAreNamed = true
        problem.units.currentTerritory = (0..<200).map { $0 < 3 ? "B" : "" }
        problem.units.locked = (0..<200).map { $0 < 3 }
        // Units 0–2 are SMB or GOV so that B may hold them.
        for i in 0..<3 { problem.units.segments![i] = "GOV" }
        try problem.validate()
        let outcome = HeuristicSolver.solve(problem, options: quick())
        let plan = try #require(outcome.plan)
        for i in 0..<200 {
            let t = Int(plan.assignment[i])
            if let allowed = problem.territories[t].allowedSegments { #expect(allowed.contains(problem.units.segments![i])) }
        }
        #expect(plan.assignment[0] == 1 && plan.assignment[1] == 1 && plan.assignment[2] == 1)
        let evaluation = Evaluator.evaluate(plan, in: problem)
        #expect(!evaluation.violations.contains { $0.kind == .segmentNotServed || $0.kind == .lockBroken })
    }

    @Test func fixedCentersStayWhereTheRepsLive() throws {
        var problem = syntheticProblem(n: 300, k: 3, seed: 10, tolerance: 0.05)
        let homes = [Point(x: 100, y: 100), Point(x: 900, y: 100), Point(x: 500, y: 900)]
        problem.territories = homes.enumerated().map { TerritorySpec(label: "rep\($0.offset)", center: .point($0.element)) }
        problem.territoriesAreNamed = true
        let outcome = HeuristicSolver.solve(problem, options: quick())
        let plan = try #require(outcome.plan)
        #expect(plan.centers == homes.map { .point($0) })
        let evaluation = Evaluator.evaluate(plan, in: problem)
        #expect(evaluation.feasible, "\(evaluation.violations)")
        #expect(abs(outcome.reportedTravel! - evaluation.travel) <= 1e-9 * evaluation.travel)
    }

    @Test func kdTreeAgreesWithBruteForce() {
        var rng = SplitMix64(seed: 12)
        let points = (0..<500).map { _ in SIMD3(rng.nextUnit() * 10, rng.nextUnit() * 10, 0) }
        let tree = KDTree(points: points)
        for q in 0..<50 {
            let query = points[q] + SIMD3(0.01, -0.02, 0)
            let hits = tree.nearest(to: query, count: 7, excluding: Int32(q))
            let brute = (0..<500).filter { $0 != q }.map { i -> (Int32, Double) in
                let d = points[i] - query
                return (Int32(i), (d * d).sum())
            }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(7)
            #expect(hits.map(\.id) == brute.map(\.0))
        }
    }
}
