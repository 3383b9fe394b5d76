import Foundation
import MeshCore
import MeshPKI

/// `meshctl pki plug-ca`: validate a CA bundle the way istiod does, then create or replace the `cacerts` secret.
enum PKIPlugCA {
    static let certDir = OptionSpec(
        long: "cert-dir", valueName: "DIR",
        help: "Bundle directory: ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem [, ca-crl.pem] or tls.crt, tls.key, ca.crt",
        completion: .directory)
    static let generate = OptionSpec(
        long: "generate", kind: .flag, help: "Generate an intermediate CA for --cluster (and a root, unless --root is given)")
    static let cluster = OptionSpec(long: "cluster", valueName: "NAME", help: "Cluster name for --generate (L= in the subject)")
    static let root = OptionSpec(
        long: "root", valueName: "DIR", help: "With --generate: directory holding root-cert.pem and root-key.pem to sign with",
        completion: .directory)
    static let out = PKIOptions.out("With --generate: where to write the generated files (default: the cluster name)")
    static let dryRun = OptionSpec(
        long: "dry-run", kind: .flag, help: "Validate and print the secret (keys redacted); change nothing, write no file")
    static let allowRootChange = OptionSpec(
        long: "allow-root-change", kind: .flag, help: "Replace a cacerts secret whose root differs from the new one")
    static let restart = OptionSpec(
        long: "restart", kind: .flag, help: "Restart the istiod Deployment afterwards and wait until it has rolled out")
    static let timeout = OptionSpec(
        long: "timeout", valueName: "DURATION", help: "How long --restart waits for istiod to roll out",
        defaultValue: "5m", valueType: .duration)
    static let showKey = OptionSpec(
        long: "show-key", kind: .flag, help: "With --dry-run: print private keys instead of redacting them")

    static let spec = CommandSpec(
        name: "plug-ca",
        abstract: "Validate a CA bundle and plug it into the mesh as the cacerts secret",
        discussion: """
            Validate a plug-in CA bundle exactly as istiod would before anything is written: the signing
            certificate (ca-cert.pem) must verify against a root in root-cert.pem through cert-chain.pem, the key
            must match it, it must be a CA, and nothing may be expired or not yet valid (a warning is printed when
            less than 30 days remain). Istio's alternative layout (tls.crt, tls.key, ca.crt) and an optional
            ca-crl.pem (which must hold a CRL signed by every certificate of cert-chain.pem) are accepted.

            Then create or replace the Opaque secret cacerts in the mesh namespace (-i) with those files. If the
            cluster already has a cacerts secret with a different root, plug-ca refuses unless --allow-root-change
            is given, and explains the multi-root rotation. Re-running with the same bundle changes nothing.

            --generate makes the bundle with the defaults of meshctl pki root-ca and intermediate-ca (RSA 4096;
            3650 and 730 days): an intermediate CA for --cluster signed by the root in --root (or by a new root,
            written alongside), saved to --out before it is plugged in; make it with those commands for other
            values. --restart rolls the istiod Deployment (restartedAt annotation) and waits for it; istiod reads
            cacerts only when it starts.

            The local control plane (--context meshctl-local) needs no restart: its CA validates the secret the
            same way, signs with it and republishes the root as ConfigMap istio-ca-root-cert in every namespace;
            meshctl local status shows the CA in use, or why a cacerts secret was rejected.
            """,
        examples: [
            .init("Check a bundle without touching the cluster", "meshctl pki plug-ca --cert-dir cluster1 --dry-run"),
            .init("Plug it in and restart istiod", "meshctl pki plug-ca --cert-dir cluster1 --restart"),
            .init("Generate an intermediate from an existing root and plug it in", "meshctl pki plug-ca --generate --cluster east --root certs"),
            .init("Plug a bundle into the local control plane", "meshctl pki plug-ca --cert-dir cluster1 --context meshctl-local"),
        ],
        options: [
            certDir, generate, cluster, root, out, dryRun, PKIOptions.force, allowRootChange, restart, timeout, showKey,
            PKIOptions.output,
        ],
        run: { invocation, context in
            let options = try Options(invocation)
            let now = Date()
            let bundle = try await bundle(options, invocation: invocation, context: context)
            let report = await BundleValidator(now: now).validate(bundle)
            for warning in report.warnings {
                context.printError("Warning: \(warning)")
            }
            try report.requireValid(source: bundle.source)
            var printer = PKIPrinter()
            if let material = report.material {
                for (role, certificate) in material.labelledCertificates {
                    printer.add(role, certificate, now: now)
                }
            }
            printer.extra["namespace"] = .string(options.namespace)
            printer.extra["secret"] = .string(secretName)
            printer.extra["layout"] = .string(bundle.layout.rawValue)
            if !report.warnings.isEmpty { printer.extra["warnings"] = .array(report.warnings.map(Value.string)) }
            if options.dryRun {
                let secret = secret(for: bundle, namespace: options.namespace, redactKeys: !options.showKey)
                printer.extra["dryRun"] = true
                printer.extra["manifest"] = secret
                var text = "Bundle in \(bundle.source) is valid (\(bundle.layout.rawValue) layout); dry run, nothing changed.\n\n"
                text += printer.briefText() + "\nSecret that would be applied:\n" + YAML.emit(secret)
                if options.restart { text += "\nWould restart deployment \(options.namespace)/istiod.\n" }
                printer.print(PKIPlugCA.format(invocation), text: text, to: context)
                return .ok
            }
            let outcome = try await apply(bundle, options: options, invocation: invocation, context: context)
            printer.extra["action"] = .string(outcome.action)
            if let restarted = outcome.restarted { printer.extra["restarted"] = .string(restarted) }
            var text = "Secret \(options.namespace)/\(secretName) \(outcome.action) (\(bundle.layout.rawValue) layout).\n"
            if let restarted = outcome.restarted { text += "Deployment \(options.namespace)/\(restarted) restarted and rolled out.\n" }
            printer.print(PKIPlugCA.format(invocation), text: text + "\n" + printer.briefText(), to: context)
            return .ok
        }
    )

    static func format(_ invocation: Invocation) -> OutputFormat? { PKIOptions.format(invocation) }

    /// The resolved command line.
    struct Options {
        var certDir: String?
        var cluster: String?
        var rootDir: String?
        var outDir: String?
        var namespace: String
        var dryRun: Bool
        var force: Bool
        var allowRootChange: Bool
        var restart: Bool
        var timeout: Duration
        var showKey: Bool

        init(_ invocation: Invocation) throws {
            let parsed = invocation.options
            let generating = parsed.bool(PKIPlugCA.generate)
            certDir = parsed.string(PKIPlugCA.certDir)
            cluster = parsed.string(PKIPlugCA.cluster)
            rootDir = parsed.string(PKIPlugCA.root)
            outDir = parsed.string(PKIPlugCA.out)
            if generating == (certDir != nil) {
                throw UsageError("give either --cert-dir DIR or --generate --cluster NAME", at: invocation.path)
            }
            if generating && (cluster ?? "").isEmpty {
                throw UsageError("--generate needs --cluster NAME", at: invocation.path)
            }
            if !generating, let stray = [("cluster", cluster), ("root", rootDir), ("out", outDir)].first(where: { $0.1 != nil }) {
                throw UsageError("--\(stray.0) only applies with --generate", at: invocation.path)
            }
            namespace = GlobalOptions(invocation.options).meshNamespace
            dryRun = parsed.bool(PKIPlugCA.dryRun)
            force = parsed.bool(PKIOptions.force)
            allowRootChange = parsed.bool(PKIPlugCA.allowRootChange)
            restart = parsed.bool(PKIPlugCA.restart)
            timeout = (parsed.duration(PKIPlugCA.timeout) ?? .seconds(300)).duration
            showKey = parsed.bool(PKIPlugCA.showKey)
            if showKey && !dryRun {
                throw UsageError("--show-key only applies with --dry-run", at: invocation.path)
            }
        }
    }

    /// The bundle to plug in: read from --cert-dir, or generated (and, unless --dry-run, written to --out).
    static func bundle(_ options: Options, invocation: Invocation, context: CommandContext) async throws -> CABundle {
        if let certDir = options.certDir {
            return try CABundle.read(directory: certDir)
        }
        let clusterName = options.cluster ?? ""
        let sources = PKISources.system
        let generator = CAGenerator(sources: sources)
        let newRoot = options.rootDir == nil
        let rootCA: SigningCA
        if let rootDir = options.rootDir {
            rootCA = try SigningCA.loadRoot(directory: rootDir, now: sources.now())
        } else {
            rootCA = try generator.makeRoot()
        }
        let ca = try generator.makeIntermediate(
            .istioIntermediate(cluster: clusterName, meshNamespace: options.namespace), signedBy: rootCA)
        var files = try MaterialFiles.intermediate(ca)
        if newRoot {
            files.entries += try MaterialFiles.root(rootCA).entries.filter { $0.name == "root-key.pem" }
        }
        let directory = options.outDir ?? clusterName
        if !options.dryRun {
            for path in try files.write(to: directory, force: options.force) {
                context.printError("Wrote \(path)")
            }
        }
        let entries = Dictionary(uniqueKeysWithValues: files.entries.map { ($0.name, Data($0.text.utf8)) })
        return try CABundle(source: options.dryRun ? "generated bundle for \(clusterName)" : directory, entries: entries) {
            options.dryRun ? $0 : (directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0)
        }
    }
}
