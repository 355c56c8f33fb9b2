import TerritoryCore

/// Swap-based local search for the unconstrained p-median problem (every unit goes to its
/// nearest center, the centers are units): FasterPAM's eager swaps (Schubert & Rousseeuw 2021).
///
/// For a candidate unit x the change of swapping x in for the best center m is found for all m at
/// once in O(n + k), from each unit's nearest and second-nearest center and each center's
/// removal loss; the first improving swap is applied at once. A pass over all candidates costs
/// O(n²) distance evaluations; passes repeat until none improves.
struct PMedianSwap {
    let distances: Distances
    let weights: [Double]?
    let n: Int
    var medoids: [Int]
    var isMedoid: [Bool]
    var nearest: [Int32]  // slot of the nearest medoid
    var d1: [Double]
    var second: [Int32]
    var d2: [Double]
    private(set) var cost: Double = 0
    var swapsEvaluated = 0
    var swapsApplied = 0

    init(distances: Distances, weights: [Double]?, medoids: [Int]) {
        self.distances = distances
        self.weights = weights
        self.n = distances.count
        self.medoids = medoids
        self.isMedoid = Array(repeating: false, count: distances.count)
        self.nearest = Array(repeating: 0, count: distances.count)
        self.d1 = Array(repeating: 0, count: distances.count)
        self.second = Array(repeating: 0, count: distances.count)
        self.d2 = Array(repeating: 0, count: distances.count)
        for m in medoids { isMedoid[m] = true }
        for i in 0..<n { refresh(i) }
        recomputeCost()
    }

    @inline(__always) func w(_ i: Int) -> Double { weights?[i] ?? 1 }

    mutating func recomputeCost() {
        var c = 0.0
        for i in 0..<n { c += w(i) * d1[i] }
        cost = c
    }

    /// Nearest and second-nearest medoid of unit i (ties: lower slot). O(k).
    mutating func refresh(_ i: Int) {
        var b1 = Double.infinity, b2 = Double.infinity
        var s1: Int32 = 0, s2: Int32 = 0
        for (slot, m) in medoids.enumerated() {
            let d = distances(i, m)
            if d < b1 {
                b2 = b1; s2 = s1
                b1 = d; s1 = Int32(slot)
            } else if d < b2 {
                b2 = d; s2 = Int32(slot)
            }
        }
        nearest[i] = s1; d1[i] = b1
        second[i] = s2; d2[i] = medoids.count > 1 ? b2 : b1
    }

    /// Eager swap passes until a full pass finds no improvement, or `shouldStop` says so.
    /// Candidates are visited in a rotating order starting at `start`.
    mutating func run(start: Int, shouldStop: () -> Bool) {
        let k = medoids.count
        guard k < n else { return }
        var removalLoss = [Double](repeating: 0, count: k)
        func computeRemovalLoss() {
            for s in 0..<k { removalLoss[s] = 0 }
            for i in 0..<n { removalLoss[Int(nearest[i])] += w(i) * (d2[i] - d1[i]) }
        }
        computeRemovalLoss()
        var delta = [Double](repeating: 0, count: k)
        var lastImprovement = start % n
        var x = lastImprovement
        var visited = 0
        repeat {
            if !isMedoid[x] {
                swapsEvaluated += 1
                for s in 0..<k { delta[s] = removalLoss[s] }
                var shared = 0.0
                for o in 0..<n {
                    let dox = distances(o, x)
                    let wo = w(o)
                    if dox < d1[o] {
                        shared += wo * (dox - d1[o])
                        delta[Int(nearest[o])] += wo * (d1[o] - d2[o])
                    } else if dox < d2[o] {
                        delta[Int(nearest[o])] += wo * (dox - d2[o])
                    }
                }
                var bestSlot = 0
                for s in 1..<max(k, 1) where delta[s] < delta[bestSlot] { bestSlot = s }
                let change = delta[bestSlot] + shared
                if change < -1e-9 * max(1, cost) {
                    apply(slot: bestSlot, newMedoid: x)
                    swapsApplied += 1
                    computeRemovalLoss()
                    lastImprovement = x
                    if shouldStop() { return }
                }
            }
            x = (x + 1) % n
            visited += 1
            if visited & 255 == 0 && shouldStop() { return }
        } while x != lastImprovement
    }

    /// Replaces the medoid in `slot` by unit `x` and updates nearest/second for every unit. O(n + affected·k).
    mutating func apply(slot: Int, newMedoid x: Int) {
        isMedoid[medoids[slot]] = false
        medoids[slot] = x
        isMedoid[x] = true
        let s32 = Int32(slot)
        for o in 0..<n {
            let dox = distances(o, x)
            if nearest[o] == s32 || second[o] == s32 {
                refresh(o)
            } else if dox < d1[o] {
                second[o] = nearest[o]; d2[o] = d1[o]
                nearest[o] = s32; d1[o] = dox
            } else if dox < d2[o] {
                second[o] = s32; d2[o] = dox
            }
        }
        recomputeCost()
    }

    /// The assignment: territory index = medoid slot.
    var assignment: [Int32] { nearest }
}
