/// A window into a list: skip `offset` items, then take at most `limit`.
public struct Page: Hashable, Sendable {
    /// The largest `limit` a caller may ask for, so one request cannot read everything.
    public static let maximumLimit = 1000
    /// The default window: the first 100 items.
    public static let first = Page(uncheckedLimit: 100, offset: 0)

    /// How many items at most.
    public let limit: Int
    /// How many items to skip.
    public let offset: Int

    /// A window; throws ``HeroError/invalid(_:)`` naming `limit` or `offset` when out of range
    /// (`limit` 1 to ``maximumLimit``, `offset` 0 or more).
    public init(limit: Int, offset: Int) throws(HeroError) {
        var errors: [FieldError] = []
        if !(1...Self.maximumLimit).contains(limit) {
            errors.append(FieldError(field: "limit", message: "must be between 1 and \(Self.maximumLimit) (got \(limit))"))
        }
        if offset < 0 {
            errors.append(FieldError(field: "offset", message: "must be 0 or more (got \(offset))"))
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        self.init(uncheckedLimit: limit, offset: offset)
    }

    private init(uncheckedLimit limit: Int, offset: Int) {
        self.limit = limit
        self.offset = offset
    }
}
