// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode (complete strict concurrency)
/// plus the upcoming features our style guide asks for.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let nio = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioFoundation = Target.Dependency.product(name: "NIOFoundationCompat", package: "swift-nio")
let postgresNIO = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let x509 = [Target.Dependency.product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1")]

/// A library target of ours at `path` with the shared settings.
func module(_ name: String, _ path: String, _ dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: dependencies, path: path, swiftSettings: swiftSettings)
}
/// What a test of Hummingbird routes needs.
let routeTesting: [Target.Dependency] = [hummingbird, hummingbirdTesting, httpTypes, nio, nioFoundation]

/// A test target under `Tests/<name>` with the shared settings.
func tests(_ name: String, _ dependencies: [Target.Dependency] = [], resources: [Resource]? = nil) -> Target {
    .testTarget(name: name, dependencies: dependencies, resources: resources, swiftSettings: swiftSettings)
}

let package = Package(
    name: "Hvalfangst",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hero-server", targets: ["HeroServer"]),
        .executable(name: "local-entra", targets: ["LocalEntraApp"]),
        .executable(name: "hero-client", targets: ["HeroClient"]),
        .executable(name: "hero-demo", targets: ["HeroDemo"]),
        .library(name: "JOSE", targets: ["JOSE"]),
        .library(name: "HTTPKit", targets: ["HTTPKit"]),
        .library(name: "HTTPServerKit", targets: ["HTTPServerKit"]),
        .library(name: "OIDCCore", targets: ["OIDCCore"]),
        .library(name: "OIDCClient", targets: ["OIDCClient"]),
        .library(name: "AccessTokenAuth", targets: ["AccessTokenAuth"]),
        .library(name: "HeroDomain", targets: ["HeroDomain"]),
        .library(name: "HeroStoreSQLite", targets: ["HeroStoreSQLite"]),
        .library(name: "HeroStorePostgres", targets: ["HeroStorePostgres"]),
        .library(name: "HeroAPI", targets: ["HeroAPI"]),
        .library(name: "LocalEntra", targets: ["LocalEntra"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // MARK: - Foundations: depend on nothing of ours

        module("JOSE", "Modules/JOSE", [crypto, .product(name: "CryptoExtras", package: "swift-crypto")]),
        /// Outbound HTTP: the `HTTPClient` protocol and its contract, form encoding. No server
        /// framework: an architecture test keeps Hummingbird out.
        .target(
            name: "HTTPKit",
            dependencies: [httpTypes],
            path: "Modules/HTTPKit",
            swiftSettings: swiftSettings
        ),
        /// A Swift task executor on one SwiftNIO event loop (SE-0417), for work that should stay
        /// on the loop that owns its socket.
        module("EventLoopExecutor", "Modules/EventLoopExecutor", [nio]),
        /// Inbound HTTP on Hummingbird: Bearer parsing, RFC 6750 challenges, RFC 9457 problem
        /// details and the middleware every server shares.
        .target(
            name: "HTTPServerKit",
            dependencies: [
                "EventLoopExecutor", hummingbird, httpTypes, logging, nio, nioFoundation, .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            path: "Modules/HTTPServerKit",
            swiftSettings: swiftSettings
        ),
        module("HeroDomain", "Modules/HeroDomain"),
        /// `HTTPClient` on URLSession (FoundationNetworking, libcurl): hero-client's. Its own module
        /// so that what does not use it does not load libcurl and its 27 libraries.
        module("HTTPKitURLSession", "Modules/HTTPKitURLSession", ["HTTPKit", httpTypes]),
        /// `HTTPClient` on async-http-client: hero-server's (no libcurl), and HTTPS that trusts
        /// extra CAs (URLSession on Linux cannot add a CA); proxies as curl reads them.
        module(
            "HTTPKitNIO",
            "Modules/HTTPKitNIO",
            ["HTTPKit", httpTypes, nio, nioSSL, nioHTTP1, .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),

        // MARK: - Capabilities

        /// What both sides of OpenID Connect share (README, Architecture).
        .target(
            name: "OIDCCore",
            dependencies: ["JOSE", "HTTPKit", httpTypes, logging, crypto],
            path: "Modules/OIDCCore",
            swiftSettings: swiftSettings
        ),
        /// The client's sign-in: authorization request, pending logins, token endpoint,
        /// ID-token validation, token cache. Server-side modules never depend on it.
        module("OIDCClient", "Modules/OIDCClient", ["OIDCCore", "JOSE", "HTTPKit", httpTypes, logging, crypto]),
        .target(
            name: "AccessTokenAuth",
            dependencies: ["JOSE", "HTTPServerKit", "OIDCCore", hummingbird, crypto, logging],
            path: "Modules/AccessTokenAuth",
            swiftSettings: swiftSettings
        ),
        module(
            "HeroStoreSQLite",
            "Modules/HeroStore-SQLite",
            ["HeroDomain", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        module(
            "HeroStorePostgres",
            "Modules/HeroStore-Postgres",
            ["HeroDomain", "EventLoopExecutor", logging, nio, postgresNIO, serviceLifecycle]
        ),
        module("HeroAPI", "Modules/HeroAPI", ["HeroDomain", "HTTPServerKit", hummingbird, httpTypes, logging, nio, nioFoundation]),

        .target(
            name: "LocalEntra",
            dependencies: [
                "JOSE", "HTTPKit", "OIDCCore", hummingbird, httpTypes, crypto, nio, nioFoundation, logging,
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ] + x509,
            path: "Modules/LocalEntra",
            swiftSettings: swiftSettings
        ),

        /// What the apps share when they read their settings: one error type, one check per kind of value.
        module("AppConfiguration", "Modules/AppConfiguration", ["OIDCCore", "HTTPKitNIO", "HTTPServerKit"]),

        // MARK: - Apps: read configuration, wire modules, run

        .executableTarget(
            name: "HeroServer",
            dependencies: [
                "AccessTokenAuth", "AppConfiguration", "HTTPKit", "HTTPKitNIO", "HTTPServerKit", "HeroAPI", "HeroDomain", "HeroStoreSQLite",
                "HeroStorePostgres", "OIDCCore", hummingbird, logging, nio, serviceLifecycle,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Apps/HeroServer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "LocalEntraApp",
            dependencies: [
                "LocalEntra", "AppConfiguration", "JOSE", "OIDCCore", "HTTPServerKit", hummingbird, logging, nioSSL,
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Apps/LocalEntra",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "HeroClient",
            dependencies: [
                "OIDCClient", "OIDCCore", "AppConfiguration", "HTTPKit", "HTTPKitNIO", "HTTPKitURLSession", "HTTPServerKit", "HeroDomain",
                "JOSE", hummingbird,
                httpTypes, logging, nio, nioFoundation,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Apps/HeroClient",
            swiftSettings: swiftSettings
        ),

        /// `make demo` and `make dev`: the three processes together, driven as a user would.
        .executableTarget(
            name: "HeroDemo",
            dependencies: ["SystemHarness", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Demo",
            swiftSettings: swiftSettings
        ),

        /// Starts the three processes and drives their pages as a browser would: for hero-demo
        /// and the tests. Holds no test keys or fakes (those are TestSupport's).
        module("SystemHarness", "Tools/SystemHarness", ["HTTPKit", "HTTPKitNIO", "HTTPKitURLSession", "OIDCCore", httpTypes]),

        // MARK: - Tests

        tests("JOSETests", ["JOSE", crypto, .product(name: "CryptoExtras", package: "swift-crypto")], resources: [.copy("Fixtures")]),
        /// Shared by the test targets: an in-memory OpenID provider, test keys and tokens, a
        /// forward proxy.
        module(
            "TestSupport",
            "Tests/TestSupport",
            ["JOSE", "HTTPKit", "OIDCCore", httpTypes, crypto, nio, nioHTTP1, .product(name: "NIOPosix", package: "swift-nio")]
        ),
        tests("AccessTokenAuthTests", ["AccessTokenAuth", "OIDCCore", "JOSE", "HTTPKit", "TestSupport", crypto, logging]),
        tests(
            "HeroServerTests",
            [
                "HeroServer", "HeroAPI", "AccessTokenAuth", "AppConfiguration", "OIDCCore", "JOSE", "HTTPKit", "HTTPKitNIO",
                "HTTPKitURLSession",
                "HTTPServerKit",
                "HeroDomain", "HeroStoreSQLite", "HeroStorePostgres", "PostgresTestSupport", "LocalEntra",
                "TestSupport", "SystemHarness", hummingbird, hummingbirdTesting, logging, nio, nioFoundation,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        tests(
            "LocalEntraTests",
            [
                "LocalEntra", "AccessTokenAuth", "OIDCCore", "JOSE", "HTTPKit", "HTTPKitNIO", "HTTPKitURLSession", "HTTPServerKit",
                "TestSupport",
                "SystemHarness", logging,
            ] + routeTesting + x509
        ),
        tests(
            "HeroClientTests",
            [
                "HeroClient", "LocalEntra", "OIDCClient", "OIDCCore", "AppConfiguration", "JOSE", "HTTPKit", "HTTPKitNIO",
                "HTTPKitURLSession",
                "TestSupport",
                "SystemHarness", hummingbird, hummingbirdTesting, httpTypes, logging, nio, crypto,
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        tests("OIDCClientTests", ["OIDCClient", "OIDCCore", "HTTPKit", "TestSupport", httpTypes]),
        tests(
            "EndToEndTests",
            [
                "TestSupport", "SystemHarness", "HTTPKit", "HTTPKitNIO", "HTTPKitURLSession", "JOSE", "LocalEntra", "OIDCCore",
                "PostgresTestSupport",
                httpTypes,
                // Built before the tests run, so the tests can start them as processes.
                "HeroServer", "HeroClient", "LocalEntraApp", "HeroDemo",
            ]
        ),
        tests("HTTPKitTests", ["HTTPKit", "HTTPKitNIO", "HTTPKitURLSession", "TestSupport", nioSSL] + routeTesting),
        tests("HTTPServerKitTests", ["HTTPServerKit", nioHTTP1, .product(name: "NIOEmbedded", package: "swift-nio")] + routeTesting),
        tests("OIDCCoreTests", ["OIDCCore", "HTTPKit", "TestSupport", httpTypes]),
        tests("AppConfigurationTests", ["AppConfiguration"]),
        /// Reads the sources, not the modules: it guards the arrows of README's map.
        tests("ArchitectureTests"),
        tests("HeroDomainTests", ["HeroDomain", "HeroRepositoryConformance"]),
        /// The behaviour every `HeroRepository` shares, as checks each store's tests run.
        module("HeroRepositoryConformance", "Tests/HeroRepositoryConformance", ["HeroDomain"]),
        tests(
            "HeroStoreSQLiteTests",
            [
                "HeroDomain", "HeroStoreSQLite", "HeroCrashWriter", "HeroRepositoryConformance", "SystemHarness",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        /// A throwaway PostgreSQL cluster (initdb, pg_ctl) for the tests that need a real server.
        module("PostgresTestSupport", "Tests/PostgresTestSupport", [logging, postgresNIO]),
        tests(
            "HeroStorePostgresTests",
            ["HeroDomain", "HeroStorePostgres", "HeroRepositoryConformance", "PostgresTestSupport", logging, postgresNIO]
        ),
        tests("HeroAPITests", ["HeroAPI", "HeroDomain", "HTTPServerKit", crypto] + routeTesting),
        /// A test-only process that writes heroes and prints each acknowledged id, so the
        /// crash-durability test can SIGKILL it midway (see `CrashDurabilityTests`).
        .executableTarget(
            name: "HeroCrashWriter",
            dependencies: ["HeroDomain", "HeroStoreSQLite"],
            path: "Tests/HeroCrashWriter",
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
