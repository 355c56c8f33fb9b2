import TerritoryCore

/// Reads this package's JSON problem format (documented in the README, section "File formats").
/// Errors name the JSON path of the bad value, e.g. `units[17].x`.
public func readProblemJSON(_ path: String) throws(InputError) -> DesignProblem {
    let json = try JSONValue.parse(Files.read(path), file: path)
    func fail(_ key: String, _ message: String) -> InputError { InputError(file: path, column: key, message) }
    guard json.object != nil else { throw InputError(file: path, "a problem must be a JSON object") }
    guard let unitList = json["units"]?.array, !unitList.isEmpty else { throw fail("units", "missing or empty array") }
    let metric: Metric
    if let name = json["metric"]?.string {
        guard let m = Metric(rawValue: name), m != .matrix else {
            throw fail("metric", "\"\(name)\" is not one of euclidean, euclidean-truncated, haversine")
        }
        metric = m
    } else {
        metric = .euclidean
    }
    let system: CoordinateSystem = metric == .haversine ? .geographic : .planar
    var ids: [String] = [], xs: [Double] = [], ys: [Double] = []
    var measureNames: [String] = []
    if let first = unitList[0]["measures"]?.object { measureNames = first.map(\.0) }
    var measureValues = [[Double]](repeating: [], count: measureNames.count)
    var weights: [Double]? = unitList.contains { $0["weight"] != nil } ? [] : nil
    var segments: [String]? = unitList.contains { $0["segment"] != nil } ? [] : nil
    var territories: [String]? = unitList.contains { $0["territory"] != nil } ? [] : nil
    var locked: [Bool]? = unitList.contains { $0["locked"] != nil } ? [] : nil
    for (n, unit) in unitList.enumerated() {
        let key = "units[\(n)]"
        guard unit.object != nil else { throw fail(key, "expected an object") }
        guard let id = unit["id"]?.string ?? unit["id"]?.number.map({ JSONValue.format($0) }) else {
            throw fail(key + ".id", "missing unit id")
        }
        guard let x = unit["x"]?.number else { throw fail(key + ".x", "missing number") }
        guard let y = unit["y"]?.number else { throw fail(key + ".y", "missing number") }
        ids.append(id)
        xs.append(x)
        ys.append(y)
        for (m, name) in measureNames.enumerated() {
            guard let v = unit["measures"]?[name]?.number else { throw fail(key + ".measures." + name, "missing number") }
            measureValues[m].append(v)
        }
        if weights != nil {
            guard let w = unit["weight"]?.number ?? (unit["weight"] == nil ? 1 : nil), w >= 0 else {
                throw fail(key + ".weight", "expected a number ≥ 0")
            }
            weights!.append(w)
        }
        if segments != nil { segments!.append(unit["segment"]?.string ?? "") }
        if territories != nil { territories!.append(unit["territory"]?.string ?? "") }
        if locked != nil { locked!.append(unit["locked"]?.bool ?? false) }
    }
    let units: UnitTable
    do {
        units = try UnitTable(
            ids: ids, coordinateSystem: system, x: xs, y: ys,
            measures: zip(measureNames, measureValues).map { Measure(name: $0.0, values: $0.1) },
            weights: weights, segments: segments, currentTerritory: territories, locked: locked)
    } catch {
        throw error.inFile(path)
    }
    var adjacency: Adjacency?
    if let pairs = json["adjacency"]?.array {
        var list: [(Int, Int)] = []
        for (n, pair) in pairs.enumerated() {
            guard let ends = pair.array, ends.count == 2, let a = ends[0].string, let b = ends[1].string else {
                throw fail("adjacency[\(n)]", "expected a pair of unit ids")
            }
            guard let i = units.index(of: a), let j = units.index(of: b) else {
                throw fail("adjacency[\(n)]", "unknown unit id in [\"\(a)\", \"\(b)\"]")
            }
            list.append((i, j))
        }
        adjacency = Adjacency(unitCount: units.count, pairs: list)
    }
    var specs: [TerritorySpec]?
    if let list = json["territories"]?.array {
        specs = []
        for (n, entry) in list.enumerated() {
            let key = "territories[\(n)]"
            guard let label = entry["label"]?.string else { throw fail(key + ".label", "missing string") }
            var center: Center?
            if let c = entry["center"] {
                if let id = c.string {
                    guard let u = units.index(of: id) else { throw fail(key + ".center", "unknown unit id \"\(id)\"") }
                    center = .unit(u)
                } else if let x = c["x"]?.number, let y = c["y"]?.number {
                    center = .point(Point(x: x, y: y))
                } else if !c.isNull {
                    throw fail(key + ".center", "expected a unit id or {\"x\", \"y\"}")
                }
            }
            let segments = entry["segments"]?.array?.compactMap(\.string)
            specs!.append(TerritorySpec(label: label, center: center, allowedSegments: segments))
        }
    }
    let k: Int
    if let kValue = json["k"]?.number {
        guard kValue == kValue.rounded(), kValue >= 1 else { throw fail("k", "expected a positive integer") }
        k = Int(kValue)
    } else {
        k = specs?.count ?? 0
    }
    var problem = DesignProblem(
        name: Files.baseName(path), units: units, distances: Distances(metric: metric, x: xs, y: ys),
        adjacency: adjacency, k: k, territories: specs,
        requiresContiguity: json["contiguous"]?.bool ?? false)
    if let specs, specs.count != k { throw fail("territories", "\(specs.count) territories for k = \(k)") }
    if let list = json["balance"]?.array {
        for (n, entry) in list.enumerated() {
            let key = "balance[\(n)]"
            guard let name = entry["measure"]?.string, let m = units.measureIndex(named: name) else {
                throw fail(key + ".measure", "not a measure of the units (\(measureNames.joined(separator: ", ")))")
            }
            var requirement = BalanceRequirement(measure: m, tolerance: entry["tolerance"]?.number)
            if let cap = entry["capacity"] {
                if let c = cap.number { requirement.capacities = Array(repeating: c, count: k) }
                else if let list = cap.array?.compactMap(\.number), list.count == k { requirement.capacities = list }
                else { throw fail(key + ".capacity", "expected a number or \(k) numbers") }
            }
            if let shares = entry["targetShares"]?.array {
                let values = shares.compactMap(\.number)
                guard values.count == k, values.allSatisfy({ $0 > 0 }) else {
                    throw fail(key + ".targetShares", "expected \(k) positive numbers")
                }
                let sum = values.reduce(0, +)
                requirement.targetShares = values.map { $0 / sum }
            }
            problem.balance.append(requirement)
        }
    }
    if let territories, territories.contains(where: { !$0.isEmpty }) {
        problem.baseline = planFromLabels(territories)
    }
    if let budget = json["maxMoved"] {
        problem.disruptionBudget = try parseDisruptionBudget(budget.string ?? budget.number.map { JSONValue.format($0) } ?? "", option: "maxMoved", units: problem.units)
            .mapError { $0.inFile(path) }.get()
    }
    return problem
}

/// Parses `N` (units), `P%` (percent of units) or `MEASURE=P%` (percent of a measure's total,
/// with `units` to resolve the name) as a disruption budget.
public func parseDisruptionBudget(_ text: String, option: String = "--max-moved", units: UnitTable? = nil) -> Result<DisruptionBudget, InputError> {
    let trimmed = text.trimmingSpaces
    if let eq = trimmed.firstIndex(of: "=") {
        let name = String(trimmed[..<eq]).trimmingSpaces
        let value = String(trimmed[trimmed.index(after: eq)...]).trimmingSpaces
        guard let units else { return .failure(InputError(column: option, "a budget on a measure needs units")) }
        guard let m = units.measureIndex(named: name) else {
            return .failure(InputError(column: option, "unknown measure \"\(name)\" (measures: \(units.measures.map(\.name).prefix(20).joined(separator: ", ")))"))
        }
        guard value.hasSuffix("%"), let p = Double(value.dropLast().trimmingSpaces), p.isFinite, p >= 0, p <= 100 else {
            return .failure(InputError(column: option, "\"\(text)\": a budget on a measure is MEASURE=P% with P between 0 and 100"))
        }
        return .success(.fractionOfMeasure(measure: m, fraction: p / 100))
    }
    if trimmed.hasSuffix("%") {
        guard let p = Double(trimmed.dropLast().trimmingSpaces), p.isFinite, p >= 0, p <= 100 else {
            return .failure(InputError(column: option, "\"\(text)\" is not a percentage between 0 % and 100 %"))
        }
        return .success(.fractionOfUnits(p / 100))
    }
    guard let n = Int(trimmed), n >= 0 else {
        return .failure(InputError(column: option, "\"\(text)\" is neither a unit count N ≥ 0, a percentage P% nor MEASURE=P%"))
    }
    return .success(.units(n))
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
