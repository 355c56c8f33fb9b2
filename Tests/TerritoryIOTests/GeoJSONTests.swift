import Foundation
import Testing
import TerritoryCore
import TerritoryIO

/// A `rows × columns` grid of unit squares (lon/lat degrees × 0.01) as GeoJSON, with ids
/// `r<row>c<col>` and a `work` measure; `jitter` moves every vertex a little (tiny gaps).
func gridGeoJSON(rows: Int, columns: Int, jitter: Double = 0) -> String {
    var features: [String] = []
    var seed: UInt64 = 7
    func wobble() -> Double {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return jitter * (Double(seed >> 11) / Double(1 << 53) - 0.5)
    }
    for r in 0..<rows {
        for c in 0..<columns {
            let x0 = -93 + Double(c) * 0.01, y0 = 42 + Double(r) * 0.01
            let corners = [(x0, y0), (x0 + 0.01, y0), (x0 + 0.01, y0 + 0.01), (x0, y0 + 0.01)].map { ($0.0 + wobble(), $0.1 + wobble()) }
            let ring = (corners + [corners[0]]).map { "[\($0.0),\($0.1)]" }.joined(separator: ",")
            features.append("""
                {"type":"Feature","properties":{"id":"r\(r)c\(c)","work":\(1 + (r + c) % 3)},"geometry":{"type":"Polygon","coordinates":[[\(ring)]]}}
                """)
        }
    }
    return "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ",\n"))]}"
}

func temporaryFile(_ text: String, name: String = "units.geojson") throws -> String {
    let dir = NSTemporaryDirectory() + "territory-geojson-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The edges of an adjacency as sorted id pairs.
func edgeSet(_ adjacency: Adjacency, _ units: UnitTable) -> Set<String> {
    Set(adjacency.edges.map { [units.ids[$0.0], units.ids[$0.1]].sorted().joined(separator: "-") })
}

@Suite struct GeoJSONTests {
    @Test(arguments: [0.0, 2e-7])
    func gridPolygonsGiveRookAndQueenAdjacency(jitter: Double) throws {
        let rows = 4, columns = 5
        let path = try temporaryFile(gridGeoJSON(rows: rows, columns: columns, jitter: jitter))
        var options = GeoJSONOptions()
        let rook = try readGeoJSONUnits(path, options: options)
        options.contact = .queen
        let queen = try readGeoJSONUnits(path, options: options)
        var expectedRook = Set<String>(), expectedQueen = Set<String>()
        for r in 0..<rows {
            for c in 0..<columns {
                for (dr, dc) in [(0, 1), (1, 0), (1, 1), (1, -1)] {
                    let r2 = r + dr, c2 = c + dc
                    guard r2 < rows, c2 >= 0, c2 < columns else { continue }
                    let pair = ["r\(r)c\(c)", "r\(r2)c\(c2)"].sorted().joined(separator: "-")
                    expectedQueen.insert(pair)
                    if dr == 0 || dc == 0 { expectedRook.insert(pair) }
                }
            }
        }
        #expect(edgeSet(try #require(rook.adjacency), rook.units) == expectedRook)
        #expect(edgeSet(try #require(queen.adjacency), queen.units) == expectedQueen)
        // Centroids are the square centers; work is a measure.
        let i = try #require(rook.units.index(of: "r1c2"))
        #expect(abs(rook.units.x[i] - (-93 + 0.025)) < 1e-6 && abs(rook.units.y[i] - 42.015) < 1e-6)
        #expect(rook.units.measures.map(\.name) == ["work"])
    }

    @Test func writtenPlansLoadBackWithTheSameAssignment() throws {
        let path = try temporaryFile(gridGeoJSON(rows: 3, columns: 3))
        let read = try readGeoJSONUnits(path)
        let plan = Plan(assignment: [0, 0, 1, 0, 1, 1, 2, 2, -1], labels: ["A", "B", "C"])
        let written = planGeoJSON(plan, units: read.units, shapes: read.shapes).serialized
        let planPath = try temporaryFile(written, name: "plan.geojson")
        var problem = DesignProblem(name: "g", units: read.units, distances: Distances(metric: .haversine, x: read.units.x, y: read.units.y), k: 3)
        problem.adjacency = read.adjacency
        let back = try readPlan(planPath, for: problem)
        for i in 0..<9 {
            let before = plan.assignment[i] < 0 ? nil : plan.labels[Int(plan.assignment[i])]
            let after = back.assignment[i] < 0 ? nil : back.labels[Int(back.assignment[i])]
            #expect(before == after)
        }
        // One feature per unit plus one hull per territory.
        let json = try JSONValue.parse(Array(written.utf8), file: "plan.geojson")
        #expect(json["features"]?.array?.count == 9 + 3)
    }

    @Test(arguments: [
        (#"{"type":"Feature"}"#, "not a GeoJSON FeatureCollection"),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[0,0]}},{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}"#, "features[1]"),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}"#, "not closed"),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","w":1},"geometry":{"type":"Point","coordinates":[0,0]}},{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Point","coordinates":[1,1]}}]}"#, "missing property \"w\""),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#, "no unit id"),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[200,0]}}]}"#, "not a longitude/latitude"),
    ])
    func malformedGeoJSONNamesTheFeature(text: String, expected: String) throws {
        let path = try temporaryFile(text)
        do {
            _ = try readGeoJSONUnits(path)
            Issue.record("expected an error containing \(expected)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.file == path)
            if expected != "not a GeoJSON FeatureCollection" { #expect(error.column?.hasPrefix("features[") == true, "\(error)") }
        }
    }
}
