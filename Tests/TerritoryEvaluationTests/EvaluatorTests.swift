import Testing
import TerritoryCore
@testable import TerritoryEvaluation

/// A random planar problem with two measures, seeded.
func randomProblem(n: Int, k: Int, seed: UInt64, metric: Metric = .euclidean, weights: Bool = false) -> DesignProblem {
    var rng = SplitMix64(seed: seed)
    var x: [Double] = [], y: [Double] = [], a: [Double] = [], b: [Double] = [], w: [Double] = []
    for _ in 0..<n {
        if metric == .haversine {
            x.append(-10 + 20 * rng.nextUnit())
            y.append(40 + 10 * rng.nextUnit())
        } else {
            x.append((100 * rng.nextUnit() * 10).rounded() / 10)
            y.append((100 * rng.nextUnit() * 10).rounded() / 10)
        }
        a.append(1 + Double(rng.nextIndex(below: 9)))
        b.append(10 * rng.nextUnit())
        w.append(0.5 + rng.nextUnit())
    }
    let units = try! UnitTable(
        ids: (0..<n).map { "u\($0)" }, coordinateSystem: metric == .haversine ? .geographic : .planar, x: x, y: y,
        measures: [Measure(name: "workload", values: a), Measure(name: "potential", values: b)], weights: weights ? w : nil)
    return DesignProblem(name: "random", units: units, distances: Distances(metric: metric, x: x, y: y), k: k)
}

func randomAssignment(n: Int, k: Int, rng: inout SplitMix64) -> [Int32] {
    var assignment = (0..<n).map { Int32($0 % k) }  // every territory non-empty
    for i in stride(from: n - 1, to: 0, by: -1) { assignment.swapAt(i, rng.nextIndex(below: i + 1)) }
    return assignment
}

@Suite struct MedoidTests {
    @Test(arguments: [Metric.euclidean, .euclideanTruncated, .haversine], [false, true])
    func prunedMedoidEqualsBruteForce(metric: Metric, weighted: Bool) {
        for seed in UInt64(1)...8 {
            let problem = randomProblem(n: 300, k: 1, seed: seed, metric: metric, weights: weighted)
            var rng = SplitMix64(seed: seed)
            let members = ArraySlice((0..<300).filter { _ in rng.nextUnit() < 0.6 }.map(Int32.init))
            let pruned = prunedMedoid(of: members, distances: problem.distances, weights: problem.units.weights)
            let brute = bruteForceMedoid(of: members, distances: problem.distances, weights: problem.units.weights)
            #expect(pruned.unit == brute.unit)
            #expect(pruned.cost == brute.cost)
        }
    }

    @Test func prunedAndBruteForceAgreeOnASymmetricGrid() {
        // A 9 × 9 grid has many equal sums: both paths must pick the same member.
        var x: [Double] = [], y: [Double] = []
        for i in 0..<81 { x.append(Double(i % 9)); y.append(Double(i / 9)) }
        for metric in [Metric.euclidean, .euclideanTruncated] {
            let distances = Distances(metric: metric, x: x, y: y)
            let members = ArraySlice((0..<81).map(Int32.init))
            let pruned = prunedMedoid(of: members, distances: distances, weights: nil)
            let brute = bruteForceMedoid(of: members, distances: distances, weights: nil)
            #expect(pruned.unit == brute.unit)
            #expect(pruned.cost == brute.cost)
        }
    }

    @Test func tiesGoToTheFirstListedUnit() {
        // Four corners of a square: every corner has the same sum; the lowest index wins.
        let units = try! UnitTable(ids: ["d", "c", "b", "a"], x: [0, 1, 0, 1], y: [0, 0, 1, 1])
        let distances = Distances(metric: .euclidean, x: units.x, y: units.y)
        let result = medoid(of: [0, 1, 2, 3], distances: distances, weights: nil)!
        #expect(result.unit == 0)
        #expect(result.cost == 2 + 2.0.squareRoot())
        #expect(medoid(of: [], distances: distances, weights: nil) == nil)
    }
}

@Suite struct EvaluatorTests {
    /// Two clusters on a line, adjacency a path 0-1-2-3-4-5.
    func lineProblem() throws -> DesignProblem {
        let units = try UnitTable(
            ids: ["a", "b", "c", "d", "e", "f"], x: [0, 1, 2, 10, 11, 12], y: [0, 0, 0, 0, 0, 0],
            measures: [Measure(name: "work", values: [1, 1, 2, 2, 1, 1])],
            segments: ["SMB", "SMB", "ENT", "ENT", "SMB", "SMB"],
            currentTerritory: ["W", "W", "W", "E", "E", "E"], locked: [true, false, false, false, false, false])
        var problem = DesignProblem(
            name: "line", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y),
            adjacency: Adjacency(unitCount: 6, pairs: [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]), k: 2)
        problem.baseline = planFromLabels(units.currentTerritory!)
        return problem
    }

    @Test func handComputedMetrics() throws {
        var problem = try lineProblem()
        problem.balance = [BalanceRequirement(measure: 0, tolerance: 0.1)]
        problem.requiresContiguity = true
        let plan = Plan(assignment: [0, 0, 0, 1, 1, 1], labels: ["W", "E"])
        let e = Evaluator.evaluate(plan, in: problem)
        // Medoids b (1) and e (4): travel 1+0+1 + 1+0+1 = 4.
        #expect(e.travel == 4)
        #expect(e.territories.map(\.center) == [.unit(1), .unit(4)])
        #expect(e.balance[0].maxDeviation == 0)
        #expect(e.noncontiguous == 0)
        #expect(e.cutEdges == 1)
        #expect(e.disruption?.moved == 0)
        #expect(e.feasible)
    }

    @Test func violationsAreListedAndSized() throws {
        var problem = try lineProblem()
        problem.balance = [BalanceRequirement(measure: 0, tolerance: 0.1, capacities: [4.5, 4.5])]
        problem.requiresContiguity = true
        problem.territories = [TerritorySpec(label: "W", allowedSegments: ["SMB"]), TerritorySpec(label: "E")]
        problem.disruptionBudget = .units(1)
        // Unit a (locked to W) goes east; W = {b, c, d}: not contiguous? b-c-d is a path, fine;
        // E = {a, e, f}: a is cut off from e-f.
        let plan = Plan(assignment: [1, 0, 0, 0, 1, 1], labels: ["W", "E"])
        let e = Evaluator.evaluate(plan, in: problem)
        #expect(!e.feasible)
        let kinds = Set(e.violations.map(\.kind))
        #expect(kinds == [.aboveBand, .belowBand, .aboveCapacity, .noncontiguous, .lockBroken, .segmentNotServed, .disruptionBudget])
        // W has work 1+2+2 = 5 vs target 4, band [3.6, 4.4]: above by 0.6.
        let above = try #require(e.violations.first { $0.kind == .aboveBand })
        #expect(above.territory == "W")
        #expect(abs(above.amount - 0.6) < 1e-12)
        #expect(e.violations.first { $0.kind == .aboveCapacity }.map { abs($0.amount - 0.5) < 1e-12 } == true)
        #expect(e.violations.first { $0.kind == .noncontiguous }?.amount == 1)
        #expect(e.violations.first { $0.kind == .disruptionBudget }?.amount == 1)  // 2 moved, budget 1
        #expect(e.disruption?.moved == 2)
        #expect(abs(e.disruption!.movedShare[0] - 3.0 / 8.0) < 1e-12)
    }

    @Test func relabelledPlansAreMatchedByOverlap() throws {
        let problem = try lineProblem()
        // Same partition as the baseline under new names: nothing moved.
        let e = Evaluator.evaluate(Plan(assignment: [1, 1, 1, 0, 0, 0], labels: ["East-2", "West-2"]), in: problem)
        #expect(e.disruption?.moved == 0)
        #expect(e.disruption?.matchedByOverlap == true)
        #expect(e.disruption?.baselineLabels == ["E", "W"])
        #expect(e.feasible)  // the lock holds under the matching
        // Same names, territories swapped: everything moved.
        let swapped = Evaluator.evaluate(Plan(assignment: [1, 1, 1, 0, 0, 0], labels: ["W", "E"]), in: problem)
        #expect(swapped.disruption?.moved == 6)
    }

    @Test func fixedCentersAndEmptyTerritories() throws {
        var problem = try lineProblem()
        problem.setTerritoryCount(3)
        problem.territories[1].center = .point(Point(x: 11, y: 3))
        let plan = Plan(assignment: [0, 0, 0, 1, 1, 1], labels: ["A", "B", "C"])
        let e = Evaluator.evaluate(plan, in: problem)
        #expect(e.emptyTerritories == 1)
        #expect(e.violations.contains { $0.kind == .emptyTerritory && $0.territory == "C" })
        let expected = (1.0 + 9).squareRoot() + 3 + (1.0 + 9).squareRoot()
        #expect(abs(e.territories[1].travel - expected) < 1e-12)
        #expect(e.territories[1].centerIsMedoid == false)
    }

    @Test func deviationUsesPerTerritoryTargets() throws {
        var problem = try lineProblem()
        problem.balance = [BalanceRequirement(measure: 0, tolerance: 0.05, targetShares: [0.5, 0.5])]
        let e = Evaluator.evaluate(Plan(assignment: [0, 0, 0, 0, 1, 1], labels: ["W", "E"]), in: problem)
        // W = 6, E = 2, targets 4: deviation 50 %.
        #expect(e.balance[0].maxDeviation == 0.5)
        #expect(e.balance[0].minimum == 2)
        #expect(e.balance[0].maximum == 6)
    }

    @Test func hungarianMatchesBruteForce() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<30 {
            let n = 1 + rng.nextIndex(below: 6)
            let cost = (0..<(n * n)).map { _ in Double(rng.nextIndex(below: 20)) }
            let assignment = hungarianMinimumCost(cost, size: n)
            #expect(Set(assignment).count == n)
            let value = (0..<n).reduce(0.0) { $0 + cost[$1 * n + assignment[$1]] }
            var best = Double.infinity
            func permute(_ prefix: [Int]) {
                if prefix.count == n {
                    best = min(best, (0..<n).reduce(0.0) { $0 + cost[$1 * n + prefix[$1]] })
                    return
                }
                for c in 0..<n where !prefix.contains(c) { permute(prefix + [c]) }
            }
            permute([])
            #expect(value == best)
        }
    }
}

@Suite struct IncrementalEvaluatorTests {
    /// Random moves and swaps: every predicted delta must equal the change in the full
    /// evaluator's figures, and the cached state must agree with a rebuild.
    @Test(arguments: [false, true], [false, true])
    func deltasMatchFullEvaluation(medoidMode: Bool, weighted: Bool) {
        let n = 60, k = 5
        var problem = randomProblem(n: n, k: k, seed: 11, weights: weighted)
        problem.balance = [
            BalanceRequirement(measure: 0, tolerance: 0.05),
            BalanceRequirement(measure: 1, tolerance: 0.1, capacities: Array(repeating: 70, count: k)),
        ]
        var rng = SplitMix64(seed: 3)
        let start = randomAssignment(n: n, k: k, rng: &rng)
        let centers: [Center] = (0..<k).map { t in t % 2 == 0 ? .unit(t * 7) : .point(Point(x: 20.0 * Double(t), y: 50)) }
        var state = IncrementalEvaluator(
            problem: problem, assignment: start, centerMode: medoidMode ? .medoid : .fixed(centers), penaltyWeight: 37)
        let labels = (0..<k).map { "T\($0)" }
        func fullObjective(_ assignment: [Int32]) -> (travel: Double, penalty: Double) {
            let plan = Plan(assignment: assignment, labels: labels, centers: medoidMode ? nil : centers)
            let e = Evaluator.evaluate(plan, in: problem)
            var penalty = 0.0
            for (r, req) in problem.balance.enumerated() {
                let total = problem.units.measures[req.measure].total
                for t in 0..<k {
                    let value = e.territories[t].totals[req.measure]
                    let lower = req.lowerBound(t, total: total, k: k), upper = req.upperBound(t, total: total, k: k)
                    let excess = max(0, value - upper, lower - value)
                    penalty += state.weights[r] * excess / req.target(t, total: total, k: k)
                }
            }
            return (e.travel, penalty)
        }
        var current = fullObjective(state.assignment)
        #expect(abs(state.travel - current.travel) < 1e-9 * max(1, current.travel))
        #expect(abs(state.penalty - current.penalty) < 1e-9)
        for step in 0..<300 {
            let u = rng.nextIndex(below: n)
            let delta: ObjectiveDelta
            var next = state.assignment
            if step % 3 == 0 {
                let v = rng.nextIndex(below: n)
                guard state.assignment[u] != state.assignment[v] else { continue }
                delta = state.delta(swapping: u, v)
                next.swapAt(u, v)
                state.swap(u, v)
            } else {
                let b = rng.nextIndex(below: k)
                let from = Int(state.assignment[u])
                // Keep every territory non-empty so medoids exist.
                guard b != from, state.assignment.filter({ $0 == Int32(from) }).count > 1 else { continue }
                delta = state.delta(moving: u, to: b)
                next[u] = Int32(b)
                state.move(u, to: b)
            }
            let after = fullObjective(next)
            #expect(abs(delta.travel - (after.travel - current.travel)) < 1e-7 * max(1, current.travel))
            #expect(abs(delta.penalty - (after.penalty - current.penalty)) < 1e-7)
            #expect(abs(state.travel - after.travel) < 1e-7 * max(1, after.travel))
            #expect(abs(state.penalty - after.penalty) < 1e-7)
            current = after
        }
        var rebuilt = state
        rebuilt.rebuild()
        #expect(abs(rebuilt.travel - state.travel) < 1e-7 * max(1, state.travel))
        #expect(rebuilt.sums.indices.allSatisfy { abs(rebuilt.sums[$0] - state.sums[$0]) < 1e-9 })
    }
}
