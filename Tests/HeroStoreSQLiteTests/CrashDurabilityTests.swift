import Foundation
import HeroDomain
import HeroStoreSQLite
import Testing

@testable import HeroCrashWriter

@Suite("SQLite hero repository: crash durability")
struct CrashDurabilityTests {
    /// How many acknowledged heroes to wait for before the kill.
    static let killAfter = 100

    @Test("every hero acknowledged before a SIGKILL is in the file, intact")
    func killedWriter() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("heroes.sqlite").path
            let writer = Process()
            writer.executableURL = try Self.crashWriterURL()
            writer.arguments = [path, "1000000"]
            let output = Pipe()
            writer.standardOutput = output
            try writer.run()
            // Only the child may hold the write end, or reading would never see end of file.
            try? output.fileHandleForWriting.close()

            let (text, killed) = await Self.readKilling(writer, output.fileHandleForReading, afterLines: Self.killAfter)
            writer.waitUntilExit()
            #expect(killed, "the writer ended on its own before it could be killed midway")
            #expect(writer.terminationReason == .uncaughtSignal && writer.terminationStatus == SIGKILL)

            // A line is an acknowledgement only when it is complete.
            let acknowledged = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(acknowledged.count >= Self.killAfter)

            let repository = try SQLiteHeroRepository.open(path: path)
            for line in acknowledged {
                let parts = line.split(separator: " ")
                let index = try #require(Int(parts[0]))
                let id = try #require(HeroID(String(parts[1])))
                #expect(try await repository.get(id: id) == Hero(id: id, details: CrashWriter.input(index)))
            }
            // At most the one create in flight at the kill may be stored without being printed.
            let stored = try rowCount(path)
            #expect(stored == acknowledged.count || stored == acknowledged.count + 1)
        }
    }

    /// The `HeroCrashWriter` executable, built next to this test binary.
    static func crashWriterURL() throws -> URL {
        let folder = try #require(Bundle.main.executableURL).deletingLastPathComponent()
        let url = folder.appendingPathComponent("HeroCrashWriter")
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "build HeroCrashWriter first: \(url.path)")
        return url
    }

    /// Reads `handle` to its end on a dispatch thread (it blocks), killing `process` with
    /// SIGKILL as soon as `lines` complete lines have arrived.
    static func readKilling(_ process: Process, _ handle: FileHandle, afterLines lines: Int) async -> (String, Bool) {
        let pid = process.processIdentifier
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var data = Data()
                var newlines = 0
                var killed = false
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    data.append(chunk)
                    newlines += chunk.count { $0 == UInt8(ascii: "\n") }
                    if !killed, newlines >= lines {
                        kill(pid, SIGKILL)
                        killed = true
                    }
                }
                continuation.resume(returning: (String(decoding: data, as: UTF8.self), killed))
            }
        }
    }
}
