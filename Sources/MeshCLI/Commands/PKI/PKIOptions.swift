import Foundation
import MeshCore
import MeshPKI

/// Options and helpers shared by the `meshctl pki` commands.
enum PKIOptions {
    static let keyType = OptionSpec(
        long: "key-type", valueName: "TYPE", help: "Key algorithm: rsa or ecdsa",
        allowedValues: KeySpec.Algorithm.allCases.map(\.rawValue))
    static let keySize = OptionSpec(
        long: "key-size", valueName: "BITS",
        help: "Key size: 2048, 3072 or 4096 for rsa; 256 or 384 (the curve) for ecdsa", valueType: .integer)
    static let force = OptionSpec(
        long: "force", kind: .flag, help: "Replace files that already exist (keys are never overwritten without it)")
    static let output = OutputFormat.option([.json, .yaml], help: "Print the result as json or yaml instead of text")

    /// The output directory option, with its help.
    static func out(_ help: String) -> OptionSpec {
        OptionSpec(long: "out", valueName: "DIR", help: help, completion: .directory)
    }

    /// The key spec from `--key-type`/`--key-size`, defaulting to `defaultType` and that type's usual size.
    static func keySpec(_ invocation: Invocation, defaultType: KeySpec.Algorithm, defaultSize: Int? = nil) throws -> KeySpec {
        let type = invocation.options.string(keyType) ?? defaultType.rawValue
        let size = invocation.options.int(keySize) ?? (type == defaultType.rawValue ? defaultSize : nil)
        return try usage(invocation) { try KeySpec(algorithm: type, size: size) }
    }

    /// A required option's value, or a usage error naming it.
    static func required(_ option: OptionSpec, _ invocation: Invocation) throws -> String {
        guard let value = invocation.options.string(option), !value.isEmpty else {
            throw UsageError("required flag --\(option.long) not set", at: invocation.path)
        }
        return value
    }

    /// A positive whole number of days from an integer option.
    static func days(_ option: OptionSpec, _ invocation: Invocation) throws -> Int {
        guard let days = invocation.options.int(option), days >= 1, days <= 36_500 else {
            throw UsageError("--\(option.long) must be a whole number of days from 1 to 36500", at: invocation.path)
        }
        return days
    }

    /// The output format when `-o` is given.
    static func format(_ invocation: Invocation) -> OutputFormat? {
        invocation.options.string(output).flatMap(OutputFormat.init(rawValue:))
    }

    /// Runs `body`, turning a MeshPKI parameter error into a usage error for this command.
    static func usage<T>(_ invocation: Invocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PKIError where error.code == .invalidParameter {
            throw UsageError(error.message, at: invocation.path)
        }
    }

    /// The text of a PEM file, or of standard input for `-`.
    static func readPEM(_ path: String) throws -> PEMFile {
        guard path == "-" else { return try PEMFile.read(path: path) }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return try PEMFile(name: "standard input", data: data)
    }
}
