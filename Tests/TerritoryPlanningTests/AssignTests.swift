import Testing
import TerritoryCore
import TerritoryEvaluation
import TerritoryHeuristics
import TerritoryPlanning

@Suite struct AssignTests {
    @Test func rulesParseInOrderWithLines() throws {
        let rules = try parseAssignmentRules("""
            # routing
            segment == "Enterprise" -> EAST-ENT
            state in [CA, "OR"] -> WEST

            revenue >= 1000000 -> KEY
            state not in [NY] -> SOUTH
            """, file: "rules.txt")
        #expect(rules.map(\.line) == [2, 3, 5, 6])
        #expect(rules[0] == AssignmentRule(column: "segment", op: .equal, values: ["Enterprise"], territory: "EAST-ENT", line: 2))
        #expect(rules[1].values == ["CA", "OR"])
        #expect(rules[2].op == .greaterOrEqual && rules[2].matches("2000000") && !rules[2].matches("999999.5"))
        #expect(rules[3].matches("TX") && !rules[3].matches("NY"))
        #expect(throws: InputError.self) { try parseAssignmentRules("segment == SMB\n", file: "r") }
        do {
            _ = try parseAssignmentRules("a == b -> T\nstate ~ CA -> W\n", file: "r.txt")
        } catch {
            #expect(error.line == 2 && error.file == "r.txt")
        }
    }

    @Test func accountsGoByRuleThenNearestWithHeadroom() throws {
        // Two territories of 5 units each (workload 1) on a line; W around x = 2, E around x = 12.
        let xs: [Double] = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 2.5, 3.5, 11]
        let units = try UnitTable(ids: xs.indices.map { "u\($0)" }, x: xs, y: Array(repeating: 0, count: xs.count),
                                  measures: [Measure(name: "w", values: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])])
        var p = DesignProblem(name: "a", units: units, distances: Distances(metric: .euclidean, x: xs, y: units.y), k: 2)
        // Totals become 13: targets 6.5, upper bound 7.15 — each territory has room for 2 more.
        p.balance = [BalanceRequirement(measure: 0, tolerance: 0.1)]
        let today = Plan(assignment: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1, -1, -1], labels: ["W", "E"])
        let rules = [AssignmentRule(column: "state", op: .equal, values: ["NY"], territory: "E", line: 1)]
        let states = [10: "CA", 11: "NY", 12: "CA"]
        let (plan, placements) = try assignNewUnits(today, in: p, rules: rules) { unit, column in column == "state" ? states[unit] : nil }
        #expect(plan.assignment[10] == 0)  // nearest with headroom
        #expect(plan.assignment[11] == 1)  // rule: NY → E although W is nearer
        #expect(plan.assignment[12] == 1)
        #expect(placements.map(\.reason) == [.nearestWithHeadroom, .rule(line: 1), .nearestWithHeadroom])
        #expect(Array(plan.assignment[0..<10]) == Array(today.assignment[0..<10]))
        #expect(Evaluator.evaluate(plan, in: p).feasible)
        // A rule naming an unknown territory is an input error with its line.
        let bad = [AssignmentRule(column: "state", op: .equal, values: ["NY"], territory: "NORTH", line: 4)]
        #expect(throws: InputError(file: "r.txt", line: 4, "unknown territory \"NORTH\" (territories: W, E)")) {
            try assignNewUnits(today, in: p, rules: bad, rulesFile: "r.txt") { _, _ in "NY" }
        }
    }

    @Test func tradeoffCurveMarksTheFrontier() throws {
        var p = problem(n: 200, k: 4, seed: 8, tolerance: 0.05)
        p.balance = [BalanceRequirement(measure: 0, tolerance: 0.05)]
        let points = tradeoffCurve(p, sweep: .tolerance(measure: 0, values: [0.01, 0.05, 0.2]), options: options(stall: 10))
        #expect(points.count == 3)
        for (point, tolerance) in zip(points, [0.01, 0.05, 0.2]) {
            #expect(point.feasible)
            #expect(point.maxDeviation! <= tolerance + 1e-9)
        }
        // The loosest or the tightest point is always on the frontier (least travel / least deviation).
        let leastTravel = points.indices.min { points[$0].travel! < points[$1].travel! }!
        #expect(points[leastTravel].onFrontier)
        let leastDeviation = points.indices.min { points[$0].maxDeviation! < points[$1].maxDeviation! }!
        #expect(points[leastDeviation].onFrontier)
    }
}
