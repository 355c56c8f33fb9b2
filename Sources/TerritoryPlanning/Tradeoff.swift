import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritorySolving

/// What a trade-off curve varies.
public enum TradeoffSweep: Sendable, Equatable {
    /// The band tolerance of one measure (index), through these values.
    case tolerance(measure: Int, values: [Double])
    /// The disruption budget against the baseline, through these budgets.
    case maxMoved([DisruptionBudget])

    public var count: Int {
        switch self {
        case .tolerance(_, let values): return values.count
        case .maxMoved(let budgets): return budgets.count
        }
    }
}

/// One design of a trade-off curve.
public struct TradeoffPoint: Sendable {
    /// The swept setting, as a fraction (tolerance) or a unit count (budget).
    public var setting: Double
    public var status: SolveStatus
    public var travel: Double?
    /// The realised maximum deviation of the swept (or first balanced) measure.
    public var maxDeviation: Double?
    /// Units moved against the baseline.
    public var moved: Int?
    public var feasible: Bool
    /// Whether no other feasible point is at least as good on both axes and better on one
    /// (travel vs deviation, or travel vs moved units).
    public var onFrontier: Bool
    public var seconds: Double
}

/// Designs the problem once per setting of `sweep` (each with `options`, so every point uses the
/// same seed) and marks the Pareto frontier. Points run one after another; each uses the
/// heuristic's parallel restarts. `progress` is called after each point.
public func tradeoffCurve(
    _ problem: DesignProblem, sweep: TradeoffSweep, method: SolveMethod = .heuristic, options: HeuristicOptions,
    progress: (@Sendable (Int, TradeoffPoint) -> Void)? = nil
) -> [TradeoffPoint] {
    var points: [TradeoffPoint] = []
    let sweptMeasure: Int? = {
        if case .tolerance(let m, _) = sweep { return m }
        return problem.balance.first?.measure
    }()
    for index in 0..<sweep.count {
        var p = problem
        let setting: Double
        switch sweep {
        case .tolerance(let m, let values):
            p.setTolerance(values[index], measure: m)
            setting = values[index]
        case .maxMoved(let budgets):
            p.disruptionBudget = budgets[index]
            setting = budgets[index].allowance(in: p.units).limit
        }
        let outcome = designTerritories(p, method: method, heuristic: options)
        var point = TradeoffPoint(setting: setting, status: outcome.status, feasible: false, onFrontier: false, seconds: outcome.seconds)
        if let plan = outcome.plan {
            let evaluation = Evaluator.evaluate(plan, in: p, baseline: p.baseline)
            point.travel = evaluation.travel
            point.feasible = outcome.status.hasFeasiblePlan && evaluation.feasible
            point.moved = evaluation.disruption?.moved
            if let m = sweptMeasure {
                point.maxDeviation = evaluation.balance.first { $0.name == p.units.measures[m].name }?.maxDeviation
            }
        }
        points.append(point)
        progress?(index, point)
    }
    // Pareto frontier over feasible points: travel against the realised deviation or moves.
    let second: (TradeoffPoint) -> Double = { point in
        if case .maxMoved = sweep { return Double(point.moved ?? 0) }
        return point.maxDeviation ?? 0
    }
    for i in points.indices where points[i].feasible {
        let dominated = points.indices.contains { j in
            j != i && points[j].feasible
                && points[j].travel! <= points[i].travel! && second(points[j]) <= second(points[i])
                && (points[j].travel! < points[i].travel! || second(points[j]) < second(points[i]))
        }
        points[i].onFrontier = !dominated
    }
    return points
}
