import TerritoryCore

/// A sales rep: one territory of the design.
public struct Rep: Sendable, Hashable {
    /// The territory label (the rep's id).
    public var id: String
    public var name: String
    /// Home (fixed center); nil for a vacancy, whose center is free (the medoid).
    public var home: Point?
    /// Share of every balanced measure's target (FTE); 1 = a full territory.
    public var fte: Double
    /// Segments the rep may serve; nil = every segment.
    public var skills: [String]?
    /// Capacity per measure name.
    public var capacities: [String: Double]
    /// The label of the rep's territory in today's plan, if it differs from `id`.
    public var currentTerritory: String?

    public init(id: String, name: String? = nil, home: Point? = nil, fte: Double = 1, skills: [String]? = nil,
                capacities: [String: Double] = [:], currentTerritory: String? = nil) {
        self.id = id
        self.name = name ?? id
        self.home = home
        self.fte = fte
        self.skills = skills
        self.capacities = capacities
        self.currentTerritory = currentTerritory
    }
}

/// Reads a reps CSV: `id` (required), `name`, home coordinates in the units' system (`x`,`y` or
/// `lon`,`lat`; empty for a vacancy), `fte` (default 1), `skills` (segments separated by `;`),
/// `territory` (the rep's territory label in today's plan) and `capacity_<measure>` columns.
public func readRepsCSV(_ path: String, units: UnitTable) throws(InputError) -> [Rep] {
    let csv = try CSVDocument(data: Files.read(path), file: path)
    guard let idColumn = csv.column(named: "id") else { throw InputError(file: path, line: 1, column: "id", "missing column") }
    guard csv.recordCount > 0 else { throw InputError(file: path, "no reps below the header") }
    let geographic = units.coordinateSystem == .geographic
    let xColumn = geographic ? (csv.column(named: "lon") ?? csv.column(named: "longitude") ?? csv.column(named: "x")) : (csv.column(named: "x") ?? csv.column(named: "lon"))
    let yColumn = geographic ? (csv.column(named: "lat") ?? csv.column(named: "latitude") ?? csv.column(named: "y")) : (csv.column(named: "y") ?? csv.column(named: "lat"))
    let nameColumn = csv.column(named: "name"), fteColumn = csv.column(named: "fte"), skillsColumn = csv.column(named: "skills")
    let territoryColumn = csv.column(named: "territory")
    var capacityColumns: [(Int, String)] = []
    for (c, header) in csv.header.enumerated() where header.lowercased().hasPrefix("capacity_") {
        let measure = String(header.dropFirst("capacity_".count))
        guard units.measureIndex(named: measure) != nil else {
            throw InputError(file: path, line: 1, column: header, "\"\(measure)\" is not a measure of the units")
        }
        capacityColumns.append((c, measure))
    }
    var reps: [Rep] = []
    var seen: [String: Int] = [:]
    for r in 0..<csv.recordCount {
        let line = csv.line(r)
        let id = try csv.string(r, idColumn)
        guard !id.isEmpty else { throw InputError(file: path, line: line, column: "id", "empty rep id") }
        if let first = seen.updateValue(line, forKey: id) {
            throw InputError(file: path, line: line, column: "id", "duplicate rep id \"\(id)\" (first on line \(first))")
        }
        var home: Point?
        if let x = xColumn, let y = yColumn, !csv.isEmpty(r, x) || !csv.isEmpty(r, y) {
            home = Point(x: try csv.number(r, x), y: try csv.number(r, y))
            if geographic, abs(home!.x) > 180 || abs(home!.y) > 90 {
                throw InputError(file: path, line: line, column: csv.header[x], "home \(home!.x), \(home!.y) is not a longitude/latitude")
            }
        }
        var fte = 1.0
        if let c = fteColumn, !csv.isEmpty(r, c) {
            fte = try csv.number(r, c)
            guard fte > 0 else { throw InputError(file: path, line: line, column: csv.header[c], "FTE \(fte) must be positive") }
        }
        var skills: [String]?
        if let c = skillsColumn, !csv.isEmpty(r, c) {
            skills = try csv.string(r, c).split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        }
        var capacities: [String: Double] = [:]
        for (c, measure) in capacityColumns where !csv.isEmpty(r, c) {
            let cap = try csv.number(r, c)
            guard cap >= 0 else { throw InputError(file: path, line: line, column: csv.header[c], "capacity \(cap) must be ≥ 0") }
            capacities[measure] = cap
        }
        let current = try territoryColumn.map { c throws(InputError) in try csv.string(r, c) }.flatMap { $0.isEmpty ? nil : $0 }
        reps.append(Rep(id: id, name: try nameColumn.map { c throws(InputError) in try csv.string(r, c) } ?? id, home: home, fte: fte,
                        skills: skills, capacities: capacities, currentTerritory: current))
    }
    return reps
}

extension DesignProblem {
    /// Makes the reps the territories: k = number of reps, labels = rep ids, homes as fixed
    /// centers (vacancies free), skills, FTE as target shares of every balanced measure, capacities
    /// per rep. Today's plan is relabelled from each rep's `territory` to the rep's id.
    public mutating func applyReps(_ reps: [Rep], file: String? = nil) throws(InputError) {
        guard !reps.isEmpty else { throw InputError(file: file, "no reps") }
        k = reps.count
        territoriesAreNamed = true
        territories = reps.map { rep in
            TerritorySpec(label: rep.id, center: rep.home.map { .point($0) }, allowedSegments: rep.skills)
        }
        let totalFTE = reps.reduce(0) { $0 + $1.fte }
        let shares = reps.map { $0.fte / totalFTE }
        let uneven = reps.contains { $0.fte != reps[0].fte }
        for r in balance.indices {
            balance[r].targetShares = uneven ? shares : nil
            if let cap = balance[r].uniformCapacity { balance[r].capacities = Array(repeating: cap, count: k) }
        }
        var measuresWithCapacity: [String] = []
        for rep in reps { for name in rep.capacities.keys where !measuresWithCapacity.contains(name) { measuresWithCapacity.append(name) } }
        for name in measuresWithCapacity.sorted() {
            guard let m = units.measureIndex(named: name) else { throw InputError(file: file, column: "capacity_" + name, "unknown measure") }
            let r = balance.firstIndex { $0.measure == m } ?? {
                balance.append(BalanceRequirement(measure: m))
                return balance.count - 1
            }()
            let current = balance[r].capacities ?? Array(repeating: .infinity, count: k)
            balance[r].capacities = reps.enumerated().map { t, rep in rep.capacities[name] ?? current[t] }
            balance[r].uniformCapacity = nil
        }
        if let plan = baseline {
            var rename: [String: String] = [:]
            for rep in reps { if let current = rep.currentTerritory { rename[current] = rep.id } }
            if !rename.isEmpty {
                var relabelled = plan
                relabelled.labels = plan.labels.map { rename[$0] ?? $0 }
                baseline = relabelled
            }
        }
        if let current = units.currentTerritory, units.locked != nil {
            var rename: [String: String] = [:]
            for rep in reps { if let c = rep.currentTerritory { rename[c] = rep.id } }
            units.currentTerritory = current.map { rename[$0] ?? $0 }
        }
    }
}
