import Foundation
import Testing

/// The arrows of README's "Architecture" section, checked on the sources, so that the map
/// stays true as the code changes.
@Suite("Module boundaries")
struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let graph: ModuleGraph

    init() throws {
        graph = try ModuleGraph(root: Self.root)
    }

    /// Modules that run inside a server (or are shared by servers): none may reach the
    /// client's sign-in machinery.
    static let serverSide = [
        "JOSE", "HTTPKit", "EventLoopExecutor", "HTTPServerKit", "OIDCCore", "AccessTokenAuth", "HeroDomain", "HeroStoreSQLite",
        "HeroStorePostgres", "HeroAPI",
        "LocalEntra", "AppConfiguration", "HeroServer", "LocalEntraApp",
    ]

    @Test("the graph was read: every module of the map is there")
    func graphIsRead() {
        for module in Self.serverSide + ["OIDCClient", "HeroClient", "HeroDemo"] {
            #expect(graph.imports[module] != nil, "no sources found for \(module)")
        }
        #expect(graph.reach(of: "HeroServer").contains("JOSE"))
    }

    @Test("server-side modules never reach the client's sign-in (OIDCClient)", arguments: serverSide)
    func serverSideIsClientFree(module: String) {
        let path = graph.path(from: module, to: "OIDCClient")
        #expect(path == nil, "\(module) reaches the client side: \(path?.joined(separator: " → ") ?? "")")
    }

    @Test(
        "outbound HTTP (HTTPKit) reaches no server framework",
        arguments: ["Hummingbird", "HTTPServerKit", "NIOCore", "NIOHTTP1", "NIOHTTPTypes", "NIOPosix"]
    )
    func outboundIsServerFree(forbidden: String) {
        let path = graph.path(from: "HTTPKit", to: forbidden)
        #expect(path == nil, "HTTPKit reaches \(forbidden): \(path?.joined(separator: " → ") ?? "")")
    }

    @Test("Package.swift links no server framework into HTTPKit and no sign-in into server-side targets")
    func manifestAgrees() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        func dependencies(of target: String) throws -> Substring {
            let start = try #require(manifest.range(of: "name: \"\(target)\",\n")?.upperBound, "no target \(target)")
            let list = try #require(manifest[start...].range(of: "dependencies: ["), "\(target) has no dependencies")
            let end = try #require(manifest[list.upperBound...].range(of: "],\n")?.lowerBound)
            return manifest[list.upperBound..<end]
        }
        for forbidden in ["hummingbird", "nio", "NIO", "HTTPServerKit"] {
            #expect(try !dependencies(of: "HTTPKit").contains(forbidden), "HTTPKit links \(forbidden)")
        }
        for target in ["OIDCCore", "AccessTokenAuth", "LocalEntra", "HeroServer", "LocalEntraApp"] {
            #expect(try !dependencies(of: target).contains("\"OIDCClient\""), "\(target) links OIDCClient")
        }
    }

    @Test(
        "the servers reach no URLSession: FoundationNetworking would load libcurl and its 27 libraries",
        arguments: ["HeroServer", "LocalEntraApp"]
    )
    func serversAreCurlFree(server: String) {
        for forbidden in ["FoundationNetworking", "HTTPKitURLSession"] {
            let path = graph.path(from: server, to: forbidden)
            #expect(path == nil, "\(server) reaches \(forbidden): \(path?.joined(separator: " → ") ?? "")")
        }
    }

    @Test("foundations depend on nothing of ours", arguments: ["JOSE", "HeroDomain", "HTTPKit", "EventLoopExecutor"])
    func foundations(module: String) {
        let ours = Set(graph.imports.keys)
        #expect(graph.imports[module, default: []].intersection(ours).subtracting([module]).isEmpty)
    }

    @Test("no module imports an app, and the domain knows no storage or HTTP")
    func layering() {
        let apps: Set = ["HeroServer", "HeroClient", "LocalEntraApp", "HeroDemo"]
        for (module, imports) in graph.imports where !apps.contains(module) {
            #expect(imports.isDisjoint(with: apps), "\(module) imports an app")
        }
        #expect(graph.reach(of: "HeroDomain").isDisjoint(with: ["GRDB", "Hummingbird", "HTTPKit", "HTTPServerKit"]))
        #expect(graph.reach(of: "HeroAPI").isDisjoint(with: ["GRDB", "HeroStoreSQLite", "AccessTokenAuth"]))
    }

    @Test("hero-demo, a shipped product, links no test support")
    func demoIsNotATest() {
        #expect(graph.reach(of: "HeroDemo").isDisjoint(with: ["TestSupport", "Testing", "XCTest"]))
    }

    @Test("README's Architecture table names every module with exactly its imports of ours")
    func readmeIsTheMap() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Architecture").map { readme[$0.upperBound...] })
        let body = section.range(of: "\n## ").map { section[..<$0.lowerBound] } ?? section
        // Rows: | `Module` | side | Imported, Modules | what it holds |
        var documented: [String: Set<String>] = [:]
        for row in body.split(separator: "\n") where row.hasPrefix("| `") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3 else { continue }
            let imports = cells[2] == "—" ? [] : cells[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = Set(imports)
        }
        let ours = Set(graph.imports.keys)
        for (module, imports) in graph.imports {
            #expect(documented[module] == imports.intersection(ours).subtracting([module]), "README's row for \(module)")
        }
        #expect(Set(documented.keys) == ours, "README's table and the module folders differ")
    }
}
