import TerritoryCore

/// Metrics of one territory.
public struct TerritoryMetrics: Sendable, Hashable {
    public var label: String
    public var unitCount: Int
    /// `A_t` for every measure of the problem, in measure order.
    public var totals: [Double]
    /// `Σ_{i∈U_t} w_i · d(i, c_t)`.
    public var travel: Double
    /// The center travel was measured to; nil for an empty territory.
    public var center: Center?
    /// Whether `center` is the medoid (true) or fixed by the plan or problem (false).
    public var centerIsMedoid: Bool
    /// Whether the problem fixes this territory's center (a rep home). A center the plan carries
    /// (a solver writes its medoids) is taken as given but is not fixed.
    public var centerIsFixedByProblem: Bool
    /// Number of connected pieces in the adjacency graph (nil without adjacency; 0 when empty).
    public var pieces: Int?
}

/// Balance of one measure over the territories.
public struct MeasureBalance: Sendable, Hashable {
    public var name: String
    public var total: Double
    /// `max_t |A_t − T_t| / T_t`; nil when some target is 0.
    public var maxDeviation: Double?
    /// Smallest and largest `A_t`.
    public var minimum: Double
    public var maximum: Double
    /// The requirement on this measure, if the problem has one.
    public var requirement: BalanceRequirement?
}

/// What a plan changed against a baseline plan.
public struct Disruption: Sendable, Hashable {
    /// Units whose territory changed (units without a baseline territory are not counted).
    public var moved: Int
    /// Units that had no territory in the baseline.
    public var newUnits: Int
    /// Share of each measure's total carried by moved units, in measure order.
    public var movedShare: [Double]
    /// Whether territories were matched to baseline labels by overlap (the plan relabelled them).
    public var matchedByOverlap: Bool
    /// The baseline label each plan territory stands for (nil for a new territory).
    public var baselineLabels: [String?]
}

/// One requirement a plan breaks, with its size.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case unassignedUnits = "unassigned-units"
        case emptyTerritory = "empty-territory"
        case belowBand = "below-band"
        case aboveBand = "above-band"
        case aboveCapacity = "above-capacity"
        case noncontiguous
        case lockBroken = "lock-broken"
        case segmentNotServed = "segment-not-served"
        case disruptionBudget = "disruption-budget"
    }

    public var kind: Kind
    /// Territory label, where the violation belongs to one territory.
    public var territory: String?
    /// Measure name, for balance violations.
    public var measure: String?
    /// The size: units for count violations, measure units for band and capacity violations,
    /// extra pieces for contiguity.
    public var amount: Double
    /// One human sentence that says what and by how much.
    public var message: String

    public var description: String { message }
}

/// Everything the evaluation module reports about a plan (see SPEC.md, "Metrics of a plan").
public struct Evaluation: Sendable {
    public var k: Int
    public var unitCount: Int
    /// Σ over territories of `Σ_{i∈U_t} w_i · d(i, c_t)`.
    public var travel: Double
    public var territories: [TerritoryMetrics]
    /// One entry per measure of the problem, in measure order.
    public var balance: [MeasureBalance]
    /// Territories not forming one connected piece (nil without adjacency).
    public var noncontiguous: Int?
    /// Adjacency pairs whose ends lie in different territories (nil without adjacency): the
    /// districting literature's compactness measure.
    public var cutEdges: Int?
    public var emptyTerritories: Int
    public var unassignedUnits: Int
    public var disruption: Disruption?
    public var violations: [Violation]
    /// Every unit assigned, no empty territory, every requirement met.
    public var feasible: Bool { violations.isEmpty }
}
