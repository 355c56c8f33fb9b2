import TerritoryCore
import TerritoryEvaluation

/// One scenario of a what-if report.
public struct WhatIfReportEntry: Sendable {
    public var title: String
    public var facts: [(String, String)]
    /// The problem of the scenario (its territories) and today's plan and the new plan, both
    /// over the scenario's units.
    public var problem: DesignProblem
    public var before: Plan
    public var after: Plan
    public var comparison: PlanComparison

    public init(title: String, facts: [(String, String)], problem: DesignProblem, before: Plan, after: Plan, comparison: PlanComparison) {
        self.title = title
        self.facts = facts
        self.problem = problem
        self.before = before
        self.after = after
        self.comparison = comparison
    }
}

/// A what-if report: per scenario, today's map and the new map side by side (moved units
/// outlined in black; a territory keeps its colour across both), the KPI table, the
/// realignment table per territory and the list of moved units (the first 1,000).
public func htmlWhatIfReport(_ entries: [WhatIfReportEntry], title: String) -> String {
    var html = pageHead(title)
    for entry in entries {
        let problem = entry.problem
        html += "<h2>\(escape(entry.title))</h2>\n"
        if !entry.facts.isEmpty {
            html += "<table>" + entry.facts.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined() + "</table>\n"
        }
        // Colours by label: the new plan's territories, then removed ones in grey.
        let afterColours = territoryColours(entry.after, problem: problem)
        var byLabel: [String: String] = [:]
        for (t, label) in entry.after.labels.enumerated() { byLabel[label] = afterColours[t] }
        let beforeColours = entry.before.labels.map { byLabel[$0] ?? "#9e9e9e" }
        let beforeProblem = problem.reshaped(for: entry.before)
        let moved = Set(entry.comparison.moves.map(\.unit))
        if problem.units.hasCoordinates {
            html += "<div style=\"display:flex;gap:12px;flex-wrap:wrap\"><figure style=\"margin:0\"><figcaption>Today</figcaption>"
            html += svgMap(entry.before, problem: beforeProblem, evaluation: entry.comparison.before, colours: beforeColours, width: 520, caption: false)
            html += "</figure><figure style=\"margin:0\"><figcaption>\(escape(entry.title)) (moved units outlined)</figcaption>"
            html += svgMap(entry.after, problem: problem, evaluation: entry.comparison.after, colours: afterColours, width: 520, highlight: moved, caption: false)
            html += "</figure></div>\n<p style=\"font-size:.8em\">Territories keep their colour across both maps; grey: territories that no longer exist.</p>\n"
        }
        html += "<h3>Territories after</h3>\n" + kpiTable(problem: problem, evaluation: entry.comparison.after, colours: afterColours)
        html += "<h3>Realignment</h3>\n" + realignmentTable(entry.comparison, problem: problem)
        for requirement in problem.balance {
            html += "<h3>Balance after: \(escape(problem.units.measures[requirement.measure].name))</h3>\n"
            html += balanceChart(requirement, problem: problem, evaluation: entry.comparison.after, colours: afterColours) + "\n"
        }
    }
    return html + "</body></html>\n"
}

func realignmentTable(_ c: PlanComparison, problem: DesignProblem) -> String {
    let measures = problem.units.measures
    let shown = shownMeasures(problem)
    var html = "<table><tr><th>territory</th><th>was</th><th>units</th><th>Δ units</th>"
    for m in shown { html += "<th>\(escape(measures[m].name))</th><th>Δ</th>" }
    html += "<th>travel</th><th>Δ travel</th><th>gained</th><th>lost</th></tr>\n"
    func signed(_ x: Double) -> String { (x > 0 ? "+" : "") + fmt(x) }
    for t in c.territories {
        html += "<tr><td>\(escape(t.label ?? "(removed)"))</td><td>\(escape(t.beforeLabel ?? "(new)"))</td><td>\(t.unitsAfter)</td><td>\(signed(Double(t.unitsAfter - t.unitsBefore)))</td>"
        for m in shown { html += "<td>\(fmt(t.totalsAfter[m]))</td><td>\(signed(t.totalsAfter[m] - t.totalsBefore[m]))</td>" }
        html += "<td>\(fmt(t.travelAfter))</td><td>\(signed(t.travelAfter - t.travelBefore))</td><td>\(t.gained)</td><td>\(t.lost)</td></tr>\n"
    }
    html += "</table>\n<p>\(c.moves.count) of \(problem.unitCount) units change territory; travel \(fmt(c.before.travel)) → \(fmt(c.after.travel)).</p>\n"
    guard !c.moves.isEmpty else { return html }
    html += "<details open><summary>Moved units</summary><table><tr><th>unit</th><th>from</th><th>to</th>"
    for m in shown { html += "<th>\(escape(measures[m].name))</th>" }
    html += "</tr>\n"
    for move in c.moves.prefix(1000) {
        html += "<tr><td>\(escape(problem.units.ids[move.unit]))</td><td>\(escape(move.from))</td><td>\(escape(move.to))</td>"
        for m in shown { html += "<td>\(fmt(measures[m].values[move.unit]))</td>" }
        html += "</tr>\n"
    }
    html += "</table>"
    if c.moves.count > 1000 { html += "<p>… and \(c.moves.count - 1000) more (see the moves CSV).</p>" }
    return html + "</details>\n"
}

/// One point of a trade-off plot.
public struct FrontierPoint: Sendable {
    public var x: Double
    public var travel: Double
    public var label: String
    public var onFrontier: Bool

    public init(x: Double, travel: Double, label: String, onFrontier: Bool) {
        self.x = x
        self.travel = travel
        self.label = label
        self.onFrontier = onFrontier
    }
}

/// A trade-off report: travel against `xName` for every feasible design, the frontier joined
/// by a line, each point labelled with its setting; then the table.
public func htmlTradeoffReport(_ points: [FrontierPoint], xName: String, xIsPercent: Bool, title: String, table rows: [[String]], header: [String]) -> String {
    var html = pageHead(title)
    let width = 760.0, height = 420.0, left = 80.0, bottom = 40.0, top = 20.0, right = 30.0
    if !points.isEmpty {
        let xs = points.map(\.x), ys = points.map(\.travel)
        let minX = xs.min()!, maxX = max(xs.max()!, minX + 1e-9)
        let minY = ys.min()!, maxY = max(ys.max()!, minY * 1.0001 + 1e-9)
        let padX = (maxX - minX) * 0.08, padY = (maxY - minY) * 0.1
        let x0 = minX - padX, x1 = maxX + padX, y0 = minY - padY, y1 = maxY + padY
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (y1 - y) / (y1 - y0) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" role=\"img\" aria-label=\"trade-off frontier\">\n"
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(height - bottom))\" stroke=\"#444\"/>\n"
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(height - bottom))\" stroke=\"#444\"/>\n"
        for i in 0...4 {
            let xv = x0 + (x1 - x0) * Double(i) / 4, yv = y0 + (y1 - y0) * Double(i) / 4
            svg += "<text x=\"\(fmt(px(xv)))\" y=\"\(fmt(height - bottom + 14))\" font-size=\"10\" text-anchor=\"middle\">\(xIsPercent ? fmt(xv * 100) + " %" : fmt(xv))</text>\n"
            svg += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(yv) + 3))\" font-size=\"10\" text-anchor=\"end\">\(fmt(yv))</text>\n"
        }
        svg += "<text x=\"\(fmt((left + width - right) / 2))\" y=\"\(fmt(height - 6))\" font-size=\"11\" text-anchor=\"middle\">\(escape(xName))</text>\n"
        svg += "<text x=\"14\" y=\"\(fmt((top + height - bottom) / 2))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(fmt((top + height - bottom) / 2)))\">travel</text>\n"
        let frontier = points.filter(\.onFrontier).sorted { $0.x < $1.x }
        if frontier.count >= 2 {
            svg += "<polyline points=\"" + frontier.map { "\(fmt(px($0.x))),\(fmt(py($0.travel)))" }.joined(separator: " ") + "\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
        }
        for p in points {
            svg += "<circle cx=\"\(fmt(px(p.x)))\" cy=\"\(fmt(py(p.travel)))\" r=\"5\" fill=\"\(p.onFrontier ? "#1f77b4" : "#fff")\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(fmt(px(p.x) + 7))\" y=\"\(fmt(py(p.travel) - 7))\" font-size=\"10\">\(escape(p.label))</text>\n"
        }
        html += svg + "</svg>\n<p style=\"font-size:.8em\">Filled: on the frontier (no other design has less travel and less \(escape(xName)) at once); hollow: dominated. Infeasible designs are left out.</p>\n"
    } else {
        html += "<p>No feasible design to plot.</p>\n"
    }
    html += "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
    for row in rows { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
    return html + "</table>\n</body></html>\n"
}
