extension HeroAPIDocument {
    /// The routes outside `/api`, which need no token: the index, health, readiness, version
    /// and the documentation itself, as hero-server registers them (a test compares).
    static func servicePaths() -> [String: JSONValue] {
        let open: JSONValue = []
        func get(_ id: String, _ summary: String, _ responses: [String: JSONValue]) -> JSONValue {
            [
                "get": [
                    "operationId": .string(id), "summary": .string(summary), "tags": ["service"], "security": open,
                    "responses": .object(responses),
                ]
            ]
        }
        func html(_ description: String) -> JSONValue {
            ["description": .string(description), "content": ["text/html": ["schema": ["type": "string"]]]]
        }
        return [
            "/": get("index", "The index page", ["200": html("A page naming the service, its authority and these routes")]),
            "/healthz": get("health", "Liveness: the process serves", ["200": json("Always `{\"status\": \"ok\"}`", ref: "Health")]),
            "/readyz": get(
                "readiness",
                "Readiness: the hero store answers and the authority's signing keys are loaded",
                [
                    "200": json("Ready", ref: "Readiness"),
                    "503": json("Not ready; the body says which dependency is missing", ref: "Readiness"),
                ]
            ),
            "/version": get(
                "version",
                "The running version, and its commit in a container image",
                ["200": json("The build", ref: "Version")]
            ),
            "/openapi.json": get(
                "openAPIDocument",
                "This document",
                ["200": ["description": "The OpenAPI 3.1 document", "content": ["application/json": ["schema": ["type": "object"]]]]]
            ),
            "/docs": get(
                "documentation",
                "Swagger UI for this document",
                ["200": html("Swagger UI, from a CDN, pinned with Subresource Integrity")]
            ),
            "/docs/oauth2-redirect": get(
                "documentationSignInRedirect",
                "Where the authority returns Swagger UI's sign-in",
                ["200": html("Hands the authorization response to Swagger UI")]
            ),
        ]
    }

    /// The schemas of the service routes' bodies.
    static func serviceSchemas() -> [String: JSONValue] {
        let text: JSONValue = ["type": "string"]
        return [
            "Health": ["type": "object", "properties": ["status": ["const": "ok"]], "required": ["status"]],
            "Readiness": [
                "type": "object",
                "properties": [
                    "status": ["enum": ["ready", "not ready"]], "database": ["enum": ["ok", "unavailable"]],
                    "signing_keys": ["enum": ["loaded", "missing"]],
                ],
                "required": ["status", "database", "signing_keys"],
            ],
            "Version": [
                "type": "object", "properties": ["version": text, "commit": ["type": ["string", "null"]]],
                "required": ["version", "commit"],
            ],
        ]
    }
}
