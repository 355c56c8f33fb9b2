import TerritoryCore

/// Benchmark and problem file formats that `--instance FILE --format F` reads.
public enum InstanceFormat: String, Sendable, CaseIterable {
    /// OR-Library uncapacitated p-median graph (`n m p`, then `i j c` edges; repeated edges: the
    /// last occurrence wins; distances are all-pairs shortest paths).
    case pmed
    /// Capacitated p-median, real Euclidean distances (SJC, p3038, Stefanello): `n p`, then
    /// `x y Q d` per unit.
    case cpmp
    /// Capacitated p-median, Euclidean distances truncated to integers (Osman–Christofides).
    case cpmpOsman = "cpmp-osman"
    /// Díaz–Fernández Spain instances: `lon lat Q d` per unit, distances from `spain.grd`
    /// beside the instance file.
    case spain737
    /// NetworkX adjacency JSON of US county dual graphs (ids `GEOID10`, centroid `C_X`/`C_Y` or
    /// else the census interior point `INTPTLON10`/`INTPTLAT10`, every numeric node attribute a
    /// measure).
    case countyJSON = "county-json"
    /// This package's JSON problem format (see README).
    case json
    /// GeoJSON FeatureCollection of Point, Polygon or MultiPolygon units (lon/lat); polygons give
    /// centroids and rook adjacency from shared boundaries; numeric properties are measures.
    case geojson
}

/// Reads a problem in `format`. k comes from the file where it has one; otherwise it is 0 and
/// the caller must set it (`--k`).
public func readInstance(_ path: String, format: InstanceFormat) throws(InputError) -> DesignProblem {
    switch format {
    case .pmed: return try readPMed(path)
    case .cpmp: return try readCPMP(path, metric: .euclidean)
    case .cpmpOsman: return try readCPMP(path, metric: .euclideanTruncated)
    case .spain737: return try readSpain737(path)
    case .countyJSON: return try readCountyJSON(path)
    case .json: return try readProblemJSON(path)
    case .geojson:
        let read = try readGeoJSONUnits(path)
        var problem = DesignProblem(
            name: Files.baseName(path), units: read.units,
            distances: Distances(metric: .haversine, x: read.units.x, y: read.units.y), adjacency: read.adjacency, k: 0)
        problem.shapes = read.shapes
        if let current = read.units.currentTerritory, current.contains(where: { !$0.isEmpty }) { problem.baseline = planFromLabels(current) }
        return problem
    }
}

/// Whitespace-separated tokens with their line numbers.
struct TokenReader {
    let file: String
    var tokens: [(text: ArraySlice<UInt8>, line: Int)] = []
    var next = 0

    init(_ data: [UInt8], file: String) {
        self.file = file
        var line = 1
        var i = 0
        let n = data.count
        while i < n {
            let c = data[i]
            if c == 0x0A { line += 1; i += 1; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0B || c == 0x0C { i += 1; continue }
            let start = i
            while i < n, !(data[i] == 0x20 || data[i] == 0x09 || data[i] == 0x0D || data[i] == 0x0A || data[i] == 0x0B || data[i] == 0x0C) { i += 1 }
            tokens.append((data[start..<i], line))
        }
    }

    var atEnd: Bool { next >= tokens.count }
    var currentLine: Int { next < tokens.count ? tokens[next].line : (tokens.last?.line ?? 1) }

    mutating func number(_ what: String) throws(InputError) -> Double {
        guard next < tokens.count else { throw InputError(file: file, line: currentLine, "unexpected end of file, expected \(what)") }
        let token = tokens[next]
        guard let x = parseNumber(token.text), x.isFinite else {
            throw InputError(file: file, line: token.line, column: what, "\"\(String(decoding: token.text.prefix(40), as: UTF8.self))\" is not a number")
        }
        next += 1
        return x
    }

    mutating func integer(_ what: String, in range: ClosedRange<Int>) throws(InputError) -> Int {
        let line = currentLine
        let x = try number(what)
        guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            throw InputError(file: file, line: line, column: what, "\(x) is not an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        return Int(x)
    }
}

func unitIDs(_ n: Int) -> [String] { (1...max(n, 1)).prefix(n).map(String.init) }

func readPMed(_ path: String) throws(InputError) -> DesignProblem {
    var tokens = TokenReader(try Files.read(path), file: path)
    let n = try tokens.integer("n", in: 1...20_000)
    let m = try tokens.integer("m", in: 0...50_000_000)
    let p = try tokens.integer("p", in: 1...n)
    // Last occurrence of an unordered pair wins (the convention that reproduces the optima).
    var length: [Int: (Int, Int, Double)] = [:]
    var order: [Int] = []
    for _ in 0..<m {
        let i = try tokens.integer("i", in: 1...n) - 1
        let j = try tokens.integer("j", in: 1...n) - 1
        let line = tokens.currentLine
        let c = try tokens.number("c")
        guard c >= 0 else { throw InputError(file: path, line: line, column: "c", "negative edge length \(c)") }
        if i == j { continue }
        let key = min(i, j) * n + max(i, j)
        if length.updateValue((min(i, j), max(i, j), c), forKey: key) == nil { order.append(key) }
    }
    guard tokens.atEnd else { throw InputError(file: path, line: tokens.currentLine, "unexpected data after \(m) edges") }
    let edges = order.map { length[$0]! }
    let matrix = allPairsShortestPaths(n: n, edges: edges)
    if let unreachable = matrix.firstIndex(where: { !$0.isFinite }) {
        throw InputError(file: path, "the graph is disconnected: vertex \(unreachable / n + 1) cannot reach vertex \(unreachable % n + 1)")
    }
    let units = try UnitTable(ids: unitIDs(n))
    return DesignProblem(
        name: Files.baseName(path), units: units, distances: Distances(matrix: matrix, count: n),
        adjacency: Adjacency(unitCount: n, pairs: edges.map { ($0.0, $0.1) }), k: p)
}

/// Floyd–Warshall on a dense matrix. O(n³) time, O(n²) memory; infinity marks unreachable pairs.
func allPairsShortestPaths(n: Int, edges: [(Int, Int, Double)]) -> [Double] {
    var d = [Double](repeating: .infinity, count: n * n)
    for i in 0..<n { d[i * n + i] = 0 }
    for (i, j, c) in edges {
        d[i * n + j] = min(d[i * n + j], c)
        d[j * n + i] = min(d[j * n + i], c)
    }
    d.withUnsafeMutableBufferPointer { dist in
        for via in 0..<n {
            let viaRow = via * n
            for i in 0..<n {
                let dik = dist[i * n + via]
                if !dik.isFinite { continue }
                let row = i * n
                for j in 0..<n {
                    let candidate = dik + dist[viaRow + j]
                    if candidate < dist[row + j] { dist[row + j] = candidate }
                }
            }
        }
    }
    return d
}

/// Capacitated p-median files: `n p`, then `x y Q d` per unit (Q = the unit's capacity if chosen
/// as a median; every file in the benchmark sets uses one Q for all units).
func readCPMPUnits(_ path: String) throws(InputError) -> (n: Int, p: Int, x: [Double], y: [Double], capacity: Double, demand: [Double]) {
    var tokens = TokenReader(try Files.read(path), file: path)
    let n = try tokens.integer("n", in: 1...10_000_000)
    let p = try tokens.integer("p", in: 1...n)
    var x = [Double](), y = [Double](), demand = [Double]()
    var capacity: Double?
    for i in 0..<n {
        x.append(try tokens.number("x"))
        y.append(try tokens.number("y"))
        let line = tokens.currentLine
        let q = try tokens.number("Q")
        if let capacity, capacity != q {
            throw InputError(file: path, line: line, column: "Q", "unit \(i + 1) has capacity \(q), others \(capacity): per-median capacities that differ are not supported")
        }
        capacity = q
        let d = try tokens.number("demand")
        guard d >= 0 else { throw InputError(file: path, line: tokens.tokens[tokens.next - 1].line, column: "demand", "negative demand \(d)") }
        demand.append(d)
    }
    guard tokens.atEnd else { throw InputError(file: path, line: tokens.currentLine, "unexpected data after \(n) units") }
    return (n, p, x, y, capacity!, demand)
}

func readCPMP(_ path: String, metric: Metric) throws(InputError) -> DesignProblem {
    let file = try readCPMPUnits(path)
    let units = try UnitTable(
        ids: unitIDs(file.n), x: file.x, y: file.y, measures: [Measure(name: "demand", values: file.demand)])
    return DesignProblem(
        name: Files.baseName(path), units: units, distances: Distances(metric: metric, x: file.x, y: file.y), k: file.p,
        balance: [BalanceRequirement(measure: 0, capacities: Array(repeating: file.capacity, count: file.p))])
}

func readSpain737(_ path: String) throws(InputError) -> DesignProblem {
    let file = try readCPMPUnits(path)
    let gridPath = Files.sibling(of: path, named: "spain.grd")
    var grid = TokenReader(try Files.read(gridPath), file: gridPath)
    let n = file.n
    guard grid.tokens.count == n * n else {
        throw InputError(file: gridPath, "holds \(grid.tokens.count) distances; \(n) units need \(n * n)")
    }
    var matrix = [Double](repeating: 0, count: n * n)
    for e in 0..<(n * n) {
        let d = try grid.number("distance")
        guard d >= 0 else { throw InputError(file: gridPath, line: grid.tokens[e].line, "negative distance \(d)") }
        matrix[e] = d
    }
    let units = try UnitTable(
        ids: unitIDs(n), coordinateSystem: .geographic, x: file.x, y: file.y,
        measures: [Measure(name: "demand", values: file.demand)])
    return DesignProblem(
        name: Files.baseName(path), units: units, distances: Distances(matrix: matrix, count: n), k: file.p,
        balance: [BalanceRequirement(measure: 0, capacities: Array(repeating: file.capacity, count: file.p))])
}

func readCountyJSON(_ path: String) throws(InputError) -> DesignProblem {
    let json = try JSONValue.parse(Files.read(path), file: path)
    func fail(_ message: String) -> InputError { InputError(file: path, message) }
    guard let nodes = json["nodes"]?.array, !nodes.isEmpty else { throw fail("missing or empty \"nodes\" array") }
    guard let adjacency = json["adjacency"]?.array else { throw fail("missing \"adjacency\" array") }
    guard adjacency.count == nodes.count else {
        throw fail("\"adjacency\" has \(adjacency.count) rows for \(nodes.count) nodes")
    }
    // Measures: attributes numeric in every node, in the first node's key order ("id" excluded).
    guard let firstNode = nodes[0].object else { throw fail("nodes[0] is not an object") }
    var measureNames = firstNode.compactMap { key, value in key != "id" && value.number != nil ? key : nil }
    var ids: [String] = [], xs: [Double] = [], ys: [Double] = []
    for (n, node) in nodes.enumerated() {
        guard node.object != nil else { throw fail("nodes[\(n)] is not an object") }
        if let id = node["id"]?.number, Int(id) != n {
            throw fail("nodes[\(n)]: \"id\" is \(Int(id)); nodes must be listed in id order")
        }
        guard let geoid = node["GEOID10"]?.string ?? node["GEOID10"]?.number.map({ JSONValue.format($0) }) else {
            throw fail("nodes[\(n)]: missing \"GEOID10\"")
        }
        // Centroid C_X/C_Y where the file has it, else the census interior point (strings).
        func coordinate(_ numeric: String, _ text: String) -> Double? {
            node[numeric]?.number ?? node[text]?.string.flatMap { parseNumber(ArraySlice($0.utf8)) }
        }
        guard let x = coordinate("C_X", "INTPTLON10"), let y = coordinate("C_Y", "INTPTLAT10") else {
            throw fail("nodes[\(n)]: missing coordinates (\"C_X\"/\"C_Y\" or \"INTPTLON10\"/\"INTPTLAT10\")")
        }
        ids.append(geoid)
        xs.append(x)
        ys.append(y)
        measureNames.removeAll { node[$0]?.number == nil }
    }
    let measures = measureNames.map { name in Measure(name: name, values: nodes.map { $0[name]!.number! }) }
    var pairs: [(Int, Int)] = []
    for (i, row) in adjacency.enumerated() {
        guard let list = row.array else { throw fail("adjacency[\(i)] is not an array") }
        for (e, entry) in list.enumerated() {
            guard let j = entry["id"]?.number, j == j.rounded(), j >= 0, Int(j) < nodes.count else {
                throw fail("adjacency[\(i)][\(e)]: \"id\" is not a node index")
            }
            pairs.append((i, Int(j)))
        }
    }
    let units: UnitTable
    do {
        units = try UnitTable(ids: ids, coordinateSystem: .geographic, x: xs, y: ys, measures: measures)
    } catch {
        throw error.inFile(path)
    }
    return DesignProblem(
        name: Files.baseName(path), units: units, distances: Distances(metric: .haversine, x: xs, y: ys),
        adjacency: Adjacency(unitCount: ids.count, pairs: pairs), k: 0)
}
