/// Whether coordinates are planar or geographic.
public enum CoordinateSystem: String, Sendable, Codable {
    /// `x`, `y` in arbitrary planar units.
    case planar
    /// `x` = longitude, `y` = latitude, in degrees.
    case geographic
}

/// A named numeric attribute of every unit (workload, potential, population, demand, ...).
public struct Measure: Sendable, Hashable {
    public var name: String
    /// One finite value per unit, in unit-index order.
    public var values: [Double]
    /// Σ values.
    public var total: Double { values.reduce(0, +) }

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// The units of a design problem (accounts, ZIP areas, counties), in dense index order.
///
/// External ids are strings and appear only here and at the I/O edge; everything else
/// works with the dense index `0..<count` (the position in the input file).
/// Invariant: every per-unit array has `count` elements and ids are unique.
public struct UnitTable: Sendable {
    public private(set) var ids: [String]
    public var coordinateSystem: CoordinateSystem
    /// Planar x, or longitude in degrees. Empty when the problem has no coordinates (matrix only).
    public var x: [Double]
    /// Planar y, or latitude in degrees. Empty when the problem has no coordinates.
    public var y: [Double]
    public var measures: [Measure]
    /// Optional visit weight per unit: travel counts `weight × distance`. nil means 1 for every unit.
    public var weights: [Double]?
    /// Optional segment per unit (for rep skills). Empty string = no segment.
    public var segments: [String]?
    /// Optional label of the unit's territory in today's plan. Empty string = none.
    public var currentTerritory: [String]?
    /// Optional lock per unit: a locked unit must stay in its `currentTerritory`.
    public var locked: [Bool]?
    private var indexByID: [String: Int]

    public var count: Int { ids.count }
    public var hasCoordinates: Bool { !x.isEmpty }

    /// Creates a table; throws when ids repeat or per-unit arrays have the wrong length.
    /// `sourceFile`, `sourceLine` (unit index → line in that file) and `sourceIDColumn` locate a
    /// duplicate id in the user's file.
    public init(
        ids: [String], coordinateSystem: CoordinateSystem = .planar, x: [Double] = [], y: [Double] = [],
        measures: [Measure] = [], weights: [Double]? = nil, segments: [String]? = nil,
        currentTerritory: [String]? = nil, locked: [Bool]? = nil,
        sourceFile: String? = nil, sourceLine: ((Int) -> Int)? = nil, sourceIDColumn: String = "id"
    ) throws(InputError) {
        var index = [String: Int](minimumCapacity: ids.count)
        for (i, id) in ids.enumerated() {
            if let first = index.updateValue(i, forKey: id) {
                if let sourceLine {
                    throw InputError(file: sourceFile, line: sourceLine(i), column: sourceIDColumn,
                                     "duplicate id \"\(id)\" (first on line \(sourceLine(first)))")
                }
                throw InputError(file: sourceFile, "duplicate unit id \"\(id)\" (units \(first + 1) and \(i + 1))")
            }
        }
        let n = ids.count
        guard x.count == y.count, x.isEmpty || x.count == n else {
            throw InputError("coordinates given for \(x.count) of \(n) units")
        }
        for m in measures where m.values.count != n {
            throw InputError("measure \"\(m.name)\" has \(m.values.count) values for \(n) units")
        }
        if let w = weights, w.count != n { throw InputError("weights given for \(w.count) of \(n) units") }
        if let s = segments, s.count != n { throw InputError("segments given for \(s.count) of \(n) units") }
        if let t = currentTerritory, t.count != n {
            throw InputError("current territory given for \(t.count) of \(n) units")
        }
        if let l = locked, l.count != n { throw InputError("locks given for \(l.count) of \(n) units") }
        self.ids = ids
        self.coordinateSystem = coordinateSystem
        self.x = x
        self.y = y
        self.measures = measures
        self.weights = weights
        self.segments = segments
        self.currentTerritory = currentTerritory
        self.locked = locked
        self.indexByID = index
    }

    /// The dense index of the unit with external id `id`, or nil.
    public func index(of id: String) -> Int? { indexByID[id] }

    /// The index of the measure named `name`, or nil.
    public func measureIndex(named name: String) -> Int? {
        measures.firstIndex { $0.name == name }
    }

    /// The point of unit `i` (requires coordinates).
    @inlinable public func point(_ i: Int) -> Point { Point(x: x[i], y: y[i]) }

    /// The visit weight of unit `i` (1 when the table has no weights).
    @inlinable public func weight(_ i: Int) -> Double { weights?[i] ?? 1 }
}

extension UnitTable {
    /// This table followed by `other`'s units (new accounts in a what-if). `other` must use the
    /// same coordinate system and carry every measure of this table (extra columns are ignored);
    /// missing segments become "" and missing weights 1. New units have no current territory
    /// and no lock. Throws on a repeated id. O(n + m).
    public func appending(_ other: UnitTable, file: String? = nil) throws(InputError) -> UnitTable {
        guard other.coordinateSystem == coordinateSystem, other.hasCoordinates == hasCoordinates else {
            throw InputError(file: file, "the new units use \(other.coordinateSystem.rawValue) coordinates, the units \(coordinateSystem.rawValue)")
        }
        var newMeasures: [Measure] = []
        for m in measures {
            guard let j = other.measureIndex(named: m.name) else {
                throw InputError(file: file, line: 1, column: m.name, "the new units lack the measure \"\(m.name)\"")
            }
            newMeasures.append(Measure(name: m.name, values: m.values + other.measures[j].values))
        }
        let n = count, m = other.count
        let weights = (self.weights == nil && other.weights == nil) ? nil
            : (self.weights ?? Array(repeating: 1, count: n)) + (other.weights ?? Array(repeating: 1, count: m))
        let segments = (self.segments == nil && other.segments == nil) ? nil
            : (self.segments ?? Array(repeating: "", count: n)) + (other.segments ?? Array(repeating: "", count: m))
        let current = currentTerritory.map { $0 + Array(repeating: "", count: m) }
        let locked = self.locked.map { $0 + Array(repeating: false, count: m) }
        for id in other.ids {
            if index(of: id) != nil { throw InputError(file: file, column: "id", "new unit \"\(id)\" already exists") }
        }
        return try UnitTable(
            ids: ids + other.ids, coordinateSystem: coordinateSystem, x: x + other.x, y: y + other.y,
            measures: newMeasures, weights: weights, segments: segments, currentTerritory: current, locked: locked,
            sourceFile: file)
    }
}
