import ArgumentParser
import Foundation
import TerritoryDesign

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run methods × instances × seeds from a manifest and print Markdown tables.",
        discussion: """
            Every plan is written under --out, read back and scored by the evaluation module; a run whose \
            solver-reported travel disagrees with the evaluator is marked `mismatch`. Bad manifest rows and \
            missing files become `error` rows and the run goes on. Exit status 1 when any row failed or \
            regressed against --baseline.
            """)

    @Option(help: ArgumentHelp("Benchmark manifest CSV.", valueName: "file"))
    var manifest = "datasets/benchmarks.csv"

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Folder the manifest's files are relative to (default: the manifest's folder).", valueName: "dir"))
    var dataDir: String?

    @Option(name: .customLong("suite"), help: "Run only these suites (repeatable); SUITE:a,b keeps only instances a and b of that suite.")
    var suites: [String] = []

    @Option(name: .customLong("instance"), help: "Run only these instances (repeatable).")
    var instances: [String] = []

    @Option(help: ArgumentHelp("Comma-separated methods: heuristic[:no-swaps|:no-perturb|:stop-when-stalled|:no-center-moves|:kmeans++|:bisection|:restarts=N|:acceptance=X], kmeans-only, mip.", valueName: "list"))
    var methods = "heuristic"

    @Option(help: ArgumentHelp("Comma-separated seeds.", valueName: "list"))
    var seeds = "1"

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Seconds per run where the manifest sets none.", valueName: "seconds"))
    var timeLimit: Double = 60

    @Option(name: .customLong("time-scale"), help: ArgumentHelp("Multiply every time limit (e.g. 0.1 for a smoke run).", valueName: "factor"))
    var timeScale: Double = 1

    @Option(help: "Runs at once (each run already uses every core for its restarts).")
    var jobs = 1

    @Option(help: ArgumentHelp("Folder for the written plans.", valueName: "dir"))
    var out = "bench-out"

    @Option(help: ArgumentHelp("Also write one JSON object per row to this file.", valueName: "file"))
    var jsonl: String?

    @Option(help: ArgumentHelp("Also write the Markdown report to this file.", valueName: "file"))
    var markdown: String?

    @Option(help: ArgumentHelp("JSON lines of an earlier run: flag rows that got worse.", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp("Score other tools' plans: <dir>/<tool>/<instance>.csv.", valueName: "dir"))
    var plans: String?

    @Option(name: .customLong("bound-up-to"), help: ArgumentHelp("Heuristic rows: compute a Lagrangian lower bound (proven gap) for instances up to this many units.", valueName: "n"))
    var boundUpTo = 0

    @Option(name: .customLong("bound-seconds"), help: ArgumentHelp("Seconds for each such bound.", valueName: "seconds"))
    var boundSeconds: Double = 30

    @Flag(name: .customLong("no-solve"), help: "Only score --plans; run no solver.")
    var noSolve = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard timeLimit > 0, timeScale > 0 else { throw ValidationError("--time-limit and --time-scale must be positive") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if noSolve && plans == nil { throw ValidationError("--no-solve needs --plans DIR") }
    }

    func run() throws {
        let (allEntries, problems) = try readManifest(manifest)
        var entries = allEntries
        if !suites.isEmpty {
            var wanted: [String: Set<String>?] = [:]
            for spec in suites {
                let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                let selection: Set<String>? = parts.count == 2 ? Set(parts[1].split(separator: ",").map(String.init)) : nil
                wanted.updateValue(selection, forKey: parts[0])  // (a subscript set of nil would remove the key)
            }
            entries = entries.filter { entry in
                guard let selection = wanted[entry.suite] else { return false }
                return selection.map { $0.contains(entry.instance) } ?? true
            }
        }
        if !instances.isEmpty { entries = entries.filter { instances.contains($0.instance) } }
        let seedList = try seeds.split(separator: ",").map { text -> UInt64 in
            guard let s = UInt64(text.trimmed) else { throw InputError(column: "--seeds", "\"\(text)\" is not a seed") }
            return s
        }
        let methodList = try methods.split(separator: ",").map { try BenchmarkMethod.parse(String($0).trimmed) }
        let dataDirectory = dataDir ?? URL(fileURLWithPath: manifest).deletingLastPathComponent().path
        var runner = BenchmarkRunner(dataDirectory: dataDirectory, outputDirectory: out, methods: noSolve ? [] : methodList)
        runner.seeds = seedList
        runner.defaultTimeLimit = timeLimit
        runner.timeScale = timeScale
        runner.jobs = jobs
        runner.boundUpTo = boundUpTo
        runner.boundSeconds = boundSeconds * timeScale
        if !quiet { runner.progress = { printError($0) } }
        var rows = runner.run(entries)
        if let plans { rows += runner.scoreExternalPlans(in: plans, entries: entries) }
        // Manifest rows that could not be read count as failures of their suite.
        for problem in problems {
            var row = BenchmarkRow(json: .object([("suite", .string("manifest")), ("instance", .string(problem.instance))]))
            row.method = "-"
            row.status = "error"
            row.message = problem.message
            rows.append(row)
        }
        let report = markdownReport(rows)
        print(report, terminator: "")
        if let markdown { try Files.writeAtomically(report, to: markdown) }
        if let jsonl { try Files.writeAtomically(jsonLines(rows), to: jsonl) }
        var failed = rows.contains(where: \.failed)
        if let baseline {
            let found = regressions(rows, baseline: try readJSONLines(baseline))
            if !found.isEmpty {
                print("\nRegressions against \(baseline):\n")
                for r in found { print("- \(r)") }
                failed = true
            } else {
                print("\nNo regressions against \(baseline).")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
