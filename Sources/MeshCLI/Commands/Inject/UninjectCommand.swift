import MeshCore
import MeshManifest

/// `meshctl uninject`: removes what `inject` added.
enum UninjectCommand {
    static let filename = OptionSpec(
        long: "filename", short: "f", valueName: "FILE",
        help: "Injected manifest file, directory (read recursively) or - for standard input",
        completion: .file(extensions: ["yaml", "yml", "json"]))
    /// The same `-o FILE` as `inject`.
    static let output = InjectCommand.output

    static let spec: CommandSpec = CommandSpec(
        name: "uninject",
        abstract: "Remove Istio sidecars from injected manifests",
        discussion: """
            Remove what sidecar injection added to the pods of manifests: the containers, init containers,
            volumes and image pull secrets listed in the sidecar.istio.io/status annotation, the labels and
            annotations the injector writes, and the probe rewriting (restored from ISTIO_KUBE_APP_PROBERS).
            Documents that were not injected pass through unchanged.
            """,
        examples: [
            .init("Remove the sidecar from an injected manifest", "meshctl uninject -f injected.yaml"),
        ],
        options: [filename, output],
        group: "Manifests",
        run: { invocation, context in
            guard let path = invocation.options.string(filename) else {
                throw UsageError("required flag --filename (-f) not set", at: invocation.path)
            }
            let documents = try ManifestFiles.readDocuments(path).map(Uninjector.uninject)
            return try ManifestOutput.write(documents, to: invocation.options.string(output), context: context)
        }
    )
}
