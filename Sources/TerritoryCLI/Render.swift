import TerritoryDesign

/// The human report of an evaluation: a problem line, one row per territory, then the metrics.
func renderEvaluation(_ evaluation: Evaluation, problem: DesignProblem, title: String) -> String {
    let units = problem.units
    // Columns: balanced measures, or the first three measures when none is balanced.
    var shown = problem.balance.map(\.measure)
    if shown.isEmpty { shown = Array(units.measures.indices.prefix(3)) }
    var seen = Set<Int>()
    shown = shown.filter { seen.insert($0).inserted }

    var lines: [String] = []
    lines.append("\(title)")
    lines.append("Problem \(problem.name): \(units.count) units, k = \(problem.k), \(problem.distances.metric.rawValue) distances"
        + (problem.adjacency.map { ", \($0.edgeCount) adjacency pairs" } ?? ""))
    lines.append("")
    var header = ["territory", "units"] + shown.map { units.measures[$0].name } + ["travel", "center"]
    if problem.adjacency != nil { header.insert("pieces", at: header.count - 1) }
    var rows: [[String]] = []
    for t in evaluation.territories {
        var row = [t.label, String(t.unitCount)] + shown.map { fmt(t.totals[$0]) } + [fmt(t.travel)]
        if problem.adjacency != nil { row.append(t.pieces.map(String.init) ?? "") }
        switch t.center {
        case .unit(let u)?: row.append(units.ids[u] + (t.centerIsFixedByProblem ? " (fixed)" : ""))
        case .point(let p)?: row.append("(\(fmt(p.x)), \(fmt(p.y)))")
        case nil: row.append("-")
        }
        rows.append(row)
    }
    var total = ["total", String(units.count - evaluation.unassignedUnits)] + shown.map { fmt(evaluation.balance[$0].total) } + [fmt(evaluation.travel)]
    if problem.adjacency != nil { total.append("") }
    total.append("")
    rows.append(total)
    lines += table(header: header, rows: rows, rightAligned: Set(1..<(header.count - 1)))
    lines.append("")

    var summary: [(String, String)] = [("travel", fmt(evaluation.travel))]
    for a in shown {
        let b = evaluation.balance[a]
        var text = "max deviation " + (b.maxDeviation.map(pct) ?? "n/a") + " (min \(fmt(b.minimum)), max \(fmt(b.maximum)))"
        if let tau = b.requirement?.tolerance { text += ", band ±\(pct(tau))" }
        if let cap = b.requirement?.capacities?.max() { text += ", capacity \(fmt(cap))" }
        summary.append(("balance \(b.name)", text))
    }
    if let nc = evaluation.noncontiguous {
        summary.append(("contiguity", (nc == 0 ? "every territory is contiguous" : "\(nc) territor\(nc == 1 ? "y is" : "ies are") not contiguous")
            + (evaluation.cutEdges.map { "; \($0) cut edges" } ?? "")))
    }
    if evaluation.emptyTerritories > 0 { summary.append(("empty territories", String(evaluation.emptyTerritories))) }
    if let d = evaluation.disruption {
        let share = zip(units.measures, d.movedShare).prefix(3).map { "\($0.name) \(pct($1))" }.joined(separator: ", ")
        summary.append(("disruption", "\(d.moved) units moved" + (share.isEmpty ? "" : " (\(share))")
            + (d.matchedByOverlap ? "; territories matched to the baseline by overlap" : "")))
    }
    summary.append(("feasible", evaluation.feasible ? "yes" : "no, \(evaluation.violations.count) violation\(evaluation.violations.count == 1 ? "" : "s")"))
    let width = summary.map(\.0.count).max() ?? 0
    for (key, value) in summary { lines.append(key.padding(width) + "  " + value) }
    let limit = 50
    for v in evaluation.violations.prefix(limit) { lines.append("  - " + v.message) }
    if evaluation.violations.count > limit {
        lines.append("  … and \(evaluation.violations.count - limit) more (use --json for all)")
    }
    return lines.joined(separator: "\n")
}

/// A plain-text table with one space-padded column per header field.
func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> [String] {
    var widths = header.map(\.count)
    for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { c, cell in
            rightAligned.contains(c) ? cell.leftPadding(widths[c]) : cell.padding(widths[c])
        }.joined(separator: "  ").trimmingTrailingSpaces
    }
    return [line(header)] + rows.map(line)
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

/// The one-screen summary of a solve: status, travel, balance, contiguity, the territories
/// (when there are few), counters and time.
func renderSolve(_ outcome: SolveOutcome, evaluation: Evaluation, problem: DesignProblem, seconds: Double, seed: UInt64,
                 planPath: String, centersPath: String) -> String {
    var lines: [String] = []
    if problem.k <= 30 {
        lines.append(renderEvaluation(evaluation, problem: problem, title: "Plan \(planPath) (centers: \(centersPath))"))
    } else {
        var summary = "Plan \(planPath) (centers: \(centersPath))\nProblem \(problem.name): \(problem.unitCount) units, k = \(problem.k)\n"
        summary += "travel  \(fmt(evaluation.travel))\n"
        for b in evaluation.balance where b.requirement != nil {
            summary += "balance \(b.name)  max deviation " + (b.maxDeviation.map(pct) ?? "n/a") + " (min \(fmt(b.minimum)), max \(fmt(b.maximum)))\n"
        }
        if let nc = evaluation.noncontiguous { summary += "noncontiguous territories  \(nc)\n" }
        summary += "feasible  " + (evaluation.feasible ? "yes" : "no, \(evaluation.violations.count) violations")
        for v in evaluation.violations.prefix(10) { summary += "\n  - " + v.message }
        lines.append(summary)
    }
    lines.append("")
    lines.append("Solver  \(outcome.solver), seed \(seed), status \(outcome.status.rawValue), \(formatFixed(seconds, decimals: 2)) s"
        + (outcome.firstFeasibleSeconds.map { " (first feasible plan after \(formatFixed($0, decimals: 2)) s)" } ?? ""))
    if outcome.solver == MIPSolver.name {
        let gap = outcome.bound.flatMap { b in evaluation.travel > 0 ? (evaluation.travel - b) / evaluation.travel : nil }
        lines.append("Bound   " + (outcome.bound.map { fmt($0) } ?? "none") + ", gap " + (gap.map(pct) ?? "n/a")
            + ", \(outcome.counters.nodes) nodes, \(outcome.fixedByReducedCost) columns fixed by reduced cost, \(outcome.centersFixedByLagrangian) centers and \(outcome.assignmentsFixedByLagrangian) assignments by Lagrangian fixing"
            + (outcome.nodesRaisedByLagrangian > 0 ? ", \(outcome.nodesRaisedByLagrangian) node bounds raised and \(outcome.nodesClosedByLagrangian) nodes closed by the knapsack Lagrangian, \(outcome.centersFixedInNodes) centers fixed in nodes" : "") + (outcome.rawStatus.map { " (GLPK: \($0))" } ?? ""))
    }
    let c = outcome.counters
    lines.append("Work    \(c.movesApplied) moves and \(c.swapsApplied) swaps applied (\(c.movesEvaluated + c.swapsEvaluated) evaluated), \(c.locationSteps) location steps, \(c.perturbations) perturbations, \(c.restarts) restarts" + (c.balanceChains > 0 ? ", \(c.balanceChains) balance chains" : ""))
    for line in outcome.explanation where !outcome.status.hasFeasiblePlan { lines.append("  - " + line) }
    return lines.joined(separator: "\n")
}
