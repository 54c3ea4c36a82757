import HeroDomain

extension HeroAPIDocument {
    static func schemas() -> JSONValue {
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        for (key, kind) in HeroShape.members {
            switch kind {
            case .requiredText(let rule):
                properties[key.rawValue] = text(rule, nullable: false)
                required.append(.string(key.rawValue))
            case .optionalText(let rule):
                properties[key.rawValue] = text(rule, nullable: true)
            case .integer(let rule):
                properties[key.rawValue] = [
                    "type": "integer", "minimum": .integer(rule.range.lowerBound), "maximum": .integer(rule.range.upperBound),
                ]
                required.append(.string(key.rawValue))
            }
        }
        let input: JSONValue = ["type": "object", "properties": .object(properties), "required": .array(required)]
        var heroProperties = properties
        heroProperties["id"] = ["type": "string", "format": "uuid", "description": "Assigned by the server"]
        let heroSchemas: [String: JSONValue] = [
            "HeroInput": input,
            "Hero": ["type": "object", "properties": .object(heroProperties), "required": .array(["id"] + required)],
            "DeleteMessage": [
                "type": "object", "properties": ["message": ["type": "string"]], "required": ["message"],
            ],
            "Problem": [
                "type": "object",
                "description": "RFC 9457 problem details",
                "properties": [
                    "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                    "detail": ["type": "string"],
                    "errors": [
                        "type": "array",
                        "items": [
                            "type": "object",
                            "properties": ["field": ["type": "string"], "message": ["type": "string"]],
                        ],
                    ],
                ],
                "required": ["status", "detail"],
            ],
        ]
        return .object(heroSchemas.merging(serviceSchemas()) { hero, _ in hero })
    }

    private static func text(_ rule: TextRule, nullable: Bool) -> JSONValue {
        [
            "type": nullable ? ["string", "null"] : "string",
            "minLength": .integer(rule.lengths.lowerBound),
            "maxLength": .integer(rule.lengths.upperBound),
            "pattern": .string(rule.pattern),
            "description": .string(
                (rule.allowsNewlines ? "Newlines allowed; no other control characters" : "One line, no control characters")
                    + (rule.lengths.lowerBound > 0 ? "; not blank (White_Space only)" : "")
            ),
        ]
    }

    /// `cursor`: the opaque continuation of a previous page, as its `Link` header gives it.
    static func cursorParameter() -> JSONValue {
        [
            "name": "cursor", "in": "query", "required": false,
            "description": "Continue after the previous page: the value from its `Link: <...>; rel=\"next\"` URL. Not with `offset`.",
            "schema": [
                "type": "string", "minLength": .integer(HeroCursor.length), "maxLength": .integer(HeroCursor.length),
                "pattern": "^[A-Za-z0-9_-]{\(HeroCursor.length)}$",
            ],
        ]
    }

    /// The `Link` header of a list answer (RFC 8288).
    static func linkHeader() -> JSONValue {
        [
            "description": .string(
                "Present when more heroes follow: `</api/heroes/?limit=N&cursor=C>; rel=\"next\"`, "
                    + "a path on this server; the next page holds the heroes created after this page's last, "
                    + "whatever was created or deleted in between."
            ),
            "schema": ["type": "string"],
        ]
    }

    static func integerParameter(_ name: String, minimum: Int, maximum: Int?, default value: Int) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "integer", "minimum": .integer(minimum), "default": .integer(value)]
        if let maximum { schema["maximum"] = .integer(maximum) }
        return ["name": .string(name), "in": "query", "required": false, "schema": .object(schema)]
    }

    static func problem(_ description: String) -> JSONValue {
        [
            "description": .string(description),
            "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
        ]
    }

    static func json(_ description: String, ref: String) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(ref)"]]]]
    }
}
