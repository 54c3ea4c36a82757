/// A window into the list of heroes: where it starts (skip `offset` heroes, or continue
/// after a ``HeroCursor``), then at most `limit` heroes.
public struct Page: Hashable, Sendable {
    /// The largest `limit` a caller may ask for, so one request cannot read everything.
    public static let maximumLimit = 1000
    /// The default window: the first 100 items.
    public static let first = Page(uncheckedLimit: 100, offset: 0, after: nil)

    /// How many items at most.
    public let limit: Int
    /// How many items to skip; 0 when the page continues after a cursor.
    public let offset: Int
    /// The cursor the page continues after, or nil for a page that starts at `offset`.
    public let after: HeroCursor?

    /// A window; throws ``HeroError/invalid(_:)`` naming `limit` or `offset` when out of range
    /// (`limit` 1 to ``maximumLimit``, `offset` 0 or more).
    public init(limit: Int, offset: Int) throws(HeroError) {
        var errors: [FieldError] = []
        if let error = Self.limitError(limit) { errors.append(error) }
        if offset < 0 {
            errors.append(FieldError(field: "offset", message: "must be 0 or more (got \(offset))"))
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        self.init(uncheckedLimit: limit, offset: offset, after: nil)
    }

    /// The window of at most `limit` heroes created after the one `cursor` names; throws
    /// ``HeroError/invalid(_:)`` naming `limit` when out of range.
    public init(limit: Int, after cursor: HeroCursor) throws(HeroError) {
        if let error = Self.limitError(limit) { throw .invalid([error]) }
        self.init(uncheckedLimit: limit, offset: 0, after: cursor)
    }

    private static func limitError(_ limit: Int) -> FieldError? {
        (1...maximumLimit).contains(limit)
            ? nil : FieldError(field: "limit", message: "must be between 1 and \(maximumLimit) (got \(limit))")
    }

    private init(uncheckedLimit limit: Int, offset: Int, after: HeroCursor?) {
        self.limit = limit
        self.offset = offset
        self.after = after
    }
}
