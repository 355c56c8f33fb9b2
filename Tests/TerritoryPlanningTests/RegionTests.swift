import Testing
import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritoryPlanning
import TerritorySolving

@Suite struct RegionTests {
    /// A 12 × 12 grid of units with rook adjacency and a workload of 1–3.
    func grid() throws -> DesignProblem {
        let side = 12
        var ids: [String] = [], xs: [Double] = [], ys: [Double] = [], work: [Double] = []
        var pairs: [(Int, Int)] = []
        for r in 0..<side {
            for c in 0..<side {
                let i = r * side + c
                ids.append("u\(i)"); xs.append(Double(c)); ys.append(Double(r)); work.append(Double(1 + (r * 7 + c * 3) % 3))
                if c + 1 < side { pairs.append((i, i + 1)) }
                if r + 1 < side { pairs.append((i, i + side)) }
            }
        }
        let units = try UnitTable(ids: ids, x: xs, y: ys, measures: [Measure(name: "work", values: work)])
        var p = DesignProblem(name: "grid", units: units, distances: Distances(metric: .euclidean, x: xs, y: ys), k: 8)
        p.adjacency = Adjacency(unitCount: ids.count, pairs: pairs)
        p.requiresContiguity = true
        p.balance = [BalanceRequirement(measure: 0, tolerance: 0.05)]
        return p
    }

    @Test func territoriesNestInBalancedContiguousRegions() throws {
        let p = try grid()
        try p.validate()
        let plan = try #require(HeuristicSolver.solve(p, options: options(stall: 20)).plan)
        #expect(Evaluator.evaluate(plan, in: p).feasible)
        let regions = try designRegions(plan, in: p, regions: 2, balance: [BalanceRequirement(measure: 0, tolerance: 0.05)],
                                        contiguous: true, options: options(stall: 50))
        #expect(regions.feasible, "\(regions.evaluation.violations.map(\.message))")
        #expect(regions.evaluation.noncontiguous == 0)
        #expect(regions.evaluation.balance[0].maxDeviation! <= 0.05 + 1e-9)
        // Every unit is in its territory's region; region totals are sums of whole territories.
        let territoryTotals = Evaluator.evaluate(plan, in: p).territories.map { $0.totals[0] }
        for r in 0..<2 {
            let members = (0..<plan.k).filter { regions.regionOfTerritory[$0] == r }
            #expect(abs(members.reduce(0) { $0 + territoryTotals[$1] } - regions.evaluation.territories[r].totals[0]) < 1e-9)
        }
        for i in 0..<p.unitCount {
            #expect(regions.regionPlan.assignment[i] == Int32(regions.regionOfTerritory[Int(plan.assignment[i])]))
        }
        #expect(throws: InputError.self) {
            try designRegions(plan, in: p, regions: 9, balance: [], contiguous: false, options: options())
        }
    }
}
