import Foundation
import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritoryIO
import TerritorySolving
import TerritoryMIP

/// A named solver configuration, so variants can be compared side by side:
/// `heuristic`, then modifiers joined by `:` (`no-swaps`, `no-perturb`, `stop-when-stalled`, `no-center-moves`, `no-chains`, `no-windows`,
/// `kmeans++`, `bisection`, `restarts=N`, `acceptance=X`), `kmeans-only` (seeding and the
/// balanced assignment, no local search), or `mip` (modifiers `no-center-branching`,
/// `no-lagrangian`, `no-node-bound`, `cuts`, `no-portfolio`).
public struct BenchmarkMethod: Sendable, Hashable {
    public let name: String
    /// Whether this is the exact path (`mip`), else the heuristic.
    public let exact: Bool
    let configure: @Sendable (inout HeuristicOptions) -> Void
    let configureMIP: @Sendable (inout MIPOptions) -> Void
    /// Share of the time for the MIP window search after the heuristic (0: none).
    public let windowShare: Double

    public static func == (l: BenchmarkMethod, r: BenchmarkMethod) -> Bool { l.name == r.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    public static func parse(_ name: String) throws(InputError) -> BenchmarkMethod {
        let parts = name.split(separator: ":").map(String.init)
        guard let base = parts.first else { throw InputError(column: "--methods", "empty method name") }
        var steps: [@Sendable (inout HeuristicOptions) -> Void] = []
        var mipSteps: [@Sendable (inout MIPOptions) -> Void] = []
        var exact = false
        var windowShare = 0.4
        switch base {
        case "heuristic": break
        case "mip": exact = true
        case "kmeans-only":
            steps.append { $0.localSearch = false; $0.seeding = .kmeansPlusPlus }
            windowShare = 0
        default:
            throw InputError(column: "--methods", "unknown method \"\(base)\" (heuristic, kmeans-only, mip)")
        }
        for modifier in parts.dropFirst() {
            switch modifier {
            case "no-swaps": steps.append { $0.useSwaps = false }
            case "no-windows": windowShare = 0
            case "no-chains": steps.append { $0.cyclicExchange = false }
            case "no-perturb": steps.append { $0.perturb = false }
            case "stop-when-stalled": steps.append { $0.restartUntilFeasible = false }
            case "no-center-moves": steps.append { $0.useCenterMoves = false }
            case "no-center-branching" where exact: mipSteps.append { $0.branchOnCentersFirst = false }
            case "no-lagrangian" where exact: mipSteps.append { $0.lagrangian = false }
            case "no-node-bound" where exact: mipSteps.append { $0.nodeLagrangian = false }
            case "cuts" where exact: mipSteps.append { $0.cuts = .on }
            case "no-cuts" where exact: mipSteps.append { $0.cuts = .off }
            case "no-portfolio" where exact: mipSteps.append { $0.portfolio = false }
            case "no-core" where exact: mipSteps.append { $0.coreShare = 0 }
            case "kmeans++": steps.append { $0.seeding = .kmeansPlusPlus }
            case "bisection": steps.append { $0.seeding = .bisection }
            default:
                if modifier.hasPrefix("restarts="), let r = Int(modifier.dropFirst(9)), r >= 1 {
                    steps.append { $0.restarts = r }
                } else if modifier.hasPrefix("acceptance="), let a = Double(modifier.dropFirst(11)), a >= 0, a < 1 {
                    steps.append { $0.acceptance = a }
                } else {
                    throw InputError(column: "--methods", "unknown modifier \"\(modifier)\" in \"\(name)\"")
                }
            }
        }
        let all = steps, allMIP = mipSteps
        return BenchmarkMethod(name: name, exact: exact, configure: { options in for step in all { step(&options) } },
                               configureMIP: { options in for step in allMIP { step(&options) } }, windowShare: windowShare)
    }
}

/// One row of results: an instance solved (or a plan scored) by one method and seed.
public struct BenchmarkRow: Sendable {
    public var suite: String
    public var instance: String
    public var units: Int?
    public var k: Int?
    public var reference: Double?
    public var referenceStatus: String
    public var method: String
    public var seed: UInt64?
    /// Solver status, or `error` (the row could not run) or `mismatch` (solver and evaluator
    /// disagree: a bug).
    public var status: String
    public var travel: Double?
    public var bound: Double?
    public var maxDeviation: Double?
    public var feasible: Bool
    public var seconds: Double?
    public var cpuSeconds: Double?
    public var firstFeasibleSeconds: Double?
    public var message: String?

    /// (travel − reference) / reference.
    public var gap: Double? {
        guard let travel, let reference, reference != 0 else { return nil }
        return (travel - reference) / reference
    }

    /// (travel − bound) / travel.
    public var provenGap: Double? {
        guard let travel, let bound, travel > 0 else { return nil }
        return (travel - bound) / travel
    }

    /// Whether the travel equals the reference to the reference's printed precision.
    public var atReference: Bool {
        guard let travel, let reference else { return false }
        return travel <= reference + max(0.005, 1e-9 * abs(reference))
    }

    public var failed: Bool { status == "error" || status == "mismatch" }

    public var json: JSONValue {
        .object([
            ("suite", .string(suite)), ("instance", .string(instance)), ("units", JSONValue(units)), ("k", JSONValue(k)),
            ("reference", JSONValue(reference)), ("referenceStatus", .string(referenceStatus)), ("method", .string(method)),
            ("seed", seed.map { .number(Double($0)) } ?? .null), ("status", .string(status)), ("travel", JSONValue(travel)),
            ("gap", JSONValue(gap)), ("bound", JSONValue(bound)), ("provenGap", JSONValue(provenGap)),
            ("maxDeviation", JSONValue(maxDeviation)), ("feasible", .bool(feasible)), ("seconds", JSONValue(seconds)),
            ("cpuSeconds", JSONValue(cpuSeconds)), ("firstFeasibleSeconds", JSONValue(firstFeasibleSeconds)),
            ("message", JSONValue(message)),
        ])
    }

    public init(json: JSONValue) {
        suite = json["suite"]?.string ?? ""
        instance = json["instance"]?.string ?? ""
        units = json["units"]?.number.map { Int($0) }
        k = json["k"]?.number.map { Int($0) }
        reference = json["reference"]?.number
        referenceStatus = json["referenceStatus"]?.string ?? ""
        method = json["method"]?.string ?? ""
        seed = json["seed"]?.number.map { UInt64($0) }
        status = json["status"]?.string ?? ""
        travel = json["travel"]?.number
        bound = json["bound"]?.number
        maxDeviation = json["maxDeviation"]?.number
        feasible = json["feasible"]?.bool ?? false
        seconds = json["seconds"]?.number
        cpuSeconds = json["cpuSeconds"]?.number
        firstFeasibleSeconds = json["firstFeasibleSeconds"]?.number
        message = json["message"]?.string
    }

    init(entry: BenchmarkEntry, method: String, seed: UInt64?) {
        suite = entry.suite
        instance = entry.instance
        reference = entry.reference
        referenceStatus = entry.referenceStatus
        self.method = method
        self.seed = seed
        status = "error"
        feasible = false
    }
}

/// Runs methods × instances × seeds, writing every plan to disk and scoring it from the file
/// with the evaluation module, so each reported figure is the evaluator's.
public struct BenchmarkRunner: Sendable {
    public var dataDirectory: String
    /// Where plans are written (`<output>/plans/<method>/<instance>-s<seed>.csv`).
    public var outputDirectory: String
    public var methods: [BenchmarkMethod]
    public var seeds: [UInt64] = [1]
    /// Per-run time limit when the manifest gives none.
    public var defaultTimeLimit: Double = 60
    /// Scale every manifest time limit by this factor (quick smoke runs use < 1).
    public var timeScale: Double = 1
    /// Runs executed at once (each heuristic run already uses every core for its restarts).
    public var jobs = 1
    public var progress: (@Sendable (String) -> Void)?
    /// Heuristic rows: also compute a Lagrangian lower bound (instances up to this many units;
    /// 0 = never), so the row shows a proven gap.
    public var boundUpTo = 0
    /// Seconds for each Lagrangian bound.
    public var boundSeconds = 30.0

    public init(dataDirectory: String, outputDirectory: String, methods: [BenchmarkMethod]) {
        self.dataDirectory = dataDirectory
        self.outputDirectory = outputDirectory
        self.methods = methods
    }

    public func run(_ entries: [BenchmarkEntry]) -> [BenchmarkRow] {
        var tasks: [(BenchmarkEntry, BenchmarkMethod, UInt64)] = []
        for entry in entries { for method in methods { for seed in seeds { tasks.append((entry, method, seed)) } } }
        if jobs <= 1 {
            return tasks.enumerated().map { number, task in
                progress?("[\(number + 1)/\(tasks.count)] \(task.0.suite)/\(task.0.instance) \(task.1.name) seed \(task.2)")
                return runOne(task.0, task.1, task.2)
            }
        }
        // Parallel: chunks of `jobs` tasks at a time, results in task order.
        var rows: [BenchmarkRow] = []
        var index = 0
        while index < tasks.count {
            let batch = Array(tasks[index..<min(tasks.count, index + jobs)])
            progress?("[\(index + 1)–\(index + batch.count)/\(tasks.count)] " + batch.map { "\($0.0.instance) \($0.1.name)" }.joined(separator: ", "))
            rows += parallelMap(batch.count) { runOne(batch[$0].0, batch[$0].1, batch[$0].2) }
            index += batch.count
        }
        return rows
    }

    func runOne(_ entry: BenchmarkEntry, _ method: BenchmarkMethod, _ seed: UInt64) -> BenchmarkRow {
        var row = BenchmarkRow(entry: entry, method: method.name, seed: seed)
        let problem: DesignProblem
        do {
            problem = try entry.loadProblem(dataDirectory: dataDirectory)
        } catch {
            row.message = "manifest line \(entry.line): \(error)"
            return row
        }
        row.units = problem.unitCount
        row.k = problem.k
        var options = HeuristicOptions()
        options.seed = seed
        options.timeLimit = .milliseconds(Int64(((entry.timeLimitSeconds ?? defaultTimeLimit) * timeScale * 1000).rounded()))
        method.configure(&options)
        let cpuBefore = processCPUSeconds()
        let outcome: SolveOutcome
        if method.exact {
            var mip = MIPOptions()
            mip.seed = seed
            mip.timeLimit = options.timeLimit
            method.configureMIP(&mip)
            outcome = MIPSolver.solve(problem, options: mip)
        } else {
            outcome = PolishedHeuristic.solve(problem, options: options, windowShare: method.windowShare)
        }
        row.cpuSeconds = processCPUSeconds() - cpuBefore
        row.seconds = outcome.seconds
        row.firstFeasibleSeconds = outcome.firstFeasibleSeconds
        row.status = outcome.status.rawValue
        row.bound = outcome.bound
        guard let plan = outcome.plan else {
            row.message = outcome.explanation.first
            return row
        }
        // Write the plan, read it back, evaluate what is on disk.
        let directory = outputDirectory + "/plans/" + sanitize(method.name)
        let planPath = directory + "/" + sanitize(entry.instance) + "-s\(seed).csv"
        let centersPath = directory + "/" + sanitize(entry.instance) + "-s\(seed)-centers.csv"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Files.writeAtomically(planCSV(plan, units: problem.units), to: planPath)
            try Files.writeAtomically(centersCSV(plan.centers, labels: plan.labels, units: problem.units), to: centersPath)
            var reread = try readPlan(planPath, for: problem)
            reread = try readCenters(centersPath, into: reread, units: problem.units)
            let evaluation = Evaluator.evaluate(try problem.align(reread, file: planPath), in: problem)
            record(evaluation, problem: problem, into: &row)
            if let reported = outcome.reportedTravel, abs(reported - evaluation.travel) > 1e-6 * max(1, abs(evaluation.travel)) {
                row.status = "mismatch"
                row.message = "the solver reported travel \(reported), the evaluator computes \(evaluation.travel) from \(planPath)"
            } else if !outcome.status.hasFeasiblePlan {
                row.message = outcome.explanation.first
            }
            if !method.exact, row.feasible, problem.unitCount <= boundUpTo, let travel = row.travel {
                let bound = LagrangianBound.compute(problem, upperBound: travel, timeLimit: .milliseconds(Int64(boundSeconds * 1000)))
                if bound.bound.isFinite { row.bound = bound.bound }
            }
        } catch {
            row.status = "error"
            row.message = "\(error)"
        }
        return row
    }

    /// Rows for plans made by other tools: `<directory>/<tool>/<instance>.csv` (optional
    /// `<instance>-centers.csv`), scored with the same evaluator.
    public func scoreExternalPlans(in directory: String, entries: [BenchmarkEntry]) -> [BenchmarkRow] {
        let tools = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().filter { tool in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + tool, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        var rows: [BenchmarkRow] = []
        for entry in entries {
            for tool in tools {
                let planPath = directory + "/" + tool + "/" + entry.instance + ".csv"
                guard FileManager.default.fileExists(atPath: planPath) else { continue }
                var row = BenchmarkRow(entry: entry, method: tool, seed: nil)
                do {
                    let problem = try entry.loadProblem(dataDirectory: dataDirectory)
                    row.units = problem.unitCount
                    row.k = problem.k
                    var plan = try readPlan(planPath, for: problem)
                    let centersPath = directory + "/" + tool + "/" + entry.instance + "-centers.csv"
                    if FileManager.default.fileExists(atPath: centersPath) {
                        plan = try readCenters(centersPath, into: plan, units: problem.units)
                    }
                    let evaluation = Evaluator.evaluate(try problem.align(plan, file: planPath), in: problem)
                    record(evaluation, problem: problem, into: &row)
                    row.status = evaluation.feasible ? "feasible" : "infeasible"
                } catch {
                    row.message = "\(error)"
                }
                rows.append(row)
            }
        }
        return rows
    }

    func record(_ evaluation: Evaluation, problem: DesignProblem, into row: inout BenchmarkRow) {
        row.travel = evaluation.travel
        row.feasible = evaluation.feasible
        let deviations = problem.balance.compactMap { evaluation.balance[$0.measure].maxDeviation }
        row.maxDeviation = deviations.max()
    }
}

/// File-name-safe form of a method or instance name.
func sanitize(_ name: String) -> String {
    String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." || $0 == "+" ? $0 : "_" })
}

/// CPU seconds (user + system) used by this process so far.
public func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}
