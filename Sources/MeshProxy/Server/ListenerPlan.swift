import NIOCore
import Synchronization

/// A bound listening socket, and the name of the listener it serves (a reload may rename it).
struct ListeningSocket: Sendable {
    /// The address as configured (port 0: chosen by the system).
    let address: HostPort
    let channel: any Channel
    let name: NameBox
    /// The port it is bound to (the configured one, or the one the system chose).
    var boundPort: Int { channel.localAddress?.port ?? address.port }

    /// Whether a listener configured for `wanted` can use this socket: the same address, or the address the
    /// system chose for it (a config that spells out the port it got).
    func serves(_ wanted: HostPort) -> Bool {
        wanted == address || (wanted.host == address.host && wanted.port != 0 && wanted.port == boundPort)
    }
}

/// A listener name that a reload may change while the socket stays bound.
final class NameBox: Sendable {
    private let value: Mutex<String>

    init(_ name: String) { value = Mutex(name) }

    func get() -> String { value.withLock { $0 } }
    func set(_ name: String) { value.withLock { $0 = name } }
}

/// What a reload does with the listening sockets: a listener whose name and address are unchanged keeps its
/// socket; a listener on the fixed address of an old one takes that socket over (so moving a port between
/// listeners never has to bind a port that is still taken); the rest are bound anew, and old sockets nobody
/// took are closed.
struct ListenerPlan {
    /// Listeners that need a new socket.
    private(set) var toBind: [ListenerConfig] = []
    /// Sockets that now serve another listener: (old name, new name).
    private(set) var renamed: [(from: String, to: String)] = []
    /// Names of the old sockets to close, and the sockets themselves.
    private(set) var toClose: [String] = []
    private(set) var closing: [ListeningSocket] = []

    /// `old` maps listener names to their sockets (the admin socket is never touched).
    init(old: [String: ListeningSocket], new listeners: [ListenerConfig]) {
        var unused = old.filter { $0.key != "admin" }
        var pending: [ListenerConfig] = []
        for listener in listeners {
            if let socket = unused[listener.name], socket.serves(listener.address) {
                unused[listener.name] = nil
            } else {
                pending.append(listener)
            }
        }
        for listener in pending {
            if listener.address.port != 0,
                let name = unused.keys.sorted().first(where: { unused[$0]?.serves(listener.address) == true })
            {
                renamed.append((from: name, to: listener.name))
                unused[name] = nil
            } else {
                toBind.append(listener)
            }
        }
        toClose = unused.keys.sorted()
        closing = toClose.compactMap { unused[$0] }
    }
}
