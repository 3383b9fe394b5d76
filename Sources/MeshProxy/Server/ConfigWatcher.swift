#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reloads the proxy when one of its config files, or a certificate, key or CA file the running config reads,
/// changes: every `interval` it compares each file's identity (device, inode, size, modification time, so
/// editors and cert-manager-style writers that rename a new file over the old are seen too) with the last one
/// it loaded, then builds the config anew and hands it to `ProxyServer.reload` (new connections get the new
/// certificates; established ones keep theirs). A config that fails to load or apply is reported and the
/// running one stays.
public struct ConfigWatcher: Sendable {
    /// The files the config is read from.
    public let paths: [String]
    /// How often the files are checked.
    public let interval: Duration
    /// Builds the config from the files (the same code that built the first one).
    public let load: @Sendable () throws -> ProxyConfig

    public init(paths: [String], interval: Duration = .seconds(1), load: @escaping @Sendable () throws -> ProxyConfig) {
        self.paths = paths
        self.interval = interval
        self.load = load
    }

    /// One file's identity as `stat` reports it; `nil` when the file can't be read (being replaced, removed).
    struct Fingerprint: Equatable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let seconds: Int
        let nanoseconds: Int

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            seconds = info.st_mtim.tv_sec
            nanoseconds = info.st_mtim.tv_nsec
        }
    }

    func fingerprints(_ files: [String]) -> [Fingerprint?] { files.map { Fingerprint(path: $0) } }

    /// Watches until the task is cancelled; `log` gets one line per reload or refusal.
    public func run(server: ProxyServer, log: @Sendable (String) -> Void) async {
        var watched = paths + server.config.referencedFiles
        var seen = fingerprints(watched)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let now = fingerprints(watched)
            // A file that is missing for a moment (an editor replacing it) is not a change yet.
            guard now != seen, !now.contains(where: { $0 == nil }) else { continue }
            seen = now
            let refused = "meshctl proxy: config reload refused, the previous config keeps running:"
            let config: ProxyConfig
            do {
                config = try load()
            } catch {
                server.runtime.stats.configReloadRejected.add(1, ordering: .relaxed)
                log("\(refused) \(error)")
                continue
            }
            do {
                try await server.reload(config)  // counts its own refusals
                log("meshctl proxy: config reloaded from \(paths.joined(separator: ", "))")
            } catch {
                log("\(refused) \(error)")
            }
            // A reload may name other certificates: watch those from now on. (When the list is the same, `seen`
            // stays what was loaded, so a file that changed meanwhile — the key after its certificate — reloads
            // again on the next look.)
            let files = paths + server.config.referencedFiles
            if files != watched {
                watched = files
                seen = fingerprints(watched)
            }
        }
    }
}
