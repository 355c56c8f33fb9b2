import Synchronization

/// Lets one solve stop another (a portfolio of concurrent solves stops when one proves
/// optimality). Thread-safe.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func stop() { flag.store(true, ordering: .relaxed) }
    public var isStopped: Bool { flag.load(ordering: .relaxed) }
}

/// Lets two concurrent solves of one minimization split the search between them: the first to
/// solve its root LP picks a fractional column of `MILPOptions.branchFirst` (the most fractional),
/// one solve then searches with that column at 0 and the other with it at 1, so each core
/// explores half the tree instead of both exploring the same one. The solves share their best
/// objective: a side whose bound reaches the other side's incumbent stops. Thread-safe.
public final class SearchSplit: Sendable {
    private struct State { var column: Int?; var best = Double.infinity }
    private let state = Mutex(State())
    public init() {}

    /// The split column (0-based), decided by the first caller; -1 when the first caller had
    /// none to offer (then neither solve splits).
    func decide(proposing column: Int?) -> Int {
        state.withLock { s in
            if s.column == nil { s.column = column ?? -1 }
            return s.column!
        }
    }

    /// Records a feasible objective (minimization) found by either solve or known beforehand.
    public func offer(_ objective: Double) {
        state.withLock { s in s.best = min(s.best, objective) }
    }

    /// The best objective offered so far (+∞ before any).
    public var best: Double { state.withLock { $0.best } }
}

/// A bound of the caller's own, evaluated at the nodes of the branch-and-bound tree after the
/// node's LP relaxation is solved. The backend keeps `bound` as the node's bound (inherited by its
/// descendants, used to select nodes best-first and for the reported global bound), closes the
/// node by a local cut when the bound reaches the best objective, and holds the listed columns at
/// 0 or 1 by cuts local to the node and its descendants. Every returned fact must hold for every
/// solution of the node's subproblem (its column bounds) that is better than
/// `NodeRelaxation.cutoff`. After cuts the backend re-solves the node's LP and calls again, up to
/// `roundsPerNode` times.
public struct NodeBoundOracle: Sendable {
    /// Rows (0-based) whose LP duals the oracle reads (e.g. as Lagrange multipliers).
    public var rows: [Int]
    /// Oracle calls per node (each after a re-solve with the previous call's cuts).
    public var roundsPerNode: Int
    /// The oracle is skipped while its calls have taken more than this share of the search's
    /// wall time (0…1), so an expensive one cannot starve the tree.
    public var maximumTimeShare = 0.3
    public var evaluate: @Sendable (NodeRelaxation) -> NodeBound?

    public init(rows: [Int], roundsPerNode: Int = 2, evaluate: @escaping @Sendable (NodeRelaxation) -> NodeBound?) {
        self.rows = rows
        self.roundsPerNode = roundsPerNode
        self.evaluate = evaluate
    }
}

/// What a ``NodeBoundOracle`` sees of one node.
public struct NodeRelaxation: Sendable {
    /// The node's bounds on every column (0-based), after branching and fixing.
    public var lower: [Double]
    public var upper: [Double]
    /// The LP duals of `NodeBoundOracle.rows`, in that order (d_j = c_j − Σ_i π_i a_ij).
    public var duals: [Double]
    /// The node's LP objective.
    public var objective: Double
    /// The best objective known (an incumbent of this or a cooperating solve); nil before one.
    public var cutoff: Double?
    /// Every solution's objective is an integer (facts may then use cutoff − 1).
    public var integralObjective: Bool
    /// The `memo` the oracle returned for this node's nearest evaluated ancestor (or for this
    /// node, on a later round): e.g. multipliers to continue from.
    public var memo: [Double]?

    public init(lower: [Double], upper: [Double], duals: [Double], objective: Double, cutoff: Double?,
                integralObjective: Bool, memo: [Double]? = nil) {
        self.lower = lower
        self.upper = upper
        self.duals = duals
        self.objective = objective
        self.cutoff = cutoff
        self.integralObjective = integralObjective
        self.memo = memo
    }
}

/// What a ``NodeBoundOracle`` proves about one node: no solution of it is below `bound`, and
/// none better than the cutoff has a column of `fixAtZero` above 0 or of `fixAtOne` below 1.
public struct NodeBound: Sendable {
    public var bound: Double
    public var fixAtZero: [Int]
    public var fixAtOne: [Int]
    /// Handed back to the oracle at this node's descendants (see `NodeRelaxation.memo`).
    public var memo: [Double]?

    public init(bound: Double, fixAtZero: [Int] = [], fixAtOne: [Int] = [], memo: [Double]? = nil) {
        self.bound = bound
        self.fixAtZero = fixAtZero
        self.fixAtOne = fixAtOne
        self.memo = memo
    }
}

/// Why a MILP solve stopped (kept apart from whether a solution is held).
public enum MILPStatus: String, Sendable, Codable {
    /// Proven optimal within the configured relative gap.
    case optimal
    /// A feasible solution is held, but a limit stopped the search before optimality was proven.
    case feasible
    /// Proven infeasible.
    case infeasible
    /// The relaxation or the problem is unbounded.
    case unbounded
    /// A limit stopped the search before any feasible solution was found.
    case noSolution = "no-solution"
}

/// Options of one MILP solve.
public struct MILPOptions: Sendable {
    /// Wall-clock limit, enforced between nodes in the branch-and-bound callback (GLPK's own
    /// limit overshoots by a node LP) and inside the root LP by GLPK's limit.
    public var timeLimit: Duration?
    /// Stop when (incumbent − bound)/|incumbent| ≤ this. Range 0…1.
    public var relativeGap: Double = 1e-6
    /// GLPK's MIP presolver. Ignored (forced off) when a warm start is given.
    public var presolve = false
    /// GLPK's cutting planes (Gomory mixed-integer, mixed-integer rounding, cover, clique).
    public var cuts = false
    /// Branch on pseudocosts (else GLPK's Driebeck–Tomlin heuristic) and backtrack to the best
    /// bound: tighter bounds on hard models. GLPK initialises pseudocosts without calling back,
    /// so that phase cannot be interrupted: use it only with time to spare.
    public var pseudocostBranching = false
    /// Backtrack by best projection instead of best local bound (finds incumbents sooner).
    public var bestProjection = false
    /// A feasible solution to start from (one value per variable); checked before use and
    /// dropped when it violates any row by more than 1e-6.
    public var warmStart: [Double]?
    /// The objective of a known feasible solution (minimization): after the root LP, every
    /// integer column whose reduced cost proves it cannot take another value in any solution at
    /// least this good is fixed at its bound (reduced-cost fixing).
    public var cutoff: Double?
    /// Checked between nodes: once stopped, the search ends as at a time limit.
    public var stopSignal: StopSignal?
    /// Stop after this many branch-and-bound nodes (as at a time limit). Unlike a time limit it
    /// does not depend on the machine, so a search capped by it is repeatable.
    public var nodeLimit: Int?
    /// Columns (0-based, integer) to branch on before any other: at every node the most
    /// fractional of them is chosen while one is fractional; then GLPK's own rule. Branching on
    /// the few variables that structure a model (open a center or not) closes bounds far faster
    /// than branching on the many that follow from them.
    public var branchFirst: [Int] = []
    /// Search only one side of a split shared with another solve (minimization only; needs
    /// `branchFirst`): `upSide` fixes the split column at 1, else at 0. The result then bounds
    /// that side alone (see `MILPResult.splitColumn`).
    public var split: (coordinator: SearchSplit, upSide: Bool)?
    /// A bound of the caller's own for the nodes of the tree (minimization only), e.g. a
    /// Lagrangian relaxation stronger than the LP: it raises each node's bound and may fix
    /// columns there (see ``NodeBoundOracle``).
    public var nodeBound: NodeBoundOracle?
    /// Receives the solver's log lines; nil discards them.
    public var log: (@Sendable (String) -> Void)?

    public init() {}

    func validate() throws(MILPError) {
        guard relativeGap.isFinite, relativeGap >= 0, relativeGap <= 1 else {
            throw .invalidOptions("relative gap \(relativeGap) must lie in 0…1")
        }
        if let t = timeLimit, t <= .zero { throw .invalidOptions("time limit \(t) must be positive") }
        if let limit = nodeLimit, limit < 1 { throw .invalidOptions("node limit \(limit) must be at least 1") }
    }

    func validate(for program: LinearProgram) throws(MILPError) {
        try validate()
        if let oracle = nodeBound {
            guard program.sense == .minimize else { throw .invalidOptions("a node bound needs a minimization") }
            guard oracle.roundsPerNode >= 1 else { throw .invalidOptions("a node bound needs at least one round per node") }
            guard oracle.maximumTimeShare > 0, oracle.maximumTimeShare <= 1 else {
                throw .invalidOptions("a node bound's time share \(oracle.maximumTimeShare) must lie in (0, 1]")
            }
            for row in oracle.rows where row < 0 || row >= program.constraintCount {
                throw .invalidOptions("node-bound row \(row) is outside 0..<\(program.constraintCount)")
            }
        }
        if split != nil {
            guard program.sense == .minimize else { throw .invalidOptions("a search split needs a minimization") }
            guard !branchFirst.isEmpty else { throw .invalidOptions("a search split needs branching columns (branchFirst)") }
        }
        for column in branchFirst {
            guard column >= 0, column < program.variableCount else {
                throw .invalidOptions("branching column \(column) is outside 0..<\(program.variableCount)")
            }
            guard program.variables[column].kind != .continuous else {
                throw .invalidOptions("branching column \(column) (\(program.variables[column].name)) is continuous")
            }
        }
    }
}

/// What a MILP solve produced.
public struct MILPResult: Sendable {
    public var status: MILPStatus
    /// Objective of the held solution (nil without one).
    public var objective: Double?
    /// Best proven bound (for minimization, a lower bound); nil when none was established.
    public var bound: Double?
    /// Variable values of the held solution.
    public var values: [Double]?
    /// Branch-and-bound nodes explored.
    public var nodes: Int
    public var seconds: Double
    /// Whether the warm start was accepted as the first incumbent.
    public var warmStartUsed: Bool
    /// The backend's own words for how it ended.
    public var rawStatus: String
    /// The root LP relaxation's objective (a bound), when it was solved.
    public var rootBound: Double?
    /// Pure LPs: the reduced cost of every column at the optimum (for minimization, ≥ 0 at a
    /// column's lower bound and ≤ 0 at its upper bound); nil otherwise.
    public var reducedCosts: [Double]?
    /// Integer columns fixed by reduced costs before branching.
    public var fixedByReducedCost = 0
    /// Nodes branched on a column of `MILPOptions.branchFirst`.
    public var priorityBranches = 0
    /// With `MILPOptions.split`: the column fixed for this side (0-based) and its value; nil when
    /// the solve searched the whole problem (no column was fractional at the root, or it ended
    /// before). `status`, `objective` and `bound` then describe that side only, except that the
    /// objective may come from the other side's shared incumbent.
    public var splitColumn: Int?
    public var splitUpSide = false
    /// The side stopped because its bound reached the other side's best objective.
    public var cutOffBySplit = false
    /// With `MILPOptions.nodeBound`: nodes whose LP bound the oracle raised, nodes it closed
    /// (its bound reached the best objective) and columns it fixed, over the whole search.
    public var nodesRaisedByOracle = 0
    public var nodesClosedByOracle = 0
    public var columnsFixedByOracle = 0

    /// `(objective − bound) / |objective|` for minimization, or nil.
    public var gap: Double? {
        guard let objective, let bound else { return nil }
        if objective == bound { return 0 }
        return abs(objective - bound) / max(abs(objective), 1e-12)
    }
}
