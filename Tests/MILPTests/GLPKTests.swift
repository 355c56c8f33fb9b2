import Testing
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
