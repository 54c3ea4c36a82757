import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Files of the state folder: written beside, then renamed over the old one, so a reader
/// (or a crash) never sees half a file; readable by the owner only.
enum AtomicFile {
    static func write(_ data: Data, to file: URL) throws {
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
