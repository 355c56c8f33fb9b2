#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerritoryCore

/// A JSON value that keeps object keys in file order (measures are reported in the order a file
/// lists them) and whose parser reports errors with line numbers.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (l: JSONValue, r: JSONValue) -> Bool {
        switch (l, r) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `key` of an object (first occurrence), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var number: Double? { if case .number(let x) = self { return x } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var object: [(String, JSONValue)]? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Parses a JSON text (RFC 8259, UTF-8, optional BOM).
    public static func parse(_ data: [UInt8], file: String) throws(InputError) -> JSONValue {
        var parser = JSONParser(data: data, file: file)
        return try parser.parseDocument()
    }

    /// Parses a JSON text and records the line on which every value starts, keyed by its JSON
    /// pointer (`""` for the document, `/reps/0/id` for a nested value), so that errors found
    /// after parsing can name the line.
    public static func parseLocated(_ data: [UInt8], file: String) throws(InputError) -> LocatedJSON {
        var parser = JSONParser(data: data, file: file)
        parser.recordsLines = true
        let value = try parser.parseDocument()
        return LocatedJSON(value: value, file: file, lines: parser.lines)
    }

    /// Compact JSON text.
    public var serialized: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Pretty JSON text (two-space indent), with a final newline.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out + "\n"
    }

    func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += JSONValue.format(x)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (n, (key, value)) in members.enumerated() {
                if n > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                JSONValue.quote(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    /// Numbers: integers without a fraction, others in Swift's shortest round-trip form;
    /// non-finite values (never valid JSON) become null.
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 9.0e15 { return String(Int64(x)) }
        return String(x)
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(_ x: Double?) { self = x.map { .number($0) } ?? .null }
    public init(_ x: Int?) { self = x.map { .number(Double($0)) } ?? .null }
    public init(_ s: String?) { self = s.map { .string($0) } ?? .null }
}

/// A parsed JSON document with the line of every value (see ``JSONValue/parseLocated(_:file:)``).
public struct LocatedJSON: Sendable {
    public var value: JSONValue
    public var file: String
    /// Line of each value by JSON pointer.
    public var lines: [String: Int]

    /// The line of the value at `pointer` (or of its nearest recorded ancestor).
    public func line(_ pointer: String) -> Int? {
        var p = pointer
        while true {
            if let l = lines[p] { return l }
            guard let slash = p.lastIndex(of: "/") else { return nil }
            p = String(p[..<slash])
        }
    }

    /// An input error located at `pointer` in this file.
    public func error(_ pointer: String, column: String? = nil, _ message: String) -> InputError {
        InputError(file: file, line: line(pointer), column: column, message)
    }
}

struct JSONParser {
    let data: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var depth = 0
    var recordsLines = false
    var lines: [String: Int] = [:]
    var path: [String] = []

    init(data: [UInt8], file: String) {
        self.data = data
        self.file = file
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    func fail(_ message: String) -> InputError { InputError(file: file, line: line, message) }

    mutating func skipSpace() {
        while i < data.count {
            switch data[i] {
            case UInt8(ascii: "\n"): line += 1; i += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): i += 1
            default: return
            }
        }
    }

    mutating func parseDocument() throws(InputError) -> JSONValue {
        let value = try parseValue()
        skipSpace()
        guard i == data.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    mutating func parseValue() throws(InputError) -> JSONValue {
        skipSpace()
        guard i < data.count else { throw fail("unexpected end of file, expected a value") }
        if recordsLines { lines[path.isEmpty ? "" : "/" + path.joined(separator: "/")] = line }
        switch data[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try parseNumber())
        }
    }

    mutating func literal(_ word: String) throws(InputError) {
        let bytes = Array(word.utf8)
        guard i + bytes.count <= data.count, Array(data[i..<i + bytes.count]) == bytes else {
            throw fail("invalid literal, expected \(word)")
        }
        i += bytes.count
    }

    mutating func parseObject() throws(InputError) -> JSONValue {
        depth += 1
        guard depth < 512 else { throw fail("nesting is too deep") }
        defer { depth -= 1 }
        i += 1
        var members: [(String, JSONValue)] = []
        skipSpace()
        if i < data.count && data[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < data.count, data[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try parseString()
            skipSpace()
            guard i < data.count, data[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            i += 1
            if recordsLines { path.append(key) }
            let member = try parseValue()
            if recordsLines { path.removeLast() }
            members.append((key, member))
            skipSpace()
            guard i < data.count else { throw fail("unexpected end of file inside an object") }
            if data[i] == UInt8(ascii: ",") { i += 1; continue }
            if data[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw fail("expected ',' or '}' in an object")
        }
    }

    mutating func parseArray() throws(InputError) -> JSONValue {
        depth += 1
        guard depth < 512 else { throw fail("nesting is too deep") }
        defer { depth -= 1 }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < data.count && data[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            if recordsLines { path.append(String(items.count)) }
            let item = try parseValue()
            if recordsLines { path.removeLast() }
            items.append(item)
            skipSpace()
            guard i < data.count else { throw fail("unexpected end of file inside an array") }
            if data[i] == UInt8(ascii: ",") { i += 1; continue }
            if data[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw fail("expected ',' or ']' in an array")
        }
    }

    mutating func parseString() throws(InputError) -> String {
        i += 1
        var bytes: [UInt8] = []
        while i < data.count {
            let c = data[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                return s
            }
            if c < 0x20 { throw fail("a control character inside a string") }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < data.count else { break }
                let e = data[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, i + 1 < data.count, data[i] == UInt8(ascii: "\\"), data[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                    bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw fail("invalid escape in a string")
                }
                continue
            }
            bytes.append(c)
            i += 1
        }
        throw fail("a string is never closed")
    }

    mutating func hex4() throws(InputError) -> UInt32 {
        guard i + 4 <= data.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = data[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    mutating func parseNumber() throws(InputError) -> Double {
        let start = i
        while i < data.count {
            let c = data[i]
            let isNumberByte = (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            if !isNumberByte { break }
            i += 1
        }
        guard i > start, let value = TerritoryIO.parseNumber(data[start..<i]), value.isFinite else {
            throw fail("invalid value")
        }
        return value
    }
}
