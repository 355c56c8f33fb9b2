/// Bad input: a file, row or option the user gave that the package cannot accept.
///
/// Every message names where the problem is (file, line, column) so the user can fix it
/// without reading code. Thrown by readers and by ``DesignProblem/validate()``; solver
/// outcomes such as infeasibility are never reported this way.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file that holds the bad input (as the user named it), or nil for options.
    public var file: String?
    /// 1-based physical line of the record in `file` (the header is line 1 in CSV files).
    public var line: Int?
    /// The column (CSV header name, JSON key or option name) that holds the bad value.
    public var column: String?
    /// What is wrong, in one sentence without trailing period.
    public var message: String

    public init(file: String? = nil, line: Int? = nil, column: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// One line: `units.csv, line 17, column "workload": "abc" is not a number`.
    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        if let line { location.append("line \(line)") }
        if let column { location.append("column \"\(column)\"") }
        return location.isEmpty ? message : location.joined(separator: ", ") + ": " + message
    }

    /// The same error located in `file` (used when a lower layer did not know the name).
    public func inFile(_ file: String) -> InputError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}
