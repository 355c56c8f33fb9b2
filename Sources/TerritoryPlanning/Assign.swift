import TerritoryCore
import TerritoryEvaluation

/// One ordered routing rule for new accounts, e.g. `segment == "Enterprise" -> EAST-ENT` or
/// `state in [CA, OR] -> WEST`.
///
/// Grammar (one rule per line; `#` starts a comment):
/// `COLUMN OP VALUE -> TERRITORY` with OP one of `==`, `!=`, `<`, `<=`, `>`, `>=` (numeric
/// when both sides are numbers, else text), or `COLUMN in [V1, V2, …] -> TERRITORY` /
/// `COLUMN not in [...]`. Values may be quoted with `"`.
public struct AssignmentRule: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case isIn = "in", notIn = "not in"
    }

    public var column: String
    public var op: Operator
    public var values: [String]
    public var territory: String
    /// The rule's line in its file.
    public var line: Int

    public init(column: String, op: Operator, values: [String], territory: String, line: Int) {
        self.column = column
        self.op = op
        self.values = values
        self.territory = territory
        self.line = line
    }

    /// Whether an account whose `column` holds `value` matches.
    public func matches(_ value: String) -> Bool {
        switch op {
        case .isIn: return values.contains(value)
        case .notIn: return !values.contains(value)
        case .equal: return compare(value, values[0]) == 0
        case .notEqual: return compare(value, values[0]) != 0
        case .less: return compare(value, values[0]) < 0
        case .lessOrEqual: return compare(value, values[0]) <= 0
        case .greater: return compare(value, values[0]) > 0
        case .greaterOrEqual: return compare(value, values[0]) >= 0
        }
    }

    private func compare(_ a: String, _ b: String) -> Int {
        if let x = Double(a), let y = Double(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        return a < b ? -1 : (a > b ? 1 : 0)
    }
}

/// Parses a rules file (see ``AssignmentRule``); errors name the file and line.
public func parseAssignmentRules(_ text: String, file: String) throws(InputError) -> [AssignmentRule] {
    var rules: [AssignmentRule] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let lineNumber = index + 1
        var line = Substring(rawLine)
        if let hash = line.firstIndex(of: "#"), !line[..<hash].contains("\"") { line = line[..<hash] }
        let trimmed = line.trimmingCharacters()
        if trimmed.isEmpty { continue }
        guard let arrow = trimmed.range(of: "->") else {
            throw InputError(file: file, line: lineNumber, "a rule reads COLUMN == VALUE -> TERRITORY (no \"->\" found)")
        }
        let condition = trimmed[..<arrow.lowerBound].trimmingCharacters()
        let territory = unquote(trimmed[arrow.upperBound...].trimmingCharacters())
        guard !territory.isEmpty else { throw InputError(file: file, line: lineNumber, "no territory after \"->\"") }
        // Longest operators first so that "<=" is not read as "<".
        let spelled: [(String, AssignmentRule.Operator)] = [
            (" not in ", .notIn), (" in ", .isIn), ("==", .equal), ("!=", .notEqual), ("<=", .lessOrEqual),
            (">=", .greaterOrEqual), ("<", .less), (">", .greater),
        ]
        guard let (token, op) = spelled.first(where: { condition.range(of: $0.0) != nil }),
              let range = condition.range(of: token) else {
            throw InputError(file: file, line: lineNumber, "no operator in \"\(condition)\" (==, !=, <, <=, >, >=, in, not in)")
        }
        let column = unquote(condition[..<range.lowerBound].trimmingCharacters())
        let right = condition[range.upperBound...].trimmingCharacters()
        guard !column.isEmpty else { throw InputError(file: file, line: lineNumber, "no column before \"\(token.trimmingCharacters())\"") }
        var values: [String]
        if op == .isIn || op == .notIn {
            guard right.hasPrefix("["), right.hasSuffix("]") else {
                throw InputError(file: file, line: lineNumber, "\"in\" takes a list such as [CA, OR]")
            }
            values = right.dropFirst().dropLast().split(separator: ",").map { unquote($0.trimmingCharacters()) }.filter { !$0.isEmpty }
            guard !values.isEmpty else { throw InputError(file: file, line: lineNumber, "the list is empty") }
        } else {
            values = [unquote(right)]
            guard !values[0].isEmpty else { throw InputError(file: file, line: lineNumber, "no value after \"\(token)\"") }
        }
        rules.append(AssignmentRule(column: column, op: op, values: values, territory: territory, line: lineNumber))
    }
    return rules
}

private func unquote<S: StringProtocol>(_ s: S) -> String {
    if s.count >= 2, s.first == "\"", s.last == "\"" { return String(s.dropFirst().dropLast()) }
    return String(s)
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}

/// How a new account was placed.
public enum PlacementReason: Sendable, Equatable {
    /// The first matching rule (its line).
    case rule(line: Int)
    /// The nearest territory center with headroom in every band and capacity (and, with reps,
    /// a rep who serves the account's segment).
    case nearestWithHeadroom
    /// No eligible territory had headroom: the nearest eligible one, which now exceeds a bound.
    case nearestOverBound
}

public struct Placement: Sendable, Equatable {
    public var unit: Int
    public var territory: Int
    public var reason: PlacementReason
    /// Distance from the account to the territory's center.
    public var distance: Double
}

/// Puts the unassigned units of `plan` (new accounts) into its territories without touching the
/// others: each account in unit order goes to the territory of the first rule it matches
/// (`attribute(unit, column)` gives its value), else to the nearest territory center (today's
/// centers: fixed ones, else medoids of today's members) that serves its segment and still has
/// headroom for it in every band and capacity, else to the nearest eligible territory.
/// Bounds use the totals with every new account, as the evaluator does afterwards.
/// Throws when a rule names an unknown territory or column. O(a·k + n) for a accounts.
public func assignNewUnits(
    _ plan: Plan, in problem: DesignProblem, rules: [AssignmentRule], rulesFile: String? = nil,
    attribute: (Int, String) -> String?
) throws(InputError) -> (plan: Plan, placements: [Placement]) {
    precondition(plan.k == problem.k && plan.unitCount == problem.unitCount, "align the plan first")
    var labelIndex: [String: Int] = [:]
    for (t, label) in plan.labels.enumerated() { labelIndex[label] = t }
    for rule in rules where labelIndex[rule.territory] == nil {
        throw InputError(file: rulesFile, line: rule.line, "unknown territory \"\(rule.territory)\" (territories: \(plan.labels.prefix(12).joined(separator: ", "))\(plan.k > 12 ? ", …" : ""))")
    }
    let newUnits = (0..<problem.unitCount).filter { plan.assignment[$0] < 0 }
    let centers = Evaluator.evaluate(plan, in: problem).territories.map(\.center)
    var totals = Array(repeating: Array(repeating: 0.0, count: problem.k), count: problem.balance.count)
    for (i, t) in plan.assignment.enumerated() where t >= 0 {
        for (r, requirement) in problem.balance.enumerated() { totals[r][Int(t)] += problem.units.measures[requirement.measure].values[i] }
    }
    let upper: [[Double]] = problem.balance.map { requirement in
        let total = problem.units.measures[requirement.measure].total
        return (0..<problem.k).map { requirement.upperBound($0, total: total, k: problem.k) }
    }
    func distance(_ i: Int, _ t: Int) -> Double {
        switch centers[t] {
        case .unit(let c): return problem.distances(i, c)
        case .point(let p): return problem.distances.supportsPoints ? problem.distances(i, p) : .infinity
        case nil: return .infinity
        }
    }
    func serves(_ t: Int, _ i: Int) -> Bool {
        guard let allowed = problem.territories[t].allowedSegments, let segment = problem.units.segments?[i], !segment.isEmpty else { return true }
        return allowed.contains(segment)
    }
    var result = plan
    var placements: [Placement] = []
    for i in newUnits {
        var chosen: (Int, PlacementReason)?
        for rule in rules {
            guard let value = attribute(i, rule.column) else {
                throw InputError(file: rulesFile, line: rule.line, "the new accounts have no column \"\(rule.column)\"")
            }
            if rule.matches(value) { chosen = (labelIndex[rule.territory]!, .rule(line: rule.line)); break }
        }
        if chosen == nil {
            var bestFit: (Double, Int)?, bestAny: (Double, Int)?
            for t in 0..<problem.k where serves(t, i) {
                let d = distance(i, t)
                let fits = problem.balance.indices.allSatisfy { r in
                    totals[r][t] + problem.units.measures[problem.balance[r].measure].values[i] <= upper[r][t] * (1 + 1e-12)
                }
                if fits, bestFit == nil || d < bestFit!.0 { bestFit = (d, t) }
                if bestAny == nil || d < bestAny!.0 { bestAny = (d, t) }
            }
            if let bestFit { chosen = (bestFit.1, .nearestWithHeadroom) } else if let bestAny { chosen = (bestAny.1, .nearestOverBound) }
        }
        guard let (t, reason) = chosen else { continue }  // no territory serves its segment: left unassigned
        result.assignment[i] = Int32(t)
        for (r, requirement) in problem.balance.enumerated() { totals[r][t] += problem.units.measures[requirement.measure].values[i] }
        placements.append(Placement(unit: i, territory: t, reason: reason, distance: distance(i, t)))
    }
    return (result, placements)
}
