import Foundation

/// The modules of this package and what each imports, read from the sources: with the
/// `MemberImportVisibility` feature on, a file must import every module whose members it
/// uses, so the imports are the real dependency graph.
struct ModuleGraph {
    /// Module name → the modules its files import (ours and others').
    let imports: [String: Set<String>]

    /// Reads every target folder under `Modules/`, `Apps/` and `Tools/`.
    init(root: URL) throws {
        var imports: [String: Set<String>] = [:]
        for (folder, name) in try Self.targetFolders(root: root) {
            imports[name] = try Self.imports(under: folder)
        }
        self.imports = imports
    }

    /// Everything `module` reaches through imports, itself excluded.
    func reach(of module: String) -> Set<String> {
        var seen: Set<String> = []
        var queue = Array(imports[module] ?? [])
        while let next = queue.popLast() {
            guard seen.insert(next).inserted else { continue }
            queue.append(contentsOf: imports[next] ?? [])
        }
        return seen
    }

    /// One path from `module` to `target` through imports, for a readable failure.
    func path(from module: String, to target: String) -> [String]? {
        var previous: [String: String] = [:]
        var queue = [module]
        while !queue.isEmpty {
            let current = queue.removeFirst()
            if current == target {
                var path = [current]
                while let before = previous[path[0]] { path.insert(before, at: 0) }
                return path
            }
            for next in (imports[current] ?? []).sorted() where previous[next] == nil && next != module {
                previous[next] = current
                queue.append(next)
            }
        }
        return nil
    }

    /// The target folders and their module names (the target of `Modules/HeroStore-SQLite`
    /// is `HeroStoreSQLite`, of `Apps/LocalEntra` is `LocalEntraApp`, as in Package.swift).
    private static func targetFolders(root: URL) throws -> [(URL, String)] {
        let renamed = ["HeroStore-SQLite": "HeroStoreSQLite", "HeroStore-Postgres": "HeroStorePostgres"]
        let apps = ["LocalEntra": "LocalEntraApp", "Demo": "HeroDemo"]
        var folders: [(URL, String)] = []
        for (parent, names) in [("Modules", renamed), ("Apps", apps), ("Tools", apps)] {
            let base = root.appendingPathComponent(parent)
            for entry in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() where !entry.hasPrefix(".") {
                folders.append((base.appendingPathComponent(entry), names[entry] ?? entry))
            }
        }
        return folders
    }

    private static func imports(under folder: URL) throws -> Set<String> {
        var found: Set<String> = []
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                if let index = words.firstIndex(of: "import"), index + 1 < words.count,
                    words[..<index].allSatisfy({ $0.hasPrefix("@") || ["public", "package", "internal"].contains($0) })
                {
                    found.insert(String(words[index + 1]))
                }
            }
        }
        return found
    }
}
