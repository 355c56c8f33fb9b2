import ArgumentParser
import TerritoryDesign

#if canImport(Glibc)
import Glibc
#endif

/// `territory`: sales territory design from the command line.
struct Territory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "territory",
        abstract: "Design balanced, compact, contiguous sales territories and score plans.",
        discussion: """
            Exit status: 0 success (a feasible plan was written or evaluated), 1 no feasible plan \
            (the report is still printed), 2 bad input or usage.
            """,
        version: "0.1.0",
        subcommands: [Solve.self, Evaluate.self, Compare.self, WhatIf.self, Assign.self, Tradeoff.self, Report.self, Bound.self, Bench.self, Generate.self])
}

@main
enum Main {
    static func main() {
        do {
            var command = try Territory.parseAsRoot()
            try command.run()
        } catch let error as InputError {
            printError("territory: \(error)")
            exit(2)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch {
            // Help and version requests exit 0 through ArgumentParser; every other parse or
            // validation failure is a usage error: exit 2 (SPEC.md), not ArgumentParser's 64.
            if Territory.exitCode(for: error) == .success { Territory.exit(withError: error) }
            printError(Territory.fullMessage(for: error))
            exit(2)
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    var stream = StandardError()
    print(text, to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        // fd 2 directly: the C `stderr` global is not concurrency-safe in Swift 6.
        var bytes = Array(string.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// Whether progress lines should go to stderr: not with --quiet, and only on a terminal.
func progressEnabled(quiet: Bool) -> Bool { !quiet && isatty(2) != 0 }
