import HTTPServerKit
import HTTPTypes
import HeroDomain
import Hummingbird

/// Heroes written as JSON straight into the response buffer: the bytes `JSONEncoder.sortedKeys()`
/// produces for `Hero`'s `Codable` form (the contract's keys, sorted, slashes unescaped),
/// without the encoder's boxes, dictionaries and key sorting on every response.
///
/// A hero is the body of the hottest route, `GET /api/heroes/{id}`; encoding it through
/// Foundation's `JSONEncoder` was a tenth of that route's time (perf, see BENCHMARKS.md).
/// `HeroJSONTests` holds this writer to the encoder's output, byte for byte.
enum HeroJSON {
    /// Appends `hero` as one JSON object.
    static func write(_ hero: Hero, into json: inout JSONText) {
        let details = hero.details
        // Keys in the order `.sortedKeys` gives them.
        json.append("{\"alignment\":", string: details.alignment)
        json.append(",\"armor_class\":", details.armorClass)
        json.append(",\"background\":", string: details.background)
        json.append(",\"bonds\":", string: details.bonds)
        json.append(",\"class_\":", string: details.heroClass)
        json.append(",\"flaws\":", string: details.flaws)
        json.append(",\"hit_points\":", details.hitPoints)
        json.append(",\"id\":", string: hero.id.description)
        json.append(",\"ideals\":", string: details.ideals)
        json.append(",\"level\":", details.level)
        json.append(",\"name\":", string: details.name)
        json.append(",\"personality_traits\":", string: details.personalityTraits)
        json.append(",\"race\":", string: details.race)
        json.append(",\"speed\":", details.speed)
        json.append("}")
    }

    /// Appends `heroes` as one JSON array.
    static func write(_ heroes: [Hero], into json: inout JSONText) {
        json.append("[")
        for (index, hero) in heroes.enumerated() {
            if index > 0 { json.append(",") }
            write(hero, into: &json)
        }
        json.append("]")
    }

    /// A 200 `application/json` response holding `json`.
    static func response(_ json: JSONText) -> Response {
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(json.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: json.byteBuffer))
    }
}

extension Hero: ResponseGenerator {
    /// The hero as JSON, written by ``HeroJSON``. Written here, not in a closure: a closure
    /// holding `self` copied the hero, a retain and a release for each of its texts.
    public func response(from request: Request, context: some RequestContext) -> Response {
        var json = JSONText(capacity: 512)
        HeroJSON.write(self, into: &json)
        return HeroJSON.response(json)
    }
}

/// A page of heroes, the body of `GET /api/heroes/`: the seed's JSON array.
public struct HeroList: ResponseGenerator, Sendable {
    /// The heroes, in list order.
    public let heroes: [Hero]

    /// Wraps `heroes`.
    public init(_ heroes: [Hero]) {
        self.heroes = heroes
    }

    /// The array as JSON, written by ``HeroJSON``.
    public func response(from request: Request, context: some RequestContext) -> Response {
        var json = JSONText(capacity: 512 * heroes.count + 2)
        HeroJSON.write(heroes, into: &json)
        return HeroJSON.response(json)
    }
}
