import ArgumentParser
import TerritoryDesign

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a self-contained HTML report of a plan: map, KPI table, balance charts.",
        discussion: """
            One HTML file with inline SVG, no scripts and no remote references: opens offline and \
            prints. Above 20,000 units the map draws a 320×320 grid of cells instead of one dot per unit.
            """)

    @OptionGroup var problem: ProblemOptions

    @Option(help: ArgumentHelp("The plan to show.", valueName: "plan"))
    var plan: String

    @Option(help: ArgumentHelp("Territory centers (default: <plan>-centers.csv when it exists, else medoids).", valueName: "file"))
    var centers: String?

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "report.html"))
    var out: String

    @Option(name: .customLong("geojson-out"), help: ArgumentHelp("Also write the plan as GeoJSON (units with their territory, one hull per territory).", valueName: "plan.geojson"))
    var geojsonOut: String?

    func run() throws {
        var design = try problem.load()
        var read = try readPlan(plan, for: design)
        let centersPath = centers ?? defaultCentersPath(plan)
        if centers != nil || Files.exists(centersPath) { read = try readCenters(centersPath, into: read, units: design.units) }
        if design.k == 0 { design.setTerritoryCount(read.k) }
        try design.validate()
        let aligned = try design.align(read, file: plan)
        let evaluation = Evaluator.evaluate(aligned, in: design, baseline: design.baseline)
        var facts: [(String, String)] = [("problem", design.name), ("units", String(design.unitCount)), ("territories", String(design.k)),
                                         ("travel", fmt(evaluation.travel)), ("feasible", evaluation.feasible ? "yes" : "no")]
        if let moved = evaluation.disruption?.moved { facts.append(("units moved against the baseline", String(moved))) }
        let html = htmlReport(aligned, problem: design, evaluation: evaluation, summary: ReportSummary(title: "Territory plan \(Files.baseName(plan))", facts: facts))
        try Files.writeAtomically(html, to: out)
        if let geojsonOut { try Files.writeAtomically(planGeoJSON(aligned, units: design.units, shapes: design.shapes).serialized + "\n", to: geojsonOut) }
        print("Wrote \(out) (\(html.utf8.count / 1024) KB)")
    }
}
