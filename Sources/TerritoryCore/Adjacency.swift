/// An undirected graph over the units (shared boundaries, road links), stored as
/// compressed sparse rows: the neighbours of unit `i` are `neighbours(of: i)`, sorted ascending.
///
/// Duplicate pairs and self-loops in the input are dropped.
/// - Complexity: O(n + m) memory; `neighbours(of:)` is O(1).
public struct Adjacency: Sendable, Hashable {
    public let unitCount: Int
    @usableFromInline let offsets: [Int]
    @usableFromInline let targets: [Int32]

    /// Builds the graph from undirected pairs of unit indices (each in `0..<unitCount`).
    public init(unitCount: Int, pairs: [(Int, Int)]) {
        var degree = [Int](repeating: 0, count: unitCount + 1)
        for (a, b) in pairs where a != b {
            precondition(a >= 0 && a < unitCount && b >= 0 && b < unitCount, "adjacency index out of range")
            degree[a] += 1
            degree[b] += 1
        }
        var offsets = [Int](repeating: 0, count: unitCount + 1)
        for i in 0..<unitCount { offsets[i + 1] = offsets[i] + degree[i] }
        var fill = Array(offsets.dropLast())
        var targets = [Int32](repeating: 0, count: offsets[unitCount])
        for (a, b) in pairs where a != b {
            targets[fill[a]] = Int32(b); fill[a] += 1
            targets[fill[b]] = Int32(a); fill[b] += 1
        }
        // Sort each row in place and drop duplicates.
        targets.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<unitCount where offsets[i + 1] - offsets[i] > 1 {
                var row = UnsafeMutableBufferPointer(rebasing: buffer[offsets[i]..<offsets[i + 1]])
                row.sort()
            }
        }
        var compactOffsets = [Int](repeating: 0, count: unitCount + 1)
        var compact = [Int32]()
        compact.reserveCapacity(targets.count)
        for i in 0..<unitCount {
            var last: Int32 = -1
            for t in targets[offsets[i]..<offsets[i + 1]] where t != last {
                compact.append(t)
                last = t
            }
            compactOffsets[i + 1] = compact.count
        }
        self.unitCount = unitCount
        self.offsets = compactOffsets
        self.targets = compact
    }

    /// Neighbours of unit `i`, ascending, without duplicates.
    @inlinable public func neighbours(of i: Int) -> ArraySlice<Int32> {
        targets[offsets[i]..<offsets[i + 1]]
    }

    /// Degree of unit `i`.
    @inlinable public func degree(_ i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// Number of undirected edges.
    public var edgeCount: Int { targets.count / 2 }

    /// Every undirected edge once, as (smaller, larger) index pairs in ascending order.
    public var edges: [(Int, Int)] {
        var result: [(Int, Int)] = []
        result.reserveCapacity(edgeCount)
        for i in 0..<unitCount {
            for j in neighbours(of: i) where Int(j) > i { result.append((i, Int(j))) }
        }
        return result
    }

    /// Number of connected components of the whole graph. O(n + m).
    public var componentCount: Int {
        var seen = [Bool](repeating: false, count: unitCount)
        var stack: [Int] = []
        var components = 0
        for start in 0..<unitCount where !seen[start] {
            components += 1
            seen[start] = true
            stack.append(start)
            while let u = stack.popLast() {
                for v in neighbours(of: u) where !seen[Int(v)] {
                    seen[Int(v)] = true
                    stack.append(Int(v))
                }
            }
        }
        return components
    }

    public static func == (l: Adjacency, r: Adjacency) -> Bool {
        l.unitCount == r.unitCount && l.offsets == r.offsets && l.targets == r.targets
    }

    public func hash(into h: inout Hasher) {
        h.combine(unitCount)
        h.combine(targets)
    }
}
