import Foundation
import Testing
import TerritoryCore
import TerritoryEvaluation
import TerritoryIO
@testable import TerritoryReports

let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("datasets").path

/// Checks that every tag opened in `html` is closed in order (void elements and self-closing
/// tags aside): a small well-formedness check that needs no parser.
func tagsBalance(_ html: String) -> Bool {
    let void: Set<String> = ["meta", "br", "img", "hr", "input", "link", "!DOCTYPE"]
    var stack: [String] = []
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        guard let close = rest[open...].firstIndex(of: ">") else { return false }
        let tag = rest[rest.index(after: open)..<close]
        rest = rest[rest.index(after: close)...]
        if tag.hasSuffix("/") || tag.hasPrefix("!") { continue }
        if tag.hasPrefix("/") {
            guard stack.popLast() == String(tag.dropFirst()) else { return false }
            continue
        }
        let name = String(tag.prefix { $0 != " " })
        if !void.contains(name) { stack.append(name) }
    }
    return stack.isEmpty
}

@Suite struct ReportTests {
    @Test func countyReportIsSelfContainedAndWellFormed() throws {
        var problem = try readInstance(datasets + "/districting-us-county/county19.json", format: .countyJSON)
        problem.setTerritoryCount(4)
        problem.balance = [BalanceRequirement(measure: problem.units.measureIndex(named: "TOTPOP")!, tolerance: 0.005)]
        problem.requiresContiguity = true
        let plan = try problem.align(readPlan(datasets + "/districting-us-county/optimal-plans-min-cut-edges/IA-county-hess-scf.json", for: problem))
        let evaluation = Evaluator.evaluate(plan, in: problem)
        let html = htmlReport(plan, problem: problem, evaluation: evaluation, summary: ReportSummary(title: "Iowa <4> & co", facts: [("seed", "1")]))
        #expect(tagsBalance(html))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") })
        #expect(!html.contains("https://"))
        #expect(!html.contains("<script"))
        #expect(html.contains("Iowa &lt;4&gt; &amp; co"))
        #expect(html.components(separatedBy: "<circle").count - 1 >= 99)  // a dot per county plus centers
        #expect(html.components(separatedBy: "<polygon").count - 1 == 4)
    }

    @Test func neighbouringTerritoriesGetDifferentColours() throws {
        // A 6 × 1 strip of units in 6 territories: each touches the next.
        let units = try UnitTable(ids: (0..<6).map { "u\($0)" }, x: (0..<6).map(Double.init), y: Array(repeating: 0, count: 6))
        var problem = DesignProblem(name: "strip", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: 6)
        problem.adjacency = Adjacency(unitCount: 6, pairs: (0..<5).map { ($0, $0 + 1) })
        let plan = Plan(assignment: (0..<6).map(Int32.init), labels: (0..<6).map { "T\($0)" })
        let colours = territoryColours(plan, problem: problem)
        for t in 0..<5 { #expect(colours[t] != colours[t + 1]) }
    }

    @Test func largeMapsAreDrawnAsAGrid() throws {
        let units = SyntheticInstance.units(count: 30_000, layout: .clustered, seed: 1)
        var problem = DesignProblem(name: "big", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: 50)
        problem.balance = [BalanceRequirement(measure: 0, tolerance: 0.05)]
        let plan = SyntheticInstance.stripPlan(units, k: 50)
        let evaluation = Evaluator.evaluate(plan, in: problem)
        let html = htmlReport(plan, problem: problem, evaluation: evaluation, summary: ReportSummary(title: "big"))
        #expect(tagsBalance(html))
        #expect(html.utf8.count < 3_000_000)
        #expect(html.components(separatedBy: "<rect").count - 1 <= gridCells * gridCells + 200)
    }

    @Test func hullContainsEveryPoint() {
        let points = [(0.0, 0.0), (4, 0), (4, 3), (0, 3), (2, 1), (1, 2)]
        let hull = convexHull(points)
        #expect(hull.count == 4)
    }

    @Test func whatIfReportShowsBothMapsAndOutlinesMovedUnits() throws {
        let units = try UnitTable(ids: (0..<8).map { "u\($0)" }, x: (0..<8).map(Double.init), y: Array(repeating: 0, count: 8),
                                  measures: [Measure(name: "w", values: Array(repeating: 1, count: 8))])
        var problem = DesignProblem(name: "w", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: 3)
        problem.balance = [BalanceRequirement(measure: 0, tolerance: 0.5)]
        problem.territories = ["A", "B", "N"].map { TerritorySpec(label: $0) }
        problem.territoriesAreNamed = true
        let before = Plan(assignment: [0, 0, 0, 1, 1, 1, 2, 2], labels: ["A", "B", "GONE"])
        let after = Plan(assignment: [0, 0, 0, 1, 1, 2, 2, 2], labels: ["A", "B", "N"])
        problem.baseline = before
        let comparison = compare(before, after, in: problem)
        #expect(comparison.moves.count == 3)  // u5 B → N, u6 and u7 GONE → N
        let html = htmlWhatIfReport([WhatIfReportEntry(title: "s", facts: [], problem: problem, before: before, after: after, comparison: comparison)], title: "t")
        #expect(tagsBalance(html))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 3)  // two maps and a balance chart
        #expect(html.components(separatedBy: "stroke=\"#000\"").count - 1 == 3)  // the moved units
        #expect(html.contains("#9e9e9e"))  // the removed territory in grey on today's map
        #expect(html.contains("<td>GONE</td><td>N</td>"))
    }

    @Test func tradeoffReportPlotsTheFrontier() {
        let points = [FrontierPoint(x: 0.01, travel: 100, label: "±1 %", onFrontier: true),
                      FrontierPoint(x: 0.05, travel: 90, label: "±5 %", onFrontier: true),
                      FrontierPoint(x: 0.06, travel: 95, label: "±10 %", onFrontier: false)]
        let html = htmlTradeoffReport(points, xName: "max deviation", xIsPercent: true, title: "t", table: [["a", "b"]], header: ["x", "y"])
        #expect(tagsBalance(html))
        #expect(html.contains("<polyline"))
        #expect(html.components(separatedBy: "fill=\"#fff\"").count - 1 == 1)  // one dominated point
    }
}
