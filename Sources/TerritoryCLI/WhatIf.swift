import ArgumentParser
import TerritoryDesign

struct WhatIf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Run what-if scenarios against today's plan and compare them side by side.",
        discussion: """
            Each SCENARIO is a JSON file (README, "What-if scenarios") naming the data, today's plan and \
            the edits to try: reps removed or added, k, tolerances, locks, manual moves, new accounts, a \
            disruption budget, a quota. Writes each scenario's plan (its "out", default \
            <scenario>-plan.csv), the centers beside it and, with a baseline, <plan>-moves.csv (every \
            moved unit); prints the comparison with today's plan. Several scenarios run in parallel. \
            Exit status 0 when every plan is feasible, 1 otherwise, 2 for a bad scenario.
            """)

    @Argument(help: ArgumentHelp("Scenario files.", valueName: "scenario.json"))
    var scenarios: [String]

    @Flag(help: "Print one JSON object per scenario (a JSON array) on stdout.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Override every scenario's time limit (seconds).", valueName: "seconds"))
    var timeLimit: Double?

    @Option(help: ArgumentHelp("Also write an HTML report: today's map and each scenario's side by side, moved units outlined, the realignment tables.", valueName: "report.html"))
    var report: String?

    func validate() throws {
        guard !scenarios.isEmpty else { throw ValidationError("give at least one scenario file") }
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) { throw ValidationError("--time-limit must be a positive number of seconds") }
    }

    func run() throws {
        var loaded: [Scenario] = []
        for file in scenarios {
            var scenario = try readScenario(file)
            if let timeLimit { scenario.timeLimitSeconds = timeLimit }
            loaded.append(scenario)
        }
        let paths = loaded.map(\.planPath)
        if let duplicate = paths.enumerated().first(where: { paths[..<$0.offset].contains($0.element) }) {
            throw InputError(file: loaded[duplicate.offset].file, column: "out", "two scenarios write the same plan \(duplicate.element)")
        }
        let showProgress = progressEnabled(quiet: quiet) && loaded.count == 1
        let printer = ProgressPrinter()
        let scenarioList = loaded
        let progress: (@Sendable (SolveProgress) -> Void)? = showProgress ? { @Sendable p in printer.show(p) } : nil
        let results: [WhatIfResult] = parallelMap(scenarioList.count) { s in runScenario(scenarioList[s], progress: progress) }
        if showProgress { printError("") }
        var allFeasible = true
        var reports: [JSONValue] = []
        var sections: [String] = []
        for result in results {
            let problem = result.scenario.problem
            guard let plan = result.outcome.plan, let evaluation = result.evaluation else {
                allFeasible = false
                sections.append("Scenario \(result.scenario.name): \(result.outcome.status.rawValue)\n"
                    + result.outcome.explanation.map { "  - " + $0 }.joined(separator: "\n"))
                let explanation: [JSONValue] = result.outcome.explanation.map { JSONValue.string($0) }
                reports.append(JSONValue.object([("scenario", JSONValue.string(result.scenario.name)),
                                                 ("status", JSONValue.string(result.outcome.status.rawValue)), ("explanation", JSONValue.array(explanation))]))
                continue
            }
            if let reported = result.outcome.reportedTravel, abs(reported - evaluation.travel) > 1e-6 * max(1, abs(evaluation.travel)) {
                printError("territory: internal error: scenario \(result.scenario.name): the solver reported travel \(reported), the evaluator computes \(evaluation.travel)")
                throw ExitCode(3)
            }
            try Files.writeAtomically(planCSV(plan, units: problem.units), to: result.scenario.planPath)
            try Files.writeAtomically(centersCSV(plan.centers, labels: plan.labels, units: problem.units),
                                      to: defaultCentersPath(result.scenario.planPath))
            var movesPath: String?
            if let comparison = result.comparison {
                let path = movesFilePath(result.scenario.planPath)
                try Files.writeAtomically(movesCSV(comparison, problem), to: path)
                movesPath = path
            }
            if !result.feasible { allFeasible = false }
            reports.append(whatIfJSON(result, evaluation: evaluation, movesPath: movesPath))
            sections.append(renderWhatIf(result, evaluation: evaluation, movesPath: movesPath))
        }
        if let report {
            let entries: [WhatIfReportEntry] = results.compactMap { result in
                guard let plan = result.outcome.plan, let comparison = result.comparison, let today = result.scenario.problem.baseline else { return nil }
                var facts: [(String, String)] = [("file", result.scenario.file), ("status", result.outcome.status.rawValue),
                                                 ("territories", String(result.scenario.problem.k)), ("feasible", result.feasible ? "yes" : "no")]
                if let budget = budgetText(result.scenario.problem) { facts.append(("disruption budget", budget)) }
                return WhatIfReportEntry(title: result.scenario.name, facts: facts, problem: result.scenario.problem,
                                         before: today, after: plan, comparison: comparison)
            }
            try Files.writeAtomically(htmlWhatIfReport(entries, title: "What-if: " + results.map(\.scenario.name).joined(separator: " · ")), to: report)
        }
        if json {
            print(JSONValue.array(reports).serialized)
        } else {
            print(sections.joined(separator: "\n\n"))
            if results.count > 1 {
                print("")
                print(renderSideBySide(results))
            }
        }
        if !allFeasible { throw ExitCode(1) }
    }
}

/// `plan.csv` → `plan-moves.csv`.
func movesFilePath(_ plan: String) -> String {
    if plan.hasSuffix(".csv") { return String(plan.dropLast(4)) + "-moves.csv" }
    return plan + "-moves.csv"
}

/// Every moved unit: id, from, to and its measures.
func movesCSV(_ comparison: PlanComparison, _ problem: DesignProblem) -> [UInt8] {
    let measures = problem.units.measures
    var writer = CSVWriter(header: ["id", "from", "to"] + measures.map(\.name))
    for move in comparison.moves {
        writer.appendRow([problem.units.ids[move.unit], move.from, move.to] + measures.map { JSONValue.format($0.values[move.unit]) })
    }
    return writer.bytes
}

func budgetText(_ problem: DesignProblem) -> String? {
    problem.disruptionBudget.map { $0.describe(in: problem.units) }
}

func renderWhatIf(_ result: WhatIfResult, evaluation: Evaluation, movesPath: String?) -> String {
    let scenario = result.scenario
    let problem = scenario.problem
    var lines = ["Scenario \(scenario.name) (\(scenario.file)): \(problem.k) territories, \(problem.unitCount) units",
                 "Solver \(result.outcome.solver), seed \(scenario.seed), status \(result.outcome.status.rawValue), "
                    + "\(formatFixed(result.outcome.seconds, decimals: 2)) s; plan \(scenario.planPath)"
                    + (movesPath.map { ", moves \($0)" } ?? "")]
    if let budget = budgetText(problem), let moved = evaluation.disruption?.moved {
        let within = !evaluation.violations.contains { $0.kind == .disruptionBudget }
        lines.append("Disruption budget \(budget): \(moved) units moved" + (within ? " (within budget)" : " (OVER budget)"))
    }
    if !scenario.manualMoves.isEmpty { lines.append("\(scenario.manualMoves.count) units moved by hand (locked in their new territory)") }
    for violation in evaluation.violations.prefix(10) { lines.append("  violation: " + violation.message) }
    lines.append("")
    if let comparison = result.comparison {
        lines.append(renderComparison(comparison, problem, before: "today", after: scenario.name))
    } else {
        lines.append(renderEvaluation(evaluation, problem: problem, title: scenario.name))
    }
    if let quotas = result.quotas {
        lines.append("")
        let measure = problem.units.measures[scenario.quotaMeasure!].name
        lines.append("Quota \(fmt(scenario.quota!)) split by \(measure)"
            + (scenario.quotaHistory.map { " (\(fmt(scenario.quotaBlend * 100)) %) and \(problem.units.measures[$0].name) (\(fmt((1 - scenario.quotaBlend) * 100)) %)" } ?? ""))
        lines += table(header: ["territory", "share", "quota"],
                       rows: quotas.map { [$0.label, pct($0.share), fmt($0.quota)] }, rightAligned: [1, 2])
    }
    return lines.joined(separator: "\n")
}

func whatIfJSON(_ result: WhatIfResult, evaluation: Evaluation, movesPath: String?) -> JSONValue {
    let scenario = result.scenario
    let problem = scenario.problem
    var fields: [(String, JSONValue)] = [
        ("scenario", .string(scenario.name)), ("file", .string(scenario.file)), ("status", .string(result.outcome.status.rawValue)),
        ("feasible", .bool(result.feasible)), ("k", .number(Double(problem.k))), ("travel", .number(evaluation.travel)),
        ("seconds", .number(result.outcome.seconds)), ("firstFeasibleSeconds", JSONValue(result.outcome.firstFeasibleSeconds)),
        ("plan", .string(scenario.planPath)), ("moves", JSONValue(movesPath)),
        ("maxMoved", JSONValue(problem.disruptionBudget.map { $0.allowance(in: problem.units).limit })),
        ("moved", JSONValue(evaluation.disruption?.moved)),
        ("balance", .object(evaluation.balance.map { ($0.name, JSONValue($0.maxDeviation)) })),
        ("violations", .array(evaluation.violations.map { .string($0.message) })),
    ]
    if let comparison = result.comparison { fields.append(("comparison", comparisonJSON(comparison, problem))) }
    if let quotas = result.quotas {
        fields.append(("quotas", .array(quotas.map { .object([("territory", .string($0.label)), ("share", .number($0.share)), ("quota", .number($0.quota))]) })))
    }
    return .object(fields)
}

/// One row per scenario: the figures an analyst weighs against each other.
func renderSideBySide(_ results: [WhatIfResult]) -> String {
    var measures: [Int] = []
    for result in results { for req in result.scenario.problem.balance where !measures.contains(req.measure) { measures.append(req.measure) } }
    let names = results.first.map { r in measures.map { r.scenario.problem.units.measures[$0].name } } ?? []
    var header = ["scenario", "status", "k", "travel", "Δ travel vs today"]
    header += names.map { "max dev \($0)" }
    header += ["moved", "budget", "feasible"]
    var rows: [[String]] = []
    for result in results {
        guard let evaluation = result.evaluation else {
            rows.append([result.scenario.name, result.outcome.status.rawValue] + Array(repeating: "", count: header.count - 2))
            continue
        }
        let problem = result.scenario.problem
        var row = [result.scenario.name, result.outcome.status.rawValue, String(problem.k), fmt(evaluation.travel)]
        if let c = result.comparison {
            let delta = c.after.travel - c.before.travel
            row.append((delta >= 0 ? "+" : "") + fmt(delta) + " (" + pct(c.before.travel > 0 ? delta / c.before.travel : 0) + ")")
        } else {
            row.append("")
        }
        for m in measures {
            row.append(evaluation.balance.first { $0.name == problem.units.measures[m].name }?.maxDeviation.map(pct) ?? "")
        }
        row += [evaluation.disruption.map { String($0.moved) } ?? "", budgetText(problem) ?? "", result.feasible ? "yes" : "no"]
        rows.append(row)
    }
    return (["Side by side:"] + table(header: header, rows: rows, rightAligned: Set(2..<header.count - 1))).joined(separator: "\n")
}
