import Foundation

/// The PostgreSQL server programs (`initdb`, `pg_ctl`) and how to run them: directly, or as
/// the `postgres` system user when this process is root (the server refuses to run as root).
struct PostgresTools: Sendable {
    /// The folder of the server programs.
    let binaries: URL
    /// Whether the programs run as the `postgres` user through `runuser`.
    let runsAsOtherUser: Bool

    /// The system user that owns clusters when this process is root.
    static let serverUser = "postgres"

    /// Finds the programs: `HVALFANGST_POSTGRES_BIN`, else `pg_config --bindir`, else the newest
    /// `/usr/lib/postgresql/*/bin`. Throws saying how to install them when none has `initdb`.
    static func find() throws -> PostgresTools {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let folder = environment["HVALFANGST_POSTGRES_BIN"] { candidates.append(folder) }
        if let folder = try? output(of: "/usr/bin/env", ["pg_config", "--bindir"]) { candidates.append(folder) }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("/usr/lib/postgresql/\(version)/bin")
        }
        guard let folder = candidates.first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }) else {
            throw PostgresTestServerError(
                "The PostgreSQL tests need a PostgreSQL server (initdb, pg_ctl), and none was found in "
                    + "\(candidates.isEmpty ? "pg_config --bindir or /usr/lib/postgresql/*/bin" : candidates.joined(separator: ", ")). "
                    + "Install Debian's postgresql package (make test does, through scripts/install-system-packages.sh), "
                    + "or set HVALFANGST_POSTGRES_BIN to the folder of initdb."
            )
        }
        return PostgresTools(binaries: URL(fileURLWithPath: folder), runsAsOtherUser: getuid() == 0)
    }

    /// The home folder of the server's user (`/var/lib/postgresql` on Debian): when this process
    /// is root, clusters live there, a place that user can always reach (a temporary folder's
    /// parent may be closed to it).
    func serverUserHome() throws -> URL {
        guard let entry = getpwnam(Self.serverUser), let home = entry.pointee.pw_dir else {
            throw PostgresTestServerError("there is no '\(Self.serverUser)' user; Debian's postgresql package creates it")
        }
        return URL(fileURLWithPath: String(cString: home))
    }

    /// Gives `folder` to the server's user when the programs run as that user.
    func handOver(_ folder: URL) throws {
        guard runsAsOtherUser else { return }
        try FileManager.default.setAttributes(
            [.ownerAccountName: Self.serverUser, .groupOwnerAccountName: Self.serverUser, .posixPermissions: 0o700],
            ofItemAtPath: folder.path
        )
    }

    /// Runs `program` with `arguments` in `folder`; throws with its output when it fails.
    func run(_ program: String, _ arguments: [String], in folder: URL) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(program)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: log) }
        let pid = try spawn(program, arguments, in: folder, log: log)
        let status = await withCheckedContinuation { continuation in
            // waitpid blocks: on a thread of its own, not one of the concurrency pool's.
            Thread.detachNewThread { continuation.resume(returning: Self.wait(for: pid)) }
        }
        guard status == 0 else {
            let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw PostgresTestServerError("\(program) \(arguments.joined(separator: " ")) failed (status \(status)): \(said)")
        }
    }

    /// Runs `program` and waits, ignoring failures: for the clean-up at exit.
    func runBlocking(_ program: String, _ arguments: [String], in folder: URL) {
        let log = URL(fileURLWithPath: "/dev/null")
        guard let pid = try? spawn(program, arguments, in: folder, log: log) else { return }
        _ = Self.wait(for: pid)
    }

    /// Starts `program` with posix_spawn rather than Foundation's `Process`: `pg_ctl start`
    /// leaves a server running, which would inherit every descriptor of this process, among
    /// them the one `Process` watches to learn that its child ended, and `Process` would wait
    /// for the server's end. Here the child gets /dev/null, the log, and nothing else.
    private func spawn(_ program: String, _ arguments: [String], in folder: URL, log: URL) throws -> pid_t {
        let path = binaries.appendingPathComponent(program).path
        let command = runsAsOtherUser ? ["/usr/sbin/runuser", "-u", Self.serverUser, "--", path] + arguments : [path] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc 2.34+ has both; Swift's Glibc module does not import them, so they are looked up.
        guard let closeFrom = Self.closeFrom, let changeDirectory = Self.changeDirectory else {
            throw PostgresTestServerError("this C library lacks posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later has it)")
        }
        _ = closeFrom(&actions, 3)
        // The server's user may not enter the caller's folder; the cluster's folder is its own.
        _ = changeDirectory(&actions, folder.path)
        let argv = command.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard result == 0 else { throw PostgresTestServerError("cannot start \(command[0]): \(String(cString: strerror(result)))") }
        return pid
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let closeFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFrom.self) }
    private static let changeDirectory = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: ChangeDirectory.self)
    }

    /// Waits for `pid` to end; its exit status, or -1 when it did not exit normally.
    private static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED and WEXITSTATUS, which Swift does not import as functions.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }

    private static func output(of program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PostgresTestServerError("\(program) failed") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
