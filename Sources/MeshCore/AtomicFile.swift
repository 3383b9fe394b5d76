#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files so that readers never see a partial file and a failure leaves the old content in place.
///
/// The new content goes to a temporary file beside the target, is flushed to disk, and replaces the target
/// with rename(2). Symbolic links are followed, so a linked `~/.kube/config` stays a link. Targets that are not
/// regular files (`/dev/null`, a FIFO, `/dev/stdout`) are written in place instead: renaming over them would
/// replace a device with a file.
public enum AtomicFile {
    /// Writes `data` to `path` with `permissions` for a new file (an existing file keeps its mode).
    public static func write(_ data: some Collection<UInt8>, to path: String, permissions: mode_t = 0o644) throws(MeshCoreError) {
        let target = resolvedPath(path)
        var status = stat()
        let exists = stat(target, &status) == 0
        if exists, status.st_mode & S_IFMT != S_IFREG {
            try writeInPlace(data, to: target, original: path)
            return
        }
        let mode = exists ? status.st_mode & 0o7777 : permissions
        let directory = target.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = target.split(separator: "/").last.map(String.init) ?? target
        let temporary = (directory.isEmpty && !target.hasPrefix("/") ? "" : directory + "/") + ".\(name).meshctl-\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure(path, errno) }
        let written = writeAll(data, to: descriptor)
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written, synced else {
            let code = errno
            unlink(temporary)
            throw failure(path, code)
        }
        _ = chmod(temporary, mode)
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(path, code)
        }
    }

    /// `path` with symbolic links resolved as far as they lead (the target itself may not exist yet).
    static func resolvedPath(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { return current }
            let link = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else {
                let directory = current.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                current = directory.isEmpty ? link : directory + "/" + link
            }
        }
        return current
    }

    private static func writeInPlace(_ data: some Collection<UInt8>, to target: String, original: String) throws(MeshCoreError) {
        let descriptor = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(original, errno) }
        defer { close(descriptor) }
        guard writeAll(data, to: descriptor) else { throw failure(original, errno) }
    }

    private static func writeAll(_ data: some Collection<UInt8>, to descriptor: Int32) -> Bool {
        let bytes = Array(data)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    private static func failure(_ path: String, _ code: Int32) -> MeshCoreError {
        MeshCoreError(.io, "\(path): cannot write: \(String(cString: strerror(code)))")
    }
}
