import Foundation

/// What `local status` reads about a store from its files, without opening it for writing.
extension ObjectStore {
    /// Object counts per storage key of the database at `path`, read without opening it for writing (the
    /// server may be running).
    public static func counts(path: String) -> [String: Int] {
        guard FileManager.default.fileExists(atPath: path), let database = try? SQLiteDatabase(path: path, readOnly: true),
              let rows = try? database.prepare("SELECT resource, count(*) FROM objects GROUP BY resource") else { return [:] }
        var counts: [String: Int] = [:]
        while (try? rows.step()) == true { counts[rows.text(0)] = rows.int(1) }
        return counts
    }

    /// Size of the database and its write-ahead log in bytes.
    public var sizeOnDisk: Int { Self.sizeOnDisk(path: path) }

    /// Size of the database at `path` and its write-ahead log in bytes.
    public static func sizeOnDisk(path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }
}
