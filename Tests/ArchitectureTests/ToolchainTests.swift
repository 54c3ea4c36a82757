import Foundation
import Testing

/// `.swift-version` names the one toolchain; `scripts/check-swift-version.sh` (run by the lint
/// step) holds the Dockerfile and the workflows to it, and this holds the tests' own compiler.
@Suite("One Swift toolchain")
struct ToolchainTests {
    @Test("the tests run on the Swift that .swift-version names, the one CI and the image build with")
    func testsRunOnTheNamedToolchain() throws {
        let root = ArchitectureTests.root
        let named = try String(contentsOf: root.appendingPathComponent(".swift-version"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let version = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(version.contains("Swift version \(named) "), "`swift --version` says \(version), .swift-version says \(named)")
    }
}
