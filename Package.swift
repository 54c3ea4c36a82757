// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode (complete strict concurrency)
/// plus the upcoming features our style guide asks for.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Hvalfangst",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "JOSE", targets: ["JOSE"]),
        .library(name: "HeroDomain", targets: ["HeroDomain"]),
        .library(name: "HeroStoreSQLite", targets: ["HeroStoreSQLite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0")
    ],
    targets: [
        // MARK: - JOSE

        .target(
            name: "JOSE",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            path: "Modules/JOSE",
            swiftSettings: swiftSettings
        ),

        // MARK: - Domain

        .target(
            name: "HeroDomain",
            path: "Modules/HeroDomain",
            swiftSettings: swiftSettings
        ),

        // MARK: - Storage

        .target(
            name: "HeroStoreSQLite",
            dependencies: [
                "HeroDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Modules/HeroStore-SQLite",
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests

        .testTarget(
            name: "JOSETests",
            dependencies: [
                "JOSE",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HeroDomainTests",
            dependencies: ["HeroDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HeroStoreSQLiteTests",
            dependencies: [
                "HeroDomain",
                "HeroStoreSQLite",
                "HeroCrashWriter",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
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
