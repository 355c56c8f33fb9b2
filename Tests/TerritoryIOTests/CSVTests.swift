import Foundation
import Testing
import TerritoryCore
@testable import TerritoryIO

@Suite struct CSVTests {
    func parse(_ text: String) throws -> CSVDocument {
        try CSVDocument(data: Array(text.utf8), file: "t.csv")
    }

    @Test func quotedFieldsCRLFAndBOM() throws {
        let csv = try CSVDocument(
            data: [0xEF, 0xBB, 0xBF] + Array("id,name,x\r\n\"a,1\",\"say \"\"hi\"\"\",1.5\r\nb,\"two\nlines\",2\r\n".utf8), file: "t.csv")
        #expect(csv.header == ["id", "name", "x"])
        #expect(csv.recordCount == 2)
        #expect(try csv.string(0, 0) == "a,1")
        #expect(try csv.string(0, 1) == "say \"hi\"")
        #expect(try csv.number(0, 2) == 1.5)
        #expect(try csv.string(1, 1) == "two\nlines")
        #expect(csv.line(1) == 3)
    }

    @Test func blankLinesAreSkippedAndSpacesTrimmed() throws {
        let csv = try parse("id , x\n\n a , 1 \n\n")
        #expect(csv.header == ["id", "x"])
        #expect(csv.recordCount == 1)
        #expect(try csv.string(0, 0) == "a")
        #expect(try csv.number(0, 1) == 1)
    }

    @Test func errorsNameLineAndColumn() throws {
        #expect { try parse("id,x\na,1,2\n") } throws: { ($0 as! InputError).line == 2 }
        #expect { try parse("id,x\n\"a,1\n") } throws: { ($0 as! InputError).message.contains("never closed") }
        let csv = try parse("id,x\na,1\nb,abc\nc,nan\n")
        #expect { try csv.number(1, 1) } throws: { error in
            let e = error as! InputError
            return e.line == 3 && e.column == "x" && e.message == "\"abc\" is not a number"
        }
        #expect { try csv.number(2, 1) } throws: { ($0 as! InputError).message.contains("not a finite number") }
    }

    @Test func numbersRejectHexAndSpaces() {
        #expect(parseNumber(ArraySlice("0x10".utf8)) == nil)
        #expect(parseNumber(ArraySlice("1e3".utf8)) == 1000)
        #expect(parseNumber(ArraySlice("-2.5".utf8)) == -2.5)
        #expect(parseNumber(ArraySlice("12abc".utf8)) == nil)
        #expect(parseNumber(ArraySlice("".utf8)) == nil)
    }

    @Test func writerQuotesOnlyWhenNeeded() {
        var writer = CSVWriter(header: ["id", "territory"])
        writer.appendRow(["a,b", "plain"])
        writer.appendRow(["q\"x", " lead"])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "id,territory\n\"a,b\",plain\n\"q\"\"x\",\" lead\"\n")
    }

    @Test func jsonRoundTripKeepsKeyOrder() throws {
        let text = #"{"b": [1, 2.5, -3e2], "a": {"s": "x\"y\u00e9", "t": true, "n": null}}"#
        let value = try JSONValue.parse(Array(text.utf8), file: "t.json")
        #expect(value.object?.map(\.0) == ["b", "a"])
        #expect(value["a"]?["s"]?.string == "x\"yé")
        let again = try JSONValue.parse(Array(value.serialized.utf8), file: "t.json")
        #expect(again == value)
        #expect { try JSONValue.parse(Array("{\n\"a\": [1,\n 2,,]}".utf8), file: "t.json") } throws: { ($0 as! InputError).line == 3 }
    }
}
