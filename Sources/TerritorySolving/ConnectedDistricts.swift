import TerritoryCore

/// Exhaustive search for one contiguous territory: is there a connected set of units that
/// contains a given unit and meets every balance band? When some unit has no such set, no
/// contiguous plan exists — that unit cannot belong to any territory. With k = 2 the search also
/// requires the rest of the units to form the other territory (connected, within the bands),
/// which makes it an exact feasibility test.
///
/// Relaxations that keep the proof valid: the bands are the loosest over all territories;
/// locks, skills and travel are ignored; the other k − 1 territories only constrain the set
/// through their totals (the set must leave between (k − 1)·lower and (k − 1)·upper of every
/// measure).
///
/// Search: include/exclude branching on the set's frontier (each connected set is reached
/// once), pruned by the upper bands (measures must be non-negative) and, for a measure still
/// below its lower band, by a fractional knapsack over the units still reachable against each
/// other measure's remaining room.
/// - Complexity: exponential in the worst case; every call is capped by `nodeLimit` search
///   nodes of O(n + m + n log n) each. O(n) memory besides the recursion (depth ≤ n).
public struct ConnectedDistrictSearch: Sendable {
    public enum Result: Sendable, Equatable {
        /// A connected set containing the unit meets every band (units listed).
        case found([Int])
        /// Proven: no such set exists.
        case none
        /// The node limit ran out first.
        case undecided
    }

    let adjacency: Adjacency
    let n: Int
    let k: Int
    let values: [[Double]]
    let names: [String]
    /// Loosest band over all territories, per requirement.
    let bandLower: [Double]
    let bandUpper: [Double]
    /// Search nodes examined by the last call.
    public private(set) var nodes = 0

    /// Nil when the problem has no contiguity requirement, no band with a positive lower bound,
    /// or a negative measure value.
    public init?(_ problem: DesignProblem) {
        guard problem.requiresContiguity, let adjacency = problem.adjacency, !problem.balance.isEmpty else { return nil }
        let k = problem.k
        var values: [[Double]] = [], names: [String] = [], bandLower: [Double] = [], bandUpper: [Double] = []
        let totals = problem.measureTotals
        for req in problem.balance {
            let measure = problem.units.measures[req.measure]
            guard measure.values.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return nil }
            let total = totals[req.measure]
            var lo = Double.infinity, hi = -Double.infinity
            for t in 0..<k {
                lo = min(lo, req.lowerBound(t, total: total, k: k))
                hi = max(hi, req.upperBound(t, total: total, k: k))
            }
            bandLower.append(lo)
            bandUpper.append(hi)
            values.append(measure.values)
            names.append(measure.name)
        }
        guard bandLower.contains(where: { $0 > 0 }) else { return nil }
        self.adjacency = adjacency
        self.n = problem.unitCount
        self.k = k
        self.values = values
        self.names = names
        self.bandLower = bandLower
        self.bandUpper = bandUpper
    }

    /// Searches the connected sets containing `unit`, examining at most `nodeLimit` nodes.
    public mutating func district(containing unit: Int, nodeLimit: Int) -> Result {
        precondition(unit >= 0 && unit < n)
        var budget = Budget(limit: nodeLimit)
        var level = Level(search: self, active: Array(repeating: true, count: n), territories: k)
        let outcome = level.search(from: unit, budget: &budget) { level, _ in k != 2 || level.restIsConnected() }
        nodes = budget.used
        switch outcome {
        case .some(true): return .found(level.members.sorted())
        case .some(false): return .none
        case .none: return .undecided
        }
    }

    struct Budget {
        let limit: Int
        var used = 0
    }

    /// The search for one territory among the `active` units, with `territories` territories
    /// (this one included) to place in them.
    struct Level {
        let search: ConnectedDistrictSearch
        let active: [Bool]
        let lower: [Double]
        let upper: [Double]
        let activeCount: Int
        let totals: [Double]
        var inSet: [Bool]
        var blocked: [Int32]
        var sums: [Double]
        var members: [Int] = []

        init(search: ConnectedDistrictSearch, active: [Bool], territories: Int) {
            self.search = search
            self.active = active
            var totals = [Double](repeating: 0, count: search.values.count)
            var count = 0
            for i in active.indices where active[i] {
                count += 1
                for r in totals.indices { totals[r] += search.values[r][i] }
            }
            activeCount = count
            self.totals = totals
            // The set must leave room for the other territories' bands.
            let rest = Double(territories - 1)
            lower = totals.indices.map { r in
                let hi = search.bandUpper[r]
                return max(search.bandLower[r], hi.isFinite ? totals[r] - rest * hi : -.infinity) * (1 - 1e-12)
            }
            upper = totals.indices.map { r in
                let lo = search.bandLower[r]
                return min(search.bandUpper[r], lo.isFinite ? totals[r] - rest * max(lo, 0) : .infinity) * (1 + 1e-12)
            }
            inSet = Array(repeating: false, count: active.count)
            blocked = Array(repeating: 0, count: active.count)
            sums = Array(repeating: 0, count: totals.count)
        }

        func fits(_ v: Int) -> Bool {
            for r in sums.indices where sums[r] + search.values[r][v] > upper[r] { return false }
            return true
        }

        mutating func add(_ v: Int) {
            inSet[v] = true
            members.append(v)
            for r in sums.indices { sums[r] += search.values[r][v] }
        }

        mutating func remove(_ v: Int) {
            inSet[v] = false
            members.removeLast()
            for r in sums.indices { sums[r] -= search.values[r][v] }
        }

        var withinBands: Bool {
            for r in sums.indices where sums[r] < lower[r] || sums[r] > upper[r] { return false }
            return true
        }

        /// Whether the active units outside the set are connected (and there are some).
        func restIsConnected() -> Bool {
            guard let first = active.indices.first(where: { active[$0] && !inSet[$0] }) else { return false }
            var seen = [Bool](repeating: false, count: active.count)
            var stack = [first]
            seen[first] = true
            var count = 1
            while let u = stack.popLast() {
                for v32 in search.adjacency.neighbours(of: u) {
                    let v = Int(v32)
                    if active[v] && !inSet[v] && !seen[v] {
                        seen[v] = true
                        count += 1
                        stack.append(v)
                    }
                }
            }
            return count == activeCount - members.count
        }

        /// Include/exclude search over connected sets containing `unit`; `accept` decides a set
        /// that meets the bands. true: accepted (the set is in `members`); false: proven none;
        /// nil: node limit.
        mutating func search(from unit: Int, budget: inout Budget, accept: (Level, inout Budget) -> Bool) -> Bool? {
            guard active[unit], fits(unit) else { return false }
            add(unit)
            return step(budget: &budget, accept: accept)
        }

        private mutating func step(budget: inout Budget, accept: (Level, inout Budget) -> Bool) -> Bool? {
            budget.used += 1
            if budget.used > budget.limit { return nil }
            if withinBands {
                if accept(self, &budget) { return true }
                if budget.used > budget.limit { return nil }
            }
            let values = search.values
            // Units the set can still grow into: reachable through active units that each fit.
            var reachable: [Int] = []
            var frontier: [Int] = []
            var seen = [Bool](repeating: false, count: active.count)
            var stack = members
            for m in members { seen[m] = true }
            while let u = stack.popLast() {
                for v32 in search.adjacency.neighbours(of: u) {
                    let v = Int(v32)
                    guard !seen[v] else { continue }
                    seen[v] = true
                    guard active[v], blocked[v] == 0, fits(v) else { continue }
                    reachable.append(v)
                    if inSet[u] { frontier.append(v) }
                    stack.append(v)
                }
            }
            if frontier.isEmpty { return false }
            // Bound: every measure below its lower band must be reachable within the others' room.
            var deficient: [Int] = []
            for r in sums.indices where sums[r] < lower[r] {
                deficient.append(r)
                var best = 0.0
                for v in reachable { best += values[r][v] }
                for q in sums.indices where q != r && upper[q].isFinite {
                    best = min(best, knapsack(reachable, gain: r, cost: q, room: upper[q] - sums[q]))
                }
                if sums[r] + best < lower[r] { return false }
            }
            // Branch on the frontier unit that covers most of the shortfall.
            var pick = frontier[0], pickScore = -Double.infinity
            for v in frontier {
                var s = 0.0
                for r in deficient { s += values[r][v] / max(lower[r] - sums[r], 1e-12) }
                if s > pickScore { pickScore = s; pick = v }
            }
            add(pick)
            let included = step(budget: &budget, accept: accept)
            if included != false { return included }
            remove(pick)
            blocked[pick] += 1
            let excluded = step(budget: &budget, accept: accept)
            blocked[pick] -= 1
            return excluded
        }

        /// Fractional knapsack: the most of measure `gain` the units can add with at most `room`
        /// of measure `cost`.
        private func knapsack(_ units: [Int], gain: Int, cost: Int, room: Double) -> Double {
            var free = 0.0
            var items: [(ratio: Double, gain: Double, cost: Double)] = []
            for v in units {
                let g = search.values[gain][v], c = search.values[cost][v]
                if c <= 0 { free += g } else if g > 0 { items.append((g / c, g, c)) }
            }
            items.sort { $0.ratio > $1.ratio }
            var left = room, total = free
            for item in items {
                if left <= 0 { break }
                if item.cost <= left { total += item.gain; left -= item.cost } else { total += item.ratio * left; left = 0 }
            }
            return total
        }
    }

    /// Tries every unit (largest first in the first measure; units inside an already found set
    /// need no search of their own) within a total of `nodeLimit` nodes. Returns the proof's
    /// explanation when some unit has no district, nil otherwise.
    public mutating func proveInfeasible(ids: [String], nodeLimit: Int) -> String? {
        var covered = [Bool](repeating: false, count: n)
        let order = (0..<n).sorted { values[0][$0] > values[0][$1] || (values[0][$0] == values[0][$1] && $0 < $1) }
        var spent = 0
        for u in order where !covered[u] {
            let left = nodeLimit - spent
            guard left > 0 else { return nil }
            let result = district(containing: u, nodeLimit: left)
            spent += nodes
            switch result {
            case .found(let set):
                if k == 2 { return nil }  // a whole plan: feasible
                for v in set { covered[v] = true }
            case .undecided:
                return nil
            case .none:
                let bands = values.indices.map { r in "\(names[r]) \(fmtNumber(bandLower[r].rounded()))–\(fmtNumber(bandUpper[r].rounded()))" }
                if k == 2 {
                    return "contiguity and balance: no connected set of units containing \(ids[u]) meets every band (\(bands.joined(separator: ", "))) with a connected rest that meets them too, so no contiguous plan with k = 2 exists (exhaustive search, \(nodes) nodes)"
                }
                return "contiguity and balance: no connected set of units containing \(ids[u]) meets every band (\(bands.joined(separator: ", "))) while leaving the other \(k - 1) territories their totals, so \(ids[u]) fits no territory (exhaustive search, \(nodes) nodes)"
            }
        }
        return nil
    }
}
