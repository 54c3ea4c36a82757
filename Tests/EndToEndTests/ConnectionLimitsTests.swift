import Foundation
import SystemHarness
import Testing

/// Every wait of all three servers is bounded, and HTTP/1 is spoken as the client asked:
/// real processes, raw sockets on loopback, short limits given through the settings. A
/// deadline bounds every read; none of these tests sleeps.
@Suite("Connection limits and HTTP/1 edge cases of every server")
struct ConnectionLimitsTests {
    typealias Kind = ServerUnderLimits.Kind
    /// Longer than any limit set here by far, so a pass is never a race.
    static let patience = Duration.seconds(15)
    static let long = "60"

    @Test(
        "a stalled head gets 408 and is closed, an idle connection and a stalled body are closed, others are served",
        arguments: Kind.allCases
    )
    func timeouts(kind: Kind) async throws {
        let server = try await ServerUnderLimits.start(
            kind,
            limits: [
                "HVALFANGST_IDLE_TIMEOUT_SECONDS": "1", "HVALFANGST_REQUEST_HEAD_TIMEOUT_SECONDS": "1",
                "HVALFANGST_REQUEST_BODY_TIMEOUT_SECONDS": "1",
            ]
        )
        do {
            // Half a head: the client never finishes it.
            let stalled = try server.connect()
            try stalled.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nX-Slow: ")
            // Meanwhile another client is served.
            let other = try server.connect()
            try other.send(server.head("GET", "/healthz", ["Connection: close"]))
            let served = await other.readUntilClosed(within: Self.patience)
            #expect(served.status != nil, "another connection is served")
            let ended = await stalled.readUntilClosed(within: Self.patience)
            let (stalledClosed, stalledStatus) = (ended.closed, ended.status)
            #expect(stalledClosed, "the stalled head's connection is closed")
            #expect(stalledStatus == 408, "with 408 Request Timeout")

            // A keep-alive connection left idle after its response.
            let idle = try server.connect()
            try idle.send(server.head("GET", "/healthz"))
            let afterIdle = await idle.readUntilClosed(within: Self.patience)
            let (idleStatus, idleClosed, idleResponses) = (afterIdle.status, afterIdle.closed, afterIdle.responseCount)
            #expect(idleStatus != nil && idleStatus != 408, "the request is answered first")
            #expect(idleClosed, "then the idle connection is closed")
            #expect(idleResponses == 1, "with nothing more")

            // A body that stops after 10 of its 100 bytes.
            let route = server.bodyRoute
            let body = try server.connect()
            try body.send(
                server.head(
                    "POST",
                    route.path,
                    ["Content-Type: \(route.contentType)", "Content-Length: 100"] + (try await server.authorization())
                )
                    + "0123456789"
            )
            let bodyClosed = await body.readUntilClosed(within: Self.patience).closed
            #expect(bodyClosed, "the stalled body's connection is closed")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("a connection over the cap gets 503 and is closed while those open are still served", arguments: Kind.allCases)
    func connectionCap(kind: Kind) async throws {
        let server = try await ServerUnderLimits.start(
            kind,
            limits: [
                "HVALFANGST_MAX_CONNECTIONS": "2", "HVALFANGST_IDLE_TIMEOUT_SECONDS": Self.long,
                "HVALFANGST_REQUEST_HEAD_TIMEOUT_SECONDS": Self.long,
            ]
        )
        do {
            let first = try server.connect()
            let second = try server.connect()
            for connection in [first, second] {
                try connection.send(server.head("GET", "/healthz"))
                let status = await connection.read(until: "\r\n\r\n", within: Self.patience).status
                #expect(status != nil && status != 503)
            }
            let third = try server.connect()
            let refused = await third.readUntilClosed(within: Self.patience)
            let (refusedStatus, refusedType, refusedClosed) = (refused.status, refused.header("content-type"), refused.closed)
            #expect(refusedStatus == 503, "the third connection is refused with 503")
            #expect(refusedType == "application/problem+json")
            #expect(refusedClosed)
            // The two open ones still work.
            try first.send(server.head("GET", "/healthz", ["Connection: close"]))
            let again = await first.readUntilClosed(within: Self.patience)
            let servedAgain = again.text.contains("HTTP/1.1 200") || again.text.contains("HTTP/1.1 404")
            #expect(servedAgain, "an open connection is still served")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("HTTP/1.0 without keep-alive ends the connection after the response; with it, and HTTP/1.1, stay open", arguments: Kind.allCases)
    func http10(kind: Kind) async throws {
        let server = try await ServerUnderLimits.start(kind, limits: ["HVALFANGST_IDLE_TIMEOUT_SECONDS": Self.long])
        do {
            let plain = try server.connect()
            try plain.send(server.head("GET", "/healthz", version: "HTTP/1.0"))
            let answer = await plain.readUntilClosed(within: Self.patience)
            let (closed, status, connection, encoding) = (
                answer.closed, answer.status, answer.header("connection"), answer.header("transfer-encoding")
            )
            #expect(closed, "RFC 9112 §9.3: closed after the response")
            #expect(status != nil)
            #expect(connection == "close")
            #expect(encoding == nil, "no chunked body for HTTP/1.0 (RFC 9112 §6.1)")

            for (version, fields) in [("HTTP/1.0", ["Connection: keep-alive"]), ("HTTP/1.1", [])] {
                let kept = try server.connect()
                try kept.send(server.head("GET", "/healthz", version: version, fields))
                let first = await kept.read(until: "\r\n\r\n", within: Self.patience)
                let (firstClosed, firstStatus, firstConnection) = (first.closed, first.status, first.header("connection"))
                #expect(!firstClosed && firstStatus != nil, "\(version) stays open")
                if version == "HTTP/1.0" { #expect(firstConnection == "keep-alive") }
                try kept.send(server.head("GET", "/healthz", version: version, ["Connection: close"]))
                let second = await kept.readUntilClosed(within: Self.patience)
                let (secondClosed, responses) = (second.closed, first.responseCount + second.responseCount)
                #expect(secondClosed && responses >= 2, "a second request is served on the same connection")
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test(
        "a malformed chunked body and a client gone mid-upload are the client's error: 400 or a closed connection, never 500",
        arguments: Kind.allCases
    )
    func malformedBodies(kind: Kind) async throws {
        let server = try await ServerUnderLimits.start(kind, limits: [:])
        do {
            let route = server.bodyRoute
            let authorization = try await server.authorization()
            let chunked = try server.connect()
            try chunked.send(
                server.head("POST", route.path, ["Content-Type: \(route.contentType)", "Transfer-Encoding: chunked"] + authorization)
                    + "zz\r\n{}\r\n0\r\n\r\n"
            )
            let answer = await chunked.readUntilClosed(within: Self.patience)
            let (status, type, closed) = (answer.status, answer.header("content-type"), answer.closed)
            #expect(status == 400, "a malformed chunk size is a 400")
            #expect(kind == .localEntra || type == "application/problem+json")
            #expect(closed)

            let gone = try server.connect()
            try gone.send(
                server.head("POST", route.path, ["Content-Type: \(route.contentType)", "Content-Length: 100"] + authorization) + "{\"na"
            )
            gone.close()
            // Both requests logged, as 400s.
            let logged = try Regex("POST \(route.path) 400[\\s\\S]*POST \(route.path) 400")
            _ = try await server.process.waitForOutput(logged, timeout: Self.patience)
            let output = server.process.output
            let (unhandled, serverError) = (output.contains("Unhandled error"), output.contains(" 500"))
            #expect(!unhandled, "no 'Unhandled error' in the log")
            #expect(!serverError, "no 500 in the log")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
