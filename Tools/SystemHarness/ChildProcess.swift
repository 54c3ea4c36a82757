import Foundation
import Synchronization

/// A program started by a test or the demo, its output (stdout and stderr together)
/// collected as it runs.
public final class ChildProcess: Sendable {
    /// The output so far, shared with the thread that reads it.
    private final class Output: Sendable {
        let text = Mutex<String>("")
        /// The pipe reached its end: every byte the program wrote is in `text`.
        let ended = Mutex(false)
    }

    /// `Process` is not Sendable: it is only touched under this lock.
    private let process: Mutex<Process>
    private let collected = Output()

    /// Everything the program printed so far.
    public var output: String { collected.text.withLock { $0 } }

    /// The program's process id, for reading `/proc`.
    public var processIdentifier: Int32 { process.withLock { $0.processIdentifier } }

    /// Starts `executable`. The environment is `environment` alone, plus `PATH`.
    public init(_ executable: URL, arguments: [String] = [], environment: [String: String], directory: URL? = nil) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { a, _ in a }
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        self.process = Mutex(process)
        try? pipe.fileHandleForWriting.close()
        let reader = pipe.fileHandleForReading
        let collected = self.collected
        Thread.detachNewThread {
            while case let chunk = reader.availableData, !chunk.isEmpty {
                collected.text.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
            }
            collected.ended.withLock { $0 = true }
        }
    }

    /// Waits until the output matches `regex` and returns the match's output; throws after
    /// `timeout` or when the program exits first.
    public func waitForOutput<Output>(_ regex: Regex<Output>, timeout: Duration = .seconds(30)) async throws -> Output {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = output.firstMatch(of: regex) { return match.output }
            guard isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcessError(message: "the expected output never came; the program printed:\n\(output)")
    }

    /// Sends `signal` and waits for the program to end; returns its exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) async -> Int32 {
        process.withLock { process in
            if process.isRunning { kill(process.processIdentifier, signal) }
        }
        return await waitForExit(timeout: timeout)
    }

    /// Waits for the program to end (killing it after `timeout`); returns its exit status.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(20)) async -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let status = process.withLock { process in
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            return process.terminationStatus
        }
        // The output is read on another thread: let it take the last lines (bounded, in case
        // a child of the program still holds the pipe open).
        let drained = ContinuousClock.now + .seconds(2)
        while !collected.ended.withLock({ $0 }), ContinuousClock.now < drained {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return status
    }

    /// Whether it still runs.
    public var isRunning: Bool { process.withLock { $0.isRunning } }

    /// An executable built next to the test binary, e.g. `hero-server`.
    public static func builtProduct(_ name: String) throws -> URL {
        let folder = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ChildProcessError(message: "\(url.path) is not built; run swift build first")
        }
        return url
    }
}

/// A child process did not do what the test waited for.
public struct ChildProcessError: Error, CustomStringConvertible {
    /// What went wrong, with the program's output when it helps.
    public let message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
