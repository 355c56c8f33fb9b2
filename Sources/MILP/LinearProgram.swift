/// A solver-independent mixed-integer linear program: variables with bounds, kinds and objective
/// coefficients; constraints `lower ≤ Σ a_j x_j ≤ upper`. Built by formulation code, validated
/// once, then handed to a backend (GLPK). Indices are 0-based here; backends translate.
public struct LinearProgram: Sendable {
    public enum Sense: String, Sendable { case minimize, maximize }
    public enum Kind: String, Sendable { case continuous, integer, binary }

    public struct Variable: Sendable, Hashable {
        public var name: String
        public var lower: Double
        public var upper: Double
        public var kind: Kind
        public var objective: Double
    }

    public struct Constraint: Sendable {
        public var name: String
        public var lower: Double
        public var upper: Double
        public var variables: [Int32]
        public var coefficients: [Double]
    }

    public var sense: Sense
    public private(set) var variables: [Variable] = []
    public private(set) var constraints: [Constraint] = []
    /// A constant added to the objective.
    public var objectiveOffset: Double = 0

    public init(sense: Sense = .minimize) { self.sense = sense }

    public var variableCount: Int { variables.count }
    public var constraintCount: Int { constraints.count }
    public var nonzeroCount: Int { constraints.reduce(0) { $0 + $1.variables.count } }
    public var hasIntegers: Bool { variables.contains { $0.kind != .continuous } }

    /// The LP relaxation: the same program with every variable continuous (bounds kept).
    public func relaxed() -> LinearProgram {
        var copy = self
        for j in copy.variables.indices { copy.variables[j].kind = .continuous }
        return copy
    }

    /// Adds a variable and returns its index. Binary variables get bounds [0, 1].
    @discardableResult
    public mutating func addVariable(
        _ name: String, lower: Double = 0, upper: Double = .infinity, kind: Kind = .continuous, objective: Double = 0
    ) -> Int {
        let (lo, hi) = kind == .binary ? (max(lower, 0), min(upper, 1)) : (lower, upper)
        variables.append(Variable(name: name, lower: lo, upper: hi, kind: kind, objective: objective))
        return variables.count - 1
    }

    /// Adds `lower ≤ Σ terms ≤ upper` (use ±infinity for a one-sided row).
    public mutating func addConstraint(_ name: String, _ terms: [(Int, Double)], lower: Double = -.infinity, upper: Double = .infinity) {
        constraints.append(Constraint(
            name: name, lower: lower, upper: upper,
            variables: terms.map { Int32($0.0) }, coefficients: terms.map(\.1)))
    }

    /// Fixes or changes a variable's bounds.
    public mutating func setBounds(_ j: Int, lower: Double, upper: Double) {
        variables[j].lower = lower
        variables[j].upper = upper
    }

    /// The same program over the columns `keep` only (ascending, no repeats), every other column
    /// held at 0 and left out: its rows lose those terms, its objective that coefficient. Valid
    /// only when 0 lies within the bounds of each dropped column (precondition). Pair with
    /// ``expanding(_:keeping:)`` to map a solution back.
    /// - Complexity: O(variables + nonzeros).
    public func restricted(to keep: [Int]) -> LinearProgram {
        var position = [Int32](repeating: -1, count: variables.count)
        for (p, j) in keep.enumerated() {
            precondition(j >= 0 && j < variables.count && (p == 0 || keep[p - 1] < j), "restricted(to:) needs ascending column indices")
            position[j] = Int32(p)
        }
        for (j, v) in variables.enumerated() where position[j] < 0 {
            precondition(v.lower <= 0 && v.upper >= 0, "a dropped column must admit 0 (\(v.name))")
        }
        var copy = LinearProgram(sense: sense)
        copy.objectiveOffset = objectiveOffset
        copy.variables = keep.map { variables[$0] }
        copy.constraints = constraints.map { c in
            var kept = Constraint(name: c.name, lower: c.lower, upper: c.upper, variables: [], coefficients: [])
            for (j, a) in zip(c.variables, c.coefficients) where position[Int(j)] >= 0 {
                kept.variables.append(position[Int(j)])
                kept.coefficients.append(a)
            }
            return kept
        }
        return copy
    }

    /// The same program with every ranged row (finite lower < finite upper) stated as two
    /// one-sided rows, `name_lo: Σ ≥ lower` in the row's place and `name_hi: Σ ≤ upper` after
    /// all rows, so every row keeps its index.
    /// GLPK searches band-constrained models differently in the two forms: plain glpsol
    /// (`--pcost --cuts`) on the 1,000-unit fixed-center core found no plan in 30 s with ranged
    /// rows and 140,516 with split rows; inside ``CoreSearch`` (best projection) split rows gave
    /// 140,455 twice and 140,539 once against 140,493 twice ranged.
    /// - Complexity: O(rows + nonzeros).
    public func splittingRangedRows() -> LinearProgram {
        var copy = self
        copy.constraints = []
        var upperHalves: [Constraint] = []
        for c in constraints {
            if c.lower > -.infinity && c.upper < .infinity && c.lower < c.upper {
                var low = c, high = c
                low.name = c.name + "_lo"
                low.upper = .infinity
                high.name = c.name + "_hi"
                high.lower = -.infinity
                copy.constraints.append(low)
                upperHalves.append(high)
            } else {
                copy.constraints.append(c)
            }
        }
        copy.constraints += upperHalves
        return copy
    }

    /// A solution of ``restricted(to:)`` written back in this program's columns (0 elsewhere).
    public func expanding(_ x: [Double], keeping keep: [Int]) -> [Double] {
        precondition(x.count == keep.count)
        var full = [Double](repeating: 0, count: variables.count)
        for (p, j) in keep.enumerated() { full[j] = x[p] }
        return full
    }

    /// Checks everything a backend would otherwise abort on: index ranges, finite coefficients,
    /// consistent bounds, duplicate (row, column) entries, names GLPK accepts.
    /// - Complexity: O(variables + nonzeros).
    public func validate() throws(MILPError) {
        guard !variables.isEmpty else { throw .invalidModel("the model has no variables") }
        guard variables.count < Int(Int32.max), constraints.count < Int(Int32.max) else {
            throw .invalidModel("the model is too large for the backend")
        }
        guard objectiveOffset.isFinite else { throw .invalidModel("the objective offset is not finite") }
        for (j, v) in variables.enumerated() {
            guard v.objective.isFinite else { throw .invalidModel("variable \(v.name) (#\(j)): objective coefficient \(v.objective) is not finite") }
            guard !v.lower.isNaN, !v.upper.isNaN, v.lower <= v.upper, v.lower < .infinity, v.upper > -.infinity else {
                throw .invalidModel("variable \(v.name) (#\(j)): bounds [\(v.lower), \(v.upper)] are inconsistent")
            }
            try Self.checkName(v.name, what: "variable #\(j)")
        }
        var lastRowOfColumn = [Int32](repeating: -1, count: variables.count)
        for (i, c) in constraints.enumerated() {
            guard c.variables.count == c.coefficients.count else {
                throw .invalidModel("constraint \(c.name) (#\(i)): \(c.variables.count) variables but \(c.coefficients.count) coefficients")
            }
            guard !c.lower.isNaN, !c.upper.isNaN, c.lower <= c.upper, c.lower < .infinity, c.upper > -.infinity else {
                throw .invalidModel("constraint \(c.name) (#\(i)): bounds [\(c.lower), \(c.upper)] are inconsistent")
            }
            try Self.checkName(c.name, what: "constraint #\(i)")
            for (j32, a) in zip(c.variables, c.coefficients) {
                let j = Int(j32)
                guard j >= 0 && j < variables.count else {
                    throw .invalidModel("constraint \(c.name) (#\(i)): variable index \(j) is out of range 0..<\(variables.count)")
                }
                guard a.isFinite else { throw .invalidModel("constraint \(c.name) (#\(i)): coefficient \(a) of \(variables[j].name) is not finite") }
                guard lastRowOfColumn[j] != Int32(i) else {
                    throw .invalidModel("constraint \(c.name) (#\(i)): variable \(variables[j].name) appears twice")
                }
                lastRowOfColumn[j] = Int32(i)
            }
        }
    }

    static func checkName(_ name: String, what: String) throws(MILPError) {
        // GLPK names: 1–255 bytes; LP/MPS writers need printable characters without spaces.
        guard !name.isEmpty, name.utf8.count <= 255,
              name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidModel("\(what): name \"\(name)\" must be 1–255 printable ASCII characters without spaces")
        }
    }

    /// The objective of a full assignment `x` (including the offset).
    public func objective(of x: [Double]) -> Double {
        precondition(x.count == variables.count)
        var total = objectiveOffset
        for (j, v) in variables.enumerated() { total += v.objective * x[j] }
        return total
    }

    /// The largest violation of any bound, row or integrality by `x` (0 for a feasible point).
    public func maximumViolation(of x: [Double]) -> (amount: Double, what: String) {
        precondition(x.count == variables.count)
        var worst = (amount: 0.0, what: "")
        for (j, v) in variables.enumerated() {
            let over = max(v.lower - x[j], x[j] - v.upper, 0)
            if over > worst.amount { worst = (over, "bound of \(v.name)") }
            if v.kind != .continuous {
                let frac = abs(x[j] - x[j].rounded())
                if frac > worst.amount { worst = (frac, "integrality of \(v.name)") }
            }
        }
        for c in constraints {
            var activity = 0.0
            for (j, a) in zip(c.variables, c.coefficients) { activity += a * x[Int(j)] }
            let over = max(c.lower - activity, activity - c.upper, 0)
            if over > worst.amount { worst = (over, "constraint \(c.name)") }
        }
        return worst
    }
}

/// Errors of the MILP layer: the model was invalid (a bug in formulation code or hostile input
/// that validation caught) or the backend failed in a way validation could not foresee.
public enum MILPError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidModel(String)
    case invalidOptions(String)
    case solverFault(String)

    public var description: String {
        switch self {
        case .invalidModel(let m): return "invalid model: \(m)"
        case .invalidOptions(let m): return "invalid solver options: \(m)"
        case .solverFault(let m): return "solver fault: \(m)"
        }
    }
}
