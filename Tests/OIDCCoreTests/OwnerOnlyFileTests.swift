import Foundation
import OIDCCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Owner-only files for secrets")
struct OwnerOnlyFileTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("owner-only-\(UUID().uuidString)")

    func mode(_ url: URL) -> mode_t {
        var status = stat()
        lstat(url.path, &status)
        return status.st_mode & 0o777
    }

    @Test("a new file is 0600 in a new 0700 folder, holds exactly the data, and leaves no temporary file")
    func newFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("keys/signing.json")
        try OwnerOnlyFile.write(Data("secret".utf8), to: file)
        #expect(try Data(contentsOf: file) == Data("secret".utf8))
        #expect(mode(file) == 0o600)
        #expect(mode(file.deletingLastPathComponent()) == 0o700)
        try OwnerOnlyFile.write(Data("rotated".utf8), to: file)
        #expect(try Data(contentsOf: file) == Data("rotated".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["signing.json"])
    }

    @Test("an existing folder others may write to is refused, and its mode is left alone")
    func refusesSharedFolder() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o777)
        #expect {
            try OwnerOnlyFile.write(Data("x".utf8), to: folder.appendingPathComponent("grants.json"))
        } throws: { error in
            (error as? OwnerOnlyFileError)?.problem.contains("writable by other users") == true
        }
        #expect(mode(folder) == 0o777, "never chmod-ed: it may be a shared folder")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("grants.json").path))
    }

    @Test("a readable folder, or a sticky shared one like /tmp, is used as it is")
    func sharedButSafeFolders() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for folderMode: mode_t in [0o755, 0o1777] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            chmod(folder.path, folderMode)
            let file = folder.appendingPathComponent("cache.json")
            try OwnerOnlyFile.write(Data("x".utf8), to: file)
            var status = stat()
            stat(folder.path, &status)
            #expect(status.st_mode & 0o7777 == folderMode, "the folder's mode is unchanged")
            #expect(mode(file) == 0o600)
            try FileManager.default.removeItem(at: folder)
        }
    }

    @Test("a link planted at the file's name is replaced, not followed: its target is untouched")
    func plantedLink() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("elsewhere.txt")
        try Data("theirs".utf8).write(to: target)
        let file = folder.appendingPathComponent("token-cache.json")
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: target)
        try OwnerOnlyFile.write(Data("mine".utf8), to: file)
        #expect(try Data(contentsOf: target) == Data("theirs".utf8))
        var status = stat()
        lstat(file.path, &status)
        #expect(status.st_mode & S_IFMT == S_IFREG, "the link itself was replaced by a regular file")
        #expect(mode(file) == 0o600)
        #expect(try Data(contentsOf: file) == Data("mine".utf8))
    }

    @Test("a path whose folder is a file is refused, naming the path")
    func folderIsAFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("state")
        try Data().write(to: blocker)
        #expect {
            try OwnerOnlyFile.write(Data("x".utf8), to: blocker.appendingPathComponent("keys.json"))
        } throws: { error in
            (error as? OwnerOnlyFileError)?.description.contains(blocker.path) == true
        }
    }
}
