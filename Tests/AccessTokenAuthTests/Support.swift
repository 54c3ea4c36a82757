import AccessTokenAuth
import Logging
import OIDCCore
import TestSupport

/// A validator for the fake authority's tenant and the Heroes API, its clock the test's.
func makeValidator(
    _ authority: FakeAuthority,
    clock: ManualClock,
    mode: AccessTokenPolicy.IssuerMode? = nil,
    keys: JWKSCache? = nil
) -> AccessTokenValidator {
    let policy = AccessTokenPolicy(
        issuerMode: mode ?? .entra(authority.authority),
        audiences: AccessTokenPolicy.audiences(clientID: FakeAuthority.apiClientID)
    )
    let keys = keys ?? makeKeys(authority, clock: clock)
    return AccessTokenValidator(policy: policy, keys: keys, now: { clock.date })
}

/// A key cache over the fake authority's discovery document.
func makeKeys(_ authority: FakeAuthority, clock: ManualClock, policy: JWKSCache.Policy = .init()) -> JWKSCache {
    JWKSCache(
        source: .discovery(issuer: authority.issuer, tenantID: FakeAuthority.tenantID),
        httpClient: authority,
        policy: policy,
        logger: Logger(label: "test"),
        now: { clock.instant }
    )
}
