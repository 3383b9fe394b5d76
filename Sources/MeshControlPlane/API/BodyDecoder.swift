import MeshCore

/// Reads request bodies in the media types the server accepts: JSON, YAML and Kubernetes protobuf.
enum BodyDecoder {
    /// The object in `request`'s body; a parse failure is 400, an unknown media type 415.
    static func object(_ request: APIRequest) throws(APIError) -> Value {
        let value: Value
        switch request.contentType {
        case "application/json", "application/merge-patch+json", "application/strategic-merge-patch+json",
             "application/json-patch+json", "":
            value = try json(request.body)
        case "application/yaml", "application/apply-patch+yaml", "application/x-yaml", "text/yaml":
            value = try yaml(request.body)
        case "application/vnd.kubernetes.protobuf":
            do { value = try ProtobufDecoder().decodeEnvelope(request.body) } catch {
                throw APIError.badRequest("the protobuf body could not be decoded: \(error.description)")
            }
        default:
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
        return value
    }

    static func json(_ body: [UInt8]) throws(APIError) -> Value {
        guard !body.isEmpty else { throw APIError.badRequest("the request body is empty") }
        do { return try JSON.parse(bytes: body) } catch {
            throw APIError.badRequest("the body of the request could not be decoded as JSON: \(error.description)")
        }
    }

    static func yaml(_ body: [UInt8]) throws(APIError) -> Value {
        guard !body.isEmpty else { throw APIError.badRequest("the request body is empty") }
        do {
            let documents = try YAML.parseDocuments(bytes: body)
            guard documents.count == 1, let document = documents.first else {
                throw APIError.badRequest("the body must hold exactly one YAML document, found \(documents.count)")
            }
            return document
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("the body of the request could not be decoded as YAML: \(error)")
        }
    }
}
