import TerritoryCore
import TerritoryIO
import TerritorySolving

/// A what-if scenario: the base data (units, adjacency, reps, today's plan) and the edits an
/// analyst wants to try, read from a JSON file (README, "What-if scenarios").
///
/// Paths in the file are relative to the file itself. `extends` names another scenario whose
/// keys are the defaults; keys given here win. Every error names the file and line of the key
/// that causes it.
public struct Scenario: Sendable {
    /// The scenario's name (`name`, else the file's base name).
    public var name: String
    /// The scenario file.
    public var file: String
    /// The design problem with every edit applied (k, reps, locks, moves, budget), validated.
    public var problem: DesignProblem
    /// `auto`, `heuristic` or `mip`.
    public var method: String
    public var timeLimitSeconds: Double
    public var seed: UInt64
    /// Where to write the plan (`out`, else `<scenario>-plan.csv` beside the scenario file).
    public var planPath: String
    /// A company quota to split across territories (see ``splitQuota(_:plan:problem:measure:)``).
    public var quota: Double?
    /// The measure that carries the quota (`quotaMeasure`, else the first balanced measure).
    public var quotaMeasure: Int?
    /// A history measure blended into the quota split (`quotaHistory`), with weight
    /// `1 − quotaBlend` (`quotaBlend` = weight of the potential, default 1).
    public var quotaHistory: Int?
    public var quotaBlend: Double
    /// Today's plan as read (before edits), to compare the result against.
    public var baseline: Plan?
    /// Units moved by hand (`moves`), as unit index and target label.
    public var manualMoves: [(unit: Int, to: String)]
}

/// Every key a scenario file may hold.
let scenarioKeys: [String] = [
    "name", "extends", "units", "adjacency", "metric", "instance", "format", "newUnits", "baseline", "reps",
    "removeReps", "addReps", "k", "balance", "capacity", "contiguous", "lockUnits", "lockTerritories", "moves",
    "maxMoved", "method", "timeLimit", "seed", "out", "quota", "quotaMeasure", "quotaHistory", "quotaBlend", "movePrice",
]

/// A scenario key's value with where it came from (the file it was written in, for paths and
/// error lines).
struct ScenarioEntry {
    var value: JSONValue
    var source: LocatedJSON
    var pointer: String

    func error(_ message: String, at sub: String = "") -> InputError {
        source.error(pointer + sub, column: String(pointer.dropFirst()), message)
    }

    /// A path value resolved against the directory of the file that holds it.
    func path() throws(InputError) -> String {
        guard let text = value.string, !text.isEmpty else { throw error("expected a file path (a string)") }
        return resolve(text, relativeTo: source.file)
    }

    func string() throws(InputError) -> String {
        guard let s = value.string else { throw error("expected a string") }
        return s
    }

    func number() throws(InputError) -> Double {
        guard let x = value.number, x.isFinite else { throw error("expected a number") }
        return x
    }

    func strings() throws(InputError) -> [(String, String)] {
        guard let items = value.array else { throw error("expected a list of strings") }
        var out: [(String, String)] = []
        for (i, item) in items.enumerated() {
            guard let s = item.string ?? item.number.map({ JSONValue.format($0) }) else { throw error("expected a string", at: "/\(i)") }
            out.append((s, "/\(i)"))
        }
        return out
    }
}

/// `path` relative to the directory of `file` (absolute paths unchanged).
func resolve(_ path: String, relativeTo file: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let slash = file.lastIndex(of: "/") else { return path }
    return String(file[...slash]) + path
}

/// Reads the scenario keys of `path` and of the scenarios it extends (cycles are an error).
func scenarioEntries(_ path: String, chain: [String] = []) throws(InputError) -> [String: ScenarioEntry] {
    guard !chain.contains(path) else {
        throw InputError(file: path, column: "extends", "scenarios extend each other in a cycle: \((chain + [path]).joined(separator: " → "))")
    }
    let located = try JSONValue.parseLocated(Files.read(path), file: path)
    guard let members = located.value.object else { throw InputError(file: path, line: 1, "a scenario is a JSON object") }
    var entries: [String: ScenarioEntry] = [:]
    if let (_, base) = members.first(where: { $0.0 == "extends" }) {
        let entry = ScenarioEntry(value: base, source: located, pointer: "/extends")
        entries = try scenarioEntries(entry.path(), chain: chain + [path])
        entries["name"] = nil
        entries["out"] = nil
    }
    var seen = Set<String>()
    for (key, value) in members {
        guard scenarioKeys.contains(key) else {
            throw located.error("/" + key, column: key, "unknown key \"\(key)\" (scenario keys: \(scenarioKeys.joined(separator: ", ")))")
        }
        guard seen.insert(key).inserted else { throw located.error("/" + key, column: key, "the key \"\(key)\" appears twice") }
        if key != "extends" { entries[key] = ScenarioEntry(value: value, source: located, pointer: "/" + key) }
    }
    return entries
}

/// Reads a scenario file and builds its problem (see ``Scenario``).
public func readScenario(_ path: String) throws(InputError) -> Scenario {
    let entries = try scenarioEntries(path)
    func entry(_ key: String) -> ScenarioEntry? { entries[key].flatMap { $0.value.isNull ? nil : $0 } }

    // Base data.
    var problem: DesignProblem
    if let units = entry("units") {
        if entry("instance") != nil { throw units.error("give either \"units\" or \"instance\", not both") }
        var options = UnitsCSVOptions()
        if let metric = entry("metric") {
            switch try metric.string() {
            case "haversine": options.coordinateSystem = .geographic
            case "euclidean": options.coordinateSystem = .planar
            default: throw metric.error("the metric is \"euclidean\" or \"haversine\"")
            }
        }
        var table = try readUnitsCSV(units.path(), options: options)
        if let newUnits = entry("newUnits") {
            var newOptions = options
            newOptions.coordinateSystem = table.coordinateSystem
            let file = try newUnits.path()
            table = try table.appending(readUnitsCSV(file, options: newOptions), file: file)
        }
        problem = DesignProblem(
            name: Files.baseName(path), units: table,
            distances: Distances(metric: table.coordinateSystem == .geographic ? .haversine : .euclidean, x: table.x, y: table.y), k: 0)
        if let adjacency = entry("adjacency") { problem.adjacency = try readAdjacencyCSV(adjacency.path(), units: table) }
        if let current = table.currentTerritory, current.contains(where: { !$0.isEmpty }) {
            problem.baseline = planFromLabels(current)
        }
    } else if let instance = entry("instance") {
        guard let format = entry("format") else { throw instance.error("\"instance\" needs \"format\"") }
        guard let parsed = InstanceFormat(rawValue: try format.string()) else {
            throw format.error("unknown format (one of \(InstanceFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        problem = try readInstance(instance.path(), format: parsed)
        problem.name = Files.baseName(path)
        if let newUnits = entry("newUnits") { throw newUnits.error("\"newUnits\" needs \"units\" (a units CSV)") }
    } else {
        throw InputError(file: path, line: 1, "the scenario names no data: give \"units\" (a units CSV) or \"instance\" and \"format\"")
    }
    if let baseline = entry("baseline") {
        problem.baseline = try readPlan(baseline.path(), for: problem)
    }
    let todaysPlan = problem.baseline

    // Territories: the reps file, else today's territories (vacancies), edited.
    var reps: [Rep] = []
    var repSource: String?
    if let repsEntry = entry("reps") {
        let file = try repsEntry.path()
        reps = try readRepsCSV(file, units: problem.units)
        repSource = "reps in \(file)"
    } else if let plan = todaysPlan, entry("removeReps") != nil || entry("addReps") != nil {
        reps = plan.labels.map { Rep(id: $0, name: $0, home: nil, fte: 1, skills: nil, capacities: [:], currentTerritory: nil) }
        repSource = "territories of today's plan"
    }
    if let remove = entry("removeReps") {
        guard repSource != nil else { throw remove.error("\"removeReps\" needs \"reps\" or \"baseline\"") }
        for (id, at) in try remove.strings() {
            guard let r = reps.firstIndex(where: { $0.id == id }) else {
                throw remove.error("unknown rep \"\(id)\" (\(repSource!): \(reps.prefix(12).map(\.id).joined(separator: ", "))\(reps.count > 12 ? ", …" : ""))", at: at)
            }
            reps.remove(at: r)
        }
    }
    if let add = entry("addReps") {
        guard let items = add.value.array else { throw add.error("expected a list of reps") }
        for (i, item) in items.enumerated() {
            let at = "/\(i)"
            guard let fields = item.object else { throw add.error("a rep is an object {\"id\": …}", at: at) }
            var rep = Rep(id: "", name: "", home: nil, fte: 1, skills: nil, capacities: [:], currentTerritory: nil)
            for (key, value) in fields {
                let sub = at + "/" + key
                switch key {
                case "id":
                    guard let id = value.string, !id.isEmpty else { throw add.error("a rep id is a non-empty string", at: sub) }
                    rep.id = id
                case "name": rep.name = value.string ?? ""
                case "home":
                    guard let xy = value.array, xy.count == 2, let x = xy[0].number, let y = xy[1].number else {
                        throw add.error("a home is [x, y] (or [lon, lat])", at: sub)
                    }
                    if problem.units.coordinateSystem == .geographic, abs(x) > 180 || abs(y) > 90 {
                        throw add.error("home [\(x), \(y)] is not [lon, lat]", at: sub)
                    }
                    rep.home = Point(x: x, y: y)
                case "fte":
                    guard let fte = value.number, fte > 0 else { throw add.error("FTE must be a positive number", at: sub) }
                    rep.fte = fte
                case "skills":
                    guard let list = value.array?.compactMap(\.string), list.count == value.array?.count else {
                        throw add.error("skills are a list of segment names", at: sub)
                    }
                    rep.skills = list
                case "capacity":
                    guard let caps = value.object else { throw add.error("capacity is {\"measure\": number}", at: sub) }
                    for (measure, cap) in caps {
                        guard problem.units.measureIndex(named: measure) != nil else {
                            throw add.error("\"\(measure)\" is not a measure of the units", at: sub + "/" + measure)
                        }
                        guard let c = cap.number, c >= 0 else { throw add.error("a capacity is a number ≥ 0", at: sub + "/" + measure) }
                        rep.capacities[measure] = c
                    }
                default:
                    throw add.error("unknown rep key \"\(key)\" (id, name, home, fte, skills, capacity)", at: sub)
                }
            }
            guard !rep.id.isEmpty else { throw add.error("a new rep needs an \"id\"", at: at) }
            if rep.name.isEmpty { rep.name = rep.id }
            guard !reps.contains(where: { $0.id == rep.id }) else { throw add.error("rep \"\(rep.id)\" already exists", at: at + "/id") }
            reps.append(rep)
        }
    }

    // Requirements.
    if let kEntry = entry("k") {
        let k = try kEntry.number()
        guard k >= 1, k == k.rounded() else { throw kEntry.error("k is a whole number ≥ 1") }
        if !reps.isEmpty && Int(k) != reps.count {
            throw kEntry.error("k = \(Int(k)) disagrees with the \(reps.count) reps of the scenario")
        }
        problem.setTerritoryCount(Int(k))
    }
    if let balance = entry("balance") {
        guard let specs = balance.value.object else { throw balance.error("balance is {\"measure\": \"5%\" or 0.05}") }
        for (name, value) in specs {
            guard let m = problem.units.measureIndex(named: name) else {
                throw balance.error("unknown measure \"\(name)\" (measures: \(problem.units.measures.map(\.name).joined(separator: ", ")))", at: "/" + name)
            }
            let text = value.string ?? value.number.map { JSONValue.format($0) } ?? ""
            guard let tolerance = parseTolerance(text) else {
                throw balance.error("\"\(text)\" is not a tolerance such as 0.05 or \"5%\"", at: "/" + name)
            }
            problem.setTolerance(tolerance, measure: m)
        }
    }
    if let capacity = entry("capacity") {
        guard let specs = capacity.value.object else { throw capacity.error("capacity is {\"measure\": number}") }
        for (name, value) in specs {
            guard let m = problem.units.measureIndex(named: name) else { throw capacity.error("unknown measure \"\(name)\"", at: "/" + name) }
            guard let cap = value.number, cap >= 0 else { throw capacity.error("a capacity is a number ≥ 0", at: "/" + name) }
            problem.setUniformCapacity(cap, measure: m)
        }
    }
    if let contiguous = entry("contiguous") {
        guard let flag = contiguous.value.bool else { throw contiguous.error("expected true or false") }
        if flag && problem.adjacency == nil { throw contiguous.error("contiguity needs an adjacency (\"adjacency\" file or an instance with one)") }
        problem.requiresContiguity = flag
    }
    if !reps.isEmpty { try problem.applyReps(reps, file: entries["reps"].flatMap { try? $0.path() }) }
    guard problem.k >= 1 else {
        throw InputError(file: path, line: 1, column: "k", "the scenario sets no number of territories: give \"k\", \"reps\" or a baseline with rep edits")
    }
    let labels = problem.territories.map(\.label)

    // Locks and manual moves, on top of today's plan.
    let n = problem.unitCount
    var current = problem.units.currentTerritory ?? Array(repeating: "", count: n)
    if let plan = problem.baseline {
        for i in 0..<n where i < plan.assignment.count && plan.assignment[i] >= 0 { current[i] = plan.labels[Int(plan.assignment[i])] }
    }
    var locked = problem.units.locked ?? Array(repeating: false, count: n)
    var lockLine = Array(repeating: "", count: n)
    if let lockUnits = entry("lockUnits") {
        for (id, at) in try lockUnits.strings() {
            guard let i = problem.units.index(of: id) else { throw lockUnits.error("unknown unit \"\(id)\"", at: at) }
            guard !current[i].isEmpty else { throw lockUnits.error("unit \"\(id)\" has no territory today, so it cannot be locked", at: at) }
            guard labels.contains(current[i]) else {
                throw lockUnits.error("unit \"\(id)\" is locked in territory \"\(current[i])\", which the scenario removes", at: at)
            }
            locked[i] = true
            lockLine[i] = "lockUnits" + at
        }
    }
    if let lockTerritories = entry("lockTerritories") {
        for (label, at) in try lockTerritories.strings() {
            guard labels.contains(label) else {
                let removed = todaysPlan?.labels.contains(label) ?? false
                throw lockTerritories.error(removed ? "territory \"\(label)\" is locked but the scenario removes it"
                    : "unknown territory \"\(label)\" (territories: \(labels.prefix(12).joined(separator: ", "))\(labels.count > 12 ? ", …" : ""))", at: at)
            }
            for i in 0..<n where current[i] == label {
                locked[i] = true
                if lockLine[i].isEmpty { lockLine[i] = "lockTerritories" + at }
            }
        }
    }
    var manualMoves: [(unit: Int, to: String)] = []
    if let moves = entry("moves") {
        guard let items = moves.value.array else { throw moves.error("moves are a list of {\"unit\": id, \"to\": territory}") }
        var movedHere = Set<Int>()
        for (m, item) in items.enumerated() {
            let at = "/\(m)"
            guard let id = item["unit"]?.string ?? item["unit"]?.number.map({ JSONValue.format($0) }), let to = item["to"]?.string else {
                throw moves.error("a move is {\"unit\": id, \"to\": territory}", at: at)
            }
            guard let i = problem.units.index(of: id) else { throw moves.error("unknown unit \"\(id)\"", at: at + "/unit") }
            guard labels.contains(to) else { throw moves.error("unknown territory \"\(to)\"", at: at + "/to") }
            guard movedHere.insert(i).inserted else { throw moves.error("unit \"\(id)\" is moved twice", at: at) }
            if locked[i] && current[i] != to {
                let where_ = lockLine[i].isEmpty ? "in the units file" : "by \(lockLine[i].split(separator: "/").first!) on line \(entries[String(lockLine[i].split(separator: "/").first!)]?.source.line("/" + lockLine[i]) ?? 0)"
                throw moves.error("unit \"\(id)\" is moved to \(to) but locked in \(current[i]) \(where_)", at: at)
            }
            current[i] = to
            locked[i] = true
            manualMoves.append((i, to))
        }
    }
    if locked.contains(true) {
        problem.units.currentTerritory = current
        problem.units.locked = locked
        // Locks that alone overfill a territory contradict the bands.
        for requirement in problem.balance {
            let values = problem.units.measures[requirement.measure].values
            let total = problem.units.measures[requirement.measure].total
            var lockedSum = Array(repeating: 0.0, count: problem.k)
            var firstLock = Array(repeating: -1, count: problem.k)
            for i in 0..<n where locked[i] {
                guard let t = labels.firstIndex(of: current[i]) else { continue }
                lockedSum[t] += values[i]
                if firstLock[t] < 0 && !lockLine[i].isEmpty { firstLock[t] = i }
            }
            for t in 0..<problem.k {
                let upper = requirement.upperBound(t, total: total, k: problem.k)
                guard lockedSum[t] > upper * (1 + 1e-12) else { continue }
                let message = "the units locked in \(labels[t]) hold \(JSONValue.format(lockedSum[t])) \(problem.units.measures[requirement.measure].name), more than its upper bound \(JSONValue.format(upper))"
                let key = firstLock[t] >= 0 ? String(lockLine[firstLock[t]].split(separator: "/").first!) : nil
                if let key, let entry = entries[key] {
                    throw entry.error(message, at: String(lockLine[firstLock[t]].dropFirst(key.count)))
                }
                throw InputError(file: path, message)
            }
        }
    }

    // Disruption budget.
    if let budget = entry("maxMoved") {
        guard problem.baseline != nil else { throw budget.error("a disruption budget needs today's plan (\"baseline\" or a territory column)") }
        let text = budget.value.string ?? budget.value.number.map { JSONValue.format($0) } ?? ""
        problem.disruptionBudget = try parseDisruptionBudget(text, option: "maxMoved", units: problem.units).mapError { budget.error($0.message) }.get()
        let (weights, allowed) = problem.disruptionBudget!.allowance(in: problem.units)
        let described = problem.disruptionBudget!.describe(in: problem.units)
        if let todaysPlan {
            let byHand = manualMoves.filter { move in
                move.unit >= todaysPlan.assignment.count || todaysPlan.assignment[move.unit] < 0
                    || todaysPlan.labels[Int(todaysPlan.assignment[move.unit])] != move.to
            }
            let weightByHand = byHand.reduce(0.0) { $0 + (weights?[$1.unit] ?? 1) }
            if weightByHand > allowed * (1 + 1e-9) + 1e-9 {
                throw budget.error("the budget allows \(described) to move but the scenario moves \(byHand.count) units by hand" + (weights == nil ? "" : " (\(fmtAmount(weightByHand)))"))
            }
        }
        if let needed = movesNeeded(problem), needed.atLeast > allowed * (1 + 1e-9) + 1e-9 {
            throw budget.error("the budget allows \(described) to move, the bands need at least \(needed.describe): \(needed.reasons.joined(separator: "; "))")
        }
    }

    if let price = entry("movePrice") {
        guard problem.baseline != nil else { throw price.error("a price per moved unit needs today's plan (\"baseline\" or a territory column)") }
        let value = try price.number()
        guard value >= 0 else { throw price.error("the price per moved unit is a number ≥ 0 (travel units)") }
        problem.disruptionPrice = value
    }

    // Run settings.
    var method = "auto"
    if let m = entry("method") {
        method = try m.string()
        guard ["auto", "heuristic", "mip"].contains(method) else { throw m.error("the method is auto, heuristic or mip") }
    }
    var timeLimit = 60.0
    if let t = entry("timeLimit") {
        timeLimit = try t.number()
        guard timeLimit > 0 else { throw t.error("the time limit is a positive number of seconds") }
    }
    var seed: UInt64 = 1
    if let s = entry("seed") {
        let x = try s.number()
        guard x >= 0, x == x.rounded(), x < 9e15 else { throw s.error("the seed is a whole number ≥ 0") }
        seed = UInt64(x)
    }
    var quota: Double?
    if let q = entry("quota") {
        quota = try q.number()
        guard quota! >= 0 else { throw q.error("the quota is a number ≥ 0") }
    }
    var quotaMeasure: Int? = problem.balance.first?.measure
    if let qm = entry("quotaMeasure") {
        let name = try qm.string()
        guard let m = problem.units.measureIndex(named: name) else { throw qm.error("unknown measure \"\(name)\"") }
        quotaMeasure = m
    }
    var quotaHistory: Int?
    if let qh = entry("quotaHistory") {
        let name = try qh.string()
        guard let m = problem.units.measureIndex(named: name) else { throw qh.error("unknown measure \"\(name)\"") }
        quotaHistory = m
    }
    var quotaBlend = 1.0
    if let qb = entry("quotaBlend") {
        quotaBlend = try qb.number()
        guard quotaBlend >= 0 && quotaBlend <= 1 else { throw qb.error("the blend (weight of the potential) lies in 0…1") }
        if quotaHistory == nil && quotaBlend < 1 { throw qb.error("a blend below 1 needs \"quotaHistory\"") }
    }
    let name = try entry("name")?.string() ?? Files.baseName(path)
    let planPath = try entry("out")?.path() ?? resolve(Files.baseName(path) + "-plan.csv", relativeTo: path)
    do {
        try problem.validate()
    } catch {
        throw error.inFile(path)
    }
    return Scenario(
        name: name, file: path, problem: problem, method: method, timeLimitSeconds: timeLimit, seed: seed,
        planPath: planPath, quota: quota, quotaMeasure: quotaMeasure, quotaHistory: quotaHistory, quotaBlend: quotaBlend, baseline: todaysPlan, manualMoves: manualMoves)
}

/// `0.05` or `5%` → 0.05; nil for anything else (negative, not a number).
public func parseTolerance(_ text: String) -> Double? {
    var s = Substring(text)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    let percent = s.hasSuffix("%")
    if percent { s.removeLast() }
    guard let x = Double(s), x.isFinite, x >= 0 else { return nil }
    return percent ? x / 100 : x
}
