import Foundation

/// Reads a JSON response body in tests (the product code parses with MeshCore's JSON).
func jsonObject(_ data: Data) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
}

func jsonArray(_ data: Data) -> [[String: Any]] {
    (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
}
