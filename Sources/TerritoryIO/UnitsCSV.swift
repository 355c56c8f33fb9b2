import TerritoryCore

/// How to read a units CSV: which columns hold ids, coordinates, measures and the optional
/// attributes. Defaults follow SPEC.md: `id`, `x`/`y` (planar) or `lon`/`lat` /
/// `longitude`/`latitude` (geographic); every other numeric column is a measure.
public struct UnitsCSVOptions: Sendable, Hashable {
    public var idColumn = "id"
    /// Coordinate columns; nil picks `x`/`y`, then `lon`/`lat`, then `longitude`/`latitude`.
    public var xColumn: String?
    public var yColumn: String?
    /// Force the coordinate interpretation (e.g. `x`/`y` columns that hold lon/lat).
    public var coordinateSystem: CoordinateSystem?
    /// Measures to read; nil means every column whose first value is a number.
    public var measures: [String]?
    /// A visit-weight column multiplying each unit's travel; nil for none.
    public var weightColumn: String?
    public var segmentColumn = "segment"
    public var territoryColumn = "territory"
    public var lockedColumn = "locked"

    public init() {}
}

/// Reads units from a CSV file (see ``UnitsCSVOptions``).
///
/// A column is a measure when its value in the first data row is a number; every later value
/// must then be a finite number. Other text columns (names, notes) are ignored. Errors name the
/// file, line and column.
/// - Complexity: O(bytes); a million rows take about a second.
public func readUnitsCSV(_ path: String, options: UnitsCSVOptions = UnitsCSVOptions()) throws(InputError) -> UnitTable {
    let csv = try CSVDocument(data: Files.read(path), file: path)
    guard csv.recordCount > 0 else { throw InputError(file: path, "no data rows below the header") }
    func required(_ name: String) throws(InputError) -> Int {
        guard let c = csv.column(named: name) else {
            throw InputError(file: path, line: 1, column: name, "missing column (the header has: \(csv.header.joined(separator: ", ")))")
        }
        return c
    }
    let idColumn = try required(options.idColumn)
    var xColumn: Int, yColumn: Int
    var system = CoordinateSystem.planar
    if let xName = options.xColumn ?? options.yColumn.map({ _ in "x" }) {
        xColumn = try required(xName)
        yColumn = try required(options.yColumn ?? "y")
        let lower = xName.lowercased()
        if lower.hasPrefix("lon") || lower == "lng" { system = .geographic }
    } else if let x = csv.column(named: "x"), let y = csv.column(named: "y") {
        xColumn = x; yColumn = y
    } else if let x = csv.column(named: "lon") ?? csv.column(named: "longitude") ?? csv.column(named: "lng"),
              let y = csv.column(named: "lat") ?? csv.column(named: "latitude") {
        xColumn = x; yColumn = y
        system = .geographic
    } else {
        throw InputError(
            file: path, line: 1,
            "missing coordinate columns: expected x,y or lon,lat (or longitude,latitude); the header has: \(csv.header.joined(separator: ", "))")
    }
    if let forced = options.coordinateSystem { system = forced }
    let weightColumn = try options.weightColumn.map { name throws(InputError) in try required(name) }
    let segmentColumn = csv.column(named: options.segmentColumn)
    let territoryColumn = csv.column(named: options.territoryColumn)
    let lockedColumn = csv.column(named: options.lockedColumn)
    let reserved = Set([idColumn, xColumn, yColumn, weightColumn, segmentColumn, territoryColumn, lockedColumn].compactMap { $0 })

    var measureColumns: [Int] = []
    if let names = options.measures {
        for name in names { measureColumns.append(try required(name)) }
    } else {
        for c in 0..<csv.columnCount where !reserved.contains(c) && !csv.header[c].isEmpty && csv.isNumeric(0, c) {
            measureColumns.append(c)
        }
    }

    let n = csv.recordCount
    var ids = [String]()
    ids.reserveCapacity(n)
    var xs = [Double](repeating: 0, count: n), ys = [Double](repeating: 0, count: n)
    var measureValues = [[Double]](repeating: [Double](repeating: 0, count: n), count: measureColumns.count)
    var weights = weightColumn.map { _ in [Double](repeating: 1, count: n) }
    var segments = segmentColumn.map { _ in [String](repeating: "", count: n) }
    var territories = territoryColumn.map { _ in [String](repeating: "", count: n) }
    var locked = lockedColumn.map { _ in [Bool](repeating: false, count: n) }
    for r in 0..<n {
        let id = try csv.string(r, idColumn)
        guard !id.isEmpty else { throw InputError(file: path, line: csv.line(r), column: csv.header[idColumn], "empty unit id") }
        ids.append(id)
        xs[r] = try csv.number(r, xColumn)
        ys[r] = try csv.number(r, yColumn)
        if system == .geographic {
            guard abs(xs[r]) <= 180 else {
                throw InputError(file: path, line: csv.line(r), column: csv.header[xColumn], "longitude \(xs[r]) is outside -180…180")
            }
            guard abs(ys[r]) <= 90 else {
                throw InputError(file: path, line: csv.line(r), column: csv.header[yColumn], "latitude \(ys[r]) is outside -90…90")
            }
        }
        for (m, c) in measureColumns.enumerated() { measureValues[m][r] = try csv.number(r, c) }
        if let c = weightColumn {
            let w = try csv.number(r, c)
            guard w >= 0 else { throw InputError(file: path, line: csv.line(r), column: csv.header[c], "weight \(w) is negative") }
            weights![r] = w
        }
        if let c = segmentColumn { segments![r] = try csv.string(r, c) }
        if let c = territoryColumn { territories![r] = try csv.string(r, c) }
        if let c = lockedColumn {
            switch try csv.string(r, c).lowercased() {
            case "true", "1", "yes", "y", "t": locked![r] = true
            case "false", "0", "no", "n", "f", "": locked![r] = false
            case let other:
                throw InputError(file: path, line: csv.line(r), column: csv.header[c], "\"\(other)\" is not true or false")
            }
            if locked![r] && (territories?[r].isEmpty ?? true) {
                throw InputError(file: path, line: csv.line(r), column: csv.header[c], "unit \"\(id)\" is locked but has no territory to stay in")
            }
        }
    }
    let measures = zip(measureColumns, measureValues).map { Measure(name: csv.header[$0.0], values: $0.1) }
    do {
        return try UnitTable(
            ids: ids, coordinateSystem: system, x: xs, y: ys, measures: measures, weights: weights,
            segments: segments, currentTerritory: territories, locked: locked,
            sourceFile: path, sourceLine: { csv.line($0) }, sourceIDColumn: csv.header[idColumn])
    } catch {
        throw error.inFile(path)
    }
}

/// Reads an adjacency CSV: a header row, then one undirected pair of unit ids per row in the
/// first two columns. Duplicate pairs and self-pairs are harmless; an unknown id is an error.
public func readAdjacencyCSV(_ path: String, units: UnitTable) throws(InputError) -> Adjacency {
    let csv = try CSVDocument(data: Files.read(path), file: path)
    guard csv.columnCount >= 2 else {
        throw InputError(file: path, line: 1, "an adjacency file needs two columns (a,b), the header has \(csv.columnCount)")
    }
    var pairs: [(Int, Int)] = []
    pairs.reserveCapacity(csv.recordCount)
    for r in 0..<csv.recordCount {
        var ends = (0, 0)
        for c in 0..<2 {
            let id = try csv.string(r, c)
            guard let i = units.index(of: id) else {
                throw InputError(file: path, line: csv.line(r), column: csv.header[c], "unknown unit id \"\(id)\"")
            }
            if c == 0 { ends.0 = i } else { ends.1 = i }
        }
        pairs.append(ends)
    }
    return Adjacency(unitCount: units.count, pairs: pairs)
}
