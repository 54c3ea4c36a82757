import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Files that hold secrets (keys, token caches): readable by the owner only, written beside
/// and renamed over the old one, so a reader (or a crash) never sees half a file.
public enum OwnerOnlyFile {
    /// Writes `data` to `file`, creating its folder (owner-only too) when missing.
    public static func write(_ data: Data, to file: URL) throws {
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(),
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let temporary = file.appendingPathExtension("tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        // rename(2) replaces the destination atomically.
        guard rename(temporary.path, file.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }
}
