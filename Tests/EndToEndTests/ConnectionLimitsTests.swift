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
            let served = other.readUntilClosed(within: Self.patience)
            #expect(served.text.hasPrefix("HTTP/1.1 "), "another connection is served")
            let ended = stalled.readUntilClosed(within: Self.patience)
            #expect(ended.closed, "the stalled head's connection is closed")
            #expect(ended.text.hasPrefix("HTTP/1.1 408"), "with 408 Request Timeout")

            // A keep-alive connection left idle after its response.
            let idle = try server.connect()
            try idle.send(server.head("GET", "/healthz"))
            let afterIdle = idle.readUntilClosed(within: Self.patience)
            #expect(afterIdle.text.hasPrefix("HTTP/1.1 "), "the request is answered first")
            #expect(afterIdle.closed, "then the idle connection is closed")
            #expect(!afterIdle.text.contains("408"))

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
            #expect(body.readUntilClosed(within: Self.patience).closed, "the stalled body's connection is closed")
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
                #expect(connection.read(until: "\r\n\r\n", within: Self.patience).text.hasPrefix("HTTP/1.1 "))
            }
            let third = try server.connect()
            let refused = third.readUntilClosed(within: Self.patience)
            #expect(refused.text.hasPrefix("HTTP/1.1 503"), "the third connection is refused with 503")
            #expect(refused.text.lowercased().contains("application/problem+json"))
            #expect(refused.closed)
            // The two open ones still work.
            try first.send(server.head("GET", "/healthz", ["Connection: close"]))
            let again = first.readUntilClosed(within: Self.patience)
            #expect(again.text.contains("HTTP/1.1 "), "an open connection is still served")
            #expect(!again.text.contains("503"))
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
            let answer = plain.readUntilClosed(within: Self.patience)
            #expect(answer.closed, "RFC 9112 §9.3: closed after the response")
            #expect(answer.text.hasPrefix("HTTP/1."))
            #expect(answer.text.lowercased().contains("connection: close"))
            #expect(!answer.text.lowercased().contains("transfer-encoding"), "no chunked body for HTTP/1.0 (RFC 9112 §6.1)")

            for (version, fields) in [("HTTP/1.0", ["Connection: keep-alive"]), ("HTTP/1.1", [])] {
                let kept = try server.connect()
                try kept.send(server.head("GET", "/healthz", version: version, fields))
                let first = kept.read(until: "\r\n\r\n", within: Self.patience)
                #expect(!first.closed && first.text.hasPrefix("HTTP/1.1 "), "\(version) stays open")
                if version == "HTTP/1.0" { #expect(first.text.lowercased().contains("connection: keep-alive")) }
                try kept.send(server.head("GET", "/healthz", version: version, ["Connection: close"]))
                let second = kept.readUntilClosed(within: Self.patience)
                #expect(second.closed && second.text.contains("HTTP/1.1 "), "a second request is served on the same connection")
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
            let answer = chunked.readUntilClosed(within: Self.patience)
            #expect(answer.text.hasPrefix("HTTP/1.1 400"), "a malformed chunk size is a 400")
            #expect(answer.closed)

            let gone = try server.connect()
            try gone.send(
                server.head("POST", route.path, ["Content-Type: \(route.contentType)", "Content-Length: 100"] + authorization) + "{\"na"
            )
            gone.close()
            // Both requests logged, as 400s.
            let logged = try Regex("POST \(route.path) 400[\\s\\S]*POST \(route.path) 400")
            _ = try await server.process.waitForOutput(logged, timeout: Self.patience)
            #expect(!server.process.output.contains("Unhandled error"))
            #expect(!server.process.output.contains(" 500"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
