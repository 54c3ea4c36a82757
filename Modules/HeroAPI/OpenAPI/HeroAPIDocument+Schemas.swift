import HeroDomain

extension HeroAPIDocument {
    static func schemas() -> [String: Any] {
        var properties: [String: Any] = [:]
        var required: [String] = []
        for (key, kind) in HeroShape.members {
            switch kind {
            case .requiredText(let rule):
                properties[key.rawValue] = text(rule, nullable: false)
                required.append(key.rawValue)
            case .optionalText(let rule):
                properties[key.rawValue] = text(rule, nullable: true)
            case .integer(let rule):
                properties[key.rawValue] = [
                    "type": "integer", "minimum": rule.range.lowerBound, "maximum": rule.range.upperBound,
                ]
                required.append(key.rawValue)
            }
        }
        let input: [String: Any] = ["type": "object", "properties": properties, "required": required]
        var heroProperties = properties
        heroProperties["id"] = ["type": "string", "format": "uuid", "description": "Assigned by the server"]
        return [
            "HeroInput": input,
            "Hero": ["type": "object", "properties": heroProperties, "required": ["id"] + required],
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
    }

    private static func text(_ rule: TextRule, nullable: Bool) -> [String: Any] {
        [
            "type": nullable ? ["string", "null"] : "string",
            "minLength": rule.lengths.lowerBound,
            "maxLength": rule.lengths.upperBound,
            "description": rule.allowsNewlines ? "Newlines allowed; no other control characters" : "One line, no control characters",
        ]
    }

    static func integerParameter(_ name: String, minimum: Int, maximum: Int?, default value: Int) -> [String: Any] {
        var schema: [String: Any] = ["type": "integer", "minimum": minimum, "default": value]
        if let maximum { schema["maximum"] = maximum }
        return ["name": name, "in": "query", "required": false, "schema": schema]
    }

    static func problem(_ description: String) -> [String: Any] {
        ["description": description, "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]]
    }

    static func json(_ description: String, ref: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(ref)"]]]]
    }
}
