import Foundation
import Testing

/// Runs the built `territory` executable and checks exit codes and exact output, as a user or
/// a script sees them.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `territory` binary built next to the test bundle.
let territoryBinary: String = {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("territory").path,
        repositoryRoot.appendingPathComponent(".build/debug/territory").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
}()

func territory(_ arguments: [String], in directory: String? = nil) throws -> CLIResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: territoryBinary)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

func scratch() -> String {
    let path = NSTemporaryDirectory() + "territory-cli-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func put(_ text: String, _ path: String) { try! text.write(toFile: path, atomically: true, encoding: .utf8) }

@Suite struct CLITests {
    let units = "id,x,y,work\na,0,0,1\nb,1,0,1\nc,2,0,2\nd,10,0,2\ne,11,0,1\nf,12,0,1\n"
    let plan = "id,territory\na,W\nb,W\nc,W\nd,E\ne,E\nf,E\n"

    @Test func evaluatePrintsTheExactTable() throws {
        let dir = scratch()
        put(units, dir + "/units.csv")
        put(plan, dir + "/plan.csv")
        put("a,b\na,b\nb,c\nc,d\nd,e\ne,f\n", dir + "/adj.csv")
        let result = try territory(
            ["evaluate", "--units", "units.csv", "--adjacency", "adj.csv", "--balance", "work=10%", "--contiguous", "--plan", "plan.csv"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            Plan plan.csv
            Problem units: 6 units, k = 2, euclidean distances, 5 adjacency pairs

            territory  units  work  travel  pieces  center
            W              3     4       2       1  b
            E              3     4       2       1  e
            total          6     8       4

            travel        4
            balance work  max deviation 0.00 % (min 4, max 4), band ±10.00 %
            contiguity    every territory is contiguous; 1 cut edges
            feasible      yes

            """)
    }

    @Test func infeasiblePlansExitOneWithTheReport() throws {
        let dir = scratch()
        put(units, dir + "/units.csv")
        put("id,territory\na,W\nb,W\nc,W\nd,W\ne,E\nf,E\n", dir + "/plan.csv")
        let result = try territory(["evaluate", "--units", "units.csv", "--balance", "work=0.1", "--plan", "plan.csv", "--json"], in: dir)
        #expect(result.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        for key in ["status", "travel", "bound", "gap", "feasible", "k", "units", "seconds", "balance", "noncontiguous", "violations"] {
            #expect(json[key] != nil, "missing key \(key)")
        }
        #expect(json["status"] as? String == "infeasible")
        #expect(json["feasible"] as? Bool == false)
        #expect(json["k"] as? Int == 2)
        #expect(json["bound"] is NSNull)
        let violations = json["violations"] as! [String]
        #expect(violations == [
            "territory W: work 6 is above the band's upper bound 4.4 by 1.6 (40.00 % of target)",
            "territory E: work 2 is below the band's lower bound 3.6 by 1.6 (40.00 % of target)",
        ])
        let balance = (json["balance"] as! [String: Any])["work"] as! [String: Any]
        #expect(balance["maxDeviation"] as? Double == 0.5)
    }

    @Test func baselineReportsMoved() throws {
        let dir = scratch()
        put(units, dir + "/units.csv")
        put(plan, dir + "/today.csv")
        put("id,territory\na,W\nb,W\nc,E\nd,E\ne,E\nf,E\n", dir + "/plan.csv")
        let result = try territory(["evaluate", "--units", "units.csv", "--plan", "plan.csv", "--baseline", "today.csv", "--json"], in: dir)
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["moved"] as? Int == 1)
    }

    /// Each bad input: exit 2, one line on stderr naming the file, line and column, nothing written.
    @Test(arguments: [
        ("missing column", "id,x,work\na,0,1\n", nil as String?, ["--plan", "plan.csv"], "units.csv, line 1: missing coordinate columns: expected x,y or lon,lat (or longitude,latitude); the header has: id, x, work"),
        ("duplicate id", "id,x,y\na,0,0\nb,1,1\na,2,2\n", nil, ["--plan", "plan.csv"], "units.csv, line 4, column \"id\": duplicate id \"a\" (first on line 2)"),
        ("non-numeric", "id,x,y,work\na,0,0,1\nb,1,1,lots\n", nil, ["--plan", "plan.csv"], "units.csv, line 3, column \"work\": \"lots\" is not a number"),
        ("NaN", "id,x,y,work\na,0,0,1\nb,1,1,NaN\n", nil, ["--plan", "plan.csv"], "units.csv, line 3, column \"work\": \"NaN\" is not a finite number"),
        ("unknown plan id", "id,x,y\na,0,0\nb,1,1\n", "id,territory\na,1\nzz,2\n", ["--plan", "plan.csv"], "plan.csv, line 3, column \"id\": unknown unit id \"zz\""),
        ("unknown adjacency id", "id,x,y\na,0,0\nb,1,1\n", nil, ["--plan", "plan.csv", "--adjacency", "adj.csv"], "adj.csv, line 2, column \"b\": unknown unit id \"q\""),
        ("empty file", "", nil, ["--plan", "plan.csv"], "units.csv: the file is empty"),
        ("k too large", "id,x,y\na,0,0\nb,1,1\n", nil, ["--plan", "plan.csv", "--k", "5"], "column \"--k\": k = 5 exceeds the number of units (2)"),
        ("directory", "id,x,y\na,0,0\nb,1,1\n", nil, ["--plan", "."], ".: is a directory, expected a file"),
        ("unknown measure", "id,x,y,work\na,0,0,1\nb,1,1,1\n", nil, ["--plan", "plan.csv", "--balance", "wrk=5%"], "column \"--balance\": unknown measure \"wrk\" (measures: work)"),
    ] as [(String, String, String?, [String], String)])
    func badInputExitsTwoWithOneLocatedLine(name: String, unitsText: String, planText: String?, extra: [String], expected: String) throws {
        let dir = scratch()
        put(unitsText, dir + "/units.csv")
        put(planText ?? "id,territory\na,1\nb,2\n", dir + "/plan.csv")
        put("a,b\na,q\n", dir + "/adj.csv")
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let result = try territory(["evaluate", "--units", "units.csv"] + extra, in: dir)
        #expect(result.status == 2, "\(name)")
        #expect(result.stdout == "", "\(name)")
        #expect(result.stderr == "territory: \(expected)\n", "\(name)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before, "\(name): nothing may be written")
    }

    @Test func usageErrorsExitTwoAndHelpExitsZero() throws {
        let dir = scratch()
        put(units, dir + "/units.csv")
        let zeroK = try territory(["evaluate", "--units", "units.csv", "--plan", "plan.csv", "--k", "0"], in: dir)
        #expect(zeroK.status == 2)
        #expect(zeroK.stderr.contains("--k must be at least 1"))
        let both = try territory(["evaluate", "--units", "units.csv", "--instance", "x", "--format", "pmed", "--plan", "p"], in: dir)
        #expect(both.status == 2)
        let help = try territory(["evaluate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--plan"))
    }

    @Test func benchmarkSolutionEvaluatesToThePublishedOptimum() throws {
        let datasets = repositoryRoot.appendingPathComponent("datasets").path
        let result = try territory([
            "evaluate", "--instance", datasets + "/cpmp-osman/cpmp11.txt", "--format", "cpmp-osman",
            "--plan", datasets + "/cpmp-osman/solutions/solOPT.cpmp11_1006.json", "--json",
        ])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["travel"] as? Double == 1006)
        #expect(json["feasible"] as? Bool == true)
    }

    @Test func generateWritesSeededUnitsAndAPlan() throws {
        let dir = scratch()
        let first = try territory(["generate", "--units", "500", "--seed", "4", "--out", "a.csv", "--plan-out", "p.csv", "--k", "7"], in: dir)
        #expect(first.status == 0)
        _ = try territory(["generate", "--units", "500", "--seed", "4", "--out", "b.csv"], in: dir)
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == String(contentsOfFile: dir + "/b.csv", encoding: .utf8))
        let evaluation = try territory(["evaluate", "--units", "a.csv", "--plan", "p.csv", "--json"], in: dir)
        #expect(evaluation.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as! [String: Any]
        #expect(json["k"] as? Int == 7)
        #expect(json["units"] as? Int == 500)
    }

    @Test func whatIfExampleMeetsBandsAndBudgetAndListsTheMoves() throws {
        // The README's what-if example, on a copy (the run writes plans beside the scenario).
        let dir = scratch()
        let example = repositoryRoot.appendingPathComponent("datasets/whatif-sjc").path
        for name in ["accounts.csv", "today.csv", "reps.csv", "base.json", "reorg.json"] {
            try FileManager.default.copyItem(atPath: example + "/" + name, toPath: dir + "/" + name)
        }
        let result = try territory(["whatif", "reorg.json", "base.json", "--time-limit", "8", "--json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        #expect(reports.count == 2)
        let reorg = reports[0]
        #expect(reorg["feasible"] as? Bool == true, "\(reorg["violations"] ?? "")")
        #expect(reorg["k"] as? Int == 25)
        let moved = try #require(reorg["moved"] as? Int)
        #expect(moved <= 40 && moved >= 17)
        let deviation = try #require((reorg["balance"] as? [String: Any])?["demand"] as? Double)
        #expect(deviation <= 0.10 + 1e-9)
        // The moves file lists exactly the moved units, every one of R07's among them.
        let moves = try String(contentsOfFile: dir + "/reorg-plan-moves.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(moves.count == moved)
        let today = try String(contentsOfFile: dir + "/today.csv", encoding: .utf8).split(separator: "\n").filter { $0.hasSuffix(",R07") }
        #expect(today.count == moves.filter { $0.contains(",R07,") }.count)
        #expect(!moves.contains { $0.contains(",R01,") })  // R01 is locked
        let quotas = try #require(reorg["quotas"] as? [[String: Any]])
        #expect(quotas.compactMap { $0["quota"] as? Double }.reduce(0, +) == 12_000_000)
        // An unknown rep: exit 2, the file and line named, nothing written.
        put("{\n  \"extends\": \"base.json\",\n  \"removeReps\": [\"R99\"]\n}\n", dir + "/bad.json")
        let bad = try territory(["whatif", "bad.json"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("territory: bad.json, line 3, column \"removeReps\": unknown rep \"R99\""), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad-plan.csv"))
    }

    @Test func assignPlacesNewAccountsByRuleThenNearest() throws {
        let dir = scratch()
        put(units, dir + "/units.csv")
        put(plan, dir + "/plan.csv")
        put("id,x,y,work,state\nn1,1,1,1,NY\nn2,11,1,1,CA\n", dir + "/new.csv")
        put("# route\nstate == CA -> W\n", dir + "/rules.txt")
        let result = try territory(["assign", "--units", "units.csv", "--plan", "plan.csv", "--new", "new.csv", "--rules", "rules.txt",
                                    "--balance", "work=50%", "--out", "out.csv"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
        #expect(written.contains("n1,W\n") && written.contains("n2,W\n"))  // n1 nearest W, n2 by the rule
        #expect(result.stdout.contains("rule, line 2"))
        put("state == CA -> NORTH\n", dir + "/bad.txt")
        let bad = try territory(["assign", "--units", "units.csv", "--plan", "plan.csv", "--new", "new.csv", "--rules", "bad.txt", "--out", "x.csv"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("territory: bad.txt, line 1: unknown territory \"NORTH\""), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.csv"))
    }

    @Test func reportAndGeoJSONAreWritten() throws {
        let dir = scratch()
        put("id,lon,lat,work\na,-93.0,42.0,1\nb,-93.1,42.0,1\nc,-93.2,42.1,2\nd,-92.0,42.0,2\ne,-92.1,42.1,1\nf,-92.2,42.0,1\n", dir + "/units.csv")
        put(plan, dir + "/plan.csv")
        let result = try territory(["report", "--units", "units.csv", "--plan", "plan.csv", "--balance", "work=10%",
                                    "--out", "r.html", "--geojson-out", "p.geojson"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("<script"))
        let back = try territory(["evaluate", "--units", "units.csv", "--plan", "p.geojson", "--json"], in: dir)
        #expect(back.status == 0, "\(back.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as! [String: Any]
        #expect(json["k"] as? Int == 2)
    }
}
