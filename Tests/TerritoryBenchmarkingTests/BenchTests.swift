import Foundation
import Testing
import TerritoryCore
import TerritoryIO
@testable import TerritoryBenchmarking

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

func scratchDirectory() -> String {
    let path = NSTemporaryDirectory() + "territory-bench-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct BenchTests {
    @Test func theBundledManifestCoversEverySet() throws {
        let (entries, problems) = try readManifest(repository + "/datasets/benchmarks.csv")
        #expect(problems.isEmpty)
        let suites = Set(entries.map(\.suite))
        #expect(suites.isSuperset(of: ["pmed", "osman", "sjc", "p3038", "stefanello", "spain737", "county-seats", "scale"]))
        #expect(entries.filter { $0.suite == "pmed" }.count == 40)
        #expect(entries.first { $0.instance == "cpmp01" }?.reference == 713)
        for entry in entries where entry.format != "synthetic" {
            #expect(FileManager.default.fileExists(atPath: repository + "/datasets/" + entry.file), "\(entry.file)")
        }
    }

    @Test func badRowsFailAloneAndPlansAreScoredFromDisk() throws {
        let dir = scratchDirectory()
        try """
            suite,instance,file,format,k,balance,capacity,contiguous,time_limit,reference,reference_status
            osman,cpmp01,cpmp-osman/cpmp01.txt,cpmp-osman,,,,false,5,713,optimal
            osman,missing,cpmp-osman/nope.txt,cpmp-osman,,,,false,5,1,optimal
            osman,badformat,cpmp-osman/cpmp01.txt,nonsense,,,,false,5,1,optimal
            osman,badbalance,cpmp-osman/cpmp01.txt,cpmp-osman,,demand=lots,,false,5,1,optimal
            scale,tiny,uniform:300:1,synthetic,4,workload=0.05,,false,5,,
            """.write(toFile: dir + "/m.csv", atomically: true, encoding: .utf8)
        let (entries, problems) = try readManifest(dir + "/m.csv")
        #expect(entries.count == 3)
        #expect(problems.map(\.instance) == ["badformat", "badbalance"])
        #expect(problems[0].message.contains("line 4"))
        var runner = BenchmarkRunner(dataDirectory: repository + "/datasets", outputDirectory: dir, methods: [try BenchmarkMethod.parse("heuristic:restarts=1")])
        runner.timeScale = 0.1
        let rows = runner.run(entries)
        #expect(rows.count == 3)
        #expect(rows[0].feasible && rows[0].travel != nil && rows[0].status != "mismatch")
        #expect(rows[1].failed && rows[1].message?.contains("no such file") == true)
        #expect(rows[2].feasible)
        #expect(FileManager.default.fileExists(atPath: dir + "/plans/heuristic_restarts_1/cpmp01-s1.csv"))
        let summary = summarize(rows)
        #expect(summary.first { $0.suite == "osman" }?.failures == 1)
        let markdown = markdownReport(rows)
        #expect(markdown.contains("| cpmp01 | 50 | 5 | 713.00 | heuristic:restarts=1 |"))
        #expect(markdown.contains("Failures:"))
    }

    @Test func externalPlansAreScoredWithTheSameEvaluator() throws {
        let dir = scratchDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/othertool", withIntermediateDirectories: true)
        let (entries, _) = try readManifest(repository + "/datasets/benchmarks.csv")
        let entry = entries.first { $0.instance == "cpmp01" }!
        let problem = try entry.loadProblem(dataDirectory: repository + "/datasets")
        let solution = try readPlan(repository + "/datasets/cpmp-osman/solutions/solOPT.cpmp01_713.json", for: problem)
        try Files.writeAtomically(planCSV(solution, units: problem.units), to: dir + "/othertool/cpmp01.csv")
        let runner = BenchmarkRunner(dataDirectory: repository + "/datasets", outputDirectory: dir, methods: [])
        let rows = runner.scoreExternalPlans(in: dir, entries: [entry])
        #expect(rows.count == 1)
        #expect(rows[0].method == "othertool")
        #expect(rows[0].travel == 713)
        #expect(rows[0].atReference)
    }

    @Test func regressionsAreFlagged() {
        func row(_ travel: Double, feasible: Bool, seconds: Double) -> BenchmarkRow {
            var r = BenchmarkRow(json: .object([("suite", "s"), ("instance", "i"), ("method", "m"), ("seed", 1)]))
            r.reference = 100
            r.travel = travel
            r.feasible = feasible
            r.seconds = seconds
            r.status = feasible ? "feasible" : "no-feasible-plan"
            return r
        }
        let old = [row(100, feasible: true, seconds: 1)]
        #expect(regressions([row(100.05, feasible: true, seconds: 1.5)], baseline: old).isEmpty)
        #expect(regressions([row(101, feasible: true, seconds: 1)], baseline: old).count == 1)
        #expect(regressions([row(100, feasible: false, seconds: 1)], baseline: old).count == 1)
        #expect(regressions([row(100, feasible: true, seconds: 5)], baseline: old).count == 1)
        // JSON lines round trip.
        let again = BenchmarkRow(json: try! JSONValue.parse(Array(old[0].json.serialized.utf8), file: "x"))
        #expect(again.travel == 100 && again.gap == 0 && again.seed == 1)
    }

    @Test func methodNamesAreValidated() {
        #expect(throws: InputError.self) { try BenchmarkMethod.parse("simplex") }
        #expect(throws: InputError.self) { try BenchmarkMethod.parse("heuristic:turbo") }
        #expect((try? BenchmarkMethod.parse("heuristic:no-swaps:kmeans++"))?.name == "heuristic:no-swaps:kmeans++")
        #expect((try? BenchmarkMethod.parse("heuristic"))?.windowShare == 0.4)
        #expect((try? BenchmarkMethod.parse("heuristic:no-windows:no-chains"))?.windowShare == 0)
        #expect((try? BenchmarkMethod.parse("kmeans-only"))?.windowShare == 0)
    }
}
