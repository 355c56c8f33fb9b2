import TerritoryCore

/// How polygon units count as neighbours when adjacency is derived from their boundaries.
public enum Contact: String, Sendable, CaseIterable {
    /// Sharing a stretch of boundary (at least two boundary vertices in common).
    case rook
    /// Touching at all, a single corner included.
    case queen
}

/// Options for reading units from GeoJSON.
public struct GeoJSONOptions: Sendable {
    /// The property holding each unit's id; nil uses the feature's `id` member, then `id`,
    /// `GEOID`, `GEOID10`, `GEOID20` properties.
    public var idProperty: String?
    public var contact: Contact = .rook
    /// Boundary vertices closer than this (in coordinate units: degrees for lon/lat) count as
    /// the same point, which absorbs tiny gaps and slivers between neighbouring polygons.
    public var snapTolerance: Double = 1e-6

    public init() {}
}

/// Units read from GeoJSON: the table (lon/lat; centroid of each polygon, or the point), the
/// adjacency derived from shared boundaries (nil for point features), and the shapes.
public struct GeoJSONUnits: Sendable {
    public var units: UnitTable
    public var adjacency: Adjacency?
    public var shapes: UnitShapes?
}

/// Reads a GeoJSON FeatureCollection of Point, Polygon or MultiPolygon features as units.
/// Numeric properties become measures (a property missing in some feature is an error naming
/// the feature); `segment`, `territory` and `locked` properties are read as in the units CSV.
/// Polygon rings must be closed. Every error names the feature index.
/// - Complexity: O(V) for V vertices (a hash grid finds shared boundary vertices).
public func readGeoJSONUnits(_ path: String, options: GeoJSONOptions = GeoJSONOptions()) throws(InputError) -> GeoJSONUnits {
    let json = try JSONValue.parse(Files.read(path), file: path)
    guard json["type"]?.string == "FeatureCollection", let features = json["features"]?.array else {
        throw InputError(file: path, "not a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\" with \"features\")")
    }
    guard !features.isEmpty else { throw InputError(file: path, "the FeatureCollection has no features") }
    func fail(_ f: Int, _ message: String) -> InputError { InputError(file: path, column: "features[\(f)]", message) }
    var ids: [String] = []
    var x: [Double] = [], y: [Double] = []
    var rings: [[[Point]]] = []
    var anyPolygon = false, anyPoint = false
    var measureNames: [String] = []
    var measureValues: [[Double]] = []
    var segments: [String] = [], territories: [String] = [], locked: [Bool] = []
    var hasSegment = false, hasTerritory = false, hasLocked = false
    for (f, feature) in features.enumerated() {
        guard feature["type"]?.string == "Feature" else { throw fail(f, "not a Feature (\"type\": \"Feature\")") }
        let properties = feature["properties"]?.object ?? []
        func property(_ name: String) -> JSONValue? { properties.first { $0.0 == name }?.1 }
        // Id.
        var id: String?
        if let name = options.idProperty {
            guard let value = property(name) else { throw fail(f, "missing property \"\(name)\" (the unit id)") }
            id = value.string ?? value.number.map { JSONValue.format($0) }
        } else {
            let candidates = [feature["id"]] + ["id", "GEOID", "GEOID10", "GEOID20"].map { property($0) }
            for case let value? in candidates {
                if let s = value.string ?? value.number.map({ JSONValue.format($0) }) { id = s; break }
            }
        }
        guard let id, !id.isEmpty else { throw fail(f, "no unit id (a feature \"id\" or an id property)") }
        ids.append(id)
        // Geometry.
        guard let geometry = feature["geometry"], let kind = geometry["type"]?.string, let coordinates = geometry["coordinates"] else {
            throw fail(f, "missing geometry (\"type\" and \"coordinates\")")
        }
        func point(_ value: JSONValue) throws(InputError) -> Point {
            guard let pair = value.array, pair.count >= 2, let lon = pair[0].number, let lat = pair[1].number, lon.isFinite, lat.isFinite else {
                throw fail(f, "a position must be [longitude, latitude]")
            }
            guard abs(lon) <= 180, abs(lat) <= 90 else { throw fail(f, "position [\(lon), \(lat)] is not a longitude/latitude") }
            return Point(x: lon, y: lat)
        }
        func ring(_ value: JSONValue) throws(InputError) -> [Point] {
            guard let list = value.array else { throw fail(f, "a ring must be an array of positions") }
            var points: [Point] = []
            for p in list { points.append(try point(p)) }
            guard points.count >= 4 else { throw fail(f, "a ring needs at least 4 positions (got \(points.count))") }
            guard points.first == points.last else { throw fail(f, "a ring is not closed (its first and last positions differ)") }
            return points
        }
        func polygon(_ value: JSONValue) throws(InputError) -> [[Point]] {
            guard let list = value.array, !list.isEmpty else { throw fail(f, "a polygon must be a non-empty array of rings") }
            var result: [[Point]] = []
            for r in list { result.append(try ring(r)) }
            return result
        }
        switch kind {
        case "Point":
            let p = try point(coordinates)
            x.append(p.x); y.append(p.y); rings.append([])
            anyPoint = true
        case "Polygon", "MultiPolygon":
            var polygons: [[[Point]]] = []
            if kind == "Polygon" {
                polygons = [try polygon(coordinates)]
            } else {
                guard let list = coordinates.array, !list.isEmpty else { throw fail(f, "a MultiPolygon must be a non-empty array of polygons") }
                for p in list { polygons.append(try polygon(p)) }
            }
            guard let c = centroid(of: polygons) else { throw fail(f, "the polygon has no area") }
            x.append(c.x); y.append(c.y)
            rings.append(polygons.flatMap { $0 })
            anyPolygon = true
        default:
            throw fail(f, "unsupported geometry type \"\(kind)\" (Point, Polygon or MultiPolygon)")
        }
        // Properties.
        if f == 0 {
            for (name, value) in properties where value.number != nil && name != options.idProperty && name != "locked" {
                measureNames.append(name)
                measureValues.append([])
            }
        }
        for (m, name) in measureNames.enumerated() {
            guard let value = property(name) else { throw fail(f, "missing property \"\(name)\" (a measure, present in feature 0)") }
            guard let number = value.number, number.isFinite else { throw fail(f, "property \"\(name)\" is not a number") }
            measureValues[m].append(number)
        }
        let segment = property("segment")?.string
        hasSegment = hasSegment || segment != nil
        segments.append(segment ?? "")
        let territory = property("territory")?.string
        hasTerritory = hasTerritory || territory != nil
        territories.append(territory ?? "")
        let lock = property("locked").map { $0.bool ?? ($0.number.map { $0 != 0 } ?? false) }
        hasLocked = hasLocked || lock != nil
        locked.append(lock ?? false)
    }
    if anyPoint && anyPolygon { throw InputError(file: path, "mixing Point and Polygon features is not supported") }
    let table = try UnitTable(
        ids: ids, coordinateSystem: .geographic, x: x, y: y,
        measures: zip(measureNames, measureValues).map { Measure(name: $0, values: $1) },
        segments: hasSegment ? segments : nil, currentTerritory: hasTerritory ? territories : nil, locked: hasLocked ? locked : nil,
        sourceFile: path)
    guard anyPolygon else { return GeoJSONUnits(units: table, adjacency: nil, shapes: nil) }
    let adjacency = contactAdjacency(rings, contact: options.contact, tolerance: options.snapTolerance)
    return GeoJSONUnits(units: table, adjacency: adjacency, shapes: UnitShapes(rings: rings))
}

/// The area-weighted centroid of polygons (outer rings minus holes, by the shoelace formula on
/// lon/lat, which is accurate for units of county size); nil for zero area.
func centroid(of polygons: [[[Point]]]) -> Point? {
    var area = 0.0, cx = 0.0, cy = 0.0
    for polygon in polygons {
        for (r, ring) in polygon.enumerated() {
            var a = 0.0, sx = 0.0, sy = 0.0
            for j in 0..<(ring.count - 1) {
                let p = ring[j], q = ring[j + 1]
                let cross = p.x * q.y - q.x * p.y
                a += cross
                sx += (p.x + q.x) * cross
                sy += (p.y + q.y) * cross
            }
            // Outer rings add, holes subtract, whatever their orientation.
            let sign: Double = (r == 0) == (a >= 0) ? 1 : -1
            area += sign * a / 2
            cx += sign * sx / 6
            cy += sign * sy / 6
        }
    }
    guard abs(area) > 1e-18 else { return nil }
    return Point(x: cx / area, y: cy / area)
}

/// Units whose boundaries share vertices (within `tolerance`): rook needs two shared vertices
/// of a unit's boundary, queen one. A hash grid of cell size `tolerance` finds candidates in
/// the 3 × 3 neighbouring cells. O(V) expected.
func contactAdjacency(_ rings: [[[Point]]], contact: Contact, tolerance: Double) -> Adjacency {
    let eps = max(tolerance, 1e-12)
    struct Cell: Hashable { var x: Int64; var y: Int64 }
    func cell(_ p: Point) -> Cell { Cell(x: Int64((p.x / eps).rounded(.down)), y: Int64((p.y / eps).rounded(.down))) }
    var grid: [Cell: [(Int32, Point)]] = [:]
    for (u, unitRings) in rings.enumerated() {
        for ring in unitRings { for p in ring.dropLast() { grid[cell(p), default: []].append((Int32(u), p)) } }
    }
    var shared: [Int64: Int] = [:]  // pair key → shared vertices of the lower unit's boundary
    let n = Int64(rings.count)
    for (u, unitRings) in rings.enumerated() {
        for ring in unitRings {
            for p in ring.dropLast() {
                let c = cell(p)
                var touched = Set<Int32>()
                for dx in -1...1 {
                    for dy in -1...1 {
                        guard let bucket = grid[Cell(x: c.x + Int64(dx), y: c.y + Int64(dy))] else { continue }
                        for (v, q) in bucket where v != Int32(u) && abs(q.x - p.x) <= eps && abs(q.y - p.y) <= eps {
                            touched.insert(v)
                        }
                    }
                }
                for v in touched where Int32(u) < v { shared[Int64(u) * n + Int64(v), default: 0] += 1 }
            }
        }
    }
    let needed = contact == .rook ? 2 : 1
    let pairs = shared.filter { $0.value >= needed }.keys.sorted().map { (Int($0 / n), Int($0 % n)) }
    return Adjacency(unitCount: rings.count, pairs: pairs)
}

/// The plan as a GeoJSON FeatureCollection: one feature per unit (its polygon when the problem
/// has shapes, else its point) with `id` and `territory` properties and its measures, then one
/// feature per territory (`"kind": "territory"`: the convex hull of its units' vertices) with
/// its totals. Coordinates are written as read (lon/lat for geographic units).
public func planGeoJSON(_ plan: Plan, units: UnitTable, shapes: UnitShapes? = nil) -> JSONValue {
    func position(_ p: Point) -> JSONValue { .array([.number(p.x), .number(p.y)]) }
    var features: [JSONValue] = []
    var hullPoints = Array(repeating: [Point](), count: plan.k)
    for i in 0..<units.count {
        let t = Int(plan.assignment[i])
        var properties: [(String, JSONValue)] = [("id", .string(units.ids[i])), ("territory", t >= 0 ? .string(plan.labels[t]) : .null)]
        for m in units.measures { properties.append((m.name, .number(m.values[i]))) }
        let geometry: JSONValue
        if let rings = shapes?.rings[i], !rings.isEmpty {
            geometry = .object([("type", "MultiPolygon"), ("coordinates", .array(rings.map { .array([.array($0.map(position))]) }))])
            if t >= 0 { for ring in rings { hullPoints[t] += ring } }
        } else {
            geometry = .object([("type", "Point"), ("coordinates", position(units.point(i)))])
            if t >= 0 { hullPoints[t].append(units.point(i)) }
        }
        features.append(.object([("type", "Feature"), ("id", .string(units.ids[i])), ("properties", .object(properties)), ("geometry", geometry)]))
    }
    for t in 0..<plan.k {
        var totals = Array(repeating: 0.0, count: units.measures.count)
        var count = 0
        for i in 0..<units.count where plan.assignment[i] == Int32(t) {
            count += 1
            for (m, measure) in units.measures.enumerated() { totals[m] += measure.values[i] }
        }
        var properties: [(String, JSONValue)] = [("kind", "territory"), ("territory", .string(plan.labels[t])), ("units", .number(Double(count)))]
        for (m, measure) in units.measures.enumerated() { properties.append((measure.name, .number(totals[m]))) }
        let hull = convexHull(of: hullPoints[t])
        let geometry: JSONValue = hull.count >= 3
            ? .object([("type", "Polygon"), ("coordinates", .array([.array((hull + [hull[0]]).map(position))]))])
            : .null
        features.append(.object([("type", "Feature"), ("properties", .object(properties)), ("geometry", geometry)]))
    }
    return .object([("type", "FeatureCollection"), ("features", .array(features))])
}
