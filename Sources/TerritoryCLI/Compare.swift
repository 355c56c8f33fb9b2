import ArgumentParser
import TerritoryDesign

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two plans: KPI deltas per territory and a realignment report of every moved unit.",
        discussion: """
            Territories of the second plan are matched to the first plan's labels as for disruption: same \
            label, else maximum overlap of the first measure.
            """)

    @OptionGroup var problem: ProblemOptions

    @Argument(help: ArgumentHelp("The plan before (today's plan).", valueName: "before.csv"))
    var before: String

    @Argument(help: ArgumentHelp("The plan after (the redesign).", valueName: "after.csv"))
    var after: String

    @Option(name: .customLong("moves-out"), help: ArgumentHelp("Write every moved unit as CSV id,from,to,<measures>.", valueName: "file"))
    var movesOut: String?

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func run() throws {
        var design = try problem.load()
        let rawBefore = try readPlan(before, for: design)
        let rawAfter = try readPlan(after, for: design)
        if design.k == 0 { design.setTerritoryCount(max(rawBefore.k, rawAfter.k)) }
        try design.validate()
        let planBefore = try alignLoosely(rawBefore, design, file: before)
        let planAfter = try alignLoosely(rawAfter, design, file: after)
        let comparison = compare(planBefore, planAfter, in: design)
        let measures = design.units.measures
        if let movesOut { try Files.writeAtomically(movesCSV(comparison, design), to: movesOut) }
        if json {
            print(comparisonJSON(comparison, design).serialized)
            return
        }
        print(renderComparison(comparison, design, before: before, after: after))
    }

    /// Plans may have a different number of territories than k (a what-if adds or removes reps).
    func alignLoosely(_ plan: Plan, _ design: DesignProblem, file: String) throws -> Plan {
        var d = design
        if plan.k > d.k && !d.territoriesAreNamed { d.setTerritoryCount(plan.k) }
        return try d.align(plan, file: file)
    }
}

func comparisonJSON(_ c: PlanComparison, _ design: DesignProblem) -> JSONValue {
    let measures = design.units.measures
    func totals(_ values: [Double]) -> JSONValue { .object(zip(measures, values).map { ($0.name, .number($1)) }) }
    return .object([
        ("travelBefore", .number(c.before.travel)), ("travelAfter", .number(c.after.travel)),
        ("moved", .number(Double(c.moves.count))), ("matchedByOverlap", .bool(c.matchedByOverlap)),
        ("balanceBefore", .object(c.before.balance.map { ($0.name, JSONValue($0.maxDeviation)) })),
        ("balanceAfter", .object(c.after.balance.map { ($0.name, JSONValue($0.maxDeviation)) })),
        ("territories", .array(c.territories.map { t in
            .object([
                ("label", JSONValue(t.label)), ("beforeLabel", JSONValue(t.beforeLabel)),
                ("unitsBefore", .number(Double(t.unitsBefore))), ("unitsAfter", .number(Double(t.unitsAfter))),
                ("travelBefore", .number(t.travelBefore)), ("travelAfter", .number(t.travelAfter)),
                ("gained", .number(Double(t.gained))), ("lost", .number(Double(t.lost))),
                ("totalsBefore", totals(t.totalsBefore)), ("totalsAfter", totals(t.totalsAfter)),
                ("gainedTotals", totals(t.gainedTotals)), ("lostTotals", totals(t.lostTotals)),
            ])
        })),
        ("moves", .array(c.moves.map { m in
            .object([("id", .string(design.units.ids[m.unit])), ("from", .string(m.from)), ("to", .string(m.to))])
        })),
    ])
}

func renderComparison(_ c: PlanComparison, _ design: DesignProblem, before: String, after: String) -> String {
    let measures = design.units.measures
    var shown = design.balance.map(\.measure)
    if shown.isEmpty { shown = Array(measures.indices.prefix(2)) }
    var lines = ["Compare \(before) → \(after) (problem \(design.name), \(design.unitCount) units)", ""]
    let delta = { (a: Double, b: Double) -> String in (b - a >= 0 ? "+" : "") + fmt(b - a) }
    var summary: [[String]] = [["travel", fmt(c.before.travel), fmt(c.after.travel), delta(c.before.travel, c.after.travel)]]
    for a in shown {
        summary.append(["max deviation \(measures[a].name)", c.before.balance[a].maxDeviation.map(pct) ?? "n/a",
                        c.after.balance[a].maxDeviation.map(pct) ?? "n/a", ""])
    }
    summary.append(["feasible", c.before.feasible ? "yes" : "no", c.after.feasible ? "yes" : "no", ""])
    lines += table(header: ["", "before", "after", "change"], rows: summary, rightAligned: [1, 2, 3])
    let shares = shown.map { a -> String in
        let moved = c.moves.reduce(0.0) { $0 + measures[a].values[$1.unit] }
        let total = measures[a].total
        return "\(measures[a].name) \(total == 0 ? "0" : pct(moved / total))"
    }
    lines.append("")
    lines.append("\(c.moves.count) of \(design.unitCount) units change territory (\(shares.joined(separator: ", ")))"
        + (c.matchedByOverlap ? "; territories matched to today's labels by overlap" : ""))
    lines.append("")
    var header = ["territory", "was", "units", "Δ units"]
    for a in shown { header += [measures[a].name, "Δ"] }
    header += ["travel", "Δ travel", "gained", "lost"]
    var rows: [[String]] = []
    for t in c.territories {
        var row = [t.label ?? "(removed)", t.beforeLabel ?? "(new)", String(t.unitsAfter), delta(Double(t.unitsBefore), Double(t.unitsAfter))]
        for a in shown { row += [fmt(t.totalsAfter[a]), delta(t.totalsBefore[a], t.totalsAfter[a])] }
        row += [fmt(t.travelAfter), delta(t.travelBefore, t.travelAfter), String(t.gained), String(t.lost)]
        rows.append(row)
    }
    lines += table(header: header, rows: rows, rightAligned: Set(2..<header.count))
    if !c.moves.isEmpty {
        lines.append("")
        lines.append("Moved units:")
        var moveRows: [[String]] = []
        for m in c.moves.prefix(200) {
            moveRows.append([design.units.ids[m.unit], m.from, "→", m.to] + shown.map { fmt(measures[$0].values[m.unit]) })
        }
        lines += table(header: ["unit", "from", "", "to"] + shown.map { measures[$0].name }, rows: moveRows, rightAligned: Set(4..<(4 + shown.count)))
        if c.moves.count > 200 { lines.append("… and \(c.moves.count - 200) more (--moves-out FILE for all)") }
    }
    return lines.joined(separator: "\n")
}
