import TerritoryCore

/// Matches the territories of a plan to the labels of a baseline plan.
///
/// Territories whose label is also a baseline label match by label (the solver kept today's
/// names). The others — relabelled or new territories — are matched one-to-one to the remaining
/// baseline labels maximising the total overlap of `measure` (unit counts when nil), the
/// assignment problem solved exactly by the Hungarian method.
///
/// - Returns: for each territory of `plan`, the baseline label it stands for, or nil when the plan
///   has more territories than the baseline (a new territory).
/// - Complexity: O(n) by label; O(n + k³) by overlap.
///
/// With `byLabelOnly` (territories named by the problem: a label is a rep) only equal labels
/// match; a new rep's territory is new even when it covers a removed rep's units.
public func matchTerritories(of plan: Plan, to baseline: Plan, measure: [Double]?, byLabelOnly: Bool = false) -> (labels: [String?], byOverlap: Bool) {
    // Territories that kept a baseline label keep it; the others (relabelled or new) are
    // matched one-to-one to the remaining baseline labels by maximum overlap.
    let baselineIndex = Dictionary(baseline.labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    var labels: [String?] = plan.labels.map { baselineIndex[$0] != nil ? $0 : nil }
    let free = (0..<plan.k).filter { labels[$0] == nil }
    if free.isEmpty || byLabelOnly { return (labels, false) }
    let used = Set(labels.compactMap { $0 })
    let remaining = (0..<baseline.k).filter { !used.contains(baseline.labels[$0]) }
    if remaining.isEmpty { return (labels, false) }
    var row = [Int](repeating: -1, count: plan.k), column = [Int](repeating: -1, count: baseline.k)
    for (r, t) in free.enumerated() { row[t] = r }
    for (c, b) in remaining.enumerated() { column[b] = c }
    let size = max(free.count, remaining.count)
    var cost = [Double](repeating: 0, count: size * size)
    for i in 0..<min(plan.assignment.count, baseline.assignment.count) {
        let t = Int(plan.assignment[i]), b = Int(baseline.assignment[i])
        guard t >= 0, b >= 0, row[t] >= 0, column[b] >= 0 else { continue }
        cost[row[t] * size + column[b]] -= measure?[i] ?? 1
    }
    let assignment = hungarianMinimumCost(cost, size: size)
    for (r, t) in free.enumerated() where assignment[r] < remaining.count {
        labels[t] = baseline.labels[remaining[assignment[r]]]
    }
    return (labels, true)
}

/// Minimum-cost perfect matching of rows to columns of a square `size × size` matrix
/// (row-major). Returns the column of each row. O(size³) (Kuhn–Munkres with potentials).
func hungarianMinimumCost(_ cost: [Double], size n: Int) -> [Int] {
    if n == 0 { return [] }
    // 1-based arrays as in the classic potential formulation; column 0 is a sentinel.
    var u = [Double](repeating: 0, count: n + 1)
    var v = [Double](repeating: 0, count: n + 1)
    var rowOfColumn = [Int](repeating: 0, count: n + 1)
    var way = [Int](repeating: 0, count: n + 1)
    for row in 1...n {
        rowOfColumn[0] = row
        var column0 = 0
        var minSlack = [Double](repeating: .infinity, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        repeat {
            used[column0] = true
            let row0 = rowOfColumn[column0]
            var delta = Double.infinity
            var column1 = 0
            for j in 1...n where !used[j] {
                let current = cost[(row0 - 1) * n + (j - 1)] - u[row0] - v[j]
                if current < minSlack[j] {
                    minSlack[j] = current
                    way[j] = column0
                }
                if minSlack[j] < delta {
                    delta = minSlack[j]
                    column1 = j
                }
            }
            for j in 0...n {
                if used[j] {
                    u[rowOfColumn[j]] += delta
                    v[j] -= delta
                } else {
                    minSlack[j] -= delta
                }
            }
            column0 = column1
        } while rowOfColumn[column0] != 0
        repeat {
            let column1 = way[column0]
            rowOfColumn[column0] = rowOfColumn[column1]
            column0 = column1
        } while column0 != 0
    }
    var result = [Int](repeating: 0, count: n)
    for j in 1...n where rowOfColumn[j] > 0 { result[rowOfColumn[j] - 1] = j - 1 }
    return result
}
