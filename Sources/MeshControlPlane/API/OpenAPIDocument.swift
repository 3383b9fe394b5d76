import MeshCore

/// The OpenAPI answers kubectl reads before `apply` and validation.
enum OpenAPIDocument {
    static func answer(_ groupVersion: String?, registry: ResourceRegistry) throws(APIError) -> APIResponse {
        throw APIError.notFoundPath("/openapi/v3")
    }
}
