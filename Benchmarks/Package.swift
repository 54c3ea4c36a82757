// swift-tools-version: 6.1
// A package of its own so that the main build never pulls benchmark dependencies.
import PackageDescription

// A path dependency's identity is its directory name, which differs between clones;
// derive it instead of hard-coding it.
let rootPackageIdentity = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "")

let package = Package(
    name: "JOSEBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "JOSEDirectLoop",
            dependencies: [
                .product(name: "JOSE", package: rootPackageIdentity),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            path: "DirectLoop"
        ),
        .executableTarget(
            name: "JOSEBenchmarks",
            dependencies: [
                .product(name: "JOSE", package: rootPackageIdentity),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            path: "Benchmarks/JOSEBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "TokenValidationBenchmarks",
            dependencies: [
                .product(name: "AccessTokenAuth", package: rootPackageIdentity),
                .product(name: "OIDCCore", package: rootPackageIdentity),
                .product(name: "HTTPKit", package: rootPackageIdentity),
                .product(name: "JOSE", package: rootPackageIdentity),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/TokenValidationBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
