import ArgumentParser
import TerritoryDesign

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a plan: travel, balance per measure, contiguity, disruption, feasibility.",
        discussion: """
            The plan is a CSV id,territory (or a JSON plan, or a benchmark solution file). \
            Exit status 0 when the plan is feasible, 1 when it is not (the report is still printed), \
            2 for bad input.
            """)

    @OptionGroup var problem: ProblemOptions

    @Option(help: ArgumentHelp("The plan to score.", valueName: "plan"))
    var plan: String

    @Option(help: ArgumentHelp("Territory centers: CSV territory,center (unit id) or territory,x,y (e.g. rep homes). Default: each territory's medoid.", valueName: "file"))
    var centers: String?

    @Flag(help: "Print the machine report as one JSON object on stdout.")
    var json = false

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        var design = try problem.load()
        var read = try readPlan(plan, for: design)
        if let centers { read = try readCenters(centers, into: read, units: design.units) }
        if design.k == 0 { design.setTerritoryCount(read.k) }
        try design.validate()
        let aligned = try design.align(read, file: plan)
        let evaluation = Evaluator.evaluate(aligned, in: design)
        let seconds = (clock.now - start).seconds
        let status = evaluation.feasible ? "feasible" : "infeasible"
        if json {
            let report = reportJSON(evaluation, problem: design, summary: SolveSummary(status: status, seconds: seconds))
            print(report.serialized)
        } else {
            print(renderEvaluation(evaluation, problem: design, title: "Plan \(plan)"))
        }
        if !evaluation.feasible { throw ExitCode(1) }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
