import Foundation

/// Checks made before SQLite touches a path, so that a wrong path fails with a clear message
/// and a file that is not ours is never modified, not even by a journal-mode change.
enum DatabaseFile {
    /// The 16 bytes every SQLite 3 database starts with (sqlite.org/fileformat.html §1.3.1).
    static let header = Array("SQLite format 3\0".utf8)

    /// Creates the missing parent folders of `path`, and checks that an existing file there
    /// is an SQLite database (or empty, which SQLite treats as a new one).
    static func prepare(path: String) throws(HeroStoreError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HeroStoreError(
                .cannotCreateFolder,
                path: path,
                reason: "cannot create the folder '\(folder.path)' (\(describe(error)))"
            )
        }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard !isDirectory.boolValue else {
            throw HeroStoreError(.cannotOpen, path: path, reason: "it is a folder, not a file")
        }
        let start: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            start = try handle.read(upToCount: header.count) ?? Data()
        } catch {
            throw HeroStoreError(.cannotOpen, path: path, reason: "cannot read the file (\(describe(error)))")
        }
        guard start.isEmpty || Array(start) == header else {
            throw HeroStoreError(
                .notADatabase,
                path: path,
                reason: "the file is not an SQLite database; it was left untouched"
            )
        }
    }

    /// The system's own words for a file error (e.g. "Not a directory"), without Foundation's
    /// long wrapper text.
    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
