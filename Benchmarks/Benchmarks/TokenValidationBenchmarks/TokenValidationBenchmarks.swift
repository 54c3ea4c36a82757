import AccessTokenAuth
import Benchmark
import CryptoExtras
import Foundation
import HTTPKit
import JOSE
import Logging
import OIDCCore
import Synchronization

// A cold burst: 1,000 distinct Entra-shaped tokens (none in the verified-token cache, so every
// one pays a full RS256 verification), validated by hero-server's `AccessTokenValidator` over
// a primed `JWKSCache`, first from one task, then from 8 concurrent tasks. On a machine with
// N cores the 8-task run can take as little as 1/N of the 1-task time, but only if nothing
// serialises the verifications (architecture issue: the cache actor must guard only its map).

/// The keys and 1,000 tokens, made once; a new validator per iteration starts with an empty
/// verified-token cache.
struct Burst: Sendable {
    static let tokenCount = 1_000
    static let issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
    static let api = "6e74172b-be56-4843-9ff4-e66a39bb12e3"

    let tokens: [String]
    let keys: JWKSCache
    let policy = AccessTokenPolicy(
        issuerMode: .exact(issuer: Burst.issuer),
        audiences: AccessTokenPolicy.audiences(clientID: Burst.api)
    )

    static func make() async throws -> Burst {
        let signer = try RSASigningKey(privateKey: _RSA.Signing.PrivateKey(keySize: .bits2048), keyID: "burst-key")
        let now = Date()
        var tokens: [String] = []
        for index in 0..<tokenCount {
            let claims = try JWTClaims(
                issuer: issuer,
                subject: "subject-\(index)",
                audience: [api],
                expiration: now.addingTimeInterval(3600),
                notBefore: now.addingTimeInterval(-60),
                issuedAt: now.addingTimeInterval(-60),
                additional: [
                    "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "oid": .string(UUID().uuidString.lowercased()),
                    "azp": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "scp": "Heroes.Read", "ver": "2.0",
                    "uti": .string("burst-\(index)"),
                ]
            )
            tokens.append(try signer.sign(claims: claims))
        }
        let jwks = KeyServer(body: JWKSet(keys: [signer.publicJWK]).jsonData())
        let keys = JWKSCache(
            source: .jwksURI(URL(string: "https://login.microsoftonline.com/common/discovery/v2.0/keys")!),
            httpClient: jwks,
            logger: Logger(label: "bench")
        )
        guard await keys.keys() != nil else { throw BurstError.keysNotLoaded }
        return Burst(tokens: tokens, keys: keys)
    }

    /// Validates every token once, from `tasks` concurrent tasks, with a fresh validator.
    ///
    /// The tasks prefer ``ThreadPerCoreExecutor``: ordo-one's runner waits for an async benchmark on
    /// a semaphore from a thread of Swift's cooperative pool, which has one thread per core, so
    /// on 2 cores the benchmark would get one thread and could show no parallelism at all.
    func run(tasks: Int) async {
        let validator = AccessTokenValidator(policy: policy, keys: keys)
        let share = (tokens.count + tasks - 1) / tasks
        await withTaskGroup(of: Void.self) { group in
            for start in stride(from: 0, to: tokens.count, by: share) {
                let slice = tokens[start..<min(start + share, tokens.count)]
                group.addTask(executorPreference: ThreadPerCoreExecutor.shared) {
                    for token in slice {
                        blackHole(try! await validator.validate(token[...]))
                    }
                }
            }
        }
    }
}

enum BurstError: Error { case keysNotLoaded }

/// Runs tasks on threads of its own, one per core. Dispatch's global queues on Linux share
/// their thread budget with the cooperative pool, so they do not escape the blocked thread
/// (see ``Burst/run(tasks:)``). Actors the tasks call still run one job at a time.
final class ThreadPerCoreExecutor: TaskExecutor {
    static let shared = ThreadPerCoreExecutor(threads: ProcessInfo.processInfo.activeProcessorCount)

    private let queue = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)

    init(threads: Int) {
        for _ in 0..<threads {
            Thread { [self] in
                while true {
                    ready.wait()
                    let job = queue.withLock { $0.removeFirst() }
                    job.runSynchronously(on: asUnownedTaskExecutor())
                }
            }.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.append(job) }
        ready.signal()
    }
}

/// Answers every request with the key set.
struct KeyServer: HTTPClient {
    let body: Data
    func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        HTTPClientResponse(status: .ok, headerFields: [.contentType: "application/json"], body: body)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal],
        timeUnits: .microseconds,
        maxDuration: .seconds(10),
        maxIterations: 30
    )
    let setup: @Sendable () async throws -> Burst = { try await Burst.make() }

    for tasks in [1, 8] {
        Benchmark(
            "AccessTokenValidator, 1,000 distinct tokens, \(tasks) task\(tasks == 1 ? "" : "s")",
            closure: { _, burst in await burst.run(tasks: tasks) },
            setup: setup
        )
    }
}
