import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritorySolving

/// A two-level design: the territories of a plan grouped into regions.
public struct RegionDesign: Sendable {
    /// Region labels `R1`…`Rr`.
    public var labels: [String]
    /// The region of each territory of the plan.
    public var regionOfTerritory: [Int]
    /// The outcome of grouping the territories (status and explanation).
    public var outcome: SolveOutcome
    /// The regions scored by the evaluator over the units (each unit in its territory's
    /// region): totals, balance against the region bands, contiguity, travel to each region's
    /// medoid.
    public var evaluation: Evaluation
    /// The unit-level plan of regions, as scored.
    public var regionPlan: Plan
    /// The region-level problem the evaluation used (r territories, the region bands).
    public var regionProblem: DesignProblem

    public var feasible: Bool { outcome.status.hasFeasiblePlan && evaluation.feasible }
}

/// Groups the territories of `plan` into `regions` regions, balanced on `balance` (requirements
/// on the problem's measures, targets = total / regions) and, with `contiguous`, connected in
/// the units' adjacency. The grouping is a territory design one level up, solved by the same
/// heuristic: each territory is a unit located at its center, carrying its totals, adjacent to
/// the territories it borders. Territories stay whole, so the territory level is untouched.
/// For tight region bands, k should be a multiple of `regions`.
/// - Complexity: one heuristic solve on k units, plus one evaluation over n units.
public func designRegions(
    _ plan: Plan, in problem: DesignProblem, regions: Int, balance: [BalanceRequirement], contiguous: Bool,
    options: HeuristicOptions
) throws(InputError) -> RegionDesign {
    let k = plan.k
    guard regions >= 1 && regions <= k else {
        throw InputError(column: "--regions", "\(regions) regions for \(k) territories: give 1 to k regions")
    }
    if contiguous && problem.adjacency == nil {
        throw InputError(column: "--contiguous-regions", "contiguous regions need an adjacency")
    }
    let evaluation = Evaluator.evaluate(plan, in: problem)
    // Territory-level units: one per territory, at its center.
    var xs: [Double] = [], ys: [Double] = [], centerUnits: [Int] = []
    for metrics in evaluation.territories {
        switch metrics.center {
        case .unit(let c)?:
            centerUnits.append(c)
            if problem.units.hasCoordinates { xs.append(problem.units.x[c]); ys.append(problem.units.y[c]) }
        case .point(let p)?:
            centerUnits.append(-1)
            xs.append(p.x); ys.append(p.y)
        case nil:
            throw InputError("territory \(metrics.label) is empty: regions group non-empty territories")
        }
    }
    let distances: Distances
    if problem.distances.supportsPoints && xs.count == k {
        distances = Distances(metric: problem.distances.metric, x: xs, y: ys)
    } else {
        guard centerUnits.allSatisfy({ $0 >= 0 }) else { throw InputError("regions over a distance matrix need territory centers that are units") }
        var matrix = [Double](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k { matrix[a * k + b] = problem.distances(centerUnits[a], centerUnits[b]) } }
        distances = Distances(matrix: matrix, count: k)
    }
    let measures = problem.units.measures.indices.map { m in
        Measure(name: problem.units.measures[m].name, values: evaluation.territories.map { $0.totals[m] })
    }
    let territoryUnits = try UnitTable(
        ids: plan.labels, coordinateSystem: problem.units.coordinateSystem, x: xs.count == k ? xs : [], y: ys.count == k ? ys : [],
        measures: measures)
    var upper = DesignProblem(name: problem.name + "-regions", units: territoryUnits, distances: distances, k: regions)
    upper.territories = (1...regions).map { TerritorySpec(label: "R\($0)") }
    upper.territoriesAreNamed = true
    upper.balance = balance.map { BalanceRequirement(measure: $0.measure, tolerance: $0.tolerance, capacities: $0.uniformCapacity.map { Array(repeating: $0, count: regions) }) }
    if let adjacency = problem.adjacency {
        var pairs = Set<Int>()
        for i in 0..<problem.unitCount {
            let a = Int(plan.assignment[i])
            guard a >= 0 else { continue }
            for j in adjacency.neighbours(of: i) {
                let b = Int(plan.assignment[Int(j)])
                if b > a { pairs.insert(a * k + b) }
            }
        }
        upper.adjacency = Adjacency(unitCount: k, pairs: pairs.sorted().map { ($0 / k, $0 % k) })
    }
    upper.requiresContiguity = contiguous
    try upper.validate()
    var regionOptions = options
    regionOptions.stallLimit = options.stallLimit ?? 2000
    let outcome = HeuristicSolver.solve(upper, options: regionOptions)
    let regionOf = outcome.plan.map { p in p.assignment.map(Int.init) } ?? Array(repeating: 0, count: k)
    // Score the regions over the units, with the same evaluator as every plan.
    let labels = upper.territories.map(\.label)
    let regionPlan = Plan(assignment: plan.assignment.map { $0 < 0 ? -1 : Int32(regionOf[Int($0)]) }, labels: labels)
    var regionProblem = problem.reshaped(for: regionPlan)
    regionProblem.territories = labels.map { TerritorySpec(label: $0) }
    regionProblem.territoriesAreNamed = true
    regionProblem.balance = balance.map { requirement in
        var r = requirement
        r.targetShares = nil
        r.capacities = requirement.uniformCapacity.map { Array(repeating: $0, count: regions) }
        return r
    }
    regionProblem.requiresContiguity = contiguous
    regionProblem.baseline = nil
    regionProblem.disruptionBudget = nil
    if let locked = regionProblem.units.locked, locked.contains(true) { regionProblem.units.locked = nil }
    let regionEvaluation = Evaluator.evaluate(regionPlan, in: regionProblem)
    return RegionDesign(labels: labels, regionOfTerritory: regionOf, outcome: outcome, evaluation: regionEvaluation,
                        regionPlan: regionPlan, regionProblem: regionProblem)
}
