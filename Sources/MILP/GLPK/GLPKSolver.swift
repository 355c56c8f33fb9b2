internal import CGLPK
internal import CGLPKGuard

/// Solves ``LinearProgram`` values with GLPK (the only code that talks to GLPK).
///
/// Every call is synchronous and self-contained: it creates, solves and deletes its `glp_prob`
/// on the calling thread. Terminal output is off and routed to `options.log`. Models are
/// validated before GLPK sees them; a fatal GLPK error that validation missed is caught by the
/// setjmp guard and thrown as ``MILPError/solverFault(_:)``.
public enum GLPKSolver {
    /// The linked GLPK version, e.g. "5.0".
    public static var version: String { String(cString: glp_version()) }

    public static func solve(_ program: LinearProgram, options: MILPOptions = MILPOptions()) throws(MILPError) -> MILPResult {
        try program.validate()
        try options.validate(for: program)
        let start = ContinuousClock.now
        let deadline = options.timeLimit.map { start + $0 }
        let logBox = LogBox(sink: options.log)
        // Output reaches the hook only with terminal output on; the hook swallows every line.
        glp_term_out(options.log == nil ? GLP_OFF : GLP_ON)
        glp_term_hook(
            { info, text in
                guard let info, let text else { return 1 }
                Unmanaged<LogBox>.fromOpaque(info).takeUnretainedValue().append(String(cString: text))
                return 1  // swallow: nothing reaches the terminal
            }, Unmanaged.passUnretained(logBox).toOpaque())
        defer {
            glp_term_hook(nil, nil)
            logBox.flush()
        }
        let problem = GLPKProblem()
        try problem.load(program)
        guard let P = problem.handle else { throw .solverFault("GLPK problem creation failed") }
        // A node-bound oracle holds node objectives up through cuts on one extra column.
        let objectiveColumn: Int32 = options.nodeBound != nil && program.hasIntegers ? problem.addObjectiveColumn(program) : 0

        // Equilibrate rows and columns: models mix coefficients of very different sizes.
        glp_scale_prob(P, GLP_SF_AUTO)
        // Root LP by the simplex method (also the only step for a pure LP).
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = options.log == nil ? GLP_MSG_OFF : GLP_MSG_ON
        smcp.presolve = GLP_OFF
        if let limit = options.timeLimit { smcp.tm_lim = milliseconds(limit) }
        var failed: Int32 = 0
        let lpCode = tglp_guarded_simplex(P, &smcp, &failed)
        if failed != 0 {
            problem.invalidateAfterFault()
            throw .solverFault("glp_simplex raised a fatal error: \(logBox.lastLines)")
        }
        let elapsed = { () -> Double in
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let lpStatus = glp_get_status(P)
        if lpCode == GLP_ETMLIM || (lpCode != 0 && lpStatus != GLP_OPT) {
            return MILPResult(status: .noSolution, objective: nil, bound: nil, values: nil, nodes: 0, seconds: elapsed(),
                              warmStartUsed: false, rawStatus: "root LP stopped: \(simplexCodeName(lpCode))")
        }
        if lpStatus == GLP_NOFEAS || glp_get_prim_stat(P) == GLP_NOFEAS {
            return MILPResult(status: .infeasible, objective: nil, bound: nil, values: nil, nodes: 0, seconds: elapsed(),
                              warmStartUsed: false, rawStatus: "LP relaxation infeasible")
        }
        if lpStatus == GLP_UNBND || glp_get_dual_stat(P) == GLP_NOFEAS {
            return MILPResult(status: .unbounded, objective: nil, bound: nil, values: nil, nodes: 0, seconds: elapsed(),
                              warmStartUsed: false, rawStatus: "LP relaxation unbounded")
        }
        let rootBound = glp_get_obj_val(P)
        let n = program.variableCount
        var fixed = 0
        if let cutoff = options.cutoff, program.sense == .minimize, program.hasIntegers {
            // Reduced-cost fixing: a column at its lower (upper) bound whose reduced cost exceeds
            // cutoff − LP bound cannot move in any solution at least as good as the cutoff.
            let slack = cutoff - rootBound + 1e-9 * max(1, abs(cutoff))
            for (j, variable) in program.variables.enumerated() where variable.kind != .continuous && variable.lower < variable.upper {
                let column = Int32(j + 1)
                let value = glp_get_col_prim(P, column)
                let reduced = glp_get_col_dual(P, column)
                if value <= variable.lower + 1e-9 && reduced > slack {
                    glp_set_col_bnds(P, column, GLP_FX, variable.lower, variable.lower)
                    fixed += 1
                } else if value >= variable.upper - 1e-9 && -reduced > slack {
                    glp_set_col_bnds(P, column, GLP_FX, variable.upper, variable.upper)
                    fixed += 1
                }
            }
        }
        var splitColumn: Int?
        var sideRoot = rootBound
        if let split = options.split, program.hasIntegers {
            // The most fractional branching column still free after reduced-cost fixing.
            let proposed = mostFractional(options.branchFirst.map { Int32($0 + 1) }, in: P) { column in
                glp_get_col_lb(P, column) < glp_get_col_ub(P, column)
            }
            let decided = split.coordinator.decide(proposing: proposed.map { Int($0) - 1 })
            if decided >= 0 {
                splitColumn = decided
                let column = Int32(decided + 1)
                let value: Double = split.upSide ? 1 : 0
                var side = MILPResult(status: .infeasible, objective: nil, bound: nil, values: nil, nodes: 0, seconds: 0,
                                      warmStartUsed: false, rawStatus: "")
                side.splitColumn = decided
                side.splitUpSide = split.upSide
                side.rootBound = rootBound
                side.fixedByReducedCost = fixed
                if value < glp_get_col_lb(P, column) - 1e-9 || value > glp_get_col_ub(P, column) + 1e-9 {
                    // Reduced-cost fixing (this solve's root) already excluded this side: nothing
                    // in it is better than the cutoff.
                    side.status = .noSolution
                    side.bound = options.cutoff
                    side.seconds = elapsed()
                    side.rawStatus = "split side excluded by reduced-cost fixing"
                    return side
                }
                glp_set_col_bnds(P, column, GLP_FX, value, value)
                var dual = smcp
                dual.meth = GLP_DUALP
                if let deadline { dual.tm_lim = milliseconds(max(deadline - ContinuousClock.now, .milliseconds(1))) }
                let code = tglp_guarded_simplex(P, &dual, &failed)
                if failed != 0 {
                    problem.invalidateAfterFault()
                    throw .solverFault("glp_simplex raised a fatal error: \(logBox.lastLines)")
                }
                let status = glp_get_status(P)
                if status == GLP_NOFEAS || glp_get_prim_stat(P) == GLP_NOFEAS {
                    side.seconds = elapsed()
                    side.rawStatus = "split side LP infeasible"
                    return side
                }
                if code != 0 || status != GLP_OPT {
                    side.status = .noSolution
                    side.seconds = elapsed()
                    side.rawStatus = "split side LP stopped: \(simplexCodeName(code))"
                    return side
                }
                sideRoot = glp_get_obj_val(P)
            }
        }
        if !program.hasIntegers {
            let values = (1...n).map { glp_get_col_prim(P, Int32($0)) }
            var lp = MILPResult(status: .optimal, objective: rootBound, bound: rootBound, values: values, nodes: 0,
                                seconds: elapsed(), warmStartUsed: false, rawStatus: "LP optimal")
            lp.rootBound = rootBound
            lp.reducedCosts = (1...n).map { glp_get_col_dual(P, Int32($0)) }
            return lp
        }

        // Branch and bound with our callback: deadline, bound/gap tracking, warm start.
        var warmStart: [Double]?
        if let x = options.warmStart {
            if x.count == n, program.maximumViolation(of: x).amount <= 1e-6 {
                warmStart = [0] + x.map { v in v }  // 1-based for GLPK
                for (j, variable) in program.variables.enumerated() where variable.kind != .continuous {
                    warmStart![j + 1] = x[j].rounded()
                }
                if objectiveColumn > 0 { warmStart!.append(program.objective(of: Array(warmStart![1...])) - program.objectiveOffset) }
            } else {
                logBox.append("warm start ignored: \(x.count == n ? program.maximumViolation(of: x).what + " violated" : "wrong length")\n")
            }
        }
        let state = CallbackState(deadline: deadline, warmStart: warmStart, minimize: program.sense == .minimize)
        state.bound = sideRoot
        state.split = splitColumn == nil ? nil : options.split?.coordinator
        state.relativeGap = options.relativeGap
        state.stopSignal = options.stopSignal
        state.nodeLimit = options.nodeLimit
        state.branchFirst = options.branchFirst.map { Int32($0 + 1) }
        if objectiveColumn > 0, let oracle = options.nodeBound {
            state.oracle = oracle
            state.objectiveColumn = objectiveColumn
            state.objectiveOffset = program.objectiveOffset
            state.integerColumns = program.variables.map { $0.kind != .continuous }
        }
        state.integralObjective = program.objectiveOffset == program.objectiveOffset.rounded()
            && program.variables.allSatisfy { $0.objective == 0 || ($0.kind != .continuous && $0.objective == $0.objective.rounded()) }
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = options.log == nil ? GLP_MSG_OFF : GLP_MSG_ON
        iocp.presolve = GLP_OFF  // the tree then works on P itself, so injected vectors line up
        iocp.mip_gap = options.relativeGap
        if options.cuts {
            iocp.gmi_cuts = GLP_ON
            iocp.mir_cuts = GLP_ON
            iocp.cov_cuts = GLP_ON
            iocp.clq_cuts = GLP_ON
        }
        if options.pseudocostBranching {
            iocp.br_tech = GLP_BR_PCH
            iocp.bt_tech = GLP_BT_BLB
        }
        if options.bestProjection { iocp.bt_tech = GLP_BT_BPH }
        if let deadline {
            // The callback enforces the deadline between nodes; GLPK's own limit (what is left,
            // plus half a second so the callback usually acts first) also bounds the node LPs
            // inside one node, where no callback runs.
            iocp.tm_lim = milliseconds(max(deadline - ContinuousClock.now, .zero) + .milliseconds(500))
        }
        iocp.cb_func = { tree, info in
            guard let tree, let info else { return }
            Unmanaged<CallbackState>.fromOpaque(info).takeUnretainedValue().handle(tree)
        }
        let retained = Unmanaged.passRetained(state)
        iocp.cb_info = retained.toOpaque()
        let code = tglp_guarded_intopt(P, &iocp, &failed)
        retained.release()
        if failed != 0 {
            problem.invalidateAfterFault()
            throw .solverFault("glp_intopt raised a fatal error: \(logBox.lastLines)")
        }
        let mipStatus = glp_mip_status(P)
        var result = MILPResult(status: .noSolution, objective: nil, bound: state.bound, values: nil, nodes: state.nodes,
                                seconds: elapsed(), warmStartUsed: state.warmStartAccepted,
                                rawStatus: "\(intoptCodeName(code)), solution \(statusName(mipStatus))")
        result.rootBound = rootBound
        result.fixedByReducedCost = fixed
        result.priorityBranches = state.priorityBranches
        result.splitColumn = splitColumn
        result.splitUpSide = options.split?.upSide ?? false
        result.cutOffBySplit = state.cutOffBySplit
        result.nodesRaisedByOracle = state.nodesRaised
        result.nodesClosedByOracle = state.nodesClosed
        result.columnsFixedByOracle = state.columnsFixed
        if state.oracle != nil { logBox.append("node-bound oracle: \(state.oracleTime) over \(state.nodes) nodes\n") }
        if mipStatus == GLP_OPT || mipStatus == GLP_FEAS {
            result.objective = glp_mip_obj_val(P)
            result.values = (1...n).map { glp_mip_col_val(P, Int32($0)) }
        }
        if let b = result.bound { result.bound = state.roundedBound(b) }
        if state.integralObjective, let objective = result.objective { result.objective = objective.rounded() }
        switch (code, mipStatus) {
        case (GLP_ESTOP, GLP_FEAS) where state.provenByIntegrality, (GLP_ESTOP, GLP_OPT) where state.provenByIntegrality:
            result.status = .optimal
            result.bound = result.objective?.rounded()
            result.rawStatus = "optimal: the bound rounds up to the incumbent (integer objective)"
        case (0, GLP_OPT):
            result.status = .optimal
            result.bound = result.objective
        case (0, GLP_NOFEAS), (GLP_ENOPFS, _):
            result.status = .infeasible
            result.bound = nil
        case (GLP_ENODFS, _):
            result.status = .unbounded
        case (GLP_EMIPGAP, GLP_FEAS), (GLP_EMIPGAP, GLP_OPT):
            result.status = .optimal
        case (GLP_ETMLIM, GLP_FEAS), (GLP_ESTOP, GLP_FEAS), (0, GLP_FEAS):
            result.status = .feasible
        case (GLP_ETMLIM, _), (GLP_ESTOP, _):
            result.status = .noSolution
        default:
            throw .solverFault("glp_intopt ended with \(intoptCodeName(code)), solution \(statusName(mipStatus))")
        }
        if let objective = result.objective, let bound = result.bound, result.status == .feasible {
            // The tree's bound can pass the incumbent only through rounding.
            result.bound = program.sense == .minimize ? min(bound, objective) : max(bound, objective)
        }
        return result
    }

    /// Writes the program in CPLEX LP (`.lp`) or fixed MPS (`.mps`) format for other solvers.
    public static func write(_ program: LinearProgram, to path: String) throws(MILPError) {
        try program.validate()
        glp_term_out(GLP_OFF)
        let problem = GLPKProblem()
        try problem.load(program)
        guard let P = problem.handle else { throw .solverFault("GLPK problem creation failed") }
        var failed: Int32 = 0
        let code = path.hasSuffix(".mps")
            ? tglp_guarded_write_mps(P, path, &failed)
            : tglp_guarded_write_lp(P, path, &failed)
        if failed != 0 {
            problem.invalidateAfterFault()
            throw .solverFault("GLPK failed while writing \(path)")
        }
        if code != 0 { throw .solverFault("cannot write \(path)") }
    }

    static func milliseconds(_ d: Duration) -> Int32 {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15
        return Int32(min(max(ms.rounded(.up), 1), Double(Int32.max)))
    }
}

/// Shared with the C callback through `cb_info`; used only on the solving thread.
final class CallbackState {
    let deadline: ContinuousClock.Instant?
    let warmStart: [Double]?
    let minimize: Bool
    var bound: Double?
    var nodes = 0
    var warmStartTried = false
    var warmStartAccepted = false
    /// Every solution has an integer objective: a bound within 1 of the incumbent proves it.
    var integralObjective = false
    var provenByIntegrality = false
    var stopSignal: StopSignal?
    var nodeLimit: Int?
    /// 1-based GLPK columns to branch on first (validated as integer columns).
    var branchFirst: [Int32] = []
    /// Nodes where a `branchFirst` column was chosen.
    var priorityBranches = 0
    /// Set when this solve searches one side of a split: incumbents are shared through it.
    var split: SearchSplit?
    var relativeGap = 0.0
    var cutOffBySplit = false
    /// The node-bound oracle and the column z holding the objective (0 without an oracle).
    var oracle: NodeBoundOracle?
    var objectiveColumn: Int32 = 0
    var objectiveOffset = 0.0
    var integerColumns: [Bool] = []
    var oracleNode: Int32 = 0
    var oracleRounds = 0
    var oracleRaisedNode = false
    var nodesRaised = 0
    var oracleTime = Duration.zero
    let searchStart = ContinuousClock.now
    /// The oracle's bound per evaluated node (GLPK's reference number), at least its parent's.
    var oracleBounds: [Int32: Double] = [:]
    /// The oracle's memo per evaluated node, kept while the node may still have descendants.
    var oracleMemos: [Int32: [Double]] = [:]
    var memoPurgeAt = 4096
    var nodesClosed = 0
    var columnsFixed = 0

    init(deadline: ContinuousClock.Instant?, warmStart: [Double]?, minimize: Bool) {
        self.deadline = deadline
        self.warmStart = warmStart
        self.minimize = minimize
    }

    /// The bound rounded to the next attainable objective when objectives are integers.
    func roundedBound(_ b: Double) -> Double {
        guard integralObjective else { return b }
        return minimize ? (b - 1e-6).rounded(.up) : (b + 1e-6).rounded(.down)
    }

    func handle(_ tree: OpaquePointer) {
        if oracle != nil {
            if glp_ios_reason(tree) == GLP_ISELECT { selectByOracleBound(tree) }
        } else if case let best = glp_ios_best_node(tree), best != 0 {
            let b = glp_ios_node_bound(tree, best)
            if b.isFinite {
                // Node bounds only tighten; keep the strongest seen (the root LP is the start).
                if let old = bound { bound = minimize ? max(old, b) : min(old, b) } else { bound = b }
            }
        }
        var active: Int32 = 0, current: Int32 = 0, total: Int32 = 0
        glp_ios_tree_size(tree, &active, &current, &total)
        nodes = Int(total)
        if glp_ios_reason(tree) == GLP_IBRANCH, !branchFirst.isEmpty, let problem = glp_ios_get_prob(tree) {
            if let chosen = mostFractional(branchFirst, in: problem, where: { glp_ios_can_branch(tree, $0) != 0 }) {
                priorityBranches += 1
                glp_ios_branch_upon(tree, chosen, GLP_NO_BRNCH)
            }
        }
        if glp_ios_reason(tree) == GLP_ICUTGEN, let oracle, objectiveColumn > 0, let problem = glp_ios_get_prob(tree) {
            let node = glp_ios_curr_node(tree)
            if node != oracleNode {
                // A node is processed once, in one stretch of callbacks; GLPK reuses the
                // reference numbers of deleted nodes, so what is stored under this one belongs
                // to an earlier node.
                oracleNode = node
                oracleRounds = 0
                oracleRaisedNode = false
                oracleBounds[node] = nil
                oracleMemos[node] = nil
            }
            // An expensive oracle must not starve the tree: past a share of the search time it
            // is skipped (its stored bounds still count for the descendants of nodes it saw).
            let searching = ContinuousClock.now - searchStart
            let affordable = searching < .seconds(1) || oracleTime <= searching * oracle.maximumTimeShare
            if oracleRounds < oracle.roundsPerNode, affordable {
                oracleRounds += 1
                let t0 = ContinuousClock.now
                consult(oracle, tree: tree, problem: problem)
                oracleTime += ContinuousClock.now - t0
            }
        }
        if glp_ios_reason(tree) == GLP_IHEUR, !warmStartTried, let x = warmStart {
            warmStartTried = true
            warmStartAccepted = x.withUnsafeBufferPointer { glp_ios_heur_sol(tree, $0.baseAddress!) } == 0
        }
        if let split, let problem = glp_ios_get_prob(tree) {
            let status = glp_mip_status(problem)
            if status == GLP_FEAS || status == GLP_OPT { split.offer(glp_mip_obj_val(problem)) }
            let best = split.best
            if let b = bound, best.isFinite, roundedBound(b) >= best - max(relativeGap * abs(best), 1e-6) {
                // Nothing on this side beats the other side's incumbent.
                cutOffBySplit = true
                glp_ios_terminate(tree)
                return
            }
        }
        if integralObjective, let b = bound, let problem = glp_ios_get_prob(tree) {
            let status = glp_mip_status(problem)
            if status == GLP_FEAS || status == GLP_OPT {
                let incumbent = glp_mip_obj_val(problem)
                let proven = minimize ? roundedBound(b) >= incumbent - 1e-6 : roundedBound(b) <= incumbent + 1e-6
                if proven {
                    provenByIntegrality = true
                    glp_ios_terminate(tree)
                    return
                }
            }
        }
        if let deadline, ContinuousClock.now >= deadline {
            glp_ios_terminate(tree)
        }
        if stopSignal?.isStopped == true { glp_ios_terminate(tree) }
        if let nodeLimit, nodes >= nodeLimit { glp_ios_terminate(tree) }
    }
}

extension CallbackState {
    /// Best first on max(LP bound, the parent's oracle bound); the global bound is the least of
    /// them. Active nodes at selection are all unprocessed (a processed node is branched or
    /// gone), so anything stored under their own numbers is stale. O(active nodes).
    func selectByOracleBound(_ tree: OpaquePointer) {
        var selected: Int32 = 0, least = Double.infinity, p = glp_ios_next_node(tree, 0)
        while p != 0 {
            var b = glp_ios_node_bound(tree, p)
            if let parent = oracleBounds[glp_ios_up_node(tree, p)] { b = max(b, parent) }
            if b < least { least = b; selected = p }
            p = glp_ios_next_node(tree, p)
        }
        guard selected != 0 else { return }
        if least.isFinite { bound = max(bound ?? least, least) }
        glp_ios_select_node(tree, selected)
    }

    /// Stores a node's memo; past a size, keeps only those of active nodes and their parents
    /// (the only ones a later node can ask for). O(active nodes) per purge.
    func remember(_ memo: [Double], at node: Int32, tree: OpaquePointer) {
        oracleMemos[node] = memo
        guard oracleMemos.count >= memoPurgeAt else { return }
        var keep = Set<Int32>()
        var p = glp_ios_next_node(tree, 0)
        while p != 0 {
            keep.insert(p)
            keep.insert(glp_ios_up_node(tree, p))
            p = glp_ios_next_node(tree, p)
        }
        keep.insert(node)
        oracleMemos = oracleMemos.filter { keep.contains($0.key) }
        memoPurgeAt = max(4096, 2 * oracleMemos.count)
    }

    /// Asks the oracle about the current node (its LP just solved), keeps its bound for the node,
    /// and adds what it proves as cuts local to the node: z ≥ cutoff when the bound closes the
    /// node, else x_j ≤ 0 and x_j ≥ 1 for its fixings. GLPK then re-solves the node.
    /// Every index and value is checked here: GLPK aborts on a bad one.
    func consult(_ oracle: NodeBoundOracle, tree: OpaquePointer, problem P: OpaquePointer) {
        let n = integerColumns.count
        guard n > 0, Int(glp_get_num_cols(P)) > n, glp_get_status(P) == GLP_OPT else { return }
        let objective = glp_get_obj_val(P)  // includes the constant term
        var cutoff: Double?
        let status = glp_mip_status(P)
        if status == GLP_FEAS || status == GLP_OPT { cutoff = glp_mip_obj_val(P) }
        if let best = split?.best, best.isFinite { cutoff = min(cutoff ?? best, best) }
        let rowCount = Int(glp_get_num_rows(P))
        let relaxation = NodeRelaxation(
            lower: (1...n).map { glp_get_col_lb(P, Int32($0)) },
            upper: (1...n).map { glp_get_col_ub(P, Int32($0)) },
            duals: oracle.rows.map { $0 < rowCount ? glp_get_row_dual(P, Int32($0 + 1)) : 0 },
            objective: objective, cutoff: cutoff, integralObjective: integralObjective,
            memo: oracleMemos[oracleNode] ?? oracleMemos[glp_ios_up_node(tree, oracleNode)])
        guard let proof = oracle.evaluate(relaxation), !proof.bound.isNaN else { return }
        var bound = roundedBound(proof.bound)

        // The node's bound: the oracle's, or the nearest evaluated ancestor's (bounds only rise
        // down the tree). Kept here rather than as a cut on z: re-solving every node's LP
        // against a raised objective costs more pivots than the raise saves (measured: a third
        // of the nodes per second on cpmp20); best-first selection uses it instead.
        let node = oracleNode
        if let memo = proof.memo { remember(memo, at: node, tree: tree) }
        let inherited = max(oracleBounds[node] ?? -.infinity, oracleBounds[glp_ios_up_node(tree, node)] ?? -.infinity)
        let closes = cutoff.map { bound >= $0 - max(relativeGap * abs($0), 1e-9) } ?? false
        if let cutoff, bound > cutoff { bound = cutoff }  // a finite right-hand side closes it as well
        if bound > inherited {
            oracleBounds[node] = bound
            if bound > objective + 1e-7 * max(1, abs(objective)) && !oracleRaisedNode {
                nodesRaised += 1
                oracleRaisedNode = true
            }
        } else {
            oracleBounds[node] = inherited
        }
        var ind: [Int32] = [0, 0], val: [Double] = [0, 1]
        if closes, bound.isFinite, bound > objective + 1e-7 * max(1, abs(objective)) {
            // z ≥ cutoff: the node's LP reaches the incumbent and GLPK prunes it.
            ind[1] = objectiveColumn
            _ = glp_ios_add_row(tree, nil, 0, 0, 1, ind, val, GLP_LO, bound - objectiveOffset)
            nodesClosed += 1
        }
        if closes { return }  // the node goes; fixing inside it is moot
        for (columns, atOne) in [(proof.fixAtZero, false), (proof.fixAtOne, true)] {
            for j in columns where j >= 0 && j < n && integerColumns[j] {
                let lower = relaxation.lower[j], upper = relaxation.upper[j]
                guard atOne ? (lower < 1 && upper >= 1) : (upper > 0 && lower <= 0) else { continue }
                ind[1] = Int32(j + 1)
                _ = glp_ios_add_row(tree, nil, 0, 0, 1, ind, val, atOne ? GLP_LO : GLP_UP, atOne ? 1 : 0)
                columnsFixed += 1
            }
        }
    }
}

/// The column (1-based) among `columns` whose current LP value is farthest from an integer
/// (by more than 1e-6) and that `eligible` accepts; nil when every one is integral. O(columns).
func mostFractional(_ columns: [Int32], in P: OpaquePointer, where eligible: (Int32) -> Bool) -> Int32? {
    var chosen: Int32?, bestFraction = 1e-6
    for column in columns where eligible(column) {
        let v = glp_get_col_prim(P, column)
        let fraction = min(v - v.rounded(.down), v.rounded(.up) - v)
        if fraction > bestFraction { bestFraction = fraction; chosen = column }
    }
    return chosen
}

/// Collects GLPK's output lines and forwards them to the caller's log.
final class LogBox {
    let sink: (@Sendable (String) -> Void)?
    private var pending = ""
    private(set) var recent: [String] = []

    init(sink: (@Sendable (String) -> Void)?) { self.sink = sink }

    func append(_ text: String) {
        pending += text
        while let newline = pending.firstIndex(of: "\n") {
            let line = String(pending[..<newline])
            pending.removeSubrange(...newline)
            recent.append(line)
            if recent.count > 8 { recent.removeFirst() }
            sink?(line)
        }
    }

    func flush() {
        if !pending.isEmpty { append("\n") }
    }

    var lastLines: String { recent.joined(separator: " / ") }
}

func intoptCodeName(_ code: Int32) -> String {
    switch code {
    case 0: return "solved"
    case GLP_EBOUND: return "invalid bounds (GLP_EBOUND)"
    case GLP_EROOT: return "root LP optimum not provided (GLP_EROOT)"
    case GLP_ENOPFS: return "no primal feasible solution (GLP_ENOPFS)"
    case GLP_ENODFS: return "no dual feasible solution (GLP_ENODFS)"
    case GLP_EFAIL: return "solver failure (GLP_EFAIL)"
    case GLP_EMIPGAP: return "relative gap reached (GLP_EMIPGAP)"
    case GLP_ETMLIM: return "time limit (GLP_ETMLIM)"
    case GLP_ESTOP: return "stopped by deadline (GLP_ESTOP)"
    default: return "code \(code)"
    }
}

func simplexCodeName(_ code: Int32) -> String { intoptCodeName(code) }

func statusName(_ status: Int32) -> String {
    switch status {
    case GLP_UNDEF: return "undefined"
    case GLP_FEAS: return "feasible"
    case GLP_INFEAS: return "infeasible"
    case GLP_NOFEAS: return "no feasible solution"
    case GLP_OPT: return "optimal"
    case GLP_UNBND: return "unbounded"
    default: return "status \(status)"
    }
}

extension GLPKSolver {
    /// Raises a real GLPK fatal error (an out-of-range row index) under the setjmp guard and
    /// reports whether the guard caught it. The process survives; tests use this to prove the
    /// last line of defence works on this machine's GLPK.
    public static func guardSelfTest() -> Bool {
        glp_term_out(GLP_OFF)
        let box = LogBox(sink: nil)
        glp_term_hook({ info, text in
            guard let info, let text else { return 1 }
            Unmanaged<LogBox>.fromOpaque(info).takeUnretainedValue().append(String(cString: text))
            return 1
        }, Unmanaged.passUnretained(box).toOpaque())
        var failed: Int32 = 0
        tglp_guarded_raise_for_test(&failed)
        glp_term_hook(nil, nil)
        return failed == 1 && box.lastLines.contains("out of range")
    }
}
