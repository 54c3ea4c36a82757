import HeroDomain
import Testing

@Suite("Page bounds")
struct PageTests {
    @Test(arguments: [(1, 0), (1000, 0), (10, 5_000_000)])
    func accepts(limit: Int, offset: Int) throws {
        let page = try Page(limit: limit, offset: offset)
        #expect(page.limit == limit && page.offset == offset)
    }

    @Test func rejectsBoth() {
        #expect(
            throws: HeroError.invalid([
                FieldError(field: "limit", message: "must be between 1 and 1000 (got 0)"),
                FieldError(field: "offset", message: "must be 0 or more (got -1)"),
            ])
        ) { try Page(limit: 0, offset: -1) }
    }

    @Test func rejectsTooLarge() {
        #expect(throws: HeroError.invalid([FieldError(field: "limit", message: "must be between 1 and 1000 (got 1001)")])) {
            try Page(limit: 1001, offset: 0)
        }
    }
}

@Suite("Page after a cursor")
struct CursorPageTests {
    @Test func keepsTheCursor() throws {
        let cursor = try #require(HeroCursor(after: 7))
        let page = try Page(limit: 5, after: cursor)
        #expect(page.limit == 5 && page.after == cursor && page.offset == 0)
        #expect(try Page(limit: 5, offset: 3).after == nil)
    }

    @Test func checksTheLimit() throws {
        let cursor = try #require(HeroCursor(after: 7))
        #expect(throws: HeroError.invalid([FieldError(field: "limit", message: "must be between 1 and 1000 (got 0)")])) {
            try Page(limit: 0, after: cursor)
        }
    }
}
