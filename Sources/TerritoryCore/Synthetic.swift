/// Synthetic instances for scale runs and tests: seeded, so the same arguments always give the
/// same units.
public enum SyntheticInstance {
    public enum Layout: String, Sendable, CaseIterable {
        /// Uniform points in the square [0, 1000]².
        case uniform
        /// Points around `clusters` Gaussian centers (σ = 30), like accounts around cities.
        case clustered
    }

    /// `count` planar units with ids `u1`…, measures `workload` (uniform 1…10) and `potential`
    /// (log-normal-like, correlated with workload).
    /// - Complexity: O(n) time and memory.
    public static func units(count: Int, layout: Layout = .uniform, clusters: Int = 20, seed: UInt64) -> UnitTable {
        precondition(count > 0)
        var rng = SplitMix64(seed: seed)
        var xs = [Double](repeating: 0, count: count), ys = xs, workload = xs, potential = xs
        var cx: [Double] = [], cy: [Double] = []
        if layout == .clustered {
            for _ in 0..<max(1, clusters) {
                cx.append(100 + 800 * rng.nextUnit())
                cy.append(100 + 800 * rng.nextUnit())
            }
        }
        for i in 0..<count {
            switch layout {
            case .uniform:
                xs[i] = 1000 * rng.nextUnit()
                ys[i] = 1000 * rng.nextUnit()
            case .clustered:
                let c = rng.nextIndex(below: cx.count)
                let (gx, gy) = gaussianPair(&rng)
                xs[i] = min(1000, max(0, cx[c] + 30 * gx))
                ys[i] = min(1000, max(0, cy[c] + 30 * gy))
            }
            workload[i] = (1 + 9 * rng.nextUnit() * 100).rounded() / 100
            potential[i] = ((workload[i] * (0.5 + rng.nextUnit()) * 1000).rounded()) / 100
        }
        let ids = (0..<count).map { "u\($0 + 1)" }
        // Ids are unique by construction.
        return try! UnitTable(
            ids: ids, x: xs, y: ys,
            measures: [Measure(name: "workload", values: workload), Measure(name: "potential", values: potential)])
    }

    /// A quick plan with `k` territories of nearly equal unit counts: strips by x, then cells by
    /// y within each strip. Not optimised; for evaluation benchmarks and tests.
    /// - Complexity: O(n log n).
    public static func stripPlan(_ units: UnitTable, k: Int) -> Plan {
        let n = units.count
        precondition(k >= 1 && k <= n)
        var stripCount = 1
        while (stripCount + 1) * (stripCount + 1) <= k { stripCount += 1 }
        let byX = (0..<n).sorted { (units.x[$0], $0) < (units.x[$1], $1) }
        var assignment = [Int32](repeating: 0, count: n)
        var territory = 0
        for s in 0..<stripCount {
            let cellsHere = k / stripCount + (s < k % stripCount ? 1 : 0)
            let lo = n * territory / k
            let hi = n * (territory + cellsHere) / k
            let strip = byX[lo..<hi].sorted { (units.y[$0], $0) < (units.y[$1], $1) }
            for (p, i) in strip.enumerated() {
                assignment[i] = Int32(territory + p * cellsHere / strip.count)
            }
            territory += cellsHere
        }
        return Plan(assignment: assignment, labels: (0..<k).map { "T\($0 + 1)" })
    }

    static func gaussianPair(_ rng: inout SplitMix64) -> (Double, Double) {
        // Marsaglia polar method.
        while true {
            let u = 2 * rng.nextUnit() - 1, v = 2 * rng.nextUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * logarithm(s) / s).squareRoot()
                return (u * f, v * f)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func logarithm(_ x: Double) -> Double { log(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func logarithm(_ x: Double) -> Double { log(x) }
#endif
