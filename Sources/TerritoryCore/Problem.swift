/// Where a territory's travel is measured from.
public enum Center: Hashable, Sendable {
    /// A unit of the problem (dense index), e.g. a chosen median or an office that is a unit.
    case unit(Int)
    /// A point in the problem's coordinates, e.g. a rep's home.
    case point(Point)
}

/// What the problem says about one territory (one rep).
public struct TerritorySpec: Sendable, Hashable {
    /// The territory's label in plans and reports (a rep's name or id, or `T1`…`Tk`).
    public var label: String
    /// A fixed center (rep home or a given unit); nil means free: the center is the medoid.
    public var center: Center?
    /// Segments this territory may serve (rep skills); nil means every segment.
    public var allowedSegments: [String]?

    public init(label: String, center: Center? = nil, allowedSegments: [String]? = nil) {
        self.label = label
        self.center = center
        self.allowedSegments = allowedSegments
    }
}

/// A balance requirement on one measure: a two-sided tolerance band around each territory's
/// target, a one-sided capacity, or both.
///
/// The target of territory t is `T_t = A · share_t` where `A` is the measure's total and
/// `share_t = 1/k` unless `targetShares` says otherwise. A plan *meets* the band when
/// `(1 − τ)·T_t ≤ A_t ≤ (1 + τ)·T_t` for every t, and the capacity when `A_t ≤ C_t`.
public struct BalanceRequirement: Sendable, Hashable {
    /// Index of the measure in `UnitTable.measures`.
    public var measure: Int
    /// Relative tolerance τ ≥ 0 of the band (0.05 = ±5 %); nil for no band.
    public var tolerance: Double?
    /// Per-territory capacity `C_t` (k values), or nil for none.
    public var capacities: [Double]?
    /// Per-territory target shares (k positive values summing to 1), or nil for equal shares.
    public var targetShares: [Double]?
    /// The common capacity when every territory has the same one (kept when k changes).
    public var uniformCapacity: Double?

    public init(measure: Int, tolerance: Double? = nil, capacities: [Double]? = nil, targetShares: [Double]? = nil) {
        self.measure = measure
        self.tolerance = tolerance
        self.capacities = capacities
        self.targetShares = targetShares
        if let first = capacities?.first, capacities!.allSatisfy({ $0 == first }) { uniformCapacity = first }
    }

    /// The target `T_t` of territory `t` for a measure whose total is `total`.
    @inlinable public func target(_ t: Int, total: Double, k: Int) -> Double {
        if let shares = targetShares { return total * shares[t] }
        return total / Double(k)
    }

    /// The lower bound on `A_t` (or -∞).
    @inlinable public func lowerBound(_ t: Int, total: Double, k: Int) -> Double {
        guard let tau = tolerance else { return -.infinity }
        return (1 - tau) * target(t, total: total, k: k)
    }

    /// The upper bound on `A_t`: the tighter of the band's top and the capacity (or +∞).
    @inlinable public func upperBound(_ t: Int, total: Double, k: Int) -> Double {
        var upper = Double.infinity
        if let tau = tolerance { upper = (1 + tau) * target(t, total: total, k: k) }
        if let caps = capacities { upper = Swift.min(upper, caps[t]) }
        return upper
    }
}

/// How much of today's plan a redesign may change.
public enum DisruptionBudget: Sendable, Hashable {
    /// At most this many units may change territory.
    case units(Int)
    /// At most this fraction (0...1) of the units may change territory.
    case fractionOfUnits(Double)
    /// The units that change territory may carry at most this fraction (0...1) of a measure's
    /// total (e.g. at most 10 % of revenue moves).
    case fractionOfMeasure(measure: Int, fraction: Double)

    /// The largest number of moved units allowed among `unitCount` units (`Int.max` for a
    /// budget on a measure, which does not count units).
    public func maxMoved(unitCount: Int) -> Int {
        switch self {
        case .units(let n): return n
        case .fractionOfUnits(let f): return Int((f * Double(unitCount)).rounded(.down))
        case .fractionOfMeasure: return Int.max
        }
    }

    /// What each unit weighs against the budget (nil: every unit weighs 1) and how much weight
    /// may move in all.
    public func allowance(in units: UnitTable) -> (weights: [Double]?, limit: Double) {
        switch self {
        case .units, .fractionOfUnits: return (nil, Double(maxMoved(unitCount: units.count)))
        case .fractionOfMeasure(let m, let f):
            let values = units.measures[m].values
            return (values, f * values.reduce(0, +))
        }
    }

    /// "40 units", or "10 % of revenue (1,234.5)".
    public func describe(in units: UnitTable) -> String {
        switch self {
        case .units, .fractionOfUnits: return "\(maxMoved(unitCount: units.count)) units"
        case .fractionOfMeasure(let m, let f):
            let limit = allowance(in: units).limit
            return "\(f * 100) % of \(units.measures[m].name) (\(limit.rounded() == limit ? String(Int64(limit)) : String(limit)))"
        }
    }
}

/// A territory design problem: units, distances, k territories and every requirement a plan
/// must meet. A value type; build it with the readers in `TerritoryIO` or by hand, then call
/// ``validate()`` before solving or evaluating.
public struct DesignProblem: Sendable {
    /// A short name for reports (usually the input file's base name).
    public var name: String
    public var units: UnitTable
    public var distances: Distances
    public var adjacency: Adjacency?
    /// The number of territories.
    public var k: Int
    /// One spec per territory (count `k`).
    public var territories: [TerritorySpec]
    /// Whether the territory labels are fixed by the problem (reps, homes, skills): a plan must
    /// use these labels. Otherwise plans may label territories freely.
    public var territoriesAreNamed: Bool
    public var balance: [BalanceRequirement]
    /// Whether every territory must be connected in `adjacency`.
    public var requiresContiguity: Bool
    /// Today's plan, for disruption and locks (from the units' `territory` column or a file).
    public var baseline: Plan?
    public var disruptionBudget: DisruptionBudget?
    /// A soft alternative (or addition) to the budget: every unit that changes territory against
    /// the baseline costs this much, in travel units, so that the solver trades disruption
    /// against travel (and balance, which is a constraint). nil or 0 for none.
    public var disruptionPrice: Double?
    /// Unit outlines (from GeoJSON polygons), for maps; nil for point units.
    public var shapes: UnitShapes?

    public init(
        name: String, units: UnitTable, distances: Distances, adjacency: Adjacency? = nil, k: Int,
        territories: [TerritorySpec]? = nil, balance: [BalanceRequirement] = [], requiresContiguity: Bool = false,
        baseline: Plan? = nil, disruptionBudget: DisruptionBudget? = nil
    ) {
        self.name = name
        self.units = units
        self.distances = distances
        self.adjacency = adjacency
        self.k = k
        self.territoriesAreNamed = territories != nil
        self.territories = territories ?? DesignProblem.defaultTerritories(k: max(k, 0))
        self.balance = balance
        self.requiresContiguity = requiresContiguity
        self.baseline = baseline
        self.disruptionBudget = disruptionBudget
    }

    /// `T1`, `T2`, … `Tk`.
    public static func defaultTerritories(k: Int) -> [TerritorySpec] {
        (0..<k).map { TerritorySpec(label: "T\($0 + 1)") }
    }

    /// Changes k; unnamed territories are relabelled `T1`…`Tk` and uniform capacities follow.
    public mutating func setTerritoryCount(_ newK: Int) {
        k = newK
        if !territoriesAreNamed { territories = DesignProblem.defaultTerritories(k: max(newK, 0)) }
        for r in balance.indices {
            if let cap = balance[r].uniformCapacity {
                balance[r].capacities = Array(repeating: cap, count: max(newK, 0))
            }
        }
    }

    public var unitCount: Int { units.count }

    /// The totals `A` of every measure, in measure order.
    public var measureTotals: [Double] { units.measures.map(\.total) }

    /// Checks every invariant a solver or the evaluator relies on; throws the first violation
    /// with the option or unit it concerns.
    public func validate() throws(InputError) {
        let n = units.count
        guard n > 0 else { throw InputError("the problem has no units") }
        guard k >= 1 else { throw InputError(column: "--k", "k = \(k): there must be at least one territory") }
        guard k <= n else {
            throw InputError(column: "--k", "k = \(k) exceeds the number of units (\(n))")
        }
        guard territories.count == k else {
            throw InputError("\(territories.count) territories are described for k = \(k)")
        }
        guard distances.count == n else {
            throw InputError("distances cover \(distances.count) units, the problem has \(n)")
        }
        if let adjacency, adjacency.unitCount != n {
            throw InputError("adjacency covers \(adjacency.unitCount) units, the problem has \(n)")
        }
        if requiresContiguity && adjacency == nil {
            throw InputError(column: "--contiguous", "contiguity needs an adjacency (--adjacency FILE)")
        }
        if units.hasCoordinates {
            for i in 0..<n where !units.x[i].isFinite || !units.y[i].isFinite {
                throw InputError("unit \"\(units.ids[i])\": coordinates are not finite numbers")
            }
            if units.coordinateSystem == .geographic {
                for i in 0..<n where abs(units.y[i]) > 90 || abs(units.x[i]) > 180 {
                    throw InputError(
                        "unit \"\(units.ids[i])\": longitude \(units.x[i]), latitude \(units.y[i]) out of range")
                }
            }
        } else if distances.metric != .matrix {
            throw InputError("the \(distances.metric.rawValue) metric needs unit coordinates")
        }
        for m in units.measures {
            if let bad = m.values.firstIndex(where: { !$0.isFinite }) {
                throw InputError("unit \"\(units.ids[bad])\": measure \"\(m.name)\" is \(m.values[bad]), not a finite number")
            }
        }
        if let w = units.weights {
            if let bad = w.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw InputError("unit \"\(units.ids[bad])\": weight \(w[bad]) must be a finite number ≥ 0")
            }
        }
        var seenLabels = Set<String>()
        for (t, spec) in territories.enumerated() {
            guard seenLabels.insert(spec.label).inserted else {
                throw InputError("territory label \"\(spec.label)\" is used twice")
            }
            switch spec.center {
            case .unit(let u)?:
                guard u >= 0 && u < n else { throw InputError("territory \"\(spec.label)\": center unit \(u) out of range") }
            case .point(let p)?:
                guard distances.supportsPoints else {
                    throw InputError("territory \"\(spec.label)\": a point center needs coordinates, the metric is a matrix")
                }
                guard p.x.isFinite && p.y.isFinite else {
                    throw InputError("territory \"\(spec.label)\": center coordinates are not finite")
                }
            case nil:
                break
            }
            _ = t
        }
        for req in balance {
            guard req.measure >= 0 && req.measure < units.measures.count else {
                throw InputError(column: "--balance", "balance refers to measure #\(req.measure), which does not exist")
            }
            let name = units.measures[req.measure].name
            let total = units.measures[req.measure].total
            if let tau = req.tolerance {
                guard tau.isFinite && tau >= 0 else {
                    throw InputError(column: "--balance", "\(name): tolerance \(tau) must be a finite number ≥ 0")
                }
                guard total > 0 else {
                    throw InputError(column: "--balance", "\(name): the measure totals \(total); a tolerance band needs a positive total")
                }
            }
            if let caps = req.capacities {
                guard caps.count == k else {
                    throw InputError(column: "--capacity", "\(name): \(caps.count) capacities for k = \(k)")
                }
                if let bad = caps.first(where: { !$0.isFinite || $0 < 0 }) {
                    throw InputError(column: "--capacity", "\(name): capacity \(bad) must be a finite number ≥ 0")
                }
            }
            if let shares = req.targetShares {
                guard shares.count == k else { throw InputError("\(name): \(shares.count) target shares for k = \(k)") }
                guard shares.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                    throw InputError("\(name): target shares must be positive finite numbers")
                }
                let sum = shares.reduce(0, +)
                guard abs(sum - 1) < 1e-9 else { throw InputError("\(name): target shares sum to \(sum), not 1") }
            }
        }
        if let locked = units.locked {
            let current = units.currentTerritory
            for i in 0..<n where locked[i] {
                guard let current, !current[i].isEmpty else {
                    throw InputError(column: "locked", "unit \"\(units.ids[i])\" is locked but has no current territory")
                }
            }
        }
        if let baseline {
            guard baseline.assignment.count == n else {
                throw InputError(column: "--baseline", "the baseline plan covers \(baseline.assignment.count) of \(n) units")
            }
        }
        switch disruptionBudget {
        case .units(let m)?:
            guard m >= 0 else { throw InputError(column: "--max-moved", "the budget \(m) must be ≥ 0") }
        case .fractionOfUnits(let f)?:
            guard f.isFinite && f >= 0 && f <= 1 else {
                throw InputError(column: "--max-moved", "the budget \(f * 100) % must lie in 0…100 %")
            }
        case .fractionOfMeasure(let m, let f)?:
            guard m >= 0 && m < units.measures.count else { throw InputError(column: "--max-moved", "the budget names measure \(m), which does not exist") }
            guard f.isFinite && f >= 0 && f <= 1 else {
                throw InputError(column: "--max-moved", "the budget \(f * 100) % must lie in 0…100 %")
            }
            guard units.measures[m].values.allSatisfy({ $0 >= 0 }) else {
                throw InputError(column: "--max-moved", "a budget on \(units.measures[m].name) needs values ≥ 0")
            }
        case nil:
            break
        }
        if let price = disruptionPrice {
            guard price.isFinite && price >= 0 else { throw InputError(column: "--move-price", "the price per moved unit must be a number ≥ 0") }
            guard baseline != nil else { throw InputError(column: "--move-price", "a price per moved unit needs a baseline plan (--baseline or a territory column)") }
        }
        if disruptionBudget != nil && baseline == nil {
            throw InputError(column: "--max-moved", "a disruption budget needs a baseline plan (--baseline or a territory column)")
        }
    }
}

extension DesignProblem {
    /// Sets the band tolerance of measure `m` (adding a requirement when it has none).
    public mutating func setTolerance(_ tolerance: Double, measure m: Int) {
        balance[requirementIndex(measure: m)].tolerance = tolerance
    }

    /// Caps measure `m` at `capacity` in every territory (kept when k changes).
    public mutating func setUniformCapacity(_ capacity: Double, measure m: Int) {
        let r = requirementIndex(measure: m)
        balance[r].uniformCapacity = capacity
        balance[r].capacities = Array(repeating: capacity, count: max(k, 0))
    }

    /// The index of measure `m`'s requirement, appending an empty one when there is none.
    mutating func requirementIndex(measure m: Int) -> Int {
        if let r = balance.firstIndex(where: { $0.measure == m }) { return r }
        balance.append(BalanceRequirement(measure: m))
        return balance.count - 1
    }
}

/// The outline of every unit: its polygon rings (each closed: first point = last), outer rings
/// and holes alike, in the units' coordinates. Used for maps and GeoJSON output only.
public struct UnitShapes: Sendable {
    /// `rings[i]`: the rings of unit i (empty for a unit without a shape).
    public var rings: [[[Point]]]

    public init(rings: [[[Point]]]) { self.rings = rings }
}
