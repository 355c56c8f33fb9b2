import TerritoryCore

/// Which territory a unit may join: locks pin units, skills restrict segments.
struct SearchRules: Sendable {
    /// The territory each locked unit must stay in (nil: free).
    let lockedTerritory: [Int?]
    private let segmentOf: [Int32]  // -1: no segment
    private let segmentCount: Int
    private let allowed: [Bool]  // k × segmentCount; row of a territory without restriction is all true
    let hasRestrictions: Bool

    /// `labels` are the territory labels the solver uses (locks refer to these); `frozen`
    /// pins every unit with a non-negative entry to that territory (a zero disruption budget).
    init(problem: DesignProblem, labels: [String], frozen: [Int32]? = nil) {
        let n = problem.unitCount, k = problem.k
        var locked = [Int?](repeating: nil, count: n)
        if let flags = problem.units.locked, let current = problem.units.currentTerritory {
            var index: [String: Int] = [:]
            for (t, label) in labels.enumerated() { index[label] = t }
            for i in 0..<n where flags[i] { locked[i] = index[current[i]] }
        }
        if let frozen { for i in 0..<n where frozen[i] >= 0 { locked[i] = Int(frozen[i]) } }
        lockedTerritory = locked
        var segmentIndex: [String: Int32] = [:]
        var segmentOf = [Int32](repeating: -1, count: n)
        if let segments = problem.units.segments {
            for i in 0..<n where !segments[i].isEmpty {
                if let s = segmentIndex[segments[i]] {
                    segmentOf[i] = s
                } else {
                    let s = Int32(segmentIndex.count)
                    segmentIndex[segments[i]] = s
                    segmentOf[i] = s
                }
            }
        }
        let count = segmentIndex.count
        var allowed = [Bool](repeating: true, count: k * max(count, 1))
        var restricted = false
        for (t, spec) in problem.territories.enumerated() {
            guard let list = spec.allowedSegments else { continue }
            restricted = true
            let permitted = Set(list)
            for (name, s) in segmentIndex { allowed[t * count + Int(s)] = permitted.contains(name) }
        }
        self.segmentOf = segmentOf
        self.segmentCount = count
        self.allowed = allowed
        self.hasRestrictions = restricted || locked.contains { $0 != nil }
    }

    /// Whether unit `i` may be in territory `t` (its segment is served; a locked unit only in its own).
    @inline(__always) func canServe(_ t: Int, _ i: Int) -> Bool {
        if let l = lockedTerritory[i], l != t { return false }
        let s = segmentOf[i]
        return s < 0 || allowed[t * segmentCount + Int(s)]
    }

    @inline(__always) func isMovable(_ i: Int) -> Bool { lockedTerritory[i] == nil }
}
