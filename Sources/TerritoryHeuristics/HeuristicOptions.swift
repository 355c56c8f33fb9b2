import TerritoryCore
import TerritorySolving

/// Options of the heuristic solver, with defaults that suit most problems. One value; check it
/// with ``validated()``.
public struct HeuristicOptions: Sendable {
    /// Seed of every random choice: the same seed on the same input gives the same plan
    /// (unless the time limit cuts the search short).
    public var seed: UInt64 = 1
    /// Wall-clock budget for the whole solve; nil for none (then iteration budgets decide).
    public var timeLimit: Duration? = .seconds(60)
    /// Independent restarts (different seeds derived from `seed`), run in parallel on the
    /// available cores; the best plan wins. Fixed, not derived from the core count, so results do
    /// not depend on the machine.
    public var restarts = 2
    /// While no restart has a feasible plan and nothing proves there is none, keep running fresh
    /// restarts (`restarts` at a time) until one is feasible or the time limit passes (only with
    /// a time limit). The result then depends on how many rounds fit in the time limit.
    public var restartUntilFeasible = true
    /// Perturbation rounds without improvement before a restart ends; nil picks by size
    /// (max(5000, 20·k)).
    public var stallLimit: Int?
    /// Perturbation rounds per restart at most; nil for no limit.
    public var maxIterations: Int?
    public var seeding: Seeding = .automatic
    /// Record-to-record acceptance: a perturbed solution whose objective is within this fraction
    /// of the best becomes the current one (0 accepts improvements only).
    public var acceptance = 0.005
    /// Use unit swaps besides moves.
    public var useSwaps = true
    /// Move free centers: location steps, center swaps and center perturbations.
    public var useCenterMoves = true
    /// Iterated local search (perturb and re-optimise); false stops at the first local optimum.
    public var perturb = true
    /// Any local search at all; false returns the constructed plan (seeding + balanced
    /// assignment, exact medoids): a baseline for benchmarks.
    public var localSearch = true
    /// Steps of the feasibility-first merge-split chain run on a contiguous start that misses a
    /// band (nil picks by size; 0 turns it off). See `BalanceChain`.
    public var balanceChainSteps: Int?
    /// Fixed centers without contiguity: start from the band-price (Lagrangian) assignment
    /// instead of the regret-ordered greedy.
    public var bandPrices = true
    /// Polish the final plan with ejection chains (``CyclicExchange``; not with contiguity).
    public var cyclicExchange = true
    /// Candidate territories per unit: its nearest centers.
    public var candidateCount = 8
    /// Neighbour units per unit for swaps and work-list updates (without adjacency).
    public var neighbourCount = 10
    /// Debug mode: check the incremental objective against a full re-evaluation after every move.
    public var checkDeltas = false
    /// Receives progress reports (a few per second at most).
    public var progress: (@Sendable (SolveProgress) -> Void)?

    public init() {}

    /// Checks every field; throws the first bad one naming its option.
    public func validated() throws(InputError) -> HeuristicOptions {
        if let t = timeLimit, t <= .zero { throw InputError(column: "--time-limit", "the time limit must be positive") }
        guard restarts >= 1 && restarts <= 1024 else { throw InputError(column: "--restarts", "restarts must lie in 1…1024") }
        if let s = stallLimit, s < 0 { throw InputError(column: "--stall", "the stall limit must be ≥ 0") }
        if let m = maxIterations, m < 0 { throw InputError(column: "--iterations", "the iteration limit must be ≥ 0") }
        guard acceptance.isFinite && acceptance >= 0 && acceptance < 1 else {
            throw InputError(column: "--acceptance", "the acceptance threshold must lie in 0…1")
        }
        if let b = balanceChainSteps, b < 0 { throw InputError(column: "balanceChainSteps", "must be ≥ 0") }
        guard candidateCount >= 1 else { throw InputError(column: "candidateCount", "must be at least 1") }
        guard neighbourCount >= 1 else { throw InputError(column: "neighbourCount", "must be at least 1") }
        return self
    }
}
