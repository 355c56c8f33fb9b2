import ArgumentParser
import TerritoryDesign

extension SyntheticInstance.Layout: ExpressibleByArgument {}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a seeded synthetic units CSV (and optionally a quick plan) for scale runs.")

    @Option(name: .customLong("units"), help: ArgumentHelp("Number of units.", valueName: "n"))
    var count: Int

    @Option(help: "Point layout: uniform or clustered.")
    var layout: SyntheticInstance.Layout = .uniform

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Units CSV to write (id,x,y,workload,potential).", valueName: "file"))
    var out: String

    @Option(name: .customLong("plan-out"), help: ArgumentHelp("Also write a strip plan with --k territories.", valueName: "file"))
    var planOut: String?

    @Option(name: .customLong("k"), help: "Territories in the strip plan.")
    var k: Int?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--units must be at least 1") }
        if planOut != nil {
            guard let k else { throw ValidationError("--plan-out needs --k") }
            guard k >= 1 && k <= count else { throw ValidationError("--k must lie in 1…\(count)") }
        }
    }

    func run() throws {
        let units = SyntheticInstance.units(count: count, layout: layout, seed: seed)
        var writer = CSVWriter(header: ["id", "x", "y"] + units.measures.map(\.name))
        for i in 0..<units.count {
            writer.appendRow([units.ids[i], String(units.x[i]), String(units.y[i])] + units.measures.map { String($0.values[i]) })
        }
        try Files.writeAtomically(writer.bytes, to: out)
        if let planOut, let k {
            let plan = SyntheticInstance.stripPlan(units, k: k)
            try Files.writeAtomically(planCSV(plan, units: units), to: planOut)
        }
    }
}
