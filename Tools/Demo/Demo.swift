import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import SystemHarness

/// `hero-demo`: runs the whole system and shows it working, step by step (`make demo`).
@main
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hero-demo",
        abstract: "Start local-entra, hero-server and hero-client, sign in, and use the Heroes API."
    )

    @Option(help: "Ports of local-entra, hero-server and hero-client (0 for free ones).")
    var ports: [Int] = [9000, 8080, 8000]

    @Option(help: "Folder for the demo's data; emptied first.")
    var data = "data/demo"

    @Flag(help: "Start the three and keep them running for interactive use, until Ctrl-C (make dev).")
    var dev = false

    @Flag(help: "Run local-entra on HTTPS with its development CA, which hero-server and hero-client trust (make demo-tls).")
    var tls = false

    func validate() throws {
        guard ports.count == 3 else { throw ValidationError("--ports takes three numbers") }
    }

    func run() async throws {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let folder = URL(fileURLWithPath: data)
        try? FileManager.default.removeItem(at: folder)
        let system = SystemUnderTest(
            binaries: binaries,
            data: folder,
            ports: .init(authority: ports[0], server: ports[1], client: ports[2]),
            tls: tls
        )
        let interrupt = Interrupt { await system.stop() }
        defer { interrupt.cancel() }

        if dev {
            do {
                try await system.start()
            } catch {
                await system.stop()
                print("Could not start: \(error)")
                throw ExitCode(1)
            }
            print(await DevInstructions.text(system))
            while true { try await Task.sleep(for: .seconds(3600)) }
        }

        let transcript = Transcript()
        do {
            try await DemoScript(system: system, transcript: transcript).run()
            await system.stop()
            transcript.line("All \(transcript.steps) steps passed.")
        } catch {
            await system.stop()
            transcript.line("FAILED: \(error)")
            let processes = [
                ("local-entra", await system.authority), ("hero-server", await system.server), ("hero-client", await system.client),
            ]
            for (role, process) in processes {
                guard let output = process?.output, !output.isEmpty else { continue }
                transcript.line("--- last lines of \(role) ---")
                transcript.line(output.split(separator: "\n").suffix(15).joined(separator: "\n"))
            }
            throw ExitCode(1)
        }
    }
}

/// Numbered, aligned lines of what the demo did.
final class Transcript: Sendable {
    private let count = Mutex(0)

    /// How many steps were printed.
    var steps: Int { count.withLock { $0 } }

    /// Prints a step: what was done and its outcome.
    func step(_ what: String, _ outcome: String) {
        let steps = count.withLock { count in
            count += 1
            return count
        }
        let label = "[\(steps < 10 ? " " : "")\(steps)] \(what) "
        print(label.padding(toLength: max(label.count, 58), withPad: ".", startingAt: 0) + " " + outcome)
    }

    /// Prints an indented detail line.
    func detail(_ text: String) { print("       " + text) }

    /// Prints a plain line.
    func line(_ text: String) { print(text) }
}

/// Stops the children on Ctrl-C or SIGTERM before exiting.
final class Interrupt: Sendable {
    /// The signal sources, only touched under the lock (they are not marked Sendable).
    private let sources: Mutex<[any DispatchSourceSignal]>

    init(_ cleanup: @escaping @Sendable () async -> Void) {
        let sources: [any DispatchSourceSignal] = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Task {
                    print("\nInterrupted: stopping every process the demo started.")
                    await cleanup()
                    exit(130)
                }
            }
            source.resume()
            return source
        }
        self.sources = Mutex(sources)
    }

    func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
        }
    }
}

/// What `make dev` prints once the three run.
enum DevInstructions {
    static func text(_ system: SystemUnderTest) async -> String {
        let (authorityURL, serverURL, clientURL) = (await system.authorityURL, await system.serverURL, await system.clientURL)
        return """

            local-entra  \(authorityURL)   (development Entra ID; user \(ScriptedBrowser.demoUser) / \(ScriptedBrowser.demoPassword))
            hero-server  \(serverURL)   (Heroes API; docs at \(serverURL)/docs)
            hero-client  \(clientURL)   (sign in, then call the API through it)

            Sign in:  open \(clientURL)/auth/login
            Then:     curl \(clientURL)/api/heroes/
                      curl -X POST -H 'content-type: application/json' \\
                           -d '{"name":"Gimli","race":"Dwarf","class_":"Fighter","level":5,"hit_points":50,"armor_class":18,"speed":25}' \\
                           \(clientURL)/api/heroes/
            Or call hero-server directly with a token from local-entra:
                      curl -H "Authorization: Bearer $(.build/debug/local-entra token --state \(system.data.path)/local-entra --authority \(authorityURL))" \\
                           \(serverURL)/api/heroes/

            \(system.caFile.map { "local-entra serves HTTPS with the development CA \($0.path) (curl --cacert it)\n" } ?? "")\
            Ctrl-C stops all three.
            """
    }
}
