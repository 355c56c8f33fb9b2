import Testing
import TerritoryCore
import TerritoryHeuristics
import TerritoryIO
import TerritorySolving

/// A rows × columns grid with rook adjacency and two random measures.
private func gridProblem(rows: Int, columns: Int, k: Int, seed: UInt64, tolerance: Double) -> DesignProblem {
    let n = rows * columns
    let units = SyntheticInstance.units(count: n, layout: .uniform, seed: seed)
    var problem = DesignProblem(name: "grid", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: k)
    var pairs: [(Int, Int)] = []
    for r in 0..<rows {
        for c in 0..<columns {
            if c + 1 < columns { pairs.append((r * columns + c, r * columns + c + 1)) }
            if r + 1 < rows { pairs.append((r * columns + c, (r + 1) * columns + c)) }
        }
    }
    problem.adjacency = Adjacency(unitCount: n, pairs: pairs)
    problem.requiresContiguity = true
    problem.balance = [BalanceRequirement(measure: 0, tolerance: tolerance), BalanceRequirement(measure: 1, tolerance: tolerance)]
    return problem
}

/// Whether any contiguous plan meets every band: every assignment is tried.
private func bruteForceFeasible(_ problem: DesignProblem) -> Bool {
    let n = problem.unitCount, k = problem.k
    let adjacency = problem.adjacency!
    let totals = problem.measureTotals
    var assignment = [Int](repeating: 0, count: n)
    var count = 1
    for _ in 0..<n { count *= k }
    for code in 0..<count {
        var c = code
        for i in 0..<n { assignment[i] = c % k; c /= k }
        var ok = true
        for t in 0..<k where ok {
            let members = (0..<n).filter { assignment[$0] == t }
            guard let first = members.first else { ok = false; break }
            for req in problem.balance {
                let sum = members.reduce(0.0) { $0 + problem.units.measures[req.measure].values[$1] }
                if sum < req.lowerBound(t, total: totals[req.measure], k: k) || sum > req.upperBound(t, total: totals[req.measure], k: k) { ok = false }
            }
            guard ok else { break }
            var seen: Set<Int> = [first], stack = [first]
            while let u = stack.popLast() {
                for v in adjacency.neighbours(of: u) where assignment[Int(v)] == t && !seen.contains(Int(v)) {
                    seen.insert(Int(v))
                    stack.append(Int(v))
                }
            }
            if seen.count != members.count { ok = false }
        }
        if ok { return true }
    }
    return false
}

@Suite struct DistrictSearchTests {
    @Test func twoTerritoriesTheSearchIsExact() throws {
        var proofs = 0, cases = 0
        for seed in UInt64(1)...12 {
            for tolerance in [0.005, 0.02, 0.1] {
                let problem = gridProblem(rows: 4, columns: 4, k: 2, seed: seed, tolerance: tolerance)
                var search = try #require(ConnectedDistrictSearch(problem))
                let proof = search.proveInfeasible(ids: problem.units.ids, nodeLimit: 10_000_000)
                let feasible = bruteForceFeasible(problem)
                #expect((proof == nil) == feasible, "seed \(seed) tolerance \(tolerance): \(proof ?? "no proof")")
                if proof != nil { proofs += 1 }
                cases += 1
            }
        }
        #expect(proofs > 0 && proofs < cases)  // both outcomes occur
    }

    @Test func threeTerritoriesEveryProofIsSound() throws {
        var proofs = 0
        for seed in UInt64(1)...15 {
            for tolerance in [0.05, 0.15, 0.3] {
                let problem = gridProblem(rows: 3, columns: 3, k: 3, seed: seed, tolerance: tolerance)
                var search = try #require(ConnectedDistrictSearch(problem))
                if let proof = search.proveInfeasible(ids: problem.units.ids, nodeLimit: 10_000_000) {
                    proofs += 1
                    #expect(!bruteForceFeasible(problem), "seed \(seed) tolerance \(tolerance): \(proof)")
                }
            }
        }
        #expect(proofs > 0)
    }

    /// County graphs with population and land area ±5 %, k = seats: the four the heuristic
    /// cannot solve are proven infeasible; no proof where a plan is known.
    @Test func countySeatsWithPopulationAndLandArea() throws {
        func problem(_ file: String, _ k: Int) throws -> DesignProblem {
            var problem = try readInstance(datasets + "/districting-us-county/\(file).json", format: .countyJSON)
            problem.setTerritoryCount(k)
            let pop = problem.units.measureIndex(named: "TOTPOP")!
            let land = problem.units.measureIndex(named: "ALAND10")!
            problem.balance = [BalanceRequirement(measure: pop, tolerance: 0.05), BalanceRequirement(measure: land, tolerance: 0.05)]
            problem.requiresContiguity = true
            return problem
        }
        for (file, k, anchor) in [("county35", 3, "35001"), ("county22", 6, "22071"), ("county01", 7, "01073"), ("county40", 5, "40109"), ("county23", 2, "23005")] {
            let reasons = infeasibilityProofs(try problem(file, k))
            #expect(reasons.count == 1 && reasons[0].contains("containing \(anchor) "), "\(file): \(reasons)")
        }
        for (file, k) in [("county54", 3), ("county05", 4)] {
            #expect(infeasibilityProofs(try problem(file, k)).isEmpty, "\(file)")
        }
    }
}

/// Weights 3, 3, 3, 1 in two territories of exactly 5: no subset sums to 5, yet no quick proof
/// says so (no unit exceeds the band, the totals fit). While no restart is feasible the solver
/// keeps starting fresh ones until the time limit; with `restartUntilFeasible` off it stops
/// after the first round.
@Test func restartsContinueWhileNoPlanIsFeasible() throws {
    let units = try UnitTable(ids: ["a", "b", "c", "d"], x: [0, 1, 2, 3], y: [0, 0, 0, 0],
                              measures: [Measure(name: "w", values: [3, 3, 3, 1])])
    var problem = DesignProblem(name: "subset-sum", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: 2)
    problem.balance = [BalanceRequirement(measure: 0, tolerance: 0)]
    #expect(infeasibilityProofs(problem).isEmpty)
    var options = HeuristicOptions()
    options.restarts = 2
    options.stallLimit = 20  // a round takes milliseconds, even on a loaded machine
    options.timeLimit = .seconds(3)
    options.restartUntilFeasible = false
    let once = HeuristicSolver.solve(problem, options: options)
    #expect(once.status == .noFeasiblePlan)
    #expect(once.counters.restarts == 2)
    options.restartUntilFeasible = true
    let continued = HeuristicSolver.solve(problem, options: options)
    #expect(continued.status == .noFeasiblePlan)
    #expect(continued.counters.restarts > 2 && continued.counters.restarts % 2 == 0, "\(continued.counters.restarts) restarts")
    #expect(continued.seconds >= 3 && continued.seconds < 30, "honours the time limit: \(continued.seconds) s")
}
