import TerritoryCore
import TerritoryEvaluation

/// What the report says about how the plan was made (all optional).
public struct ReportSummary: Sendable {
    public var title: String
    /// Label → value lines (method, status, bound, gap, seed, seconds…), in order.
    public var facts: [(String, String)]

    public init(title: String, facts: [(String, String)] = []) {
        self.title = title
        self.facts = facts
    }
}

/// Above this many units the map draws one square per occupied grid cell (coloured by the
/// territory holding most of the cell's units) instead of one dot per unit, so the file stays
/// small: at most `gridCells`² squares whatever n is.
public let reportPointLimit = 20_000
let gridCells = 320

/// A self-contained HTML report of `plan` (aligned to `problem`): an SVG map, a KPI table per
/// territory, a balance chart per balanced measure with the band drawn, and the summary. No
/// scripts, fonts, or remote references. O(n + k log k) plus O(m log m) hulls.
public func htmlReport(_ plan: Plan, problem: DesignProblem, evaluation: Evaluation, summary: ReportSummary) -> String {
    var html = pageHead(summary.title)
    if !summary.facts.isEmpty {
        html += "<table>" + summary.facts.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined() + "</table>\n"
    }
    let colours = territoryColours(plan, problem: problem)
    if problem.units.hasCoordinates {
        html += "<h2>Map</h2>\n" + svgMap(plan, problem: problem, evaluation: evaluation, colours: colours) + "\n"
    }
    html += "<h2>Territories</h2>\n" + kpiTable(problem: problem, evaluation: evaluation, colours: colours)
    for requirement in problem.balance {
        html += "<h2>Balance: \(escape(problem.units.measures[requirement.measure].name))</h2>\n"
        html += balanceChart(requirement, problem: problem, evaluation: evaluation, colours: colours) + "\n"
    }
    html += "<h2>Feasibility</h2>\n"
    if evaluation.violations.isEmpty {
        html += "<p>Every requirement is met.</p>\n"
    } else {
        html += "<ul class=\"bad\">" + evaluation.violations.prefix(50).map { "<li>\(escape($0.message))</li>" }.joined() + "</ul>\n"
    }
    html += "</body></html>\n"
    return html
}

/// The document head (inline styles only) and the page title.
func pageHead(_ title: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
    <style>
    body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1100px;color:#222}
    h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}h3{font-size:1em}
    table{border-collapse:collapse;font-size:.85em}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:right}
    td:first-child,th:first-child{text-align:left}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em}
    .bad{color:#b00020}svg{max-width:100%;height:auto;border:1px solid #ccc;background:#fafafa}
    figcaption{font-size:.85em;margin-bottom:.2em}
    @media print{body{margin:0}svg{border:none}details{display:block}}
    </style></head><body>
    <h1>\(escape(title))</h1>

    """
}

/// Twelve colours that stay distinguishable in print and for common colour blindness.
let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
               "#bcbd22", "#17becf", "#393b79", "#ad494a"]

/// A colour per territory such that neighbouring territories differ: greedy colouring of the
/// territory graph (territories adjacent in the units' adjacency, else whose centers are among
/// each other's 4 nearest), largest degree first. O(k² + m).
func territoryColours(_ plan: Plan, problem: DesignProblem) -> [String] {
    let k = plan.k
    var neighbours = Array(repeating: Set<Int>(), count: k)
    if let adjacency = problem.adjacency {
        for i in 0..<problem.unitCount {
            let a = Int(plan.assignment[i])
            guard a >= 0 else { continue }
            for j in adjacency.neighbours(of: i) {
                let b = Int(plan.assignment[Int(j)])
                if b >= 0 && b != a { neighbours[a].insert(b) }
            }
        }
    } else if problem.units.hasCoordinates {
        var cx = Array(repeating: 0.0, count: k), cy = Array(repeating: 0.0, count: k), count = Array(repeating: 0.0, count: k)
        for i in 0..<problem.unitCount where plan.assignment[i] >= 0 {
            let t = Int(plan.assignment[i])
            cx[t] += problem.units.x[i]; cy[t] += problem.units.y[i]; count[t] += 1
        }
        for t in 0..<k where count[t] > 0 { cx[t] /= count[t]; cy[t] /= count[t] }
        for t in 0..<k {
            let nearest = (0..<k).filter { $0 != t }.sorted {
                let a = (cx[$0] - cx[t]) * (cx[$0] - cx[t]) + (cy[$0] - cy[t]) * (cy[$0] - cy[t])
                let b = (cx[$1] - cx[t]) * (cx[$1] - cx[t]) + (cy[$1] - cy[t]) * (cy[$1] - cy[t])
                return a != b ? a < b : $0 < $1
            }.prefix(4)
            for u in nearest { neighbours[t].insert(u); neighbours[u].insert(t) }
        }
    }
    var colour = Array(repeating: -1, count: k)
    if k <= palette.count {
        // Few territories: every one its own colour, the most connected ones first.
        for (c, t) in (0..<k).sorted(by: { (neighbours[$0].count, -$0) > (neighbours[$1].count, -$1) }).enumerated() { colour[t] = c }
        return colour.map { palette[$0] }
    }
    for t in (0..<k).sorted(by: { (neighbours[$0].count, -$0) > (neighbours[$1].count, -$1) }) {
        let used = Set(neighbours[t].map { colour[$0] })
        colour[t] = (0..<palette.count).first { !used.contains($0) } ?? (t % palette.count)
    }
    return colour.map { palette[$0] }
}

/// Projects coordinates to the SVG plane: planar as given (y up), lon/lat equirectangular with
/// x scaled by cos(mean latitude), which keeps shapes right at the scale of a state or region.
struct Projection {
    var scale: Double, minX: Double, maxY: Double, xFactor: Double
    let width: Double, margin = 10.0
    var height: Double

    init(problem: DesignProblem, width: Double = 900) {
        self.width = width
        let units = problem.units
        let geographic = units.coordinateSystem == .geographic
        let meanLat = geographic ? units.y.reduce(0, +) / Double(max(units.count, 1)) : 0
        xFactor = geographic ? cos(meanLat * .pi / 180) : 1
        minX = (units.x.min() ?? 0) * xFactor
        let maxX = (units.x.max() ?? 1) * xFactor
        let minY = units.y.min() ?? 0
        maxY = units.y.max() ?? 1
        let spanX = max(maxX - minX, 1e-12), spanY = max(maxY - minY, 1e-12)
        scale = (width - 20) / spanX
        let tallest = width * 4 / 3
        if spanY * scale + 20 > tallest { scale = (tallest - 20) / spanY }
        height = max(spanY * scale + 20, 60)
    }

    func callAsFunction(_ x: Double, _ y: Double) -> (Double, Double) {
        (margin + (x * xFactor - minX) * scale, margin + (maxY - y) * scale)
    }
}

/// The map: units coloured by territory (polygons, dots, or a grid above ``reportPointLimit``),
/// hulls, centers and labels; `highlight` units (moved ones in a what-if) get a black outline.
func svgMap(_ plan: Plan, problem: DesignProblem, evaluation: Evaluation, colours: [String], width: Double = 900,
            highlight: Set<Int> = [], caption: Bool = true) -> String {
    let units = problem.units
    let project = Projection(problem: problem, width: width)
    let n = units.count
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(project.width)) \(fmt(project.height))\" width=\"\(fmt(project.width))\" height=\"\(fmt(project.height))\" role=\"img\" aria-label=\"map of the territories\">\n"
    // Hulls first, so that points sit on top.
    var members = Array(repeating: [Int](), count: plan.k)
    for i in 0..<n where plan.assignment[i] >= 0 { members[Int(plan.assignment[i])].append(i) }
    for t in 0..<plan.k where members[t].count >= 3 && problem.shapes == nil {
        let hull = convexHull(members[t].map { project(units.x[$0], units.y[$0]) })
        svg += "<polygon points=\"" + hull.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
            + "\" fill=\"\(colours[t])\" fill-opacity=\"0.08\" stroke=\"\(colours[t])\" stroke-width=\"1\"/>\n"
    }
    if let shapes = problem.shapes, n <= reportPointLimit {
        // Polygons: one path per unit (even-odd fill keeps holes open), thin white borders.
        for i in 0..<n where !shapes.rings[i].isEmpty {
            let t = Int(plan.assignment[i])
            var d = ""
            for ring in shapes.rings[i] {
                for (j, p) in ring.enumerated() {
                    let (x, y) = project(p.x, p.y)
                    d += (j == 0 ? "M" : "L") + fmt(x) + " " + fmt(y)
                }
                d += "Z"
            }
            let moved = highlight.contains(i)
            svg += "<path d=\"\(d)\" fill=\"\(t >= 0 ? colours[t] : "#ccc")\" fill-opacity=\"0.75\" fill-rule=\"evenodd\" stroke=\"\(moved ? "#000" : "#fff")\" stroke-width=\"\(moved ? 2 : 0.5)\"/>\n"
        }
    } else if n <= reportPointLimit {
        let radius = n > 5000 ? 1.2 : (n > 1000 ? 2.0 : 3.5)
        for i in 0..<n {
            let (x, y) = project(units.x[i], units.y[i])
            let t = Int(plan.assignment[i])
            svg += "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(radius)\" fill=\"\(t >= 0 ? colours[t] : "#000")\""
                + (highlight.contains(i) ? " stroke=\"#000\" stroke-width=\"1.5\"" : "") + "/>\n"
        }
    } else {
        // One square per occupied cell, coloured by the territory with most units there.
        let cell = project.width / Double(gridCells)
        var counts: [Int: [Int: Int]] = [:]
        for i in 0..<n where plan.assignment[i] >= 0 {
            let (x, y) = project(units.x[i], units.y[i])
            let key = Int(y / cell) * (gridCells + 1) + Int(x / cell)
            counts[key, default: [:]][Int(plan.assignment[i]), default: 0] += 1
        }
        // Runs of neighbouring cells of one territory along a row become one rectangle.
        var run: (row: Int, start: Int, end: Int, territory: Int)?
        func flush() {
            guard let r = run else { return }
            svg += "<rect x=\"\(fmt(Double(r.start) * cell))\" y=\"\(fmt(Double(r.row) * cell))\" width=\"\(fmt(Double(r.end - r.start + 1) * cell))\" height=\"\(fmt(cell))\" fill=\"\(colours[r.territory])\"/>\n"
        }
        for key in counts.keys.sorted() {
            let byTerritory = counts[key]!
            let t = byTerritory.keys.sorted().max { byTerritory[$0]! < byTerritory[$1]! }!
            let row = key / (gridCells + 1), column = key % (gridCells + 1)
            if let r = run, r.row == row, r.end == column - 1, r.territory == t {
                run!.end = column
            } else {
                flush()
                run = (row, column, column, t)
            }
        }
        flush()
    }
    // Centers (fixed ones: rep homes, as squares) and labels.
    for (t, metrics) in evaluation.territories.enumerated() {
        guard let center = metrics.center else { continue }
        let point: (Double, Double)
        switch center {
        case .unit(let c): point = project(units.x[c], units.y[c])
        case .point(let p): point = project(p.x, p.y)
        }
        if !metrics.centerIsFixedByProblem {
            svg += "<circle cx=\"\(fmt(point.0))\" cy=\"\(fmt(point.1))\" r=\"5\" fill=\"#fff\" stroke=\"\(colours[t])\" stroke-width=\"2.5\"/>\n"
        } else {
            svg += "<rect x=\"\(fmt(point.0 - 5))\" y=\"\(fmt(point.1 - 5))\" width=\"10\" height=\"10\" fill=\"#fff\" stroke=\"\(colours[t])\" stroke-width=\"2.5\"/>\n"
        }
        svg += "<text x=\"\(fmt(point.0 + 7))\" y=\"\(fmt(point.1 - 6))\" font-size=\"11\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">\(escape(metrics.label))</text>\n"
    }
    svg += "</svg>"
    guard caption else { return svg }
    return svg + "<p style=\"font-size:.8em\">White circles: territory centers (medoids); white squares: centers given by the problem or the plan (rep homes, a centers file). "
        + (n > reportPointLimit ? "\(n) units drawn as a \(gridCells)×\(gridCells) grid, each cell coloured by the territory holding most of its units (runs of one territory merged). " : "")
        + (problem.shapes == nil ? "Outlines are convex hulls." : "Units drawn with their own outlines.") + "</p>"
}

/// Measures shown in tables: the balanced ones, then others up to four in all.
func shownMeasures(_ problem: DesignProblem) -> [Int] {
    var shown = problem.balance.map(\.measure)
    for m in problem.units.measures.indices where shown.count < 4 && !shown.contains(m) { shown.append(m) }
    return shown
}

func kpiTable(problem: DesignProblem, evaluation: Evaluation, colours: [String]) -> String {
    let measures = problem.units.measures
    let shown = shownMeasures(problem)
    var html = "<table><tr><th>territory</th><th>units</th>"
    for m in shown { html += "<th>\(escape(measures[m].name))</th>" }
    for requirement in problem.balance { html += "<th>\(escape(measures[requirement.measure].name)) / target</th>" }
    html += "<th>travel</th></tr>\n"
    for (t, metrics) in evaluation.territories.enumerated() {
        html += "<tr><td><span class=\"swatch\" style=\"background:\(colours[t])\"></span>\(escape(metrics.label))</td><td>\(metrics.unitCount)</td>"
        for m in shown { html += "<td>\(fmt(metrics.totals[m]))</td>" }
        for requirement in problem.balance {
            let total = measures[requirement.measure].total
            let target = requirement.target(t, total: total, k: problem.k)
            let value = metrics.totals[requirement.measure]
            let outside = value < requirement.lowerBound(t, total: total, k: problem.k) * (1 - 1e-12)
                || value > requirement.upperBound(t, total: total, k: problem.k) * (1 + 1e-12)
            html += "<td\(outside ? " class=\"bad\"" : "")>\(target > 0 ? fmt(100 * value / target) + " %" : "–")</td>"
        }
        html += "<td>\(fmt(metrics.travel))</td></tr>\n"
    }
    html += "<tr><th>total</th><th>\(evaluation.unitCount)</th>"
    for m in shown { html += "<th>\(fmt(measures[m].total))</th>" }
    for _ in problem.balance { html += "<th></th>" }
    html += "<th>\(fmt(evaluation.travel))</th></tr></table>\n"
    if measures.count > shown.count {
        html += "<p style=\"font-size:.8em\">\(measures.count - shown.count) more measures are in the JSON report (<code>--json</code>).</p>\n"
    }
    return html
}

/// Diverging bars of each territory's deviation from its target (`A_t / T_t − 1`), on an axis
/// zoomed to the deviations and the band, with the band [−τ, +τ] shaded and capacities marked.
func balanceChart(_ requirement: BalanceRequirement, problem: DesignProblem, evaluation: Evaluation, colours: [String]) -> String {
    let k = problem.k
    let total = problem.units.measures[requirement.measure].total
    let targets = (0..<k).map { requirement.target($0, total: total, k: k) }
    let deviations: [Double] = (0..<k).map { t in
        targets[t] > 0 ? evaluation.territories[t].totals[requirement.measure] / targets[t] - 1 : 0
    }
    let tau = requirement.tolerance ?? 0
    let span = max((deviations.map { abs($0) }.max() ?? 0), tau, 0.005) * 1.25
    let barHeight = k > 60 ? 6.0 : 14.0, left = 90.0, width = 700.0
    let height = Double(k) * (barHeight + 2) + 30
    let xOf = { (d: Double) -> Double in left + width * (d + span) / (2 * span) }
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(left + width + 20)) \(fmt(height))\" width=\"\(fmt(left + width + 20))\" height=\"\(fmt(height))\">\n"
    if requirement.tolerance != nil {
        svg += "<rect x=\"\(fmt(xOf(-tau)))\" y=\"0\" width=\"\(fmt(xOf(tau) - xOf(-tau)))\" height=\"\(fmt(height - 20))\" fill=\"#2ca02c\" fill-opacity=\"0.12\"/>\n"
    }
    svg += "<line x1=\"\(fmt(xOf(0)))\" y1=\"0\" x2=\"\(fmt(xOf(0)))\" y2=\"\(fmt(height - 20))\" stroke=\"#444\" stroke-dasharray=\"3,3\"/>\n"
    for t in 0..<k {
        let y = Double(t) * (barHeight + 2)
        let a = xOf(min(deviations[t], 0)), b = xOf(max(deviations[t], 0))
        svg += "<rect x=\"\(fmt(a))\" y=\"\(fmt(y))\" width=\"\(fmt(max(b - a, 0.5)))\" height=\"\(fmt(barHeight))\" fill=\"\(colours[t])\"/>\n"
        if barHeight >= 10 {
            svg += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(y + barHeight - 3))\" font-size=\"10\" text-anchor=\"end\">\(escape(evaluation.territories[t].label))</text>\n"
        }
        if let caps = requirement.capacities, caps[t].isFinite, targets[t] > 0, caps[t] / targets[t] - 1 <= span {
            let x = xOf(caps[t] / targets[t] - 1)
            svg += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(y))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y + barHeight))\" stroke=\"#d62728\" stroke-width=\"2\"/>\n"
        }
    }
    // Ticks: a round step giving about four ticks each side.
    let rawStep = span / 4
    let magnitude = pow(10, (log10(rawStep)).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rawStep } ?? rawStep
    let axisY = height - 8
    var tick = -(span / step).rounded(.down) * step
    while tick <= span + 1e-12 {
        let label = (tick > 0 ? "+" : "") + fmt(tick * 100) + " %"
        svg += "<text x=\"\(fmt(xOf(tick)))\" y=\"\(fmt(axisY))\" font-size=\"9\" text-anchor=\"middle\">\(label)</text>\n"
        tick += step
    }
    return svg + "</svg><p style=\"font-size:.8em\">Each bar: the territory's deviation from its target; dashed line: the target; green band: ±\(fmt(tau * 100)) %"
        + (requirement.capacities != nil ? "; red marks: capacities" : "") + ".</p>"
}

/// A convex hull of projected points (see ``convexHull(of:)``).
func convexHull(_ points: [(Double, Double)]) -> [(Double, Double)] {
    convexHull(of: points.map { Point(x: $0.0, y: $0.1) }).map { ($0.x, $0.y) }
}

/// Text safe inside HTML elements and attributes.
func escape(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

/// Up to two decimals, no trailing zeros; integers plain.
func fmt(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    var s = formatFixed(x, decimals: 2)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

#if canImport(Glibc)
import Glibc
#endif
