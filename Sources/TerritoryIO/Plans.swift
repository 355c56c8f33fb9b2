import TerritoryCore

/// Reads a plan for `problem` from `path`, recognising the format by content:
///
/// - CSV `id,territory` (SPEC.md): one row per unit; an empty territory leaves the unit
///   unassigned; units missing from the file are unassigned.
/// - JSON written by this package: `{"territories": [{"label", "center"?}], "assignment": {id: label}}`.
/// - JSON solution files of the capacitated p-median benchmark (`nodes[i].median`, 0-based
///   unit positions): each median becomes a territory centered on it, labelled by its unit id.
/// - JSON districting plans (`nodes[].index` = unit position, `nodes[].district`).
///
/// Territories are numbered in order of first appearance. The result is not yet aligned to the
/// problem's k: call ``DesignProblem/align(_:file:)``.
public func readPlan(_ path: String, for problem: DesignProblem) throws(InputError) -> Plan {
    let data = try Files.read(path)
    let firstByte = data.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.first
    if firstByte == UInt8(ascii: "{") {
        return try readPlanJSON(JSONValue.parse(data, file: path), file: path, units: problem.units)
    }
    return try readPlanCSV(CSVDocument(data: data, file: path), units: problem.units)
}

/// Assigns territory indices to labels in order of first appearance.
struct LabelIndex {
    var labels: [String] = []
    var index: [String: Int32] = [:]

    mutating func callAsFunction(_ label: String) -> Int32 {
        if let t = index[label] { return t }
        let t = Int32(labels.count)
        labels.append(label)
        index[label] = t
        return t
    }
}

func readPlanCSV(_ csv: CSVDocument, units: UnitTable) throws(InputError) -> Plan {
    let file = csv.file
    let idColumn: Int, territoryColumn: Int
    if let i = csv.column(named: "id"), let t = csv.column(named: "territory") {
        idColumn = i; territoryColumn = t
    } else if csv.columnCount == 2 {
        idColumn = 0; territoryColumn = 1
    } else {
        throw InputError(file: file, line: 1, "a plan needs the columns id,territory; the header has: \(csv.header.joined(separator: ", "))")
    }
    var assignment = [Int32](repeating: -1, count: units.count)
    var seenLine = [Int32](repeating: 0, count: units.count)
    var labels = LabelIndex()
    for r in 0..<csv.recordCount {
        let id = try csv.string(r, idColumn)
        guard let i = units.index(of: id) else {
            throw InputError(file: file, line: csv.line(r), column: csv.header[idColumn], "unknown unit id \"\(id)\"")
        }
        guard seenLine[i] == 0 else {
            throw InputError(file: file, line: csv.line(r), column: csv.header[idColumn], "unit \"\(id)\" is assigned twice (first on line \(seenLine[i]))")
        }
        seenLine[i] = Int32(csv.line(r))
        let label = try csv.string(r, territoryColumn)
        if !label.isEmpty { assignment[i] = labels(label) }
    }
    return Plan(assignment: assignment, labels: labels.labels)
}

func readPlanJSON(_ json: JSONValue, file: String, units: UnitTable) throws(InputError) -> Plan {
    func fail(_ message: String) -> InputError { InputError(file: file, message) }
    if let assignment = json["assignment"] {
        // This package's own plan format.
        var labels = LabelIndex()
        var centers: [String: Center] = [:]
        if let territories = json["territories"] {
            guard let list = territories.array else { throw fail("\"territories\" must be an array") }
            for (n, entry) in list.enumerated() {
                guard let label = entry["label"]?.string else { throw fail("territories[\(n)]: missing string \"label\"") }
                _ = labels(label)
                if let c = entry["center"], !c.isNull {
                    guard let id = c.string, let u = units.index(of: id) else {
                        throw fail("territories[\(n)].center: unknown unit id")
                    }
                    centers[label] = .unit(u)
                } else if let x = entry["x"]?.number, let y = entry["y"]?.number {
                    centers[label] = .point(Point(x: x, y: y))
                }
            }
        }
        guard let members = assignment.object else { throw fail("\"assignment\" must be an object {unit id: territory label}") }
        var result = [Int32](repeating: -1, count: units.count)
        var seen = [Bool](repeating: false, count: units.count)
        for (id, value) in members {
            guard let i = units.index(of: id) else { throw fail("assignment: unknown unit id \"\(id)\"") }
            guard !seen[i] else { throw fail("assignment: unit \"\(id)\" appears twice") }
            seen[i] = true
            if value.isNull { continue }
            guard let label = value.string else { throw fail("assignment.\(id): territory must be a string") }
            result[i] = labels(label)
        }
        let centerList = labels.labels.map { centers[$0] }
        return Plan(assignment: result, labels: labels.labels, centers: centerList)
    }
    if json["type"]?.string == "FeatureCollection", let features = json["features"]?.array {
        // GeoJSON written by planGeoJSON (or any with "id" and "territory" properties).
        var labels = LabelIndex()
        var result = [Int32](repeating: -1, count: units.count)
        for (f, feature) in features.enumerated() {
            guard let properties = feature["properties"], properties["kind"]?.string != "territory" else { continue }
            guard let id = properties["id"]?.string ?? feature["id"]?.string else {
                throw InputError(file: file, column: "features[\(f)]", "missing property \"id\"")
            }
            guard let i = units.index(of: id) else { throw InputError(file: file, column: "features[\(f)]", "unknown unit id \"\(id)\"") }
            if let label = properties["territory"]?.string, !label.isEmpty { result[i] = labels(label) }
        }
        return Plan(assignment: result, labels: labels.labels)
    }
    guard let nodes = json["nodes"]?.array else {
        throw fail("not a plan: expected \"assignment\" (territory plan) or \"nodes\" (benchmark solution)")
    }
    var result = [Int32](repeating: -1, count: units.count)
    var labels = LabelIndex()
    var centerOf: [Int32: Center] = [:]
    let isMedianFormat = nodes.first?["median"] != nil
    for (n, node) in nodes.enumerated() {
        let position: Int
        if isMedianFormat {
            position = n
        } else {
            guard let index = node["index"]?.number, index == index.rounded(), index >= 0 else {
                throw fail("nodes[\(n)]: missing integer \"index\"")
            }
            position = Int(index)
        }
        guard position < units.count else {
            throw fail("nodes[\(n)]: unit position \(position) out of range (the problem has \(units.count) units)")
        }
        guard result[position] < 0 else { throw fail("nodes[\(n)]: unit at position \(position) appears twice") }
        if isMedianFormat {
            guard let m = node["median"]?.number, m == m.rounded(), m >= 0, Int(m) < units.count else {
                throw fail("nodes[\(n)].median: expected a unit position 0…\(units.count - 1)")
            }
            let t = labels(units.ids[Int(m)])
            result[position] = t
            centerOf[t] = .unit(Int(m))
        } else {
            guard let d = node["district"] else { throw fail("nodes[\(n)]: missing \"district\"") }
            let label: String
            if let x = d.number { label = JSONValue.format(x) } else if let s = d.string { label = s } else {
                throw fail("nodes[\(n)].district must be a number or string")
            }
            result[position] = labels(label)
        }
    }
    let centers = (0..<labels.labels.count).map { centerOf[Int32($0)] }
    return Plan(assignment: result, labels: labels.labels, centers: centers)
}

/// Reads territory centers for `plan`: CSV `territory,center` (a unit id) or `territory,x,y` /
/// `territory,lon,lat` (a point such as a rep's home). Unknown territories or ids are errors.
public func readCenters(_ path: String, into plan: Plan, units: UnitTable) throws(InputError) -> Plan {
    let csv = try CSVDocument(data: Files.read(path), file: path)
    guard let territoryColumn = csv.column(named: "territory") else {
        throw InputError(file: path, line: 1, column: "territory", "missing column")
    }
    let centerColumn = csv.column(named: "center")
    let xColumn = csv.column(named: "x") ?? csv.column(named: "lon") ?? csv.column(named: "longitude")
    let yColumn = csv.column(named: "y") ?? csv.column(named: "lat") ?? csv.column(named: "latitude")
    guard centerColumn != nil || (xColumn != nil && yColumn != nil) else {
        throw InputError(file: path, line: 1, "a centers file needs territory,center or territory,x,y (or lon,lat)")
    }
    var result = plan
    for r in 0..<csv.recordCount {
        let label = try csv.string(r, territoryColumn)
        guard let t = plan.labels.firstIndex(of: label) else {
            throw InputError(file: path, line: csv.line(r), column: csv.header[territoryColumn], "territory \"\(label)\" is not in the plan")
        }
        if let c = centerColumn, !csv.isEmpty(r, c) {
            let id = try csv.string(r, c)
            guard let u = units.index(of: id) else {
                throw InputError(file: path, line: csv.line(r), column: csv.header[c], "unknown unit id \"\(id)\"")
            }
            result.centers[t] = .unit(u)
        } else if let x = xColumn, let y = yColumn {
            result.centers[t] = .point(Point(x: try csv.number(r, x), y: try csv.number(r, y)))
        }
    }
    return result
}

/// The plan as CSV `id,territory` in unit order (unassigned units get an empty territory).
public func planCSV(_ plan: Plan, units: UnitTable) -> [UInt8] {
    var writer = CSVWriter(header: ["id", "territory"])
    for i in 0..<units.count {
        let t = Int(plan.assignment[i])
        writer.appendRow([units.ids[i], t >= 0 ? plan.labels[t] : ""])
    }
    return writer.bytes
}

/// The centers as CSV: `territory,center` when every center is a unit, else
/// `territory,center,x,y` with the point's coordinates (and the unit id where there is one).
public func centersCSV(_ centers: [Center?], labels: [String], units: UnitTable) -> [UInt8] {
    let allUnits = centers.allSatisfy { if case .point = $0 { return false } else { return true } }
    var writer = CSVWriter(header: allUnits ? ["territory", "center"] : ["territory", "center", "x", "y"])
    for (t, center) in centers.enumerated() {
        switch center {
        case .unit(let u)?:
            if allUnits {
                writer.appendRow([labels[t], units.ids[u]])
            } else {
                let p = units.hasCoordinates ? [String(units.x[u]), String(units.y[u])] : ["", ""]
                writer.appendRow([labels[t], units.ids[u]] + p)
            }
        case .point(let p)?:
            writer.appendRow([labels[t], "", String(p.x), String(p.y)])
        case nil:
            writer.appendRow(allUnits ? [labels[t], ""] : [labels[t], "", "", ""])
        }
    }
    return writer.bytes
}

/// The plan in this package's JSON plan format.
public func planJSON(_ plan: Plan, units: UnitTable) -> JSONValue {
    let territories: [JSONValue] = (0..<plan.k).map { t in
        var members: [(String, JSONValue)] = [("label", .string(plan.labels[t]))]
        switch plan.centers[t] {
        case .unit(let u)?: members.append(("center", .string(units.ids[u])))
        case .point(let p)?: members += [("x", .number(p.x)), ("y", .number(p.y))]
        case nil: break
        }
        return .object(members)
    }
    let assignment: [(String, JSONValue)] = (0..<units.count).map { i in
        let t = Int(plan.assignment[i])
        return (units.ids[i], t >= 0 ? .string(plan.labels[t]) : .null)
    }
    return .object([("territories", .array(territories)), ("assignment", .object(assignment))])
}
