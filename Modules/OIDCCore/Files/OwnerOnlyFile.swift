import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Files that hold secrets (signing keys, grant stores, token caches): readable by their owner
/// only from the first byte, and replaced whole, so a reader or a crash never sees half a file.
///
/// The new content goes to a fresh temporary file created with mode 0600 and
/// `O_EXCL | O_NOFOLLOW` (no other process can have it open, and no planted link is followed),
/// is written and `fsync`ed, then renamed over the old file (rename(2) is atomic, and replaces
/// a link rather than following it), and the folder is `fsync`ed so the rename survives a
/// power cut. A folder it creates is 0700; an existing folder that other users may write to
/// (without the sticky bit of `/tmp`) is refused, since they could replace the file.
public enum OwnerOnlyFile {
    /// Writes `data` to `file`, creating its folder (mode 0700) when missing.
    public static func write(_ data: Data, to file: URL) throws(OwnerOnlyFileError) {
        let folder = file.deletingLastPathComponent()
        try prepare(folder: folder)
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw OwnerOnlyFileError(temporary.path, "cannot be created", errno: errno) }
        do throws(OwnerOnlyFileError) {
            try writeAll(data, to: descriptor, path: temporary.path)
            guard fsync(descriptor) == 0 else { throw OwnerOnlyFileError(temporary.path, "cannot be synced", errno: errno) }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, file.path) == 0 else {
            let failure = errno
            unlink(temporary.path)
            throw OwnerOnlyFileError(file.path, "cannot be replaced", errno: failure)
        }
        try sync(folder: folder)
    }

    /// Creates `folder` with mode 0700, or checks that nobody else can replace files in an
    /// existing one. An existing folder's mode is never changed: it may be `/tmp` or a home.
    private static func prepare(folder: URL) throws(OwnerOnlyFileError) {
        var status = stat()
        if stat(folder.path, &status) != 0 {
            do {
                try FileManager.default.createDirectory(
                    at: folder,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw OwnerOnlyFileError(folder.path, "cannot be created", errno: nil)
            }
            return
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw OwnerOnlyFileError(folder.path, "is not a folder", errno: nil) }
        // The file itself is 0600, so reading is not the risk; replacing it is. Another user who
        // may write to the folder could rename their own file over ours, unless the sticky bit
        // (as on /tmp) limits renames to each file's owner.
        let writableByOthers = status.st_mode & 0o022 != 0
        let sticky = status.st_mode & S_ISVTX != 0
        if writableByOthers, !sticky {
            throw OwnerOnlyFileError(
                folder.path,
                "is writable by other users, who could replace the file; make it the owner's alone (chmod 700)",
                errno: nil
            )
        }
    }

    private static func writeAll(_ data: Data, to descriptor: Int32, path: String) throws(OwnerOnlyFileError) {
        var failure: Int32?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if let failure { throw OwnerOnlyFileError(path, "cannot be written", errno: failure) }
    }

    private static func sync(folder: URL) throws(OwnerOnlyFileError) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OwnerOnlyFileError(folder.path, "cannot be opened to sync", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw OwnerOnlyFileError(folder.path, "cannot be synced", errno: errno) }
    }
}

/// Why a secret could not be stored. Names the path and the system's reason, never the content.
public struct OwnerOnlyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file or folder.
    public let path: String
    /// What went wrong, as the end of a sentence.
    public let problem: String

    init(_ path: String, _ problem: String, errno code: Int32?) {
        self.path = path
        self.problem = code.map { "\(problem): \(String(cString: strerror($0)))" } ?? problem
    }

    public var description: String { "'\(path)' \(problem)" }
}
