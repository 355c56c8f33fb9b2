import Foundation
import TerritoryCore

/// The repository's `datasets/` folder (tests read committed files, never ../shared).
let datasetsPath: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path
}()

func dataset(_ relative: String) -> String { datasetsPath + "/" + relative }

/// A fresh temporary directory for one test.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "territory-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) {
    try! text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Reference values from datasets/known-values.csv: instance → (value, status).
let knownValues: [String: (value: Double, status: String)] = {
    let text = try! String(contentsOfFile: dataset("known-values.csv"), encoding: .utf8)
    var result: [String: (Double, String)] = [:]
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        result[String(fields[1])] = (Double(fields[5])!, String(fields[6]))
    }
    return result
}()
