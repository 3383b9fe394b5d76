import MeshCore

/// A DELETE's options, from its `DeleteOptions` body or the query: preconditions, grace period, and what happens
/// to the object's dependents.
struct DeleteOptions: Equatable {
    /// What happens to the objects whose `ownerReferences` name the deleted one.
    enum Propagation: String, Equatable {
        /// The owner goes now; the garbage collector removes its dependents after it.
        case background = "Background"
        /// The owner stays (with the `foregroundDeletion` finalizer) until its dependents are gone.
        case foreground = "Foreground"
        /// The dependents stay, with the owner's reference removed.
        case orphan = "Orphan"
    }

    var propagation: Propagation = .background
    var gracePeriodSeconds: Int?
    var resourceVersion: String?
    var uid: String?
    /// `dryRun: [All]` in the body (where client-go puts it for deletes) or `dryRun=All` in the query.
    var dryRun = false

    init() {}

    /// From the body (a `DeleteOptions` object, possibly empty) and the query parameters; a body that is not an
    /// object is 400, an unknown policy 422 (as the Kubernetes API server answers).
    init(body: Value?, query: [String: String]) throws(APIError) {
        if let body, body.objectValue == nil, !body.isNull {
            throw APIError.badRequest("the body of a delete request must be a DeleteOptions object")
        }
        let policy = body?["propagationPolicy"]?.stringValue ?? query["propagationPolicy"]
        let orphan = body?["orphanDependents"]?.boolValue ?? query["orphanDependents"].map { $0 == "true" }
        if policy != nil, orphan != nil {
            throw Self.invalid("propagationPolicy", "Invalid value: \"\(policy ?? "")\": orphanDependents and deletionPropagation cannot be both set")
        }
        if let policy {
            guard let value = Propagation(rawValue: policy) else {
                throw Self.invalid("propagationPolicy", "Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
            }
            propagation = value
        } else if orphan == true {
            propagation = .orphan
        }
        gracePeriodSeconds = body?["gracePeriodSeconds"]?.intValue ?? query["gracePeriodSeconds"].flatMap { Int($0) }
        if let grace = gracePeriodSeconds, grace < 0 {
            throw Self.invalid("gracePeriodSeconds", "Invalid value: \(grace): must be greater than or equal to 0")
        }
        dryRun = body?["dryRun"]?.arrayValue?.contains("All") == true || query["dryRun"] == "All"
        resourceVersion = body?["preconditions"]?["resourceVersion"]?.stringValue
        uid = body?["preconditions"]?["uid"]?.stringValue
    }

    private static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(code: 422, reason: "Invalid", message: "DeleteOptions.meta.k8s.io \"\" is invalid: \(field): \(message)",
                 details: ["group": "meta.k8s.io", "kind": "DeleteOptions",
                           "causes": [["reason": "FieldValueInvalid", "message": .string(message), "field": .string(field)]]])
    }
}
