import Foundation
import Testing
import TerritoryCore
import TerritoryEvaluation
@testable import TerritoryIO

/// The published optima must come out of `evaluate` exactly: this pins each set's distance
/// convention (truncated, real Euclidean, matrix, shortest paths).
@Suite struct BenchmarkReaderTests {
    static let osmanSolutions: [String] = (try? FileManager.default.contentsOfDirectory(atPath: dataset("cpmp-osman/solutions")))?.sorted() ?? []
    static let sjcSolutions: [String] = (try? FileManager.default.contentsOfDirectory(atPath: dataset("cpmp-sjc/solutions")))?.sorted() ?? []

    /// `solOPT.cpmp01_713.json` → `cpmp01`.
    static func instanceName(_ solution: String) -> String {
        let stem = solution.replacingOccurrences(of: "solOPT.", with: "").replacingOccurrences(of: ".json", with: "")
        return String(stem[..<stem.lastIndex(of: "_")!])
    }

    static func evaluateSolution(instance: String, format: InstanceFormat, solution: String) throws -> Evaluation {
        let problem = try readInstance(instance, format: format)
        try problem.validate()
        let plan = try problem.align(readPlan(solution, for: problem))
        return Evaluator.evaluate(plan, in: problem)
    }

    @Test func allSolutionFilesArePresent() {
        #expect(Self.osmanSolutions.count == 20)
        #expect(Self.sjcSolutions.count == 6)
    }

    @Test(arguments: osmanSolutions)
    func osmanChristofidesOptimaAreReproducedExactly(solution: String) throws {
        let name = Self.instanceName(solution)
        let evaluation = try Self.evaluateSolution(
            instance: dataset("cpmp-osman/\(name).txt"), format: .cpmpOsman, solution: dataset("cpmp-osman/solutions/\(solution)"))
        #expect(evaluation.travel == knownValues[name]!.value)
        #expect(evaluation.feasible, "\(evaluation.violations)")
        #expect(evaluation.k == 5 || evaluation.k == 10)
    }

    @Test(arguments: sjcSolutions)
    func sjcOptimaAreReproducedToThePublishedCents(solution: String) throws {
        let name = Self.instanceName(solution)
        let evaluation = try Self.evaluateSolution(
            instance: dataset("cpmp-sjc/\(name).dat"), format: .cpmp, solution: dataset("cpmp-sjc/solutions/\(solution)"))
        #expect((evaluation.travel * 100).rounded() / 100 == knownValues[name]!.value)
        #expect(evaluation.feasible, "\(evaluation.violations)")
    }

    @Test func truncatedDistancesMatterForOsman() throws {
        // The same assignment under real Euclidean distances costs more (729.13 for cpmp01).
        let evaluation = try Self.evaluateSolution(
            instance: dataset("cpmp-osman/cpmp01.txt"), format: .cpmp, solution: dataset("cpmp-osman/solutions/solOPT.cpmp01_713.json"))
        #expect(abs(evaluation.travel - 729.13) < 0.01)
    }

    static let counties: [(file: String, plan: String, k: Int, population: Double, cutEdges: Int)] = [
        ("county23", "ME", 2, 1_328_361, 16), ("county35", "NM", 3, 2_059_179, 17), ("county16", "ID", 2, 1_567_582, 10),
        ("county54", "WV", 3, 1_852_994, 23), ("county22", "LA", 6, 4_533_372, 49), ("county01", "AL", 7, 4_779_736, 55),
        ("county05", "AR", 4, 2_915_918, 33), ("county40", "OK", 5, 3_751_351, 40), ("county28", "MS", 4, 2_967_297, 34),
        ("county31", "NE", 3, 1_826_341, 19), ("county19", "IA", 4, 3_046_355, 33), ("county20", "KS", 4, 2_853_118, 32),
    ]

    @Test(arguments: counties.map(\.file))
    func countyPlansAreContiguousAndWithinHalfAPercent(file: String) throws {
        let state = Self.counties.first { $0.file == file }!
        var problem = try readInstance(dataset("districting-us-county/\(file).json"), format: .countyJSON)
        let pop = try #require(problem.units.measureIndex(named: "TOTPOP"))
        #expect(problem.units.measures[pop].total == state.population)
        problem.setTerritoryCount(state.k)
        problem.balance = [BalanceRequirement(measure: pop, tolerance: 0.005)]
        problem.requiresContiguity = true
        try problem.validate()
        let plan = try problem.align(readPlan(dataset("districting-us-county/optimal-plans-min-cut-edges/\(state.plan)-county-hess-scf.json"), for: problem))
        let evaluation = Evaluator.evaluate(plan, in: problem)
        #expect(evaluation.noncontiguous == 0)
        #expect(evaluation.feasible, "\(evaluation.violations)")
        #expect(try #require(evaluation.balance[pop].maxDeviation) <= 0.005)
        #expect(evaluation.cutEdges == state.cutEdges)
        #expect(evaluation.cutEdges == Int(knownValues[state.plan]!.value))
    }

    @Test func countyGraphHasSymmetricAdjacencyAndGeoids() throws {
        let problem = try readInstance(dataset("districting-us-county/county23.json"), format: .countyJSON)
        #expect(problem.unitCount == 16)
        #expect(problem.adjacency?.edgeCount == 34)
        #expect(problem.units.ids[0] == "23019")
        #expect(problem.units.coordinateSystem == .geographic)
        #expect(problem.distances.metric == .haversine)
        #expect(problem.units.measureIndex(named: "ALAND10") != nil)
        #expect(problem.units.measureIndex(named: "boundary_node") == nil)  // booleans are not measures
        #expect(problem.k == 0)  // the file has no k: --k decides
    }

    @Test func pmedUsesTheLastOccurrenceOfARepeatedEdge() throws {
        let dir = temporaryDirectory()
        // Edge 1-2 appears twice: 5 then 9 (last wins); the path 1-3-2 costs 8.
        write(" 3 3 1\n 1 2 5\n 1 3 4\n 2 1 9\n", to: dir + "/g.txt")
        var problem = try readInstance(dir + "/g.txt", format: .pmed)
        #expect(problem.distances(0, 1) == 9)
        write(" 3 4 1\n 1 2 5\n 1 3 4\n 3 2 4\n 2 1 9\n", to: dir + "/g.txt")
        problem = try readInstance(dir + "/g.txt", format: .pmed)
        #expect(problem.distances(0, 1) == 8)
        #expect(problem.distances(1, 0) == 8)
        #expect(problem.k == 1)
    }

    @Test func pmedInstanceLoadsWithItsP() throws {
        let problem = try readInstance(dataset("orlib-pmed/pmed1.txt"), format: .pmed)
        #expect(problem.unitCount == 100)
        #expect(problem.k == 5)
        #expect(problem.distances.metric == .matrix)
        for i in 0..<100 { #expect(problem.distances(i, i) == 0) }
        #expect(problem.distances(3, 17) == problem.distances(17, 3))
    }

    @Test func spainReadsItsMatrixBesideTheInstance() throws {
        let problem = try readInstance(dataset("cpmp-spain737/spain737_148_2.txt"), format: .spain737)
        #expect(problem.unitCount == 737)
        #expect(problem.k == 148)
        #expect(problem.distances.metric == .matrix)
        #expect(problem.balance.first?.capacities?.first == 1760)
        #expect(abs(problem.units.measures[0].total - 208_323.88) < 0.01)
    }

    @Test func stefanelloFilesWithTrailingBlankLinesLoad() throws {
        let problem = try readInstance(dataset("cpmp-stefanello/ali535_025.txt"), format: .cpmp)
        #expect(problem.unitCount == 535)
        #expect(problem.k == 25)
        #expect(problem.balance.first?.capacities?.first == 1310)
    }

    @Test func malformedBenchmarkFilesNameTheLine() throws {
        let dir = temporaryDirectory()
        write("3 1\n1 2 10 4\n5 x 10 4\n", to: dir + "/bad.txt")
        #expect {
            try readInstance(dir + "/bad.txt", format: .cpmp)
        } throws: { error in
            let e = error as! InputError
            return e.line == 3 && e.file == dir + "/bad.txt" && e.description.contains("\"x\" is not a number")
        }
        write("3 1\n1 2 10 4\n5 6 10 4\n", to: dir + "/short.txt")
        #expect(throws: InputError.self) { try readInstance(dir + "/short.txt", format: .cpmp) }
        write("2 1\n1 2 10 4\n5 6 11 4\n", to: dir + "/caps.txt")
        #expect(throws: InputError.self) { try readInstance(dir + "/caps.txt", format: .cpmp) }
    }
}
