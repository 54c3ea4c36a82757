import HeroDomain
import Testing

extension HeroRepositoryConformance {
    static func listOrderAndPagination(_ factory: Factory) async throws {
        let repository = try await factory()
        #expect(try await repository.list(.first) == [])
        var created: [Hero] = []
        for name in ["A", "B", "C", "D", "E"] {
            created.append(try await repository.create(.sample(name)))
        }
        // Replacing the first hero keeps its place.
        created[0] = try await repository.replace(id: created[0].id, with: .sample("A, renamed"))

        #expect(try await repository.list(.first) == created)
        #expect(try await repository.list(Page(limit: 2, offset: 0)) == Array(created[0..<2]))
        #expect(try await repository.list(Page(limit: 2, offset: 2)) == Array(created[2..<4]))
        #expect(try await repository.list(Page(limit: 2, offset: 4)) == [created[4]])
        #expect(try await repository.list(Page(limit: 2, offset: 5)) == [])

        // Deleting one shifts the later ones, but never reorders them.
        try await repository.delete(id: created[1].id)
        #expect(try await repository.list(Page(limit: 3, offset: 1)) == Array(created[2..<5]))

        // A hero created after a delete goes last, whatever was freed.
        let last = try await repository.create(.sample("F"))
        #expect(try await repository.list(.first) == [created[0]] + created[2...] + [last])
    }

    static func listPastTheEnd(_ factory: Factory) async throws {
        let repository = try await factory()
        let hero = try await repository.create(.sample("Only"))
        #expect(try await repository.list(Page(limit: 1, offset: 1)) == [])
        #expect(try await repository.list(Page(limit: Page.maximumLimit, offset: Int.max)) == [])
        #expect(try await repository.list(Page(limit: Page.maximumLimit, offset: 0)) == [hero])
    }

    static func concurrentCreates(_ factory: Factory) async throws {
        let repository = try await factory()
        let tasks = 8
        let perTask = 200
        let idsByTask = try await withThrowingTaskGroup(of: [HeroID].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var ids: [HeroID] = []
                    for index in 0..<perTask {
                        ids.append(try await repository.create(.sample("Hero \(task)-\(index)")).id)
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let ids = idsByTask.flatMap { $0 }
        #expect(ids.count == tasks * perTask)
        #expect(Set(ids).count == tasks * perTask)

        // One page holds at most `maximumLimit`; the next holds the rest.
        let first = try await repository.list(Page(limit: Page.maximumLimit, offset: 0))
        let second = try await repository.list(Page(limit: Page.maximumLimit, offset: Page.maximumLimit))
        #expect(first.count == Page.maximumLimit)
        #expect(second.count == tasks * perTask - Page.maximumLimit)
        let listed = (first + second).map(\.id)
        #expect(Set(listed) == Set(ids))
        // Each task created its heroes one after another, so the list keeps each task's order.
        for taskIDs in idsByTask {
            let members = Set(taskIDs)
            #expect(listed.filter { members.contains($0) } == taskIDs)
        }
    }

    static func concurrentChanges(_ factory: Factory) async throws {
        let repository = try await factory()
        var heroes: [Hero] = []
        for index in 0..<40 {
            heroes.append(try await repository.create(.sample("Hero \(index)")))
        }
        let snapshot = heroes
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, hero) in snapshot.enumerated() {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        try await repository.delete(id: hero.id)
                    } else {
                        _ = try await repository.replace(id: hero.id, with: .sample("Renamed \(index)", level: 2))
                    }
                }
            }
            try await group.waitForAll()
        }
        let expected = snapshot.enumerated().filter { !$0.offset.isMultiple(of: 2) }.map { index, hero in
            Hero(id: hero.id, details: .sample("Renamed \(index)", level: 2))
        }
        #expect(try await repository.list(.first) == expected)
    }
}
