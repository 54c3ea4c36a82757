import AppConfiguration
import Foundation
import Testing

@Suite("Settings the apps share")
struct SettingValueTests {
    @Test("ports: 0 to 65535", arguments: [("0", 0), ("8080", 8080), ("65535", 65_535)])
    func ports(text: String, port: Int) throws {
        #expect(try SettingValue.port(text, setting: "PORT") == port)
    }

    @Test("a bad port names the setting and the value", arguments: ["-1", "65536", "http", "", "80 "])
    func badPorts(text: String) {
        #expect(throws: ConfigurationError("PORT", "must be a port number from 0 to 65535, not '\(text)'")) {
            try SettingValue.port(text, setting: "PORT")
        }
    }

    @Test("GUIDs are lowercased; anything else is refused")
    func guids() throws {
        #expect(try SettingValue.guid("7C3E1F6A-4D2B-4B8E-9A51-2F0C8D6E9B10", setting: "T") == "7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10")
        #expect(throws: ConfigurationError("T", "must be a GUID, not 'tenant'")) { try SettingValue.guid("tenant", setting: "T") }
    }

    @Test("authority URLs: https anywhere, http on loopback only, kept as written")
    func authorities() throws {
        #expect(try SettingValue.authorityURL("https://idp.example/realm/", setting: "I") == "https://idp.example/realm/")
        #expect(try SettingValue.authorityURL("http://[::1]:9000", setting: "I") == "http://[::1]:9000")
        #expect(throws: ConfigurationError.self) { try SettingValue.authorityURL("http://idp.example", setting: "I") }
        #expect(throws: ConfigurationError.self) { try SettingValue.authorityURL("ftp://idp.example", setting: "I") }
        #expect(throws: ConfigurationError.self) { try SettingValue.authorityURL("idp.example", setting: "I") }
    }

    @Test("absolute URLs lose their trailing slashes")
    func absoluteURLs() throws {
        #expect(try SettingValue.absoluteURL("http://127.0.0.1:8080/api/", setting: "A").absoluteString == "http://127.0.0.1:8080/api")
        #expect(throws: ConfigurationError("A", "must be an absolute URL")) { try SettingValue.absoluteURL("/api", setting: "A") }
    }

    @Test("the description names the setting first, and the commit when the build has one")
    func descriptions() {
        #expect(ConfigurationError("PORT", "must be a port").description == "PORT must be a port")
        #expect(BuildInfo.description(environment: [:]) == BuildInfo.version)
        #expect(BuildInfo.description(environment: ["HVALFANGST_COMMIT": "1a2b3c4"]) == "\(BuildInfo.version) (commit 1a2b3c4)")
        #expect(BuildInfo.commit(environment: ["HVALFANGST_COMMIT": ""]) == nil)
    }
}
