import MeshCore
import MeshPolicy

/// `meshctl validate`: Istio's admission checks, offline.
enum ValidateCommand {
    static let file = OptionSpec(
        long: "filename", short: "f", kind: .repeatable, valueName: "FILE|DIR|-",
        help: "A file, a directory (read recursively) or - for standard input; repeatable", completion: .file(extensions: ["yaml", "yml", "json"]))
    static let output = OutputFormat.option([.json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "validate",
        abstract: "Check Istio resources with Istio's own validation rules, offline",
        discussion: """
            Check Gateways, VirtualServices, DestinationRules, ServiceEntries, Sidecars, AuthorizationPolicies,
            PeerAuthentications and RequestAuthentications (every served API version) with the rules Istio's
            admission webhook applies, without a cluster. Each problem names the file, the document and the field.
            Fields meshctl does not know are kept and reported as warnings; documents of other kinds are skipped.

            Exit codes: 0 when everything is valid, 79 when a resource is invalid, 65 when a file is not YAML or
            JSON or a resource cannot be read at all.
            """,
        examples: [
            .init("Validate every manifest under a directory", "meshctl validate -f deploy/"),
            .init("Validate what another tool generates", "helm template ./chart | meshctl validate -f -"),
            .init("Report as JSON", "meshctl validate -f policy.yaml -o json"),
        ],
        options: [file, output],
        group: "Policy",
        run: { invocation, context in
            let paths = invocation.options.strings(file)
            guard !paths.isEmpty else { throw UsageError("at least one -f/--filename is required", at: invocation.path) }
            let source = ManifestSource(paths: paths)
            var reports: [Value] = []
            var lines: [String] = []
            var checked = 0, invalid = 0, skipped = 0, unreadable = source.failures.count
            for failure in source.failures {
                context.printError("Error: \(failure)")
            }
            for document in source.documents {
                let place = "\(document.file): document \(document.index)"
                let resource: MeshResource
                do throws(PolicyError) {
                    guard let decoded = try MeshResource.decode(document.value) else { skipped += 1; continue }
                    resource = decoded
                } catch {
                    unreadable += 1
                    context.printError("Error: \(place): \(error)")
                    reports.append(["file": .string(document.file), "document": .int(document.index), "valid": false, "issues": [["severity": "error", "field": .string(error.path ?? ""), "message": .string(error.message)]]])
                    continue
                }
                checked += 1
                let issues = Validator.validate(resource)
                let name = "\(resource.kind.rawValue) \(resource.namespace.map { "\($0)/" } ?? "")\(resource.name)"
                if Validator.hasErrors(issues) { invalid += 1 }
                if issues.isEmpty { lines.append("\(place): \(name): valid") }
                for issue in issues {
                    lines.append("\(place): \(name): \(issue.severity.rawValue): \(issue.path.isEmpty ? "" : issue.path + ": ")\(issue.message)")
                }
                reports.append([
                    "file": .string(document.file), "document": .int(document.index), "kind": .string(resource.kind.rawValue),
                    "namespace": resource.namespace.map(Value.string) ?? .null, "name": .string(resource.name),
                    "valid": .bool(!Validator.hasErrors(issues)),
                    "issues": .array(issues.map { ["severity": .string($0.severity.rawValue), "field": .string($0.path), "message": .string($0.message)] }),
                ])
            }
            if let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) {
                context.standardOutput.write(ObjectPrinter.render(["resources": .array(reports), "invalid": .int(invalid), "skipped": .int(skipped)], format: format))
            } else {
                for line in lines { context.print(line) }
                var summary = "\(checked) resource\(checked == 1 ? "" : "s") checked, \(invalid) invalid"
                if skipped > 0 { summary += ", \(skipped) document\(skipped == 1 ? "" : "s") of other kinds skipped" }
                context.print(summary)
            }
            if unreadable > 0 { return .dataError }
            return invalid > 0 ? .problemsFound : .ok
        }
    )
}
