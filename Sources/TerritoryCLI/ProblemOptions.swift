import ArgumentParser
import TerritoryDesign

extension InstanceFormat: ExpressibleByArgument {}

/// The problem a command works on (SPEC.md): `--units FILE.csv [--adjacency FILE.csv]
/// [--metric M]` or `--instance FILE --format F`, plus k and the requirements.
struct ProblemOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Units CSV: id, coordinates (x,y or lon,lat) and measures.", valueName: "file"))
    var units: String?

    @Option(help: ArgumentHelp("Adjacency CSV: one pair of unit ids per row (header row first).", valueName: "file"))
    var adjacency: String?

    @Option(help: ArgumentHelp("Distance for --units: euclidean or haversine (default: haversine for lon/lat columns, else euclidean).", valueName: "metric"))
    var metric: String?

    @Option(help: ArgumentHelp("A benchmark or problem file (see --format).", valueName: "file"))
    var instance: String?

    @Option(help: ArgumentHelp("Format of --instance: \(InstanceFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var format: InstanceFormat?

    @Option(name: .customLong("k"), help: ArgumentHelp("Number of territories (default: from the instance file or the plan).", valueName: "k"))
    var k: Int?

    @Option(name: .customLong("balance"), help: ArgumentHelp("Balance a measure within a tolerance, e.g. workload=0.05 or workload=5%. Repeatable.", valueName: "measure=tol"))
    var balance: [String] = []

    @Option(name: .customLong("capacity"), help: ArgumentHelp("Cap a measure per territory, e.g. demand=120. Repeatable.", valueName: "measure=cap"))
    var capacity: [String] = []

    @Flag(help: "Require every territory to be connected in the adjacency graph.")
    var contiguous = false

    @Option(help: ArgumentHelp("Reps CSV: id, home (x,y or lon,lat; empty = vacancy), fte, skills (a;b), territory, capacity_<measure>. Sets k.", valueName: "file"))
    var reps: String?

    @Option(help: ArgumentHelp("Today's plan (CSV id,territory), for disruption and what-if budgets.", valueName: "plan"))
    var baseline: String?

    @Option(name: .customLong("max-moved"), help: ArgumentHelp("Disruption budget against the baseline: N units, P% of the units, or MEASURE=P% of a measure.", valueName: "N|P%|M=P%"))
    var maxMoved: String?

    @Option(name: .customLong("move-price"), help: ArgumentHelp("Charge this much travel per unit that leaves its baseline territory (a soft disruption objective; heuristic).", valueName: "travel"))
    var movePrice: Double?

    @Option(name: .customLong("id-column"), help: ArgumentHelp("Units CSV column holding unit ids.", valueName: "name"))
    var idColumn = "id"

    @Option(name: .customLong("x-column"), help: ArgumentHelp("Units CSV column holding x or longitude.", valueName: "name"))
    var xColumn: String?

    @Option(name: .customLong("y-column"), help: ArgumentHelp("Units CSV column holding y or latitude.", valueName: "name"))
    var yColumn: String?

    @Option(name: .customLong("measures"), help: ArgumentHelp("Comma-separated measure columns (default: every numeric column).", valueName: "a,b"))
    var measureList: String?

    @Option(name: .customLong("weight-column"), help: ArgumentHelp("Units CSV column of visit weights multiplying travel.", valueName: "name"))
    var weightColumn: String?

    func validate() throws {
        guard (units == nil) != (instance == nil) else {
            throw ValidationError("give exactly one of --units FILE.csv or --instance FILE --format F")
        }
        if instance != nil && format == nil {
            throw ValidationError("--instance needs --format (\(InstanceFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if units == nil && (adjacency != nil || metric != nil) {
            throw ValidationError("--adjacency and --metric go with --units")
        }
        if let metric, !["euclidean", "haversine"].contains(metric) {
            throw ValidationError("--metric must be euclidean or haversine, not \"\(metric)\"")
        }
        if let k, k < 1 { throw ValidationError("--k must be at least 1 (got \(k))") }
        if maxMoved != nil && baseline == nil && units == nil {
            throw ValidationError("--max-moved needs a baseline (--baseline PLAN.csv)")
        }
    }

    /// Loads the problem. k is 0 when neither `--k` nor the file sets it (the caller decides).
    func load() throws -> DesignProblem {
        var problem: DesignProblem
        if let units {
            var options = UnitsCSVOptions()
            options.idColumn = idColumn
            options.xColumn = xColumn
            options.yColumn = yColumn
            options.weightColumn = weightColumn
            options.measures = measureList.map { $0.split(separator: ",").map { String($0).trimmed } }
            if metric == "haversine" { options.coordinateSystem = .geographic }
            if metric == "euclidean" { options.coordinateSystem = .planar }
            let table = try readUnitsCSV(units, options: options)
            let distanceMetric: Metric = table.coordinateSystem == .geographic ? .haversine : .euclidean
            problem = DesignProblem(
                name: Files.baseName(units), units: table,
                distances: Distances(metric: distanceMetric, x: table.x, y: table.y), k: 0)
            if let adjacency { problem.adjacency = try readAdjacencyCSV(adjacency, units: table) }
            if let current = table.currentTerritory, current.contains(where: { !$0.isEmpty }) {
                problem.baseline = planFromLabels(current)
            }
        } else {
            problem = try readInstance(instance!, format: format!)
        }
        if let k { problem.setTerritoryCount(k) }
        for spec in balance {
            let (measure, value) = try parseAssignment(spec, option: "--balance", problem: problem)
            let tolerance = try parseFraction(value, option: "--balance", spec: spec)
            problem.setTolerance(tolerance, measure: measure)
        }
        for spec in capacity {
            let (measure, value) = try parseAssignment(spec, option: "--capacity", problem: problem)
            guard let cap = Double(value), cap.isFinite, cap >= 0 else {
                throw InputError(column: "--capacity", "\"\(spec)\": the capacity must be a number ≥ 0")
            }
            problem.setUniformCapacity(cap, measure: measure)
        }
        if contiguous { problem.requiresContiguity = true }
        if let baseline {
            let plan = try readPlan(baseline, for: problem)
            problem.baseline = plan
        }
        if let reps {
            if let k, k != 0 {
                let count = try readRepsCSV(reps, units: problem.units).count
                guard count == k else { throw InputError(column: "--k", "--k \(k) disagrees with the \(count) reps in \(reps)") }
            }
            try problem.applyReps(readRepsCSV(reps, units: problem.units), file: reps)
        }
        if let maxMoved { problem.disruptionBudget = try parseDisruptionBudget(maxMoved, units: problem.units).get() }
        if let movePrice { problem.disruptionPrice = movePrice }
        return problem
    }

    func parseAssignment(_ spec: String, option: String, problem: DesignProblem) throws -> (Int, String) {
        let parts = spec.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw InputError(column: option, "\"\(spec)\" should look like MEASURE=VALUE")
        }
        guard let m = problem.units.measureIndex(named: parts[0]) else {
            let names = problem.units.measures.map(\.name)
            let list = names.isEmpty ? "the units have no measures" : "measures: " + names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", …" : "")
            throw InputError(column: option, "unknown measure \"\(parts[0])\" (\(list))")
        }
        return (m, parts[1])
    }

    func parseFraction(_ value: String, option: String, spec: String) throws -> Double {
        guard let number = parseTolerance(value) else {
            throw InputError(column: option, "\"\(spec)\": the tolerance must be a number ≥ 0 such as 0.05 or 5%")
        }
        return number
    }
}

extension StringProtocol {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
