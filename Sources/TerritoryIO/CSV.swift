#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerritoryCore

/// An RFC 4180 CSV document parsed from bytes: a header row and data records.
///
/// Accepts a UTF-8 byte-order mark, `\n` or `\r\n` line ends, double-quoted fields with `""`
/// escapes and embedded separators or newlines. Unquoted fields are trimmed of spaces and tabs;
/// completely empty lines are skipped. Every record must have as many fields as the header.
/// Fields are stored unescaped in one byte buffer, so a million rows cost a few arrays, not
/// millions of strings.
public struct CSVDocument: Sendable {
    public let file: String
    public let header: [String]
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let fieldStart: [Int32]  // start of field f in `bytes`; one extra end sentinel
    @usableFromInline let lines: [Int32]  // physical line of each data record (header = line 1)
    public let columnCount: Int

    public var recordCount: Int { lines.count }

    /// Parses `data` (the contents of `file`, used in error messages).
    public init(data: [UInt8], file: String) throws(InputError) {
        self.file = file
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var starts: [Int32] = []
        var recordLines: [Int32] = []
        var header: [String] = []
        var columns = -1
        var line = 1
        var i = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let n = data.count
        var recordFields: [Int32] = []  // starts of the current record's fields
        var headerFields: [[UInt8]] = []
        while i < n {
            // One record.
            let recordLine = line
            recordFields.removeAll(keepingCapacity: true)
            var atLineEnd = false
            var sawContent = false
            while !atLineEnd {
                recordFields.append(Int32(out.count))
                if i < n && data[i] == UInt8(ascii: "\"") {
                    sawContent = true
                    i += 1
                    var closed = false
                    while i < n {
                        let c = data[i]
                        if c == UInt8(ascii: "\"") {
                            if i + 1 < n && data[i + 1] == UInt8(ascii: "\"") {
                                out.append(c)
                                i += 2
                            } else {
                                i += 1
                                closed = true
                                break
                            }
                        } else {
                            if c == UInt8(ascii: "\n") { line += 1 }
                            out.append(c)
                            i += 1
                        }
                    }
                    guard closed else {
                        throw InputError(file: file, line: recordLine, "a quoted field is never closed")
                    }
                    while i < n && (data[i] == UInt8(ascii: " ") || data[i] == UInt8(ascii: "\t")) { i += 1 }
                    if i < n, data[i] != UInt8(ascii: ","), data[i] != UInt8(ascii: "\n"), data[i] != UInt8(ascii: "\r") {
                        throw InputError(file: file, line: line, "unexpected text after a closing quote")
                    }
                } else {
                    let start = i
                    while i < n {
                        let c = data[i]
                        if c == UInt8(ascii: ",") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
                        i += 1
                    }
                    var lo = start, hi = i
                    while lo < hi && (data[lo] == UInt8(ascii: " ") || data[lo] == UInt8(ascii: "\t")) { lo += 1 }
                    while hi > lo && (data[hi - 1] == UInt8(ascii: " ") || data[hi - 1] == UInt8(ascii: "\t")) { hi -= 1 }
                    if hi > lo { sawContent = true }
                    out.append(contentsOf: data[lo..<hi])
                }
                if i >= n {
                    atLineEnd = true
                } else if data[i] == UInt8(ascii: ",") {
                    sawContent = true
                    i += 1
                } else {
                    if data[i] == UInt8(ascii: "\r") { i += 1 }
                    if i < n && data[i] == UInt8(ascii: "\n") { i += 1 }
                    line += 1
                    atLineEnd = true
                }
            }
            if !sawContent {
                // An empty line: drop what it appended.
                out.removeLast(out.count - Int(recordFields[0]))
                continue
            }
            if columns < 0 {
                columns = recordFields.count
                for (f, s) in recordFields.enumerated() {
                    let e = f + 1 < recordFields.count ? Int(recordFields[f + 1]) : out.count
                    headerFields.append(Array(out[Int(s)..<e]))
                }
                out.removeAll(keepingCapacity: true)
                continue
            }
            guard recordFields.count == columns else {
                throw InputError(file: file, line: recordLine, "\(recordFields.count) fields, the header has \(columns)")
            }
            starts.append(contentsOf: recordFields)
            recordLines.append(Int32(recordLine))
        }
        guard columns > 0 else { throw InputError(file: file, "no header row") }
        for (c, raw) in headerFields.enumerated() {
            guard let name = String(validating: raw, as: UTF8.self) else {
                throw InputError(file: file, line: 1, "header field \(c + 1) is not valid UTF-8")
            }
            header.append(name)
        }
        starts.append(Int32(out.count))
        self.header = header
        self.columnCount = columns
        self.bytes = out
        self.fieldStart = starts
        self.lines = recordLines
        var seen = Set<String>()
        for name in header where !name.isEmpty {
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: 1, column: name, "the column name appears twice in the header")
            }
        }
    }

    /// The physical line of record `r` (for messages).
    @inlinable public func line(_ r: Int) -> Int { Int(lines[r]) }

    /// Index of the column named `name` (exact, then case-insensitive), or nil.
    public func column(named name: String) -> Int? {
        if let c = header.firstIndex(of: name) { return c }
        let lower = name.lowercased()
        return header.firstIndex { $0.lowercased() == lower }
    }

    @inlinable func range(_ r: Int, _ c: Int) -> Range<Int> {
        let f = r * columnCount + c
        return Int(fieldStart[f])..<Int(fieldStart[f + 1])
    }

    /// Whether field (r, c) is empty.
    @inlinable public func isEmpty(_ r: Int, _ c: Int) -> Bool { range(r, c).isEmpty }

    /// Field (r, c) as a string; throws on invalid UTF-8.
    public func string(_ r: Int, _ c: Int) throws(InputError) -> String {
        guard let s = String(validating: bytes[range(r, c)], as: UTF8.self) else {
            throw InputError(file: file, line: line(r), column: header[c], "not valid UTF-8")
        }
        return s
    }

    /// Field (r, c) as a finite number; throws naming the file, line and column otherwise.
    public func number(_ r: Int, _ c: Int) throws(InputError) -> Double {
        let field = range(r, c)
        if field.isEmpty { throw InputError(file: file, line: line(r), column: header[c], "missing value, expected a number") }
        guard let value = parseNumber(bytes[field]) else {
            let text = String(decoding: bytes[field].prefix(40), as: UTF8.self)
            throw InputError(file: file, line: line(r), column: header[c], "\"\(text)\" is not a number")
        }
        guard value.isFinite else {
            let text = String(decoding: bytes[field].prefix(40), as: UTF8.self)
            throw InputError(file: file, line: line(r), column: header[c], "\"\(text)\" is not a finite number")
        }
        return value
    }

    /// Whether field (r, c) parses as a number (finite or not).
    public func isNumeric(_ r: Int, _ c: Int) -> Bool { parseNumber(bytes[range(r, c)]) != nil }
}

/// Parses a decimal number (as `strtod` in the C locale, the whole field must be consumed).
/// Returns nil for text; NaN and infinities parse (callers reject them with a precise message).
@usableFromInline
func parseNumber(_ field: ArraySlice<UInt8>) -> Double? {
    let count = field.count
    guard count > 0, count < 400 else { return nil }
    // Reject what strtod accepts but a CSV number should not be: hex, leading space.
    let first = field[field.startIndex]
    if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { return nil }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double? in
        var p = 0
        for b in field {
            if b == UInt8(ascii: "x") || b == UInt8(ascii: "X") { return nil }
            buffer[p] = CChar(bitPattern: b)
            p += 1
        }
        buffer[count] = 0
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(buffer.baseAddress!, &end)
        guard let end, end == buffer.baseAddress! + count else { return nil }
        return value
    }
}

/// Builds CSV text: quotes a field only when it holds a comma, quote, CR or LF.
public struct CSVWriter {
    public private(set) var bytes: [UInt8] = []

    public init(header: [String]) { appendRow(header) }

    public mutating func appendRow(_ fields: [String]) {
        for (f, field) in fields.enumerated() {
            if f > 0 { bytes.append(UInt8(ascii: ",")) }
            appendField(field)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    public mutating func appendField(_ field: String) {
        let utf8 = field.utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || utf8.first == UInt8(ascii: " ") || utf8.last == UInt8(ascii: " ")
        if !needsQuotes {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for b in utf8 {
            if b == UInt8(ascii: "\"") { bytes.append(b) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
