/// Rows joined into groups one pair at a time (union-find: union by size, path halving). Each group of two
/// or more keeps its members, the root's first; a singleton is its root alone (a million one-element arrays
/// cost more to make and free than the clustering).
struct RowGroups {
    private var parent: [Int]
    private var members: [[Int]]

    init(count: Int) {
        parent = Array(0..<count)
        members = Array(repeating: [], count: count)
    }

    /// The root of `x`'s group.
    mutating func root(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// How many rows the group of `root` holds.
    func size(_ root: Int) -> Int { max(1, members[root].count) }

    /// Joins two groups (by their roots): the bigger one's root stays; its members come first.
    mutating func join(_ ra: Int, _ rb: Int) {
        let (keep, drop) = size(ra) >= size(rb) ? (ra, rb) : (rb, ra)
        parent[drop] = keep
        if members[keep].isEmpty { members[keep] = [keep] }
        if members[drop].isEmpty { members[keep].append(drop) } else { members[keep].append(contentsOf: members[drop]) }
        members[drop] = []
    }

    /// Whether any row of one group and any row of the other satisfy `test`.
    func anyAcross(_ ra: Int, _ rb: Int, _ test: (Int, Int) -> Bool) -> Bool {
        func each(_ root: Int, _ body: (Int) -> Bool) -> Bool {
            if members[root].isEmpty { return body(root) }
            return members[root].contains(where: body)
        }
        return each(ra) { x in each(rb) { y in test(x, y) } }
    }

    /// `anyAcross`, looking only at the first and last 32 rows of two big groups (a group of 50,000
    /// identical rows would otherwise be compared with itself row by row as it grows: quadratic).
    func guardAcross(_ ra: Int, _ rb: Int, _ test: (Int, Int) -> Bool) -> Bool {
        guard size(ra) * size(rb) > 4096 else { return anyAcross(ra, rb, test) }
        func sample(_ root: Int) -> [Int] {
            let all = members[root].isEmpty ? [root] : members[root]
            return all.count <= 64 ? all : Array(all.prefix(32) + all.suffix(32))
        }
        let left = sample(ra)
        let right = sample(rb)
        return left.contains { x in right.contains { y in test(x, y) } }
    }

    /// Every row's root, in row order.
    mutating func roots() -> [Int] { parent.indices.map { root($0) } }
}
