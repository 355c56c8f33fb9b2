import ArgumentParser
import TerritoryDesign

#if canImport(Glibc)
import Glibc
#endif

enum Method: String, ExpressibleByArgument, CaseIterable {
    case auto, heuristic, mip
}

extension Seeding: ExpressibleByArgument {}
extension CuttingPlanes: ExpressibleByArgument {}

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design k territories: balanced, compact, optionally contiguous.",
        discussion: """
            Writes the plan (CSV id,territory) and its centers (CSV territory,center beside it), \
            prints a summary (or the JSON report with --json). Exit status 0 with a feasible plan, \
            1 without one (the best plan found is still written, with its violations), 2 for bad input.
            """)

    @OptionGroup var problem: ProblemOptions

    @Option(help: ArgumentHelp("auto, heuristic or mip (auto: the MIP for small models — free centers up to 60 units, fixed centers up to 20,000 unit×territory pairs — else the heuristic).", valueName: "method"))
    var method: Method = .auto

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Wall-clock limit in seconds.", valueName: "seconds"))
    var timeLimit: Double = 60

    @Option(help: "Random seed: the same seed on the same input gives the same plan.")
    var seed: UInt64 = 1

    @Option(help: "Independent restarts, run in parallel (the best plan wins).")
    var restarts: Int = 2

    @Option(help: ArgumentHelp("Perturbation rounds without improvement before a restart ends (default: by size).", valueName: "rounds"))
    var stall: Int?

    @Option(help: ArgumentHelp("Perturbation rounds per restart at most.", valueName: "rounds"))
    var iterations: Int?

    @Option(help: ArgumentHelp("Accept perturbed solutions within this fraction of the best objective (record-to-record travel; 0: improvements only).", valueName: "fraction"))
    var acceptance: Double = 0.005

    @Option(help: "Seeding: kmeans++, bisection or auto.")
    var seeding: Seeding = .automatic

    @Flag(name: .customLong("stop-when-stalled"), help: "End when the restarts stall even if none found a feasible plan (default: keep restarting until one does or the time limit passes).")
    var stopWhenStalled = false

    @Flag(name: .customLong("no-swaps"), help: "Do not use unit swaps.")
    var noSwaps = false

    @Flag(name: .customLong("no-center-moves"), help: "Keep the seeded centers (no location steps or center perturbations).")
    var noCenterMoves = false

    @Flag(name: .customLong("no-perturb"), help: "Stop at the first local optimum (no iterated local search).")
    var noPerturb = false

    @Flag(name: .customLong("no-windows"), help: "Heuristic: skip the MIP window search that polishes the plan (small territories without contiguity).")
    var noWindows = false

    @Flag(name: .customLong("check-deltas"), help: "Debug: check every incremental objective change against a full re-evaluation.")
    var checkDeltas = false

    @Option(help: ArgumentHelp("Plan CSV to write (id,territory).", valueName: "plan.csv"))
    var out: String

    @Option(name: .customLong("centers-out"), help: ArgumentHelp("Centers CSV to write (default: <plan>-centers.csv).", valueName: "file"))
    var centersOut: String?

    @Flag(help: "Print the machine report as one JSON object on stdout.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Option(name: .customLong("write-model"), help: ArgumentHelp("MIP: also write the model (.lp or .mps) for another solver.", valueName: "file"))
    var writeModel: String?

    @Option(help: ArgumentHelp("MIP: stop at this relative gap (default 1e-6).", valueName: "fraction"))
    var gap: Double?

    @Flag(name: .customLong("solver-log"), help: "MIP: print GLPK's log on stderr (with elapsed seconds).")
    var solverLog = false

    @Option(help: ArgumentHelp("MIP: GLPK's cutting planes: auto (one run of the portfolio cuts on fixed-center models with bands), on or off.", valueName: "auto|on|off"))
    var cuts: CuttingPlanes = .automatic

    @Flag(name: .customLong("no-pseudocost"), help: "MIP: GLPK's default branching instead of pseudocosts with best-bound backtracking.")
    var noPseudocost = false

    @Flag(name: .customLong("no-core"), help: "MIP: skip the core search (fixed centers: the MIP over the LP's cheapest assignments, solved before branch and bound).")
    var noCore = false

    @Flag(name: .customLong("no-node-bound"), help: "MIP: bound tree nodes by GLPK's LP alone (no knapsack Lagrangian at the nodes of capacitated p-median models).")
    var noNodeBound = false

    @Option(name: .customLong("soft-bands"), help: ArgumentHelp("MIP: make bands soft, adding this weight × relative deviation (travel units per target) to the objective.", valueName: "weight"))
    var softBands: Double?

    @Option(name: .customLong("geojson-out"), help: ArgumentHelp("Also write the plan as GeoJSON (units with their territory, one hull per territory).", valueName: "plan.geojson"))
    var geojsonOut: String?

    @Option(help: ArgumentHelp("Also write a self-contained HTML report (map, KPI table, balance charts).", valueName: "report.html"))
    var report: String?

    @Option(help: ArgumentHelp("Also group the territories into this many regions (a two-level design; writes <plan>-regions.csv).", valueName: "r"))
    var regions: Int?

    @Option(name: .customLong("region-balance"), help: ArgumentHelp("Region band, e.g. workload=5% (repeatable; default: the territory bands).", valueName: "measure=tol"))
    var regionBalance: [String] = []

    @Flag(name: .customLong("contiguous-regions"), help: "Require every region to be connected.")
    var contiguousRegions = false

    @Option(help: ArgumentHelp("Split this company quota across the territories in proportion to --quota-measure.", valueName: "total"))
    var quota: Double?

    @Option(name: .customLong("quota-measure"), help: ArgumentHelp("The potential that drives the quota (default: the first balanced measure).", valueName: "measure"))
    var quotaMeasure: String?

    @Option(name: .customLong("quota-history"), help: ArgumentHelp("A history measure (e.g. last year's sales) blended into the quota.", valueName: "measure"))
    var quotaHistory: String?

    @Option(name: .customLong("quota-blend"), help: ArgumentHelp("Weight of the potential in the blend (0…1; the history gets the rest).", valueName: "weight"))
    var quotaBlend: Double = 1

    func validate() throws {
        if let regions, regions < 1 { throw ValidationError("--regions must be at least 1") }
        if regions == nil && (!regionBalance.isEmpty || contiguousRegions) { throw ValidationError("--region-balance and --contiguous-regions go with --regions") }
        if let quota, !(quota >= 0 && quota.isFinite) { throw ValidationError("--quota must be a number ≥ 0") }
        guard quotaBlend >= 0 && quotaBlend <= 1 else { throw ValidationError("--quota-blend lies in 0…1") }
        if quotaBlend < 1 && quotaHistory == nil { throw ValidationError("--quota-blend below 1 needs --quota-history") }
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds") }
        guard restarts >= 1 else { throw ValidationError("--restarts must be at least 1") }
        if let gap, !(gap >= 0 && gap <= 1) { throw ValidationError("--gap must lie in 0…1") }
        if let softBands, !(softBands > 0 && softBands.isFinite) { throw ValidationError("--soft-bands must be a positive weight") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let design = try problem.load()
        guard design.k > 0 else { throw InputError(column: "--k", "give the number of territories with --k (the input does not set it)") }
        var options = HeuristicOptions()
        options.seed = seed
        options.timeLimit = .milliseconds(Int64((timeLimit * 1000).rounded()))
        options.restarts = restarts
        options.stallLimit = stall
        options.maxIterations = iterations
        options.seeding = seeding
        options.acceptance = acceptance
        options.useSwaps = !noSwaps
        options.restartUntilFeasible = !stopWhenStalled
        options.useCenterMoves = !noCenterMoves
        options.perturb = !noPerturb
        options.checkDeltas = checkDeltas
        options = try options.validated()
        if progressEnabled(quiet: quiet) {
            let printer = ProgressPrinter()
            options.progress = { printer.show($0) }
        }
        // More territories than units is infeasible, not bad input: report it as a status.
        if design.k <= design.unitCount { try design.validate() }
        let useMIP: Bool
        switch method {
        case .mip: useMIP = true
        case .heuristic: useMIP = false
        case .auto:
            useMIP = writeModel != nil || prefersMIP(design)
        }
        let outcome: SolveOutcome
        if useMIP {
            var mip = MIPOptions()
            mip.timeLimit = options.timeLimit
            mip.seed = seed
            mip.writeModel = writeModel
            mip.softBandWeight = softBands
            mip.cuts = cuts
            if solverLog {
                let began = ContinuousClock.now
                mip.log = { line in printError("[\(formatFixed((ContinuousClock.now - began).seconds, decimals: 2)) s] GLPK: \(line)") }
            }
            mip.pseudocostBranching = !noPseudocost
            mip.nodeLagrangian = !noNodeBound
            if noCore { mip.coreShare = 0 }
            if let gap { mip.relativeGap = gap }
            outcome = MIPSolver.solve(design, options: mip)
        } else {
            outcome = PolishedHeuristic.solve(design, options: options, windowShare: noWindows ? 0 : 0.4)
        }
        if progressEnabled(quiet: quiet) { printError("") }
        let seconds = (ContinuousClock.now - start).seconds
        guard let plan = outcome.plan else {
            if json {
                print(JSONValue.object([
                    ("status", .string(outcome.status.rawValue)), ("travel", .null), ("bound", .null), ("gap", .null),
                    ("feasible", .bool(false)), ("k", .number(Double(design.k))), ("units", .number(Double(design.unitCount))),
                    ("seconds", .number(seconds)), ("balance", .object([])), ("noncontiguous", .null),
                    ("violations", .array(outcome.explanation.map { .string($0) })), ("solver", .string(outcome.solver)),
                ]).serialized)
            } else {
                print("Status: \(outcome.status.rawValue)")
                for line in outcome.explanation { print("  - " + line) }
            }
            throw ExitCode(1)
        }
        let evaluation = Evaluator.evaluate(plan, in: design)
        if let reported = outcome.reportedTravel, abs(reported - evaluation.travel) > 1e-6 * max(1, abs(evaluation.travel)) {
            printError("territory: internal error: the solver reported travel \(reported), the evaluator computes \(evaluation.travel)")
            throw ExitCode(3)
        }
        try Files.writeAtomically(planCSV(plan, units: design.units), to: out)
        let centersPath = centersOut ?? defaultCentersPath(out)
        try Files.writeAtomically(centersCSV(plan.centers, labels: plan.labels, units: design.units), to: centersPath)
        let feasible = outcome.status.hasFeasiblePlan && evaluation.feasible
        if let geojsonOut { try Files.writeAtomically(planGeoJSON(plan, units: design.units, shapes: design.shapes).serialized + "\n", to: geojsonOut) }
        if let report {
            var facts: [(String, String)] = [
                ("solver", outcome.solver), ("status", outcome.status.rawValue), ("seed", String(seed)),
                ("seconds", formatFixed(seconds, decimals: 2)), ("travel", fmt(evaluation.travel)),
            ]
            if let bound = outcome.bound {
                facts.append(("bound", fmt(bound)))
                if evaluation.travel > 0 { facts.append(("gap", pct((evaluation.travel - bound) / evaluation.travel))) }
            }
            facts.append(("feasible", feasible ? "yes" : "no"))
            let html = htmlReport(plan, problem: design, evaluation: evaluation,
                                  summary: ReportSummary(title: "Territories of \(design.name) (k = \(design.k))", facts: facts))
            try Files.writeAtomically(html, to: report)
        }
        var regionDesign: RegionDesign?
        if let regions {
            var bands = design.balance.filter { $0.tolerance != nil || $0.uniformCapacity != nil }
            if !regionBalance.isEmpty {
                bands = []
                for spec in regionBalance {
                    let (measure, value) = try problem.parseAssignment(spec, option: "--region-balance", problem: design)
                    bands.append(BalanceRequirement(measure: measure, tolerance: try problem.parseFraction(value, option: "--region-balance", spec: spec)))
                }
            }
            var regionOptions = options
            regionOptions.progress = nil
            regionOptions.timeLimit = .seconds(max(1, min(timeLimit / 4, 30)))
            let grouped = try designRegions(plan, in: design, regions: regions, balance: bands, contiguous: contiguousRegions, options: regionOptions)
            var writer = CSVWriter(header: ["territory", "region"])
            for (t, label) in plan.labels.enumerated() { writer.appendRow([label, grouped.labels[grouped.regionOfTerritory[t]]]) }
            try Files.writeAtomically(writer.bytes, to: regionsPath(out))
            regionDesign = grouped
        }
        var quotas: [QuotaShare]?
        if let quota {
            func measure(_ name: String, _ option: String) throws -> Int {
                guard let m = design.units.measureIndex(named: name) else { throw InputError(column: option, "unknown measure \"\(name)\"") }
                return m
            }
            guard let potential = try quotaMeasure.map({ try measure($0, "--quota-measure") }) ?? design.balance.first?.measure ?? (design.units.measures.isEmpty ? nil : 0) else {
                throw InputError(column: "--quota", "the units have no measure to split the quota by")
            }
            let history = try quotaHistory.map { try measure($0, "--quota-history") }
            quotas = splitQuota(quota, plan: plan, problem: design, potential: potential, history: history, blend: quotaBlend)
        }
        if json {
            let optionsJSON: JSONValue = .object([
                ("method", .string(method.rawValue)), ("seed", .number(Double(seed))), ("timeLimit", .number(timeLimit)),
                ("restarts", .number(Double(restarts))), ("seeding", .string(seeding.rawValue)), ("acceptance", .number(acceptance)),
                ("swaps", .bool(!noSwaps)), ("centerMoves", .bool(!noCenterMoves)), ("perturb", .bool(!noPerturb)),
            ])
            var counterFields: [(String, JSONValue)] = outcome.counters.fields.map { ($0.0, .number(Double($0.1))) }
            if outcome.solver == MIPSolver.name {
                counterFields.append(("fixedByReducedCost", .number(Double(outcome.fixedByReducedCost))))
                counterFields.append(("centersFixedByLagrangian", .number(Double(outcome.centersFixedByLagrangian))))
                counterFields.append(("assignmentsFixedByLagrangian", .number(Double(outcome.assignmentsFixedByLagrangian))))
                counterFields.append(("nodesRaisedByLagrangian", .number(Double(outcome.nodesRaisedByLagrangian))))
                counterFields.append(("nodesClosedByLagrangian", .number(Double(outcome.nodesClosedByLagrangian))))
                counterFields.append(("centersFixedInNodes", .number(Double(outcome.centersFixedInNodes))))
            }
            let counters: JSONValue = .object(counterFields)
            let report = reportJSON(evaluation, problem: design, summary: SolveSummary(
                status: outcome.status.rawValue, solver: outcome.solver, bound: outcome.bound, seconds: seconds,
                extra: [("firstFeasibleSeconds", JSONValue(outcome.firstFeasibleSeconds)), ("reportedTravel", JSONValue(outcome.reportedTravel)),
                        ("options", optionsJSON), ("counters", counters), ("explanation", .array(outcome.explanation.map { .string($0) })),
                        ("rawStatus", JSONValue(outcome.rawStatus)), ("plan", .string(out)), ("centers", .string(centersPath)),
                        ("regions", regionDesign.map { r in
                            .object([("status", .string(r.outcome.status.rawValue)), ("feasible", .bool(r.feasible)), ("file", .string(regionsPath(out))),
                                     ("territories", .object(plan.labels.enumerated().map { ($1, .string(r.labels[r.regionOfTerritory[$0]])) })),
                                     ("balance", .object(r.evaluation.balance.map { ($0.name, JSONValue($0.maxDeviation)) })),
                                     ("noncontiguous", JSONValue(r.evaluation.noncontiguous)),
                                     ("violations", .array(r.evaluation.violations.map { .string($0.message) }))])
                        } ?? .null),
                        ("quotas", quotas.map { list in .array(list.map { .object([("territory", .string($0.label)), ("share", .number($0.share)), ("quota", .number($0.quota))]) }) } ?? .null)]))
            print(report.serialized)
        } else {
            print(renderSolve(outcome, evaluation: evaluation, problem: design, seconds: seconds, seed: seed, planPath: out, centersPath: centersPath))
            if let regionDesign {
                print("")
                print("Regions (\(regionDesign.labels.count), status \(regionDesign.outcome.status.rawValue); \(regionsPath(out))):")
                for (r, label) in regionDesign.labels.enumerated() {
                    let members = plan.labels.indices.filter { regionDesign.regionOfTerritory[$0] == r }.map { plan.labels[$0] }
                    print("  \(label): \(members.joined(separator: ", "))")
                }
                print(renderEvaluation(regionDesign.evaluation, problem: regionDesign.regionProblem, title: "regions"))
                for line in regionDesign.outcome.explanation { print("  - " + line) }
            }
            if let quotas {
                print("")
                print(table(header: ["territory", "quota share", "quota"], rows: quotas.map { [$0.label, pct($0.share), fmt($0.quota)] },
                            rightAligned: [1, 2]).joined(separator: "\n"))
            }
        }
        if !feasible || regionDesign.map({ !$0.feasible }) == true { throw ExitCode(1) }
    }
}

/// `plan.csv` → `plan-regions.csv`.
func regionsPath(_ plan: String) -> String {
    if plan.hasSuffix(".csv") { return String(plan.dropLast(4)) + "-regions.csv" }
    return plan + "-regions.csv"
}

/// `plan.csv` → `plan-centers.csv`.
func defaultCentersPath(_ plan: String) -> String {
    if plan.hasSuffix(".csv") { return String(plan.dropLast(4)) + "-centers.csv" }
    return plan + "-centers.csv"
}

/// Prints at most a few progress lines per second to stderr.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLockLike()
    private var last = -1.0

    func show(_ p: SolveProgress) {
        lock.withLock {
            guard p.seconds - last >= 0.5 else { return }
            last = p.seconds
            let best = p.bestFeasibleTravel.map { "best feasible travel \(fmt($0))" } ?? "no feasible plan yet (excess \(fmt(p.excess)))"
            var stream = StandardError()
            stream.write("\r\u{1B}[K[\(formatFixed(p.seconds, decimals: 1)) s] restart \(p.restart + 1): \(p.phase), \(best)")
        }
    }
}

/// A tiny mutex over pthread (Foundation-free).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
