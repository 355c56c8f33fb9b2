import Benchmark
import TerritoryDesign

/// A synthetic problem and a strip plan, built once per process.
struct Fixture: Sendable {
    let problem: DesignProblem
    let plan: Plan

    init(units n: Int, k: Int) {
        let units = SyntheticInstance.units(count: n, seed: 1)
        var problem = DesignProblem(
            name: "synthetic-\(n)", units: units, distances: Distances(metric: .euclidean, x: units.x, y: units.y), k: k)
        problem.balance = [BalanceRequirement(measure: 0, tolerance: 0.05), BalanceRequirement(measure: 1, tolerance: 0.05)]
        self.problem = problem
        self.plan = SyntheticInstance.stripPlan(units, k: k)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(10))

    // Full evaluation (every metric, exact medoids) at three scales.
    for (n, k) in [(10_000, 20), (100_000, 200), (1_000_000, 1_000)] {
        Benchmark("Evaluate full n=\(n) k=\(k)", configuration: .init(maxIterations: n >= 1_000_000 ? 3 : 20)) { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                blackHole(Evaluator.evaluate(fixture.plan, in: fixture.problem).travel)
            }
        } setup: {
            Fixture(units: n, k: k)
        }
    }

    // Exact medoid of one territory of 10,000 units.
    Benchmark("Medoid exact n_t=10000") { benchmark, members in
        let fixture = Fixture(units: 10_000, k: 1)
        for _ in benchmark.scaledIterations {
            blackHole(medoid(of: members[...], distances: fixture.problem.distances, weights: nil))
        }
    } setup: {
        (0..<10_000).map(Int32.init)
    }

    // Delta evaluation throughput: 100,000 move deltas per iteration.
    for medoidMode in [false, true] {
        let name = medoidMode ? "medoid centers" : "fixed centers"
        Benchmark("Delta 100k moves, \(name), n=100000 k=200", configuration: .init(maxIterations: 10)) { (benchmark: Benchmark, state: IncrementalEvaluator) in
            var rng = SplitMix64(seed: 9)
            var sum = 0.0
            for _ in benchmark.scaledIterations {
                for _ in 0..<100_000 {
                    let u = rng.nextIndex(below: state.problem.unitCount)
                    sum += state.delta(moving: u, to: rng.nextIndex(below: state.problem.k)).total
                }
            }
            blackHole(sum)
        } setup: {
            let fixture = Fixture(units: 100_000, k: 200)
            let centers: [Center] = (0..<200).map { .unit($0 * 500) }
            return IncrementalEvaluator(
                problem: fixture.problem, assignment: fixture.plan.assignment,
                centerMode: medoidMode ? .medoid : .fixed(centers))
        }
    }
}
