internal import CGLPK
internal import CGLPKGuard

/// Owns one `glp_prob`. Not Sendable: create, use and drop it on one thread, with no `await`
/// in between (GLPK's environment is thread-local; deleting on another thread aborts).
final class GLPKProblem {
    private(set) var handle: OpaquePointer?

    init() { handle = glp_create_prob() }

    deinit {
        if let handle { glp_delete_prob(handle) }
    }

    /// After a guarded fatal error GLPK has freed the whole environment, so the handle is
    /// dangling: forget it without deleting.
    func invalidateAfterFault() { handle = nil }

    /// Loads a validated program. Preconditions hold because `LinearProgram.validate()` ran.
    func load(_ program: LinearProgram) throws(MILPError) {
        guard let P = handle else { throw .solverFault("the GLPK problem is no longer valid") }
        glp_set_obj_dir(P, program.sense == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(P, 0, program.objectiveOffset)
        let m = program.constraintCount, n = program.variableCount
        precondition(n >= 1, "validated programs have variables")
        if m > 0 { glp_add_rows(P, Int32(m)) }
        glp_add_cols(P, Int32(n))
        for (i, row) in program.constraints.enumerated() {
            let (type, lo, hi) = GLPKProblem.boundType(row.lower, row.upper)
            glp_set_row_bnds(P, Int32(i + 1), type, lo, hi)
            glp_set_row_name(P, Int32(i + 1), row.name)
        }
        for (j, v) in program.variables.enumerated() {
            let column = Int32(j + 1)
            glp_set_col_kind(P, column, v.kind == .continuous ? GLP_CV : (v.kind == .binary ? GLP_BV : GLP_IV))
            // glp_set_col_kind(GLP_BV) resets bounds to [0, 1]; set ours afterwards.
            let (type, lo, hi) = GLPKProblem.boundType(v.lower, v.upper)
            glp_set_col_bnds(P, column, type, lo, hi)
            glp_set_obj_coef(P, column, v.objective)
            glp_set_col_name(P, column, v.name)
        }
        // One validated glp_load_matrix; GLPK arrays are 1-based, slot 0 unused.
        let nonzeros = program.nonzeroCount
        guard nonzeros > 0 else { return }
        var ia = [Int32](repeating: 0, count: nonzeros + 1)
        var ja = [Int32](repeating: 0, count: nonzeros + 1)
        var ar = [Double](repeating: 0, count: nonzeros + 1)
        var e = 1
        for (i, row) in program.constraints.enumerated() {
            for (j, a) in zip(row.variables, row.coefficients) {
                ia[e] = Int32(i + 1)
                ja[e] = j + 1
                ar[e] = a
                e += 1
            }
        }
        var failed: Int32 = 0
        _ = tglp_guarded_load_matrix(P, Int32(nonzeros), ia, ja, ar, &failed)
        if failed != 0 {
            invalidateAfterFault()
            throw .solverFault("glp_load_matrix rejected the matrix")
        }
    }

    /// Appends a free continuous column z and the row z − Σ c_j x_j = 0 (the objective without
    /// its constant), so that a cut on one column can hold a node's objective above a bound.
    /// Returns z's 1-based column. Call after `load` of the same program.
    func addObjectiveColumn(_ program: LinearProgram) -> Int32 {
        guard let P = handle else { return 0 }
        let z = glp_add_cols(P, 1)
        glp_set_col_name(P, z, "objective_value")
        glp_set_col_kind(P, z, GLP_CV)
        glp_set_col_bnds(P, z, GLP_FR, 0, 0)
        let row = glp_add_rows(P, 1)
        glp_set_row_name(P, row, "objective_link")
        glp_set_row_bnds(P, row, GLP_FX, 0, 0)
        var ind: [Int32] = [0], val: [Double] = [0]
        for (j, v) in program.variables.enumerated() where v.objective != 0 {
            ind.append(Int32(j + 1))
            val.append(-v.objective)
        }
        ind.append(z)
        val.append(1)
        glp_set_mat_row(P, row, Int32(ind.count - 1), ind, val)
        return z
    }

    static func boundType(_ lower: Double, _ upper: Double) -> (Int32, Double, Double) {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return (GLP_FR, 0, 0)
        case (true, false): return (GLP_LO, lower, 0)
        case (false, true): return (GLP_UP, 0, upper)
        case (true, true): return lower == upper ? (GLP_FX, lower, upper) : (GLP_DB, lower, upper)
        }
    }
}
