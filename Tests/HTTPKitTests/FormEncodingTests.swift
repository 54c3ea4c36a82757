import HTTPKit
import Testing

@Suite("Form and query encoding")
struct FormEncodingTests {
    @Test("form bodies: spaces as +, reserved and non-ASCII bytes percent-encoded")
    func formBody() {
        let body = FormEncoding.encode([
            ("grant_type", "authorization_code"),
            ("redirect_uri", "http://localhost:8000/auth/callback"),
            ("scope", "openid api://x/Heroes.Read"),
            ("name", "Ærø & co=1"),
        ])
        #expect(
            body == "grant_type=authorization_code&redirect_uri=http%3A%2F%2Flocalhost%3A8000%2Fauth%2Fcallback"
                + "&scope=openid+api%3A%2F%2Fx%2FHeroes.Read&name=%C3%86r%C3%B8+%26+co%3D1"
        )
    }

    @Test("queries: spaces as %20")
    func query() {
        #expect(FormEncoding.encodeQuery([("scope", "openid profile"), ("state", "a+b")]) == "scope=openid%20profile&state=a%2Bb")
    }

    @Test("decoding reverses encoding, keeps order, and reads + as space")
    func roundTrip() throws {
        let pairs = [("a", "1 2"), ("b", "x&y=z"), ("a", "ÆØÅ"), ("empty", "")]
        let decoded = try #require(FormEncoding.decode(FormEncoding.encode(pairs)))
        #expect(decoded.map(\.0) == pairs.map(\.0))
        #expect(decoded.map(\.1) == pairs.map(\.1))
        #expect(FormEncoding.decode("q=a+b%20c&flag")?.map(\.1) == ["a b c", ""])
    }

    @Test("malformed escapes and invalid UTF-8 are refused", arguments: ["a=%", "a=%4", "a=%zz", "a=%C3", "%FF=1"])
    func malformed(text: String) {
        #expect(FormEncoding.decode(text) == nil)
    }
}
