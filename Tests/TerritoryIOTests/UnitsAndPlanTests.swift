import Foundation
import Testing
import TerritoryCore
import TerritoryEvaluation
@testable import TerritoryIO

@Suite struct UnitsAndPlanTests {
    @Test func unitsCSVDetectsMeasuresAndOptionalColumns() throws {
        let dir = temporaryDirectory()
        write("""
            id,name,lon,lat,workload,potential,segment,territory,locked
            a,Alpha,-1.5,40.1,3,100,SMB,EAST,true
            b,"Beta, Inc",-1.6,40.2,4.5,200,ENT,WEST,false
            c,Gamma,-1.7,40.3,1,50,,EAST,
            """, to: dir + "/u.csv")
        let units = try readUnitsCSV(dir + "/u.csv")
        #expect(units.ids == ["a", "b", "c"])
        #expect(units.coordinateSystem == .geographic)
        #expect(units.measures.map(\.name) == ["workload", "potential"])
        #expect(units.measures[0].values == [3, 4.5, 1])
        #expect(units.segments == ["SMB", "ENT", ""])
        #expect(units.currentTerritory == ["EAST", "WEST", "EAST"])
        #expect(units.locked == [true, false, false])
        #expect(units.index(of: "b") == 1)
    }

    @Test func columnMappingOptions() throws {
        let dir = temporaryDirectory()
        write("code,east,north,calls,hours\nz1,0,0,2,5\nz2,3,4,1,1\n", to: dir + "/u.csv")
        var options = UnitsCSVOptions()
        options.idColumn = "code"
        options.xColumn = "east"
        options.yColumn = "north"
        options.measures = ["hours"]
        options.weightColumn = "calls"
        let units = try readUnitsCSV(dir + "/u.csv", options: options)
        #expect(units.ids == ["z1", "z2"])
        #expect(units.x == [0, 3])
        #expect(units.measures.map(\.name) == ["hours"])
        #expect(units.weights == [2, 1])
    }

    @Test func badUnitsFilesGiveOneLocatedError() throws {
        let dir = temporaryDirectory()
        func error(_ text: String) -> InputError? {
            write(text, to: dir + "/u.csv")
            do { _ = try readUnitsCSV(dir + "/u.csv"); return nil } catch { return error }
        }
        #expect(error("id,x\na,1\n")?.message.contains("missing coordinate columns") == true)
        #expect(error("id,x,y\na,1,2\na,3,4\n").map { $0.line == 3 && $0.column == "id" && $0.message.contains("duplicate id") } == true)
        #expect(error("id,x,y,w\na,1,2,3\nb,3,4,many\n").map { $0.line == 3 && $0.column == "w" } == true)
        #expect(error("id,x,y,w\na,1,2,3\nb,3,4,NaN\n").map { $0.line == 3 && $0.message.contains("not a finite number") } == true)
        #expect(error("id,x,y\n")?.message.contains("no data rows") == true)
        #expect(error("x,y\n1,2\n").map { $0.column == "id" && $0.message.contains("missing column") } == true)
        #expect(error("id,lon,lat\na,200,1\n")?.message.contains("longitude") == true)
        #expect(error("id,x,y,locked\na,1,2,maybe\n")?.column == "locked")
        write("", to: dir + "/empty.csv")
        #expect { try readUnitsCSV(dir + "/empty.csv") } throws: { ($0 as! InputError).message == "the file is empty" }
        #expect { try readUnitsCSV(dir) } throws: { ($0 as! InputError).message.contains("is a directory") }
        #expect { try readUnitsCSV(dir + "/missing.csv") } throws: { ($0 as! InputError).message == "no such file" }
    }

    func smallProblem() throws -> DesignProblem {
        let units = try UnitTable(ids: ["a", "b", "c", "d"], x: [0, 1, 10, 11], y: [0, 0, 0, 0],
                                  measures: [Measure(name: "w", values: [1, 2, 3, 4])])
        return DesignProblem(name: "small", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: 2)
    }

    @Test func planCSVRoundTripAndCenters() throws {
        let problem = try smallProblem()
        let dir = temporaryDirectory()
        let plan = Plan(assignment: [0, 0, 1, 1], labels: ["West", "East, Inc"], centers: [.unit(1), .point(Point(x: 10.5, y: 0))])
        try Files.writeAtomically(planCSV(plan, units: problem.units), to: dir + "/p.csv")
        try Files.writeAtomically(centersCSV(plan.centers, labels: plan.labels, units: problem.units), to: dir + "/c.csv")
        var read = try readPlan(dir + "/p.csv", for: problem)
        #expect(read.assignment == plan.assignment)
        #expect(read.labels == plan.labels)
        read = try readCenters(dir + "/c.csv", into: read, units: problem.units)
        #expect(read.centers == plan.centers)
        // JSON plan format too.
        try Files.writeAtomically(planJSON(plan, units: problem.units).pretty, to: dir + "/p.json")
        let fromJSON = try readPlan(dir + "/p.json", for: problem)
        #expect(fromJSON == plan)
    }

    @Test func planErrorsNameLineAndColumn() throws {
        let problem = try smallProblem()
        let dir = temporaryDirectory()
        write("id,territory\na,1\nzz,2\n", to: dir + "/p.csv")
        #expect { try readPlan(dir + "/p.csv", for: problem) } throws: { error in
            let e = error as! InputError
            return e.line == 3 && e.column == "id" && e.message == "unknown unit id \"zz\""
        }
        write("id,territory\na,1\na,2\n", to: dir + "/p.csv")
        #expect { try readPlan(dir + "/p.csv", for: problem) } throws: { ($0 as! InputError).message.contains("assigned twice") }
        write("id,territory\na,1\nb,2\nc,3\n", to: dir + "/p.csv")
        let plan = try readPlan(dir + "/p.csv", for: problem)
        #expect { try problem.align(plan) } throws: { ($0 as! InputError).message == "the plan has 3 territories but k = 2" }
    }

    @Test func missingUnitsAreUnassignedNotErrors() throws {
        let problem = try smallProblem()
        let dir = temporaryDirectory()
        write("id,territory\na,1\nb,1\nc,2\n", to: dir + "/p.csv")
        let plan = try problem.align(readPlan(dir + "/p.csv", for: problem))
        let evaluation = Evaluator.evaluate(plan, in: problem)
        #expect(evaluation.unassignedUnits == 1)
        #expect(!evaluation.feasible)
        #expect(evaluation.violations.first?.message == "1 unit is unassigned (d)")
    }

    @Test func adjacencyCSV() throws {
        let problem = try smallProblem()
        let dir = temporaryDirectory()
        write("a,b\na,b\nb,a\nc,d\nc,c\n", to: dir + "/adj.csv")
        let adjacency = try readAdjacencyCSV(dir + "/adj.csv", units: problem.units)
        #expect(adjacency.edgeCount == 2)
        #expect(Array(adjacency.neighbours(of: 0)) == [1])
        write("a,b\na,q\n", to: dir + "/adj.csv")
        #expect { try readAdjacencyCSV(dir + "/adj.csv", units: problem.units) } throws: { error in
            let e = error as! InputError
            return e.line == 2 && e.column == "b" && e.message == "unknown unit id \"q\""
        }
    }

    @Test func problemJSONFormat() throws {
        let dir = temporaryDirectory()
        write("""
            {"metric": "euclidean", "k": 2,
             "units": [
               {"id": "a", "x": 0, "y": 0, "measures": {"workload": 1}, "segment": "SMB"},
               {"id": "b", "x": 1, "y": 0, "measures": {"workload": 2}},
               {"id": "c", "x": 5, "y": 0, "measures": {"workload": 2}, "territory": "R1", "locked": true}],
             "adjacency": [["a", "b"], ["b", "c"]],
             "territories": [{"label": "R1", "center": {"x": 0, "y": 0}, "segments": ["SMB", "ENT"]}, {"label": "R2", "center": "c"}],
             "balance": [{"measure": "workload", "tolerance": 0.25, "capacity": 4}],
             "contiguous": true}
            """, to: dir + "/p.json")
        let problem = try readInstance(dir + "/p.json", format: .json)
        try problem.validate()
        #expect(problem.k == 2)
        #expect(problem.territoriesAreNamed)
        #expect(problem.territories[1].center == .unit(2))
        #expect(problem.balance[0].capacities == [4, 4])
        #expect(problem.adjacency?.edgeCount == 2)
        #expect(problem.units.locked == [false, false, true])
        write(#"{"units": [{"id": "a", "x": "zero", "y": 0}]}"#, to: dir + "/bad.json")
        #expect { try readInstance(dir + "/bad.json", format: .json) } throws: { ($0 as! InputError).column == "units[0].x" }
    }

    @Test func atomicWriteLeavesNoPartialFile() throws {
        let dir = temporaryDirectory()
        #expect(throws: InputError.self) { try Files.writeAtomically("x", to: dir + "/no/such/dir/out.csv") }
        try Files.writeAtomically("old", to: dir + "/out.csv")
        try Files.writeAtomically("new", to: dir + "/out.csv")
        #expect(try String(contentsOfFile: dir + "/out.csv", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])
    }
}
