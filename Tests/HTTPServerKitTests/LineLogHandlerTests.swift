import Glibc
import Logging
import Synchronization
import Testing

@testable import HTTPServerKit

/// LineLogHandler writes StreamLogHandler's lines: compared with StreamLogHandler itself.
@Suite("Log lines: StreamLogHandler's, byte for byte")
struct LineLogHandlerTests {
    /// Lines written, by either handler.
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
        var last: String { all.withLock { $0.last ?? "" } }
    }

    struct Stream: TextOutputStream, Sendable {
        let lines: Lines
        mutating func write(_ string: String) { lines.all.withLock { $0.append(string) } }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "the disk is full" }
    }

    /// The same event through both handlers; the lines without their times, and the times.
    private func both(
        label: String = "hero-server",
        handlerMetadata: Logger.Metadata = [:],
        provider: Logger.MetadataProvider? = nil,
        _ log: (Logger) -> Void
    ) -> (ours: String, theirs: String) {
        let ours = Lines()
        let theirs = Lines()
        var line = Logger(label: label) { label in
            var handler = LineLogHandler(
                label: label,
                output: .collecting { line in ours.all.withLock { $0.append(line) } },
                metadataProvider: provider
            )
            handler.metadata = handlerMetadata
            return handler
        }
        var stream = Logger(label: label) { label in
            var handler = StreamLogHandler(label: label, stream: Stream(lines: theirs), metadataProvider: provider)
            handler.metadata = handlerMetadata
            return handler
        }
        line.logLevel = .debug
        stream.logLevel = .debug
        log(line)
        log(stream)
        return (ours.last, theirs.last)
    }

    /// The line after its time, and the time.
    private func split(_ line: String) -> (time: Substring, rest: Substring) {
        let space = line.firstIndex(of: " ") ?? line.endIndex
        return (line[..<space], line[space...])
    }

    @Test(
        "the same line for the same event: handler, provider, call and error metadata, nested values, no label, one key in all",
        arguments: 0..<7
    )
    func sameLine(variant: Int) throws {
        let provider = Logger.MetadataProvider { ["trace": "abc", "oid": "from-provider"] }
        let (ours, theirs) =
            switch variant {
            case 0: both { $0.info("GET / 200") }
            case 1:
                both(handlerMetadata: ["hb.request.id": "42", "oid": "user"]) {
                    $0.info("GET /api/heroes/1 200", metadata: ["status": "200", "oid": "override", "azp": "client"])
                }
            case 2: both(provider: provider) { $0.warning("Cannot load the signing keys", metadata: ["reason": "refused"]) }
            case 3: both(handlerMetadata: ["a": "1"]) { $0.error("Write failed", error: Failure()) }
            case 4:
                both(label: "") {
                    $0.debug(
                        "nested",
                        // One key in the nested map: two equal dictionaries may list their keys in
                        // different orders (Swift seeds each table), in either handler.
                        metadata: ["list": ["x", "y"], "map": ["k": ["1"]], "number": .stringConvertible(3.5)]
                    )
                }
            case 5: both(handlerMetadata: ["only": "hándler ✓"]) { $0.notice("no call metadata: Ünïcode ✓") }
            default:
                // One key in every source, and the error's keys in the call's: the last source wins.
                both(handlerMetadata: ["oid": "handler", "error.type": "handler", "z": "1"], provider: provider) {
                    $0.error("All at once", error: Failure(), metadata: ["oid": "call", "error.message": "call", "a": "2"])
                }
            }
        #expect(!ours.isEmpty)
        #expect(split(ours).rest == split(theirs).rest)
        // The times are of the same second, or of two seconds in a row at a second's turn.
        let times = [split(ours).time, split(theirs).time]
        #expect(times[0] == times[1] || times[0] < times[1], "\(times)")
        #expect(times[0].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil)
    }

    @Test("the time is what strftime writes for %Y-%m-%dT%H:%M:%S%z, at any offset from UTC")
    func timeFormat() {
        for (seconds, offset) in [(0, 0), (1_764_918_408, 0), (1_764_918_408, 3600), (951_782_400, -12_600), (4_102_444_799, 20_700)] {
            var clock = time_t(seconds)
            var parts = tm()
            gmtime_r(&clock, &parts)
            parts.tm_gmtoff = offset
            var buffer = [CChar](repeating: 0, count: 64)
            strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
            let expected = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            #expect(LineClock.format(parts) == expected)
        }
        // And the current second, in this machine's zone.
        let now = Glibc.time(nil)
        var clock = now
        var buffer = [CChar](repeating: 0, count: 64)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", localtime(&clock))
        #expect(LineClock.format(now) == buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    @Test("the level filters as usual; metadata set on the logger is in every line")
    func levelsAndMetadata() {
        let lines = Lines()
        var logger = Logger(label: "t") {
            LineLogHandler(label: $0, output: .collecting { line in lines.all.withLock { $0.append(line) } })
        }
        logger.logLevel = .info
        logger.debug("hidden")
        logger[metadataKey: "request"] = "7"
        logger.info("shown")
        #expect(lines.all.withLock { $0.count } == 1)
        #expect(split(lines.last).rest == " info t: request=7 [HTTPServerKitTests] shown\n")
    }
}
