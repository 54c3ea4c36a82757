import Foundation
import Hummingbird
import JOSE

extension LocalEntra {
    func addDeviceRoutes<Context: RequestContext>(to router: Router<Context>) {
        // RFC 8628 §3.1–3.2: the device asks for codes.
        router.post(":tenant/oauth2/v2.0/devicecode") { request, context in
            try checkTenant(context)
            let form = try await FormBody.read(request, context: context)
            let clientID = form["client_id"] ?? ""
            guard let client = registrations.client(clientID) else { throw EntraError.applicationNotFound(clientID) }
            let scope = form["scope"] ?? ""
            _ = try RequestedScopes.parse(scope, registrations: registrations, client: client)
            let (deviceCode, userCode) = await devices.start(clientID: client.clientID, scope: scope, now: now())
            let verificationURI = "\(authority(request))/devicelogin"
            return Self.json(
                Data(
                    JSONValue.object([
                        "device_code": .string(deviceCode),
                        "user_code": .string(userCode),
                        "verification_uri": .string(verificationURI),
                        "expires_in": .number(Double(devices.lifetime)),
                        "interval": .number(Double(devices.interval)),
                        "message": .string(
                            "To sign in, use a web browser to open the page \(verificationURI) and enter the code \(userCode) to authenticate."
                        ),
                    ]).serialized()
                )
            )
        }

        // The page where the user enters the code, signs in, and approves or declines.
        router.get("devicelogin") { _, _ in
            let csrf = await sessions.issueFormToken(now: now())
            return Pages.response(Pages.deviceCode(csrfToken: csrf))
        }
        router.post("devicelogin") { request, context in
            let form = try await FormBody.read(request, context: context)
            guard let formToken = await sessions.consumeFormToken(form["csrf_token"], now: now()) else {
                return Pages.response(
                    Pages.error(EntraError("invalid_request", 90023, "The form is missing its CSRF token, or it expired.")),
                    status: .badRequest
                )
            }
            let userCode = DeviceCodeStore.normalize(form["user_code"] ?? "")
            guard let pending = await devices.lookup(userCode: userCode, now: now()) else {
                let csrf = await sessions.issueFormToken(now: now())
                return Pages.response(
                    Pages.deviceCode(csrfToken: csrf, error: "That code is not valid or has expired."),
                    status: .badRequest
                )
            }
            switch form["action"] {
            case "signin":
                guard let user = registrations.user(named: form["username"] ?? ""), Secrets.equal(user.password, form["password"] ?? "")
                else {
                    let csrf = await sessions.issueFormToken(now: now())
                    return Pages.response(
                        Pages.deviceCode(csrfToken: csrf, userCode: userCode, error: "Your account or password is incorrect."),
                        status: .unauthorized
                    )
                }
                let csrf = await sessions.issueFormToken(now: now(), userObjectID: user.objectID, userCode: userCode)
                let client = registrations.client(pending.clientID)
                let scopes = try RequestedScopes.parse(pending.scope, registrations: registrations)
                return Pages.response(
                    Pages.deviceConsent(
                        clientName: client?.name ?? pending.clientID,
                        scopes: scopes,
                        user: user,
                        userCode: userCode,
                        csrfToken: csrf
                    )
                )
            case "approve", "decline":
                // The consent form's token names who signed in, and for which code.
                guard let userID = formToken.userObjectID, formToken.userCode == userCode else {
                    throw EntraError.invalidRequest("Sign in before approving.")
                }
                let approved = form["action"] == "approve"
                await devices.decide(userCode: userCode, approved ? .approved(userObjectID: userID) : .denied)
                return Pages.response(Pages.deviceDone(approved: approved))
            default:
                throw EntraError.invalidRequest("Unknown form action.")
            }
        }
    }
}
