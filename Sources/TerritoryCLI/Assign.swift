import ArgumentParser
import TerritoryDesign

struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put new accounts into an existing plan without redesigning it.",
        discussion: """
            Each new account (a row of --new, same columns as the units) goes to the territory of the \
            first rule it matches (--rules: one `COLUMN == VALUE -> TERRITORY` or `COLUMN in [A, B] -> \
            TERRITORY` per line, in order), else to the nearest territory center that serves its \
            segment and has headroom in every band and capacity, else to the nearest one. Writes the \
            whole plan (--out) and prints which rule placed each account and the resulting balance. \
            Exit status 0 when the plan is feasible, 1 when a bound is exceeded, 2 for bad input.
            """)

    @OptionGroup var problem: ProblemOptions

    @Option(help: ArgumentHelp("Today's plan of the existing units.", valueName: "plan.csv"))
    var plan: String

    @Option(name: .customLong("new"), help: ArgumentHelp("New accounts: a units CSV with the same columns.", valueName: "file"))
    var newUnits: String

    @Option(help: ArgumentHelp("Ordered routing rules (see the discussion).", valueName: "file"))
    var rules: String?

    @Option(help: ArgumentHelp("The plan CSV to write (every unit).", valueName: "plan.csv"))
    var out: String

    @Flag(help: "Print the machine report as one JSON object on stdout.")
    var json = false

    func run() throws {
        guard problem.units != nil else { throw ValidationError("assign works on a units CSV (--units)") }
        var design = try problem.load()
        let existing = design.unitCount
        let today = try readPlan(plan, for: design)
        // The new accounts, read with the units' coordinate system, and their raw columns for rules.
        var options = UnitsCSVOptions()
        options.coordinateSystem = design.units.coordinateSystem
        let added = try readUnitsCSV(newUnits, options: options)
        let raw = try CSVDocument(data: Files.read(newUnits), file: newUnits)
        design.units = try design.units.appending(added, file: newUnits)
        design.distances = Distances(metric: design.distances.metric, x: design.units.x, y: design.units.y)
        if design.k == 0 { design.setTerritoryCount(today.k) }
        var extended = today
        extended.assignment += Array(repeating: -1, count: added.count)
        try design.validate()
        let aligned = try design.align(extended, file: plan)
        let ruleList = try rules.map { path throws(InputError) in
            try parseAssignmentRules(String(decoding: Files.read(path), as: UTF8.self), file: path)
        } ?? []
        let (result, placements) = try assignNewUnits(aligned, in: design, rules: ruleList, rulesFile: rules) { unit, column in
            guard let c = raw.column(named: column) else { return nil }
            return try? raw.string(unit - existing, c)
        }
        let evaluation = Evaluator.evaluate(result, in: design)
        try Files.writeAtomically(planCSV(result, units: design.units), to: out)
        func reasonText(_ reason: PlacementReason) -> String {
            switch reason {
            case .rule(let line): return "rule, line \(line)"
            case .nearestWithHeadroom: return "nearest with headroom"
            case .nearestOverBound: return "nearest (no headroom anywhere)"
            }
        }
        if json {
            let report = reportJSON(evaluation, problem: design, summary: SolveSummary(
                status: evaluation.feasible ? "feasible" : "infeasible", solver: "assign", bound: nil, seconds: 0,
                extra: [("placements", .array(placements.map { p in
                    .object([("id", .string(design.units.ids[p.unit])), ("territory", .string(result.labels[p.territory])),
                             ("reason", .string(reasonText(p.reason))), ("distance", .number(p.distance))])
                })), ("plan", .string(out))]))
            print(report.serialized)
        } else {
            print("Assigned \(placements.count) of \(added.count) new accounts into \(design.k) territories; plan \(out)")
            print("")
            let shown = design.balance.map(\.measure)
            print(table(header: ["account", "territory", "placed by", "distance"] + shown.map { design.units.measures[$0].name },
                        rows: placements.map { p in
                            [design.units.ids[p.unit], result.labels[p.territory], reasonText(p.reason), fmt(p.distance)]
                                + shown.map { fmt(design.units.measures[$0].values[p.unit]) }
                        }, rightAligned: Set([3] + (0..<shown.count).map { 4 + $0 })).joined(separator: "\n"))
            print("")
            print(renderEvaluation(evaluation, problem: design, title: Files.baseName(out)))
        }
        if !evaluation.feasible { throw ExitCode(1) }
    }
}
