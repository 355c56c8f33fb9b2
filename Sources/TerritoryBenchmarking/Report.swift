import TerritoryCore
import TerritoryEvaluation
import TerritoryIO

/// Summary of one suite × method.
public struct BenchmarkSummary: Sendable {
    public var suite: String
    public var method: String
    public var runs = 0
    public var feasible = 0
    public var failures = 0
    public var withReference = 0
    public var atReference = 0
    public var gaps: [Double] = []
    public var seconds = 0.0
    public var cpuSeconds = 0.0

    public var meanGap: Double? { gaps.isEmpty ? nil : gaps.reduce(0, +) / Double(gaps.count) }
    public var maxGap: Double? { gaps.max() }
}

public func summarize(_ rows: [BenchmarkRow]) -> [BenchmarkSummary] {
    var order: [String] = []
    var table: [String: BenchmarkSummary] = [:]
    for row in rows {
        let key = row.suite + "\u{0}" + row.method
        if table[key] == nil {
            order.append(key)
            table[key] = BenchmarkSummary(suite: row.suite, method: row.method)
        }
        table[key]!.runs += 1
        if row.failed { table[key]!.failures += 1 }
        if row.feasible { table[key]!.feasible += 1 }
        if row.reference != nil && !row.failed {
            table[key]!.withReference += 1
            if row.atReference { table[key]!.atReference += 1 }
            if let gap = row.gap, row.feasible { table[key]!.gaps.append(gap) }
        }
        table[key]!.seconds += row.seconds ?? 0
        table[key]!.cpuSeconds += row.cpuSeconds ?? 0
    }
    return order.map { table[$0]! }
}

func percent(_ x: Double?, decimals: Int = 3) -> String { x.map { formatFixed($0 * 100, decimals: decimals) } ?? "–" }
func number(_ x: Double?, decimals: Int = 2) -> String { x.map { formatFixed($0, decimals: decimals) } ?? "–" }

/// The results as Markdown: one table per suite, then the summary table.
public func markdownReport(_ rows: [BenchmarkRow]) -> String {
    var out = ""
    var suites: [String] = []
    for row in rows where !suites.contains(row.suite) { suites.append(row.suite) }
    for suite in suites {
        out += "#### \(suite)\n\n"
        out += "| instance | n | k | reference | method | seed | travel | gap % | bound | proven gap % | max dev % | feasible | status | first feasible s | s | CPU s |\n"
        out += "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|:---:|---|---:|---:|---:|\n"
        for row in rows where row.suite == suite {
            let reference = row.reference.map { number($0) + (row.referenceStatus == "best-known" ? "*" : "") } ?? "–"
            out += "| \(row.instance) | \(row.units.map(String.init) ?? "–") | \(row.k.map(String.init) ?? "–") | \(reference) | \(row.method) | \(row.seed.map(String.init) ?? "–") | \(number(row.travel)) | \(percent(row.gap)) | \(number(row.bound)) | \(percent(row.provenGap)) | \(percent(row.maxDeviation, decimals: 2)) | \(row.feasible ? "yes" : "no") | \(row.status) | \(number(row.firstFeasibleSeconds)) | \(number(row.seconds)) | \(number(row.cpuSeconds)) |\n"
        }
        out += "\n"
    }
    out += "#### Summary\n\n"
    out += "| suite | method | runs | feasible | failures | at reference | mean gap % | max gap % | wall s | CPU s |\n"
    out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for s in summarize(rows) {
        let atRef = s.withReference > 0 ? "\(s.atReference)/\(s.withReference)" : "–"
        out += "| \(s.suite) | \(s.method) | \(s.runs) | \(s.feasible) | \(s.failures) | \(atRef) | \(percent(s.meanGap)) | \(percent(s.maxGap)) | \(number(s.seconds, decimals: 1)) | \(number(s.cpuSeconds, decimals: 1)) |\n"
    }
    out += "\n`*` best known, not proven optimal. Gap = (travel − reference) / reference; negative means better than the reference.\n"
    let failures = rows.filter(\.failed)
    if !failures.isEmpty {
        out += "\nFailures:\n\n"
        for row in failures { out += "- \(row.suite)/\(row.instance) \(row.method): \(row.message ?? row.status)\n" }
    }
    return out
}

/// A row that got worse than in a baseline run.
public struct Regression: Sendable, CustomStringConvertible {
    public var instance: String
    public var method: String
    public var what: String
    public var description: String { "\(instance) \(method): \(what)" }
}

/// Compares rows with a baseline run (matched by suite, instance, method and seed): flags a
/// lost feasibility, a gap worse by more than `gapTolerance` (absolute, 0.001 = 0.1 points),
/// travel worse by more than that fraction where there is no reference, and runs more than
/// twice as slow (and over one second).
public func regressions(_ rows: [BenchmarkRow], baseline: [BenchmarkRow], gapTolerance: Double = 0.001) -> [Regression] {
    var index: [String: BenchmarkRow] = [:]
    func key(_ r: BenchmarkRow) -> String { "\(r.suite)|\(r.instance)|\(r.method)|\(r.seed.map(String.init) ?? "-")" }
    for r in baseline { index[key(r)] = r }
    var found: [Regression] = []
    for row in rows {
        guard let old = index[key(row)] else { continue }
        if row.failed && !old.failed { found.append(Regression(instance: row.instance, method: row.method, what: "now fails: \(row.message ?? row.status)")) }
        if old.feasible && !row.feasible { found.append(Regression(instance: row.instance, method: row.method, what: "no longer feasible")) }
        if let g = row.gap, let og = old.gap, g > og + gapTolerance {
            found.append(Regression(instance: row.instance, method: row.method, what: "gap \(percent(og)) % → \(percent(g)) %"))
        } else if row.gap == nil, let t = row.travel, let ot = old.travel, row.feasible, old.feasible, t > ot * (1 + gapTolerance) {
            found.append(Regression(instance: row.instance, method: row.method, what: "travel \(number(ot)) → \(number(t))"))
        }
        if let s = row.seconds, let os = old.seconds, s > 2 * os && s > 1 {
            found.append(Regression(instance: row.instance, method: row.method, what: "time \(number(os)) s → \(number(s)) s"))
        }
    }
    return found
}

/// JSON lines: one object per row.
public func jsonLines(_ rows: [BenchmarkRow]) -> String {
    rows.map { $0.json.serialized + "\n" }.joined()
}

/// Reads rows from JSON lines (a baseline).
public func readJSONLines(_ path: String) throws(InputError) -> [BenchmarkRow] {
    let text = String(decoding: try Files.read(path), as: UTF8.self)
    var rows: [BenchmarkRow] = []
    for (n, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
        do {
            rows.append(BenchmarkRow(json: try JSONValue.parse(Array(line.utf8), file: path)))
        } catch {
            throw InputError(file: path, line: n + 1, error.message)
        }
    }
    return rows
}
