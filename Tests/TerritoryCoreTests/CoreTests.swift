import Testing
@testable import TerritoryCore

@Suite struct DistanceTests {
    @Test func haversineMatchesAKnownDistance() {
        // Paris (2.3522 E, 48.8566 N) to London (0.1278 W, 51.5074 N): about 343.5 km on R = 6371 km.
        let d = Distances(metric: .haversine, x: [2.3522, -0.1278], y: [48.8566, 51.5074])
        #expect(abs(d(0, 1) - 343.56) < 0.1)
        #expect(d(0, 1) == d(1, 0))
        #expect(d(0, 0) == 0)
        #expect(abs(d(0, Point(x: -0.1278, y: 51.5074)) - d(0, 1)) < 1e-9)
    }

    @Test func truncatedAndPlanar() {
        let planar = Distances(metric: .euclidean, x: [0, 3], y: [0, 4.5])
        let truncated = Distances(metric: .euclideanTruncated, x: [0, 3], y: [0, 4.5])
        #expect(abs(planar(0, 1) - (9 + 20.25).squareRoot()) < 1e-12)
        #expect(truncated(0, 1) == 5)
        #expect(truncated.truncationSlack == 1)
        #expect(truncated.metricDistance(0, Point(x: 3, y: 4.5)) == planar(0, 1))
    }

    @Test func embeddingChordsNeverExceedArcs() {
        var rng = SplitMix64(seed: 5)
        let xs = (0..<50).map { _ in -180 + 360 * rng.nextUnit() }
        let ys = (0..<50).map { _ in -90 + 180 * rng.nextUnit() }
        let d = Distances(metric: .haversine, x: xs, y: ys)
        for i in 0..<50 {
            for j in 0..<50 {
                let delta = d.embedding(of: i) - d.embedding(of: j)
                #expect((delta * delta).sum().squareRoot() <= d(i, j) * (1 + 1e-12) + 1e-9)
            }
        }
    }
}

@Suite struct ModelTests {
    @Test func adjacencyDropsDuplicatesAndSelfLoops() {
        let graph = Adjacency(unitCount: 4, pairs: [(0, 1), (1, 0), (0, 1), (2, 2), (2, 3)])
        #expect(graph.edgeCount == 2)
        #expect(Array(graph.neighbours(of: 0)) == [1])
        #expect(graph.componentCount == 2)
        #expect(graph.edges.map { [$0.0, $0.1] } == [[0, 1], [2, 3]])
    }

    @Test func randomStreamsAreReproducible() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        var c = SplitMix64(seed: 1)
        for _ in 0..<1000 {
            let x = c.nextIndex(below: 7)
            #expect(x >= 0 && x < 7)
            let u = c.nextUnit()
            #expect(u >= 0 && u < 1)
        }
        var s1 = SplitMix64.derived(seed: 9, stream: 1), s2 = SplitMix64.derived(seed: 9, stream: 2)
        #expect(s1.next() != s2.next())
    }

    func problem(k: Int) throws -> DesignProblem {
        let units = try UnitTable(ids: ["a", "b", "c"], x: [0, 1, 2], y: [0, 0, 0], measures: [Measure(name: "w", values: [1, 2, 3])])
        return DesignProblem(name: "p", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: k)
    }

    @Test func validationNamesTheProblem() throws {
        #expect { try problem(k: 0).validate() } throws: { ($0 as! InputError).column == "--k" }
        #expect { try problem(k: 4).validate() } throws: { ($0 as! InputError).message == "k = 4 exceeds the number of units (3)" }
        var p = try problem(k: 2)
        p.balance = [BalanceRequirement(measure: 0, tolerance: -0.1)]
        #expect { try p.validate() } throws: { ($0 as! InputError).message.contains("tolerance") }
        p.balance = [BalanceRequirement(measure: 3, tolerance: 0.1)]
        #expect(throws: InputError.self) { try p.validate() }
        p.balance = []
        p.requiresContiguity = true
        #expect { try p.validate() } throws: { ($0 as! InputError).message.contains("adjacency") }
        #expect { try UnitTable(ids: ["a", "a"]) } throws: { ($0 as! InputError).message.contains("duplicate") }
        var q = try problem(k: 2)
        q.units.measures[0].values[1] = .nan
        #expect { try q.validate() } throws: { ($0 as! InputError).message.contains("not a finite number") }
    }

    @Test func uniformCapacitiesFollowK() throws {
        var p = try problem(k: 2)
        p.balance = [BalanceRequirement(measure: 0, capacities: [4, 4])]
        p.setTerritoryCount(3)
        #expect(p.balance[0].capacities == [4, 4, 4])
        #expect(p.territories.map(\.label) == ["T1", "T2", "T3"])
    }

    @Test func alignPadsUnnamedAndMapsNamedTerritories() throws {
        var p = try problem(k: 3)
        let plan = Plan(assignment: [0, 0, 1], labels: ["x", "y"])
        let aligned = try p.align(plan)
        #expect(aligned.labels == ["x", "y", "(empty 1)"])
        p.territories = [TerritorySpec(label: "y"), TerritorySpec(label: "x"), TerritorySpec(label: "z", center: .unit(2))]
        p.territoriesAreNamed = true
        let named = try p.align(plan)
        #expect(named.assignment == [1, 1, 0])
        #expect(named.centers[2] == .unit(2))
        #expect(throws: InputError.self) { try p.align(Plan(assignment: [0, 0, 0], labels: ["nope"])) }
    }

    @Test func membersAreSortedByUnit() {
        let members = TerritoryMembers(assignment: [1, 0, 1, -1, 0], k: 3)
        #expect(Array(members[0]) == [1, 4])
        #expect(Array(members[1]) == [0, 2])
        #expect(members.count(2) == 0)
    }

    @Test func syntheticInstancesAreSeeded() {
        let a = SyntheticInstance.units(count: 100, layout: .clustered, seed: 3)
        let b = SyntheticInstance.units(count: 100, layout: .clustered, seed: 3)
        #expect(a.x == b.x && a.measures == b.measures)
        let plan = SyntheticInstance.stripPlan(a, k: 7)
        let sizes = (0..<7).map { t in plan.assignment.filter { $0 == Int32(t) }.count }
        #expect(sizes.min()! >= 14 && sizes.max()! <= 15)
    }
}
