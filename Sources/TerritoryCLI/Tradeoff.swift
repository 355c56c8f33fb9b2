import ArgumentParser
import TerritoryDesign

struct Tradeoff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sweep a tolerance or a disruption budget and print the travel frontier.",
        discussion: """
            --sweep MEASURE=1%,2%,5%,10% designs once per tolerance of MEASURE (travel vs balance); \
            --sweep max-moved=0,5%,10%,20% once per disruption budget against --baseline (travel vs \
            units moved). Every point uses the same seed and time limit. Prints a table (frontier \
            points marked *) and writes it as CSV with --csv.
            """)

    @OptionGroup var problem: ProblemOptions

    @Option(help: ArgumentHelp("MEASURE=TOL,TOL,… or max-moved=N|P%,…", valueName: "spec"))
    var sweep: String

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Seconds per point.", valueName: "seconds"))
    var timeLimit: Double = 10

    @Option(help: "Random seed (the same for every point).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Write the curve as CSV.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Also write an HTML report with the frontier plot.", valueName: "report.html"))
    var report: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds") }
        guard sweep.contains("=") else { throw ValidationError("--sweep looks like MEASURE=1%,5%,10% or max-moved=0,5%,10%") }
    }

    func run() throws {
        var design = try problem.load()
        guard design.k > 0 else { throw InputError(column: "--k", "give the number of territories with --k") }
        try design.validate()
        let parts = sweep.split(separator: "=", maxSplits: 1).map(String.init)
        let values = parts[1].split(separator: ",").map { String($0).trimmed }
        guard !values.isEmpty else { throw InputError(column: "--sweep", "no values after \"=\"") }
        let spec: TradeoffSweep
        if parts[0] == "max-moved" {
            guard design.baseline != nil else { throw InputError(column: "--sweep", "a max-moved sweep needs --baseline (today's plan)") }
            var budgets: [DisruptionBudget] = []
            for value in values { budgets.append(try parseDisruptionBudget(value, option: "--sweep", units: design.units).get()) }
            spec = .maxMoved(budgets)
            design.disruptionBudget = nil
        } else {
            guard let m = design.units.measureIndex(named: parts[0]) else {
                throw InputError(column: "--sweep", "unknown measure \"\(parts[0])\" (measures: \(design.units.measures.map(\.name).joined(separator: ", ")))")
            }
            var tolerances: [Double] = []
            for value in values {
                guard let t = parseTolerance(value) else { throw InputError(column: "--sweep", "\"\(value)\" is not a tolerance such as 5% or 0.05") }
                tolerances.append(t)
            }
            spec = .tolerance(measure: m, values: tolerances)
        }
        var options = HeuristicOptions()
        options.seed = seed
        options.timeLimit = .milliseconds(Int64((timeLimit * 1000).rounded()))
        let show = progressEnabled(quiet: quiet)
        let total = spec.count
        let points = tradeoffCurve(design, sweep: spec, options: options, progress: show ? { @Sendable index, point in
            printError("[\(index + 1)/\(total)] \(point.status.rawValue), travel \(point.travel.map(fmt) ?? "n/a")")
        } : nil)
        let isBudget: Bool = { if case .maxMoved = spec { return true } else { return false } }()
        let settingName = isBudget ? "max moved" : "tolerance \(parts[0])"
        let header = [settingName, "status", "travel", "max deviation", "moved", "feasible", "frontier"]
        let rows = points.map { p in
            [isBudget ? fmt(p.setting) : pct(p.setting), p.status.rawValue, p.travel.map(fmt) ?? "", p.maxDeviation.map(pct) ?? "",
             p.moved.map(String.init) ?? "", p.feasible ? "yes" : "no", p.onFrontier ? "*" : ""]
        }
        print(table(header: header, rows: rows, rightAligned: [0, 2, 3, 4]).joined(separator: "\n"))
        if let report {
            let plotted = points.filter(\.feasible).map { p in
                FrontierPoint(x: isBudget ? Double(p.moved ?? 0) : (p.maxDeviation ?? 0), travel: p.travel!,
                              label: isBudget ? "≤ \(fmt(p.setting))" : "±" + pct(p.setting), onFrontier: p.onFrontier)
            }
            let html = htmlTradeoffReport(plotted, xName: isBudget ? "units moved" : "max deviation of \(parts[0])", xIsPercent: !isBudget,
                                          title: "Trade-off: \(design.name), \(settingName)", table: rows, header: header)
            try Files.writeAtomically(html, to: report)
        }
        if let csv {
            var writer = CSVWriter(header: [isBudget ? "max_moved" : "tolerance", "status", "travel", "max_deviation", "moved", "feasible", "frontier", "seconds"])
            for p in points {
                writer.appendRow([JSONValue.format(p.setting), p.status.rawValue, p.travel.map { JSONValue.format($0) } ?? "",
                                  p.maxDeviation.map { JSONValue.format($0) } ?? "", p.moved.map(String.init) ?? "",
                                  p.feasible ? "1" : "0", p.onFrontier ? "1" : "0", JSONValue.format(p.seconds)])
            }
            try Files.writeAtomically(writer.bytes, to: csv)
        }
    }
}
