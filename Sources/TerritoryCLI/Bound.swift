import ArgumentParser
import TerritoryDesign

struct Bound: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A proven lower bound on travel (Lagrangian relaxation), and the gap of a plan to it.",
        discussion: """
            Works where the MIP is too large (thousands of units). The bound ignores contiguity, locks and \
            skills (a relaxation, so it stays valid). Without --plan or --upper, the heuristic first finds a \
            plan to measure the gap against.
            """)

    @OptionGroup var problem: ProblemOptions

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Seconds for the bound (and as much again for the heuristic plan).", valueName: "seconds"))
    var timeLimit: Double = 30

    @Option(help: ArgumentHelp("A plan whose gap to report (CSV id,territory).", valueName: "plan"))
    var plan: String?

    @Option(help: ArgumentHelp("Travel of a known feasible plan (instead of --plan).", valueName: "travel"))
    var upper: Double?

    @Option(help: "Seed of the heuristic plan.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        if plan != nil && upper != nil { throw ValidationError("give --plan or --upper, not both") }
    }

    func run() throws {
        var design = try problem.load()
        guard design.k > 0 else { throw InputError(column: "--k", "give the number of territories with --k") }
        try design.validate()
        var travel: Double
        var source: String
        if let upper {
            travel = upper
            source = "--upper"
        } else if let plan {
            let read = try design.align(readPlan(plan, for: design), file: plan)
            travel = Evaluator.evaluate(read, in: design).travel
            source = plan
        } else {
            var options = HeuristicOptions()
            options.seed = seed
            options.timeLimit = .milliseconds(Int64(timeLimit * 1000))
            let outcome = HeuristicSolver.solve(design, options: options)
            guard let found = outcome.plan else { throw ExitCode(1) }
            travel = Evaluator.evaluate(found, in: design).travel
            source = "heuristic (\(outcome.status.rawValue))"
        }
        let result = LagrangianBound.compute(design, upperBound: travel, timeLimit: .milliseconds(Int64(timeLimit * 1000)))
        let gap = travel > 0 ? (travel - result.bound) / travel : 0
        if json {
            print(JSONValue.object([
                ("bound", .number(result.bound)), ("travel", .number(travel)), ("gap", .number(gap)),
                ("plan", .string(source)), ("iterations", .number(Double(result.iterations))), ("seconds", .number(result.seconds)),
            ]).serialized)
        } else {
            print("Lower bound  \(fmt(result.bound))  (Lagrangian relaxation, \(result.iterations) iterations, \(formatFixed(result.seconds, decimals: 2)) s)")
            print("Plan travel  \(fmt(travel))  (\(source))")
            print("Proven gap   \(pct(gap))")
        }
    }
}
