import AccessTokenAuth
import Foundation
import HTTPServerKit
import HeroAPI
import Hummingbird
import Synchronization

/// The request context of hero-server: Hummingbird's core, plus the authenticated caller.
///
/// The caller lives in a shared slot rather than in the struct, because middleware get
/// copies of the context: the request log, outermost, must see the principal that the
/// access-token middleware, further in, stored.
struct AppRequestContext: RequestContext, AuthenticatedRequestContext, HeroRequestContext {
    final class CallerSlot: Sendable {
        let principal = Mutex<Principal?>(nil)
    }

    var coreContext: CoreRequestContextStorage
    let caller = CallerSlot()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    var principal: Principal? {
        get { caller.principal.withLock { $0 } }
        nonmutating set { caller.principal.withLock { $0 = newValue } }
    }

    /// Request bodies above this are answered 413 before they are read whole.
    var maxUploadSize: Int { 64 * 1024 }

    /// Every JSON body leaves through this encoder: keys sorted, slashes unescaped.
    var responseEncoder: JSONEncoder { .sortedKeys() }

    func requirePermission(_ permission: HeroPermission) throws {
        guard let principal else { throw BearerChallenge.credentialsRequired }
        try principal.require(permission.rawValue)
    }
}
