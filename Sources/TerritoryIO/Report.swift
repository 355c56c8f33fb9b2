import TerritoryCore
import TerritoryEvaluation

/// What a solver adds to an evaluation in the machine report (nil fields print as null).
public struct SolveSummary: Sendable {
    public var status: String
    public var solver: String?
    public var bound: Double?
    public var seconds: Double
    /// Extra members appended to the report (options, counters, ...), in order.
    public var extra: [(String, JSONValue)]

    public init(status: String, solver: String? = nil, bound: Double? = nil, seconds: Double, extra: [(String, JSONValue)] = []) {
        self.status = status
        self.solver = solver
        self.bound = bound
        self.seconds = seconds
        self.extra = extra
    }
}

/// The machine report of SPEC.md ("--json"): one object with `status`, `travel`, `bound`, `gap`,
/// `feasible`, `k`, `units`, `seconds`, `balance`, `noncontiguous`, `violations` and, with a
/// baseline, `moved`; followed by details (territories, disruption, empty territories).
public func reportJSON(_ evaluation: Evaluation, problem: DesignProblem, summary: SolveSummary) -> JSONValue {
    let gap: Double? = summary.bound.flatMap { bound in
        evaluation.travel > 0 ? (evaluation.travel - bound) / evaluation.travel : (bound == 0 ? 0 : nil)
    }
    var members: [(String, JSONValue)] = [
        ("status", .string(summary.status)),
        ("travel", .number(evaluation.travel)),
        ("bound", JSONValue(summary.bound)),
        ("gap", JSONValue(gap)),
        ("feasible", .bool(evaluation.feasible)),
        ("k", .number(Double(evaluation.k))),
        ("units", .number(Double(evaluation.unitCount))),
        ("seconds", .number(summary.seconds)),
    ]
    if let solver = summary.solver { members.append(("solver", .string(solver))) }
    let balance: [(String, JSONValue)] = evaluation.balance.map { b in
        var entry: [(String, JSONValue)] = [
            ("maxDeviation", JSONValue(b.maxDeviation)), ("min", .number(b.minimum)), ("max", .number(b.maximum)),
            ("total", .number(b.total)),
        ]
        if let tau = b.requirement?.tolerance { entry.append(("tolerance", .number(tau))) }
        if let caps = b.requirement?.capacities, let cap = caps.max() { entry.append(("capacity", .number(cap))) }
        return (b.name, .object(entry))
    }
    members.append(("balance", .object(balance)))
    members.append(("noncontiguous", JSONValue(evaluation.noncontiguous)))
    members.append(("cutEdges", JSONValue(evaluation.cutEdges)))
    members.append(("violations", .array(evaluation.violations.map { .string($0.message) })))
    if let d = evaluation.disruption {
        members.append(("moved", .number(Double(d.moved))))
        let shares: [(String, JSONValue)] = zip(problem.units.measures, d.movedShare).map { ($0.name, .number($1)) }
        members.append(("disruption", .object([
            ("moved", .number(Double(d.moved))), ("newUnits", .number(Double(d.newUnits))),
            ("matchedByOverlap", .bool(d.matchedByOverlap)), ("movedShare", .object(shares)),
        ])))
    }
    members.append(("emptyTerritories", .number(Double(evaluation.emptyTerritories))))
    members.append(("unassigned", .number(Double(evaluation.unassignedUnits))))
    members += summary.extra
    let units = problem.units
    members.append(("territories", .array(evaluation.territories.map { t in
        var entry: [(String, JSONValue)] = [
            ("label", .string(t.label)), ("units", .number(Double(t.unitCount))), ("travel", .number(t.travel)),
        ]
        switch t.center {
        case .unit(let u)?: entry.append(("center", .string(units.ids[u])))
        case .point(let p)?: entry.append(("center", .object([("x", .number(p.x)), ("y", .number(p.y))])))
        case nil: entry.append(("center", .null))
        }
        entry.append(("centerIsMedoid", .bool(t.centerIsMedoid)))
        if let pieces = t.pieces { entry.append(("pieces", .number(Double(pieces)))) }
        entry.append(("totals", .object(zip(units.measures, t.totals).map { ($0.name, .number($1)) })))
        return .object(entry)
    })))
    return .object(members)
}
