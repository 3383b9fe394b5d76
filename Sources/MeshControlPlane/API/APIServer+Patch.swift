import MeshCore

extension APIServer {
    /// PATCH: merge, JSON, strategic merge, and server-side apply (create or merge the applied configuration).
    func patch(_ request: APIRequest, _ target: ResourceTarget, name: String) throws(APIError) -> APIResponse {
        let patchType = request.contentType
        let patch = try BodyDecoder.object(request)
        let isApply = patchType == "application/apply-patch+yaml"
        if isApply {
            guard request.query["fieldManager"].map({ !$0.isEmpty }) ?? false else {
                throw APIError.badRequest("PATCH requests with an apply patch must have a fieldManager")
            }
        }
        if patchType == "application/strategic-merge-patch+json", target.type.schema != nil {
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        }
        var configuration = patch
        configuration["metadata"]?["managedFields"] = nil
        let ownership: FieldOwnership = isApply
            ? .apply(manager: request.fieldManager, configuration: configuration, force: request.query["force"] == "true")
            : .update(request.fieldManager)
        return try replace(request, target, name: name, createIfMissing: isApply, ownership: ownership) { current throws(APIError) in
            guard let current else { return configuration }
            switch patchType {
            case "application/json-patch+json": return try JSONPatch.apply(patch, to: current)
            case "application/strategic-merge-patch+json": return try StrategicMergePatch.apply(patch, to: current)
            case "application/apply-patch+yaml":
                var applied = configuration
                applied["metadata"]?["resourceVersion"] = nil
                return MergePatch.apply(applied, to: current)
            case "application/merge-patch+json": return MergePatch.apply(patch, to: current)
            default:
                throw APIError(code: 415, reason: "UnsupportedMediaType", message: "the patch type \(patchType) is not supported")
            }
        }
    }
}
