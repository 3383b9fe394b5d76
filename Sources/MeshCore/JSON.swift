/// Reading and writing JSON as `Value`s: a strict RFC 8259 parser and an emitter that prints what Go's
/// `encoding/json` (and so kubectl) prints.
///
/// No Foundation: the parser works on the UTF-8 bytes directly, which is what makes a 30 MB API list response
/// cheap to decode.
public enum JSON {
    /// How deeply arrays and objects may nest before the parser gives up; this keeps hostile input from
    /// exhausting the stack (of this parser and of every recursive walk over the result).
    public static let maxDepth = 512

    /// Parses one JSON value from `text`.
    ///
    /// Integers that fit `Int` become `.int`, other numbers `.double`; object keys keep their order (a repeated
    /// key keeps its first position and its last value). Errors carry the 1-based line and column.
    public static func parse(_ text: String) throws(MeshCoreError) -> Value {
        var text = text
        let result = text.withUTF8 { buffer in parseResult(buffer) }
        return try result.get()
    }

    /// Parses one JSON value from UTF-8 bytes, such as a response body or a file's contents.
    ///
    /// Invalid UTF-8 is an error (with its position), not replaced.
    public static func parse(bytes: some Collection<UInt8>) throws(MeshCoreError) -> Value {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in parseResult(buffer) }) {
            return try result.get()
        }
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer in parseResult(buffer) }.get()
    }

    private static func parseResult(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<Value, MeshCoreError> {
        var parser = JSONParser(buffer, maxDepth: maxDepth)
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }

    /// Writes `value` as JSON text, the way Go's `encoding/json` writes it.
    ///
    /// - Parameters:
    ///   - indent: spaces per level; 0 is compact (`json.Marshal`), 4 is kubectl's `-o json`
    ///     (`json.MarshalIndent`, with `"key": value` and empty containers as `{}`/`[]`).
    ///   - sortKeys: sort object keys by their UTF-8 bytes (Go's map order) instead of keeping insertion order.
    /// - Returns: the text without a trailing newline. `<`, `>`, `&`, U+2028 and U+2029 are escaped as Go does;
    ///   NaN and infinities, which JSON cannot represent, are written as `null`.
    public static func emit(_ value: Value, indent: Int = 0, sortKeys: Bool = false) -> String {
        var writer = JSONWriter(indent: max(0, indent), sortKeys: sortKeys)
        writer.write(value, level: 0)
        return String(decoding: writer.out, as: UTF8.self)
    }
}
