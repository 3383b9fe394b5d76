import Foundation
import MeshCore

extension KubeClient {
    /// Watches a collection from `resourceVersion` (or from now), on a thread of its own.
    ///
    /// - Parameters:
    ///   - options: selectors (`pageSize` is ignored).
    ///   - maxReconnects: consecutive failed reconnects tolerated before the watch ends with the error.
    public func watch(
        _ resource: APIResource, namespace: String? = nil, options: ListOptions = ListOptions(),
        resourceVersion: String? = nil, maxReconnects: Int = 5
    ) -> KubeWatch {
        let loop = WatchLoop(
            config: config, authenticator: authenticator, resource: resource,
            namespace: options.allNamespaces ? nil : self.namespace(for: resource, namespace), options: options,
            resourceVersion: resourceVersion, maxReconnects: maxReconnects)
        return KubeWatch { watch in loop.run(watch) }
    }
}

/// The body of a watch thread: connect, stream, split, decode, resume.
struct WatchLoop: Sendable {
    let config: ClientConfig
    let authenticator: Authenticator
    let resource: APIResource
    let namespace: String?
    let options: ListOptions
    let resourceVersion: String?
    let maxReconnects: Int

    func run(_ watch: KubeWatch) {
        var config = config
        config.requestTimeout = nil  // a watch lasts as long as it lasts
        let client: KubeClient
        do {
            client = try KubeClient(config: config, authenticator: authenticator)
        } catch {
            return watch.finish(throwing: error)
        }
        var version = resourceVersion
        var failures = 0
        var refreshedCredentials = false
        while !watch.isStopped {
            var outcome = Outcome()
            do {
                try stream(client, from: version, watch, &outcome)
            } catch where error.code == .cancelled {
                break
            } catch where error.code == .connectionFailed || error.code == .timeout {
                outcome.dropped = true
            } catch {
                return watch.finish(throwing: error)
            }
            if let last = outcome.lastVersion { version = last }
            if outcome.unauthorized && !refreshedCredentials && authenticator.refreshAfterUnauthorized() {
                refreshedCredentials = true
                continue
            }
            if let error = outcome.error { return watch.finish(throwing: error) }
            if outcome.gone {
                do {
                    version = try relist(client, watch)
                } catch {
                    return watch.finish(throwing: error)
                }
                continue
            }
            if outcome.events > 0 { failures = 0; refreshedCredentials = false }
            if outcome.dropped {
                failures += 1
                if failures > maxReconnects {
                    return watch.finish(throwing: KubeError(.connectionFailed,
                        "the watch of \(resource.qualifiedName) lost its connection \(failures) times in a row; giving up"))
                }
                pause(seconds: min(0.1 * Double(1 << min(failures, 6)), 5), watch)
            } else if outcome.events == 0 {
                pause(seconds: 0.5, watch)  // a server that ends watches at once must not make us spin
            }
        }
        watch.finish()
    }

    struct Outcome {
        var events = 0
        var lastVersion: String?
        var gone = false
        var dropped = false
        var unauthorized = false
        var error: KubeError?
    }

    /// Streams one connection; `outcome` keeps what was seen even when the connection breaks (a throw).
    private func stream(_ client: KubeClient, from version: String?, _ watch: KubeWatch, _ outcome: inout Outcome) throws(KubeError) {
        var query = options.query
        query.append(("watch", "1"))
        query.append(("allowWatchBookmarks", "true"))
        if let version { query.append(("resourceVersion", version)) }
        let request = try client.makeRequest("GET", path: resource.path(namespace: namespace), query: query, body: nil,
                                             contentType: nil, accept: "application/json")
        var splitter = WatchLineSplitter()
        var seen = Outcome()
        watch.countConnection()
        let response: HTTPResponse
        do {
            response = try client.transport.stream(request, cancellation: watch.flag) { data in
                for line in splitter.push(data) {
                    guard decode(line, into: &seen, watch) else { return false }
                }
                return true
            }
        } catch {
            outcome = seen
            throw error
        }
        outcome = seen
        if !response.isSuccess {
            if response.status == 410 {
                outcome.gone = true
            } else if response.status == 401 {
                outcome.unauthorized = true
                outcome.error = APIStatus.error(for: response, request: request, userName: config.userName)
            } else {
                outcome.error = APIStatus.error(for: response, request: request, userName: config.userName)
            }
        }
    }

    /// Handles one line; `false` stops the stream (an ERROR event).
    private func decode(_ line: Data, into outcome: inout Outcome, _ watch: KubeWatch) -> Bool {
        guard let value = try? JSON.parse(bytes: line), let type = value["type"]?.stringValue else {
            outcome.error = KubeError(.invalidResponse, "the watch of \(resource.qualifiedName) sent an event that is not valid JSON")
            return false
        }
        let object = value["object"] ?? .null
        if type == "ERROR" {
            let status = APIStatus(object)
            if status?.code == 410 || status?.reason == "Expired" || status?.reason == "Gone" {
                outcome.gone = true
            } else {
                outcome.error = KubeError(.api, status?.message ?? "the watch of \(resource.qualifiedName) failed",
                                          httpStatus: status?.code, reason: status?.reason)
            }
            return false
        }
        guard let eventType = WatchEvent.EventType(rawValue: type), eventType != .relisted else { return true }
        let event = WatchEvent(type: eventType, object: object)
        if let version = event.resourceVersion { outcome.lastVersion = version }
        outcome.events += 1
        watch.yield(event)
        return !watch.isStopped
    }

    private func relist(_ client: KubeClient, _ watch: KubeWatch) throws(KubeError) -> String? {
        watch.countRelist()
        let list = try client.list(resource, namespace: namespace, options: options)
        var object: Value.Object = ["kind": "List", "apiVersion": "v1", "items": .array(list.items)]
        object["metadata"] = ["resourceVersion": list.resourceVersion.map(Value.string) ?? .null]
        watch.yield(WatchEvent(type: .relisted, object: .object(object)))
        return list.resourceVersion
    }

    private func pause(seconds: Double, _ watch: KubeWatch) {
        let deadline = Date().addingTimeInterval(seconds)
        while !watch.isStopped && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    }
}
