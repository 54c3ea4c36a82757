import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of swift-log's `StreamLogHandler`, byte for byte, at a fraction of its cost on a
/// server's hot path (one line per request, and metadata changed on every request):
/// - `StreamLogHandler` renders its whole metadata again (sorted) on every change, three
///   times per request here (Hummingbird's request id, the caller's `oid` and `azp`), and once
///   more for the line; this renders it once, when a line is written.
/// - Its time comes from `localtime` and `strftime`, and glibc's `strftime` stats
///   `/etc/localtime` on every call (4.5 µs of a request under load, in `perf`). This formats
///   the time itself, once a second, from `localtime_r` (which reads the zone once).
///
/// `2026-12-05T07:16:48+0000 info hero-server: key=value ... [source] message`, one `write`
/// per line on standard output.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output

    /// Where lines go: standard output, or (in tests) a closure.
    public struct Output: Sendable {
        let write: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

        /// Standard output, one `write(2)` per line under a lock, so lines never interleave.
        public static let standardOutput = Output { line in
            Output.lock.withLock { _ in writeAll(to: 1, line) }
        }
        private static let lock = Mutex(())

        /// Lines handed to `write`, for tests.
        public static func collecting(_ write: @escaping @Sendable (String) -> Void) -> Output {
            Output { write(String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// A handler for `label` writing to `output`, with the metadata provider `LoggingSystem` has.
    public init(
        label: String,
        output: Output = .standardOutput,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    /// For `LoggingSystem.bootstrap(LineLogHandler.standardOutput)`.
    public static func standardOutput(label: String) -> LineLogHandler {
        LineLogHandler(label: label)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // What StreamLogHandler merges, in its order, a later source winning a key: the
        // handler's, the provider's, the call's, then the error's two keys. Gathered as pairs
        // and sorted by key, then source, so the last of each key is the one written: merging
        // into a dictionary hashed every key of every line (callgrind).
        let provided = metadataProvider?.get() ?? [:]
        let explicit = event.metadata ?? [:]
        var fields: [(key: String, source: Int, value: Logger.MetadataValue)] = []
        fields.reserveCapacity(metadata.count + provided.count + explicit.count + 2)
        func gather(_ metadata: Logger.Metadata, source: Int) {
            for (key, value) in metadata { fields.append((key, source, value)) }
        }
        gather(metadata, source: 0)
        gather(provided, source: 1)
        gather(explicit, source: 2)
        if let error = event.error {
            fields.append(("error.message", 3, "\(error)"))
            fields.append(("error.type", 3, "\(String(reflecting: type(of: error)))"))
        }
        fields.sort { ($0.key, $0.source) < ($1.key, $1.source) }
        // The line in bytes: appending to a `String` cost about 350 instructions a piece
        // (callgrind), and a line has about 40 pieces; appending UTF-8 to an array is a copy.
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: LineClock.shared.timestamp().utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.level.rawValue.utf8)
        if !label.isEmpty { line.append(UInt8(ascii: " ")) }
        line.append(contentsOf: label.utf8)
        line.append(UInt8(ascii: ":"))
        for (index, (key, _, value)) in fields.enumerated() where index == fields.count - 1 || fields[index + 1].key != key {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            if case .string(let text) = value {
                line.append(contentsOf: text.utf8)
            } else {
                line.append(contentsOf: value.description.utf8)
            }
        }
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: event.source.utf8)
        line.append(contentsOf: "] ".utf8)
        line.append(contentsOf: event.message.description.utf8)
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBufferPointer(output.write)
    }
}

/// The local time as `StreamLogHandler` writes it (`%Y-%m-%dT%H:%M:%S%z`), formatted once per
/// second.
final class LineClock: Sendable {
    static let shared = LineClock()

    private let last = Mutex<(second: time_t, text: String)>((-1, ""))

    /// The current second's text.
    func timestamp() -> String {
        let now = time(nil)
        if let cached = last.withLock({ $0.second == now ? $0.text : nil }) { return cached }
        let text = Self.format(now)
        last.withLock { $0 = (now, text) }
        return text
    }

    /// `2026-12-05T07:16:48+0000` for `seconds` in the local time zone.
    static func format(_ seconds: time_t) -> String {
        var clock = seconds
        var parts = tm()
        guard localtime_r(&clock, &parts) != nil else { return "<unknown>" }
        return format(parts)
    }

    /// What `strftime` writes for `%Y-%m-%dT%H:%M:%S%z` (the offset from `tm_gmtoff`).
    static func format(_ parts: tm) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let minutes = parts.tm_gmtoff / 60
        return "\(1900 + Int(parts.tm_year))-\(two(Int(parts.tm_mon) + 1))-\(two(Int(parts.tm_mday)))"
            + "T\(two(Int(parts.tm_hour))):\(two(Int(parts.tm_min))):\(two(Int(parts.tm_sec)))"
            + "\(minutes < 0 ? "-" : "+")\(two(abs(minutes) / 60))\(two(abs(minutes) % 60))"
    }
}

/// Writes all of `bytes` to `descriptor`, again after an interruption; a closed or full
/// descriptor loses the rest, as stdio would.
private func writeAll(to descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
    guard var next = bytes.baseAddress else { return }
    var remaining = bytes.count
    while remaining > 0 {
        let written = write(descriptor, next, remaining)
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        next += written
        remaining -= written
    }
}
