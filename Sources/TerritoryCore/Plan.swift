/// An assignment of units to k territories, with optional fixed centers.
///
/// Territories are dense indices `0..<k`; `labels` gives their external names. A unit with
/// territory -1 is unassigned (an infeasible plan, but one the evaluator can score).
public struct Plan: Sendable, Hashable {
    /// Territory index per unit, or -1.
    public var assignment: [Int32]
    /// Territory labels (count k, unique).
    public var labels: [String]
    /// Fixed center per territory (count k); nil means the evaluator uses the medoid.
    public var centers: [Center?]

    public var k: Int { labels.count }
    public var unitCount: Int { assignment.count }

    public init(assignment: [Int32], labels: [String], centers: [Center?]? = nil) {
        precondition(centers == nil || centers!.count == labels.count, "one center slot per territory")
        self.assignment = assignment
        self.labels = labels
        self.centers = centers ?? Array(repeating: nil, count: labels.count)
    }

    /// Members of every territory, each list ascending by unit index.
    /// - Complexity: O(n + k) time and memory (counting sort).
    public func members() -> TerritoryMembers {
        TerritoryMembers(assignment: assignment, k: k)
    }
}

/// Members of each territory in compressed rows: `self[t]` lists the units of territory t in
/// ascending index order. Unassigned units appear in no row.
public struct TerritoryMembers: Sendable {
    public let k: Int
    @usableFromInline let offsets: [Int]
    @usableFromInline let units: [Int32]

    public init(assignment: [Int32], k: Int) {
        var counts = [Int](repeating: 0, count: k + 1)
        for t in assignment where t >= 0 { counts[Int(t) + 1] += 1 }
        for t in 0..<k { counts[t + 1] += counts[t] }
        var fill = Array(counts.dropLast())
        var units = [Int32](repeating: 0, count: counts[k])
        for (i, t) in assignment.enumerated() where t >= 0 {
            units[fill[Int(t)]] = Int32(i)
            fill[Int(t)] += 1
        }
        self.k = k
        self.offsets = counts
        self.units = units
    }

    @inlinable public subscript(t: Int) -> ArraySlice<Int32> { units[offsets[t]..<offsets[t + 1]] }
    @inlinable public func count(_ t: Int) -> Int { offsets[t + 1] - offsets[t] }
}

extension DesignProblem {
    /// Maps a plan read from a file onto this problem's territories, so that territory `t` of the
    /// result is territory `t` of the problem.
    ///
    /// With named territories (reps, fixed centers) every plan label must be a problem label.
    /// Otherwise plan territories keep their order and labels and any territories the plan does
    /// not use are added empty, labelled `(empty N)`. The plan's own centers win over the
    /// problem's; the problem's fixed centers fill the rest.
    public func align(_ plan: Plan, file: String? = nil) throws(InputError) -> Plan {
        guard plan.unitCount == unitCount else {
            throw InputError(file: file, "the plan covers \(plan.unitCount) units, the problem has \(unitCount)")
        }
        var mapping = [Int32](repeating: -1, count: plan.k)
        var labels: [String]
        var centers: [Center?]
        if territoriesAreNamed {
            var index: [String: Int] = [:]
            for (t, spec) in territories.enumerated() { index[spec.label] = t }
            labels = territories.map(\.label)
            centers = territories.map(\.center)
            for (pt, label) in plan.labels.enumerated() {
                guard let t = index[label] else {
                    throw InputError(file: file, column: "territory", "plan territory \"\(label)\" is not a territory of the problem")
                }
                mapping[pt] = Int32(t)
                if let c = plan.centers[pt] { centers[t] = c }
            }
        } else {
            guard plan.k <= k else {
                throw InputError(file: file, "the plan has \(plan.k) territories but k = \(k)")
            }
            labels = plan.labels
            centers = plan.centers
            var used = Set(labels)
            var extra = 1
            while labels.count < k {
                var label = "(empty \(extra))"
                while used.contains(label) { extra += 1; label = "(empty \(extra))" }
                used.insert(label)
                labels.append(label)
                centers.append(nil)
            }
            for t in 0..<k where centers[t] == nil { centers[t] = territories[t].center }
            for pt in 0..<plan.k { mapping[pt] = Int32(pt) }
        }
        let assignment = plan.assignment.map { $0 < 0 ? -1 : mapping[Int($0)] }
        return Plan(assignment: assignment, labels: labels, centers: centers)
    }
}

/// A plan whose territories are the distinct non-empty labels, in order of first appearance.
public func planFromLabels(_ labels: [String]) -> Plan {
    var index: [String: Int32] = [:]
    var names: [String] = []
    let assignment = labels.map { label -> Int32 in
        if label.isEmpty { return -1 }
        if let t = index[label] { return t }
        let t = Int32(names.count)
        index[label] = t
        names.append(label)
        return t
    }
    return Plan(assignment: assignment, labels: names)
}
