import Foundation
import X509

/// Named files of CA or workload material, ready to write: certificates are world-readable, keys are written with
/// mode 0600 and are never replaced unless asked.
public struct MaterialFiles: Sendable {
    /// One file.
    public struct Entry: Sendable, Hashable {
        /// The file name within the output directory (`root-cert.pem`).
        public var name: String
        /// Its PEM text.
        public var text: String
        /// Whether it holds a private key (mode 0600).
        public var isSecret: Bool

        public init(name: String, text: String, isSecret: Bool) {
            self.name = name
            self.text = text
            self.isSecret = isSecret
        }
    }

    /// The files, in the order they are listed.
    public var entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// `root-cert.pem`, `root-key.pem`.
    public static func root(_ root: SigningCA) throws(PKIError) -> MaterialFiles {
        MaterialFiles([
            Entry(name: "root-cert.pem", text: try PEMText.certificates([root.certificate]), isSecret: false),
            Entry(name: "root-key.pem", text: try PrivateKeyPEM.encode(root.privateKey), isSecret: true),
        ])
    }

    /// `ca-cert.pem`, `ca-key.pem`, `cert-chain.pem`, `root-cert.pem`: the layout istiod reads from `cacerts`.
    public static func intermediate(_ ca: SigningCA) throws(PKIError) -> MaterialFiles {
        MaterialFiles([
            Entry(name: "ca-cert.pem", text: try PEMText.certificates([ca.certificate]), isSecret: false),
            Entry(name: "ca-key.pem", text: try PrivateKeyPEM.encode(ca.privateKey), isSecret: true),
            Entry(name: "cert-chain.pem", text: try PEMText.certificates(ca.chain), isSecret: false),
            Entry(name: "root-cert.pem", text: try PEMText.certificates(ca.roots), isSecret: false),
        ])
    }

    /// `cert-chain.pem` (leaf first), `key.pem`, `root-cert.pem`: what a sidecar mounts.
    public static func workload(_ workload: IssuedWorkload) throws(PKIError) -> MaterialFiles {
        MaterialFiles([
            Entry(name: "cert-chain.pem", text: try PEMText.certificates(workload.chain), isSecret: false),
            Entry(name: "key.pem", text: try PrivateKeyPEM.encode(workload.privateKey), isSecret: true),
            Entry(name: "root-cert.pem", text: try PEMText.certificates(workload.roots), isSecret: false),
        ])
    }

    /// Writes every file into `directory` (created if needed). Without `force`, nothing is written when any of the
    /// files already exists. Keys get mode 0600, certificates 0644. Returns the paths written.
    @discardableResult
    public func write(to directory: String, force: Bool) throws(PKIError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw PKIError(.io, "exists and is not a directory", file: directory)
            }
        } else {
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw PKIError(.io, "cannot create the directory: \(error.localizedDescription)", file: directory, underlying: error)
            }
        }
        let paths = entries.map { SigningCA.join(directory, $0.name) }
        if !force {
            let existing = paths.filter { manager.fileExists(atPath: $0) }
            if !existing.isEmpty {
                throw PKIError(
                    .fileExists,
                    "refusing to overwrite \(existing.joined(separator: ", ")); use --force to replace existing files")
            }
        }
        for (entry, path) in zip(entries, paths) {
            try Self.write(entry.text, to: path, mode: entry.isSecret ? 0o600 : 0o644)
        }
        return paths
    }

    /// Writes through a temporary file created with the final mode, then renames it into place, so a key is never
    /// readable by others, not even for a moment, and a crash leaves the old file intact.
    static func write(_ text: String, to path: String, mode: mode_t) throws(PKIError) {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            throw PKIError(.io, "cannot create the file: \(String(cString: strerror(errno)))", file: path)
        }
        var failed = false
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                offset += written
            }
        }
        // The mode passed to open() is masked by the umask; set it exactly.
        if fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 { failed = true }
        close(descriptor)
        if failed || rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PKIError(.io, "cannot write the file: \(reason)", file: path)
        }
    }
}
