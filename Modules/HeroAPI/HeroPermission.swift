import Hummingbird

/// The permissions of the Heroes API: delegated scopes (`scp`) for users, app roles (`roles`)
/// for applications, with the same names, as registered in Entra.
public enum HeroPermission: String, CaseIterable, Sendable {
    /// List and read heroes.
    case read = "Heroes.Read"
    /// Create and replace heroes.
    case write = "Heroes.Write"
    /// Delete heroes.
    case delete = "Heroes.Delete"

    /// What the permission allows, for the OpenAPI document and consent screens.
    public var summary: String {
        switch self {
        case .read: "Read heroes"
        case .write: "Create and update heroes"
        case .delete: "Delete heroes"
        }
    }
}

/// What the hero routes need from the request context: a way to demand a permission.
///
/// The app implements it with its access-token authentication; tests with a fake. Keeping it
/// a protocol leaves this module free of any one authentication scheme.
public protocol HeroRequestContext: RequestContext {
    /// Throws an HTTP error (401 without a valid token, 403 without `permission`) unless the
    /// caller holds `permission`.
    func requirePermission(_ permission: HeroPermission) throws
}
