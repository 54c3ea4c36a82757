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

    @Test("the file is 0600 whatever the umask (it is created so, never chmod-ed afterwards)")
    func umaskIgnored() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let previous = umask(0)
        defer { umask(previous) }
        let file = folder.appendingPathComponent("cache.json")
        try OwnerOnlyFile.write(Data("{}".utf8), to: file)
        #expect(mode(file) == 0o600)
    }

    @Test("an existing folder open to others is tightened to 0700")
    func tightensFolder() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        chmod(folder.path, 0o777)
        try OwnerOnlyFile.write(Data("x".utf8), to: folder.appendingPathComponent("grants.json"))
        #expect(mode(folder) == 0o700)
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
