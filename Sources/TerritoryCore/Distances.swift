#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How distances between units (and from a unit to a point such as a rep's home) are measured.
public enum Metric: String, Sendable, Codable, CaseIterable {
    /// Planar Euclidean distance in the units of the coordinates.
    case euclidean
    /// Planar Euclidean distance truncated to an integer, `floor(sqrt(dx² + dy²))`
    /// (the Osman–Christofides convention).
    case euclideanTruncated = "euclidean-truncated"
    /// Great-circle distance in kilometres on a sphere of radius 6371.0 km, from lon/lat degrees.
    case haversine
    /// An explicit n × n matrix (road distances, graph shortest paths, ...).
    case matrix
}

/// A point in the problem's coordinate system: planar (x, y) or geographic (lon, lat degrees).
public struct Point: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// Distances between the units of one problem: a value bound to the units' coordinates
/// (or to an explicit matrix), so `distances(i, j)` needs no other context.
///
/// - Complexity: O(1) per call. Memory O(n) for coordinate metrics, O(n²) for a matrix.
public struct Distances: Sendable {
    public static let earthRadiusKm = 6371.0

    public let metric: Metric
    public let count: Int
    // Planar: x, y. Haversine: longitude and latitude in radians, plus cos(latitude).
    @usableFromInline let a: [Double]
    @usableFromInline let b: [Double]
    @usableFromInline let cosB: [Double]
    @usableFromInline let matrix: [Double]

    /// Distances from coordinates (`x`/`y` planar, or `x` = longitude and `y` = latitude in degrees).
    public init(metric: Metric, x: [Double], y: [Double]) {
        precondition(metric != .matrix, "use init(matrix:count:) for explicit distances")
        precondition(x.count == y.count)
        self.metric = metric
        self.count = x.count
        self.matrix = []
        if metric == .haversine {
            let lon = x.map { $0 * .pi / 180 }
            let lat = y.map { $0 * .pi / 180 }
            self.a = lon
            self.b = lat
            self.cosB = lat.map { cos($0) }
        } else {
            self.a = x
            self.b = y
            self.cosB = []
        }
    }

    /// Distances from an explicit row-major `count × count` matrix.
    public init(matrix: [Double], count: Int) {
        precondition(matrix.count == count * count, "matrix must be count × count")
        self.metric = .matrix
        self.count = count
        self.matrix = matrix
        self.a = []
        self.b = []
        self.cosB = []
    }

    /// Whether `distanceToPoint` is available (every metric but an explicit matrix).
    @inlinable public var supportsPoints: Bool { metric != .matrix }

    /// Distance between units `i` and `j`.
    @inlinable @inline(__always) public func callAsFunction(_ i: Int, _ j: Int) -> Double {
        switch metric {
        case .euclidean:
            let dx = a[i] - a[j], dy = b[i] - b[j]
            return (dx * dx + dy * dy).squareRoot()
        case .euclideanTruncated:
            let dx = a[i] - a[j], dy = b[i] - b[j]
            // Non-negative and far below 2^63: truncation through Int64 is floor, without libm.
            return Double(Int64((dx * dx + dy * dy).squareRoot()))
        case .haversine:
            return Distances.haversine(a[i], b[i], cosB[i], a[j], b[j], cosB[j])
        case .matrix:
            return matrix[i &* count &+ j]
        }
    }

    /// Distance from unit `i` to a point in the problem's coordinates (not for `.matrix`).
    @inlinable public func callAsFunction(_ i: Int, _ p: Point) -> Double {
        switch metric {
        case .euclidean:
            let dx = a[i] - p.x, dy = b[i] - p.y
            return (dx * dx + dy * dy).squareRoot()
        case .euclideanTruncated:
            let dx = a[i] - p.x, dy = b[i] - p.y
            return (dx * dx + dy * dy).squareRoot().rounded(.down)
        case .haversine:
            let lon = p.x * .pi / 180, lat = p.y * .pi / 180
            return Distances.haversine(a[i], b[i], cosB[i], lon, lat, cos(lat))
        case .matrix:
            preconditionFailure("a distance matrix has no distances to points")
        }
    }

    /// A position of unit `i` in 3-D space whose straight-line distances never exceed this
    /// metric's distances: (x, y, 0) for planar metrics (equal, or within 1 for truncated ones),
    /// the point on a sphere of radius 6371 km for haversine (chords are shorter than arcs).
    /// Not for `.matrix`. Used for convexity lower bounds in exact medoid search.
    @inlinable public func embedding(of i: Int) -> SIMD3<Double> {
        if metric == .haversine {
            let r = Distances.earthRadiusKm * cosB[i]
            return SIMD3(r * cos(a[i]), r * sin(a[i]), Distances.earthRadiusKm * sin(b[i]))
        }
        return SIMD3(a[i], b[i], 0)
    }

    /// The 3-D embedding of a point given in the problem's coordinates (see `embedding(of:)`).
    @inlinable public func embedding(of p: Point) -> SIMD3<Double> {
        if metric == .haversine {
            let lon = p.x * .pi / 180, lat = p.y * .pi / 180
            let r = Distances.earthRadiusKm * cos(lat)
            return SIMD3(r * cos(lon), r * sin(lon), Distances.earthRadiusKm * sin(lat))
        }
        return SIMD3(p.x, p.y, 0)
    }

    /// The untruncated metric distance from unit `i` to a point: equal to `self(i, p)` except for
    /// `.euclideanTruncated`, where it is the exact Euclidean distance (a true metric, used for
    /// triangle-inequality bounds).
    @inlinable public func metricDistance(_ i: Int, _ p: Point) -> Double {
        switch metric {
        case .euclidean, .euclideanTruncated:
            let dx = a[i] - p.x, dy = b[i] - p.y
            return (dx * dx + dy * dy).squareRoot()
        default:
            return self(i, p)
        }
    }

    /// The coordinates of unit `i` (degrees for `.haversine`); not for `.matrix`.
    @inlinable public func coordinates(of i: Int) -> Point {
        metric == .haversine ? Point(x: a[i] * 180 / .pi, y: b[i] * 180 / .pi) : Point(x: a[i], y: b[i])
    }

    @inlinable static func haversine(
        _ lon1: Double, _ lat1: Double, _ cos1: Double,
        _ lon2: Double, _ lat2: Double, _ cos2: Double
    ) -> Double {
        let sLat = sin((lat2 - lat1) * 0.5)
        let sLon = sin((lon2 - lon1) * 0.5)
        let h = min(1.0, sLat * sLat + cos1 * cos2 * sLon * sLon)
        return 2 * earthRadiusKm * asin(h.squareRoot())
    }

    /// Whether exact triangle-inequality bounds hold for `metricDistance` (true for coordinate
    /// metrics; an explicit matrix is not trusted to be metric).
    public var hasMetricBounds: Bool { metric != .matrix }

    /// The largest amount by which `self(i, j)` can fall below the metric distance between the
    /// same units (1 for truncated distances, else 0). Used to keep lower bounds valid.
    public var truncationSlack: Double { metric == .euclideanTruncated ? 1 : 0 }
}

/// The convex hull of `points`, counter-clockwise, without repeating the first point (Andrew's
/// monotone chain); fewer than 3 points come back sorted. O(m log m).
public func convexHull(of points: [Point]) -> [Point] {
    let sorted = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
    guard sorted.count >= 3 else { return sorted }
    func cross(_ o: Point, _ a: Point, _ b: Point) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
    var lower: [Point] = [], upper: [Point] = []
    for p in sorted {
        while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
        lower.append(p)
    }
    for p in sorted.reversed() {
        while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
        upper.append(p)
    }
    return Array(lower.dropLast() + upper.dropLast())
}
