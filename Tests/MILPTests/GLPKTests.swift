import Testing
import Synchronization
@testable import MILP

@Suite struct GLPKTests {
    @Test func versionIsFive() {
        #expect(GLPKSolver.version.hasPrefix("5."))
    }

    @Test func smallLP() throws {
        // max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, x ≤ 3 → x = 3, y = 1, objective 11.
        var lp = LinearProgram(sense: .maximize)
        let x = lp.addVariable("x", upper: 3, objective: 3)
        let y = lp.addVariable("y", objective: 2)
        lp.addConstraint("c1", [(x, 1), (y, 1)], upper: 4)
        lp.addConstraint("c2", [(x, 1), (y, 3)], upper: 6)
        let result = try GLPKSolver.solve(lp)
        #expect(result.status == .optimal)
        #expect(abs(result.objective! - 11) < 1e-9)
        #expect(abs(result.values![x] - 3) < 1e-9 && abs(result.values![y] - 1) < 1e-9)
    }

    @Test func reducedCostsOfAPureLP() throws {
        // min x + 3y + 2z s.t. x + y + z = 1, x ≤ 0.4 → x = 0.4 at its upper bound, z = 0.6
        // basic, y at 0. The row's dual is 2 (z's cost): reduced costs x: −1, y: 1, z: 0.
        var lp = LinearProgram()
        let x = lp.addVariable("x", upper: 0.4, objective: 1)
        let y = lp.addVariable("y", objective: 3)
        let z = lp.addVariable("z", objective: 2)
        lp.addConstraint("one", [(x, 1), (y, 1), (z, 1)], lower: 1, upper: 1)
        let result = try GLPKSolver.solve(lp)
        #expect(result.status == .optimal)
        let reduced = try #require(result.reducedCosts)
        #expect(abs(reduced[x] + 1) < 1e-9 && abs(reduced[y] - 1) < 1e-9 && abs(reduced[z]) < 1e-9)
        // A MILP reports none (its columns' duals belong to whatever LP GLPK solved last).
        var mip = lp
        mip.setBounds(y, lower: 0, upper: 1)
        let w = mip.addVariable("w", upper: 1, kind: .binary, objective: 0.5)
        mip.addConstraint("w_cover", [(w, 1), (z, -1)], lower: 0)
        #expect(try GLPKSolver.solve(mip).reducedCosts == nil)
    }

    @Test func restrictedProgramsKeepTheirOptimumAndMapBack() throws {
        let (lp, x) = pMedian()
        let full = try GLPKSolver.solve(lp)
        let best = try #require(full.values)
        // Keep every column the optimum uses plus every third other one.
        let keep = (0..<lp.variableCount).filter { best[$0] > 0.5 || $0 % 3 == 0 }
        let restricted = lp.restricted(to: keep)
        #expect(restricted.variableCount == keep.count && restricted.constraintCount == lp.constraintCount)
        try restricted.validate()
        let sub = try GLPKSolver.solve(restricted)
        #expect(sub.status == .optimal)
        #expect(abs(sub.objective! - full.objective!) < 1e-9)
        let back = lp.expanding(sub.values!, keeping: keep)
        #expect(back.count == lp.variableCount)
        #expect(lp.maximumViolation(of: back).amount <= 1e-9)
        #expect(abs(lp.objective(of: back) - full.objective!) < 1e-9)
        // A restriction without any x_i3 (and not y3) cannot use median 3: never better.
        let without3 = (0..<lp.variableCount).filter { column in column != 3 && !(0..<6).contains { x[$0][3] == column } }
        let worse = try GLPKSolver.solve(lp.restricted(to: without3))
        #expect(worse.objective! >= full.objective! - 1e-9)
        let worseBack = lp.expanding(try #require(worse.values), keeping: without3)
        #expect(worseBack[3] == 0 && (0..<6).allSatisfy { worseBack[x[$0][3]] == 0 })
        #expect(lp.maximumViolation(of: worseBack).amount <= 1e-9)
        #expect(abs(lp.objective(of: worseBack) - worse.objective!) < 1e-9)
    }

    @Test func splittingRangedRowsKeepsTheFeasibleSetAndRowIndices() throws {
        // Two-sided knapsack rows: 3 ≤ Σ a x ≤ 5 over binaries, plus an equality and a one-sided row.
        var lp = LinearProgram()
        let a: [Double] = [1, 2, 2, 3, 4]
        let costs: [Double] = [4, -1, 3, 2, -2]
        let xs = (0..<5).map { lp.addVariable("x\($0)", kind: .binary, objective: costs[$0]) }
        lp.addConstraint("band", xs.indices.map { (xs[$0], a[$0]) }, lower: 3, upper: 5)
        lp.addConstraint("pick", [(xs[0], 1), (xs[1], 1)], lower: 1, upper: 1)
        lp.addConstraint("cap", [(xs[3], 1), (xs[4], 1)], upper: 1)
        let split = lp.splittingRangedRows()
        #expect(split.constraintCount == 4)
        #expect(split.constraints.map(\.name) == ["band_lo", "pick", "cap", "band_hi"])
        #expect(split.constraints[0].lower == 3 && split.constraints[0].upper == .infinity)
        #expect(split.constraints[3].lower == -.infinity && split.constraints[3].upper == 5)
        // Every 0-1 point is feasible in one form exactly when it is in the other.
        for mask in 0..<32 {
            let point = (0..<5).map { Double((mask >> $0) & 1) }
            #expect((lp.maximumViolation(of: point).amount <= 1e-12) == (split.maximumViolation(of: point).amount <= 1e-12))
        }
        let original = try GLPKSolver.solve(lp), halves = try GLPKSolver.solve(split)
        #expect(original.status == .optimal && halves.status == .optimal)
        #expect(abs(original.objective! - halves.objective!) < 1e-9)
    }

    /// A 6-point p-median with p = 2 (strong linking x_ij ≤ y_j): the optimum pairs the clusters.
    func pMedian() -> (LinearProgram, x: [[Int]]) {
        let points: [(Double, Double)] = [(0, 0), (1, 0), (0, 1), (10, 10), (11, 10), (10, 12)]
        let n = points.count
        var lp = LinearProgram()
        let y = (0..<n).map { lp.addVariable("y\($0)", kind: .binary) }
        var x: [[Int]] = []
        for i in 0..<n {
            x.append((0..<n).map { j in
                let d = ((points[i].0 - points[j].0) * (points[i].0 - points[j].0) + (points[i].1 - points[j].1) * (points[i].1 - points[j].1)).squareRoot()
                return lp.addVariable("x\(i)_\(j)", kind: .binary, objective: d)
            })
        }
        for i in 0..<n { lp.addConstraint("assign\(i)", (0..<n).map { (x[i][$0], 1.0) }, lower: 1, upper: 1) }
        lp.addConstraint("p", y.map { ($0, 1.0) }, lower: 2, upper: 2)
        for i in 0..<n { for j in 0..<n { lp.addConstraint("link\(i)_\(j)", [(x[i][j], 1), (y[j], -1)], upper: 0) } }
        return (lp, x)
    }

    @Test func smallMIPWithWarmStart() throws {
        let (lp, x) = pMedian()
        let plain = try GLPKSolver.solve(lp)
        #expect(plain.status == .optimal)
        let expected = 1 + 1 + 1 + 2  // medians (0,0) and (10,10)
        #expect(abs(plain.objective! - Double(expected)) < 1e-9)
        #expect(plain.bound == plain.objective)
        #expect(plain.gap == 0)
        // A feasible (worse) warm start: medians 1 and 4.
        var start = [Double](repeating: 0, count: lp.variableCount)
        start[1] = 1
        start[4] = 1
        for i in 0..<6 { start[x[i][i < 3 ? 1 : 4]] = 1 }
        var options = MILPOptions()
        options.warmStart = start
        let warm = try GLPKSolver.solve(lp, options: options)
        #expect(warm.status == .optimal)
        #expect(abs(warm.objective! - Double(expected)) < 1e-9)
        // An infeasible warm start is dropped, never injected.
        options.warmStart = [Double](repeating: 0, count: lp.variableCount)
        let dropped = try GLPKSolver.solve(lp, options: options)
        #expect(dropped.warmStartUsed == false)
        #expect(abs(dropped.objective! - Double(expected)) < 1e-9)
    }

    /// Ten points on a circle, three centers serving at most four units each. Returns the
    /// program and the center columns.
    func circleCPMP() -> (LinearProgram, y: [Int]) {
        let n = 10, p = 3
        var lp = LinearProgram()
        let y = (0..<n).map { lp.addVariable("y\($0)", kind: .binary) }
        var x: [[Int]] = []
        for i in 0..<n {
            x.append((0..<n).map { j in
                let steps = min(abs(i - j), n - abs(i - j))
                return lp.addVariable("x\(i)_\(j)", kind: .binary, objective: Double(steps * steps))
            })
        }
        for i in 0..<n { lp.addConstraint("assign\(i)", (0..<n).map { (x[i][$0], 1.0) }, lower: 1, upper: 1) }
        lp.addConstraint("p", y.map { ($0, 1.0) }, lower: Double(p), upper: Double(p))
        for j in 0..<n { lp.addConstraint("cap\(j)", (0..<n).map { (x[$0][j], 1.0) } + [(y[j], -4)], upper: 0) }
        for i in 0..<n { for j in 0..<n { lp.addConstraint("link\(i)_\(j)", [(x[i][j], 1), (y[j], -1)], upper: 0) } }
        return (lp, y)
    }

    /// Branching columns and splits are validated before GLPK sees them, and branching on the
    /// centers first changes no optimum. (That the callback branches and the split covers both
    /// sides is tested on an Osman–Christofides model in MIPTests, whose root LP is fractional.)
    @Test func branchFirstAndSplitOptionsAreValidated() throws {
        let (lp, y) = circleCPMP()
        let plain = try GLPKSolver.solve(lp)
        var options = MILPOptions()
        options.branchFirst = y
        let prioritized = try GLPKSolver.solve(lp, options: options)
        #expect(plain.status == .optimal && prioritized.status == .optimal)
        #expect(abs(prioritized.objective! - plain.objective!) < 1e-9)
        #expect(plain.priorityBranches == 0)
        #expect(throws: MILPError.self) {
            var bad = MILPOptions()
            bad.branchFirst = [lp.variableCount]
            _ = try GLPKSolver.solve(lp, options: bad)
        }
        var mixed = lp
        let slack = mixed.addVariable("slack", upper: 1)
        #expect(throws: MILPError.self) {
            var bad = MILPOptions()
            bad.branchFirst = [slack]
            _ = try GLPKSolver.solve(mixed, options: bad)
        }
        #expect(throws: MILPError.self) {
            var bad = MILPOptions()
            bad.split = (SearchSplit(), false)  // no branching columns
            _ = try GLPKSolver.solve(lp, options: bad)
        }
        var maximize = lp
        maximize.sense = .maximize
        #expect(throws: MILPError.self) {
            var bad = MILPOptions()
            bad.branchFirst = y
            bad.split = (SearchSplit(), true)
            _ = try GLPKSolver.solve(maximize, options: bad)
        }
    }

    /// A node-bound oracle is validated before GLPK sees it, and what it proves is used: one
    /// that reports the true optimum at every node (and fixes nothing, or out-of-range and
    /// continuous columns, which must be ignored) closes nodes and keeps the optimum, while one
    /// that reports nothing leaves the search as it was.
    @Test func nodeBoundOracleIsValidatedAndUsed() throws {
        // min Σ x subject to Σ 2x ≥ 15: every node's LP is fractional (7.5 at the root), the
        // optimum is 8.
        var lp = LinearProgram()
        let x = (0..<15).map { lp.addVariable("x\($0)", kind: .binary, objective: 1) }
        lp.addConstraint("cover", x.map { ($0, 2.0) }, lower: 15)
        let optimum = 8.0, columns = lp.variableCount
        let calls = Mutex(0)
        var options = MILPOptions()
        options.nodeBound = NodeBoundOracle(rows: [0]) { node in
            calls.withLock { $0 += 1 }
            #expect(node.lower.count == columns && node.duals.count == 1)
            return NodeBound(bound: optimum, fixAtZero: [-1, columns + 5], fixAtOne: [columns])
        }
        let closed = try GLPKSolver.solve(lp, options: options)
        #expect(closed.status == .optimal && abs(closed.objective! - optimum) < 1e-9)
        #expect(closed.values?.count == lp.variableCount)
        #expect(closed.columnsFixedByOracle == 0)
        #expect(calls.withLock { $0 } > 0 && closed.nodesRaisedByOracle > 0)
        options.nodeBound = NodeBoundOracle(rows: []) { _ in nil }
        let silent = try GLPKSolver.solve(lp, options: options)
        #expect(silent.status == .optimal && abs(silent.objective! - optimum) < 1e-9)
        #expect(silent.nodesRaisedByOracle == 0 && silent.nodesClosedByOracle == 0)
        for bad in [NodeBoundOracle(rows: [lp.constraintCount]) { _ in nil }, NodeBoundOracle(rows: [-1]) { _ in nil },
                    NodeBoundOracle(rows: [0], roundsPerNode: 0) { _ in nil }] {
            #expect(throws: MILPError.self) {
                var o = MILPOptions()
                o.nodeBound = bad
                _ = try GLPKSolver.solve(lp, options: o)
            }
        }
        var maximize = lp
        maximize.sense = .maximize
        #expect(throws: MILPError.self) {
            var o = MILPOptions()
            o.nodeBound = NodeBoundOracle(rows: []) { _ in nil }
            _ = try GLPKSolver.solve(maximize, options: o)
        }
    }

    /// Exact node bounds (a covering knapsack solved by dynamic programming at about half the
    /// nodes) are used as bounds, never as more: stopped after a few nodes or run to the end,
    /// every search reports a bound no higher than the optimum and ends at the optimum.
    @Test func nodeBoundsStayWithTheirNodes() throws {
        var state: UInt64 = 5
        func next(_ bound: Int) -> Int {  // a small LCG: MILP's tests depend on nothing else
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<8 {
            let count = 40
            // Costs nearly proportional to sizes: the LP is close everywhere and the tree deep.
            let sizes = (0..<count).map { _ in 20 + next(60) }
            let costs = sizes.map { Double(10 * $0 + next(7)) }
            let need = sizes.reduce(0, +) * 45 / 100 + 1
            var lp = LinearProgram()
            let x = (0..<count).map { lp.addVariable("x\($0)", kind: .binary, objective: costs[$0]) }
            lp.addConstraint("cover", x.map { ($0, Double(sizes[$0])) }, lower: Double(need))
            // The node's optimum by dynamic programming over the size still needed.
            @Sendable func exact(_ lower: [Double], _ upper: [Double]) -> Double {
                var fixedCost = 0.0, fixedSize = 0
                for j in 0..<count where lower[j] > 0.5 { fixedCost += costs[j]; fixedSize += sizes[j] }
                let rest = max(0, need - fixedSize)
                var best = [Double](repeating: .infinity, count: rest + 1)  // best[s]: cover ≥ s
                best[0] = 0
                for j in 0..<count where lower[j] < 0.5 && upper[j] > 0.5 {
                    for s in stride(from: rest, through: 1, by: -1) {
                        best[s] = min(best[s], best[max(0, s - sizes[j])] + costs[j])
                    }
                }
                return fixedCost + best[rest]
            }
            let optimum = exact([Double](repeating: 0, count: count), [Double](repeating: 1, count: count))
            for limit in [4, 8, 16, 32, 1000] {
                var options = MILPOptions()
                options.nodeLimit = limit
                options.nodeBound = NodeBoundOracle(rows: [0]) { node in
                    node.lower.reduce(0, +) + node.upper.reduce(0, +) > Double(count) ? NodeBound(bound: exact(node.lower, node.upper)) : nil
                }
                let solved = try GLPKSolver.solve(lp, options: options)
                if solved.status == .optimal { #expect(solved.objective == optimum, "\(solved.objective ?? -1) vs \(optimum)") }
                #expect(solved.bound.map { $0 <= optimum + 1e-9 } ?? true, "limit \(limit): bound \(solved.bound ?? -1) above the optimum \(optimum)")
            }
        }
    }

    /// A node limit ends the search like a time limit, after about that many nodes.
    @Test func nodeLimitStopsTheSearch() throws {
        // Subset sum: max Σ w x subject to Σ w x ≤ C with odd weights and an even C (no LP bound
        // is ever met exactly, so branch and bound needs many nodes).
        var lp = LinearProgram(sense: .maximize)
        let weights = (0..<30).map { 2 * ((7919 * ($0 + 3)) % 1000) + 1001 }
        let x = weights.map { lp.addVariable("x\($0)", kind: .binary, objective: Double($0)) }
        lp.addConstraint("cap", zip(x, weights).map { ($0, Double($1)) }, upper: Double(weights.reduce(0, +) / 2 / 2 * 2))
        var limited = MILPOptions()
        limited.nodeLimit = 5
        limited.timeLimit = .seconds(20)
        let stopped = try GLPKSolver.solve(lp, options: limited)
        #expect(stopped.nodes <= 10, "\(stopped.nodes) nodes")
        #expect(stopped.status != .optimal && stopped.status != .infeasible)
        var longer = MILPOptions()
        longer.timeLimit = .seconds(2)
        longer.nodeLimit = 200
        let searched = try GLPKSolver.solve(lp, options: longer)
        #expect(searched.nodes > stopped.nodes)
        #expect(throws: MILPError.self) {
            var bad = MILPOptions()
            bad.nodeLimit = 0
            _ = try GLPKSolver.solve(lp, options: bad)
        }
    }

    @Test func infeasibleAndUnbounded() throws {
        var lp = LinearProgram()
        let a = lp.addVariable("a", kind: .integer)
        lp.addConstraint("low", [(a, 1)], lower: 5)
        lp.addConstraint("high", [(a, 1)], upper: 3)
        #expect(try GLPKSolver.solve(lp).status == .infeasible)
        var open = LinearProgram(sense: .maximize)
        let b = open.addVariable("b", objective: 1)
        open.addConstraint("b_min", [(b, 1)], lower: 1)
        #expect(try GLPKSolver.solve(open).status == .unbounded)
    }

    @Test func invalidModelsAreRejectedBeforeGLPK() {
        var lp = LinearProgram()
        #expect(throws: MILPError.self) { try GLPKSolver.solve(lp) }  // no variables
        let a = lp.addVariable("a")
        lp.addConstraint("dup", [(a, 1), (a, 2)], upper: 1)
        #expect { try GLPKSolver.solve(lp) } throws: { "\($0)".contains("appears twice") }
        var bad = LinearProgram()
        _ = bad.addVariable("a", objective: .nan)
        #expect(throws: MILPError.self) { try GLPKSolver.solve(bad) }
        var outOfRange = LinearProgram()
        _ = outOfRange.addVariable("a")
        outOfRange.addConstraint("r", [(5, 1)], upper: 1)
        #expect { try GLPKSolver.solve(outOfRange) } throws: { "\($0)".contains("out of range") }
        var crossed = LinearProgram()
        _ = crossed.addVariable("a", lower: 2, upper: 1)
        #expect(throws: MILPError.self) { try GLPKSolver.solve(crossed) }
        var named = LinearProgram()
        _ = named.addVariable("has space")
        #expect(throws: MILPError.self) { try GLPKSolver.solve(named) }
        var options = MILPOptions()
        options.relativeGap = -1
        #expect(throws: MILPError.self) { try GLPKSolver.solve(pMedian().0, options: options) }
    }

    @Test func guardTurnsAFatalGLPKErrorIntoAFailureAndGLPKStillWorks() throws {
        #expect(GLPKSolver.guardSelfTest())
        let result = try GLPKSolver.solve(pMedian().0)
        #expect(result.status == .optimal)
    }
}
