import TerritoryCore
import TerritoryIO

/// One benchmark instance of a manifest (`datasets/benchmarks.csv`).
public struct BenchmarkEntry: Sendable, Hashable {
    public var suite: String
    public var instance: String
    /// A path relative to the manifest's folder (or `--data-dir`), or for `synthetic` a
    /// generator spec `layout:n:seed` (`uniform:100000:1`).
    public var file: String
    public var format: String
    public var k: Int?
    /// Balance bands: measure name → tolerance.
    public var balance: [(measure: String, tolerance: Double)]
    /// Capacities: measure name → capacity per territory.
    public var capacity: [(measure: String, capacity: Double)]
    public var contiguous: Bool
    /// Per-run time limit for this instance (overrides the runner's default).
    public var timeLimitSeconds: Double?
    /// The reference travel (proven optimum or best known), if any.
    public var reference: Double?
    /// `optimal`, `flagged-optimal` or `best-known`.
    public var referenceStatus: String
    /// Manifest line, for messages.
    public var line: Int

    public static func == (l: BenchmarkEntry, r: BenchmarkEntry) -> Bool { l.suite == r.suite && l.instance == r.instance && l.line == r.line }
    public func hash(into h: inout Hasher) { h.combine(suite); h.combine(instance); h.combine(line) }
}

/// A manifest row that could not be read: reported as a failed row, the rest goes on.
public struct ManifestProblem: Sendable {
    public var line: Int
    public var instance: String
    public var message: String
}

/// Reads a benchmark manifest CSV:
/// `suite,instance,file,format,k,balance,capacity,contiguous,time_limit,reference,reference_status`
/// where `balance` is `MEASURE=TOL;…`, `capacity` is `MEASURE=CAP;…`, and empty fields mean
/// "from the instance file" or "none". A malformed row becomes a ``ManifestProblem`` instead of
/// stopping the run; a malformed file (missing columns) throws.
public func readManifest(_ path: String) throws(InputError) -> (entries: [BenchmarkEntry], problems: [ManifestProblem]) {
    let csv = try CSVDocument(data: Files.read(path), file: path)
    let required = ["suite", "instance", "file", "format"]
    for name in required where csv.column(named: name) == nil {
        throw InputError(file: path, line: 1, column: name, "missing column")
    }
    func column(_ name: String) -> Int? { csv.column(named: name) }
    var entries: [BenchmarkEntry] = []
    var problems: [ManifestProblem] = []
    for r in 0..<csv.recordCount {
        let line = csv.line(r)
        func text(_ name: String) -> String { column(name).flatMap { try? csv.string(r, $0) } ?? "" }
        let instance = text("instance")
        do throws(InputError) {
            func fail(_ column: String, _ message: String) -> InputError { InputError(file: path, line: line, column: column, message) }
            guard !instance.isEmpty else { throw fail("instance", "empty instance name") }
            let format = text("format")
            guard format == "synthetic" || InstanceFormat(rawValue: format) != nil else {
                throw fail("format", "unknown format \"\(format)\"")
            }
            var k: Int?
            if !text("k").isEmpty {
                guard let value = Int(text("k")), value >= 1 else { throw fail("k", "\"\(text("k"))\" is not a positive integer") }
                k = value
            }
            func pairs(_ name: String) throws(InputError) -> [(String, Double)] {
                var result: [(String, Double)] = []
                for item in text(name).split(separator: ";") where !item.isEmpty {
                    let parts = item.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, let value = Double(parts[1]), value.isFinite, value >= 0 else {
                        throw fail(name, "\"\(item)\" should look like MEASURE=NUMBER")
                    }
                    result.append((String(parts[0]), value))
                }
                return result
            }
            let balance = try pairs("balance")
            let capacity = try pairs("capacity")
            var timeLimit: Double?
            if !text("time_limit").isEmpty {
                guard let t = Double(text("time_limit")), t > 0 else { throw fail("time_limit", "\"\(text("time_limit"))\" is not a positive number of seconds") }
                timeLimit = t
            }
            var reference: Double?
            if !text("reference").isEmpty {
                guard let v = Double(text("reference")), v.isFinite else { throw fail("reference", "\"\(text("reference"))\" is not a number") }
                reference = v
            }
            let contiguous = ["true", "1", "yes"].contains(text("contiguous").lowercased())
            entries.append(BenchmarkEntry(
                suite: text("suite"), instance: instance, file: text("file"), format: format, k: k,
                balance: balance.map { ($0.0, $0.1) }, capacity: capacity.map { ($0.0, $0.1) }, contiguous: contiguous,
                timeLimitSeconds: timeLimit, reference: reference, referenceStatus: text("reference_status"), line: line))
        } catch {
            problems.append(ManifestProblem(line: line, instance: instance, message: error.description))
        }
    }
    return (entries, problems)
}

extension BenchmarkEntry {
    /// Loads the instance as a validated problem. Files resolve against `dataDirectory`.
    public func loadProblem(dataDirectory: String) throws(InputError) -> DesignProblem {
        var problem: DesignProblem
        if format == "synthetic" {
            let parts = file.split(separator: ":")
            guard parts.count == 3, let layout = SyntheticInstance.Layout(rawValue: String(parts[0])),
                  let n = Int(parts[1]), n >= 1, let seed = UInt64(parts[2]) else {
                throw InputError(column: "file", "synthetic spec \"\(file)\" should look like uniform:100000:1 (layout:n:seed)")
            }
            let units = SyntheticInstance.units(count: n, layout: layout, seed: seed)
            problem = DesignProblem(name: instance, units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: 0)
        } else {
            let path = file.hasPrefix("/") ? file : dataDirectory + "/" + file
            problem = try readInstance(path, format: InstanceFormat(rawValue: format)!)
            problem.name = instance
        }
        if let k { problem.setTerritoryCount(k) }
        guard problem.k > 0 else { throw InputError(column: "k", "the instance sets no k; give one in the manifest") }
        for (measure, tolerance) in balance {
            guard let m = problem.units.measureIndex(named: measure) else { throw InputError(column: "balance", "unknown measure \"\(measure)\"") }
            if let r = problem.balance.firstIndex(where: { $0.measure == m }) { problem.balance[r].tolerance = tolerance }
            else { problem.balance.append(BalanceRequirement(measure: m, tolerance: tolerance)) }
        }
        for (measure, cap) in capacity {
            guard let m = problem.units.measureIndex(named: measure) else { throw InputError(column: "capacity", "unknown measure \"\(measure)\"") }
            var req = problem.balance.first { $0.measure == m } ?? BalanceRequirement(measure: m)
            req.uniformCapacity = cap
            req.capacities = Array(repeating: cap, count: problem.k)
            problem.balance.removeAll { $0.measure == m }
            problem.balance.append(req)
        }
        if contiguous { problem.requiresContiguity = true }
        if problem.k <= problem.unitCount { try problem.validate() }
        return problem
    }
}
