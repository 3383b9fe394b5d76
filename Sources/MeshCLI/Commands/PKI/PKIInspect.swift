import Foundation
import MeshCore
import MeshKube
import MeshPKI

/// `meshctl pki inspect`: every certificate in a PEM file, standard input or a secret.
enum PKIInspect {
    static let spec = CommandSpec(
        name: "inspect",
        abstract: "Show the certificates in a PEM file or a secret",
        discussion: """
            Show every certificate in a PEM bundle: subject, issuer, subject alternative names (SPIFFE IDs shown as
            such), validity and time left, key type and size, basic constraints, key usage, extended key usage,
            subject and authority key identifiers, and SHA-256 and SHA-1 fingerprints.

            The argument is a file, - for standard input, or secret/NAME for the PEM entries of a Kubernetes secret
            (in the namespace given with -n, else the mesh namespace, where cacerts lives). Private keys are never
            shown.
            """,
        examples: [
            .init("Inspect a generated bundle's chain", "meshctl pki inspect cluster1/cert-chain.pem"),
            .init("Inspect the plugged-in CA of the mesh", "meshctl pki inspect secret/cacerts"),
            .init("Inspect a certificate from a pipe, as JSON", "kubectl get cm istio-ca-root-cert -o jsonpath='{.data.root-cert\\.pem}' | meshctl pki inspect - -o json"),
        ],
        options: [PKIOptions.output],
        arguments: [ArgumentSpec("FILE|-|secret/NAME", help: "What to inspect", completion: .anyFile)],
        run: { invocation, context in
            guard invocation.arguments.count == 1 else {
                throw UsageError("expected exactly one FILE, - or secret/NAME", at: invocation.path)
            }
            let target = invocation.arguments[0]
            let now = Date()
            var printer = PKIPrinter()
            var notes: [String] = []
            if target.hasPrefix("secret/") {
                let name = String(target.dropFirst("secret/".count))
                let namespace = PKICluster.secretNamespace(invocation)
                let client = try PKICluster.client(invocation, context)
                let secret = KubeObject(try client.get(.secrets, name: name, namespace: namespace))
                let data = secret.secretData
                for key in data.keys.sorted() {
                    guard let value = data[key], let text = String(data: value, encoding: .utf8),
                        text.contains("-----BEGIN ")
                    else { continue }
                    let file = PEMFile(name: "\(target):\(key)", text: text)
                    if text.contains("PRIVATE KEY-----") && !text.contains("-----BEGIN CERTIFICATE-----") {
                        notes.append("\(key): private key (not shown)")
                        continue
                    }
                    for (index, certificate) in try file.certificatesSkippingPrivateKeys().enumerated() {
                        printer.add("\(key) #\(index + 1)", certificate, now: now)
                    }
                }
                guard !printer.items.isEmpty else {
                    throw PKIError(.badMaterial, "secret \(namespace)/\(name) holds no PEM certificates")
                }
            } else {
                let file = try PKIOptions.readPEM(target)
                for (index, certificate) in try file.certificatesSkippingPrivateKeys().enumerated() {
                    printer.add("certificate \(index + 1)", certificate, now: now)
                }
            }
            if !notes.isEmpty { printer.extra["notes"] = .array(notes.map(Value.string)) }
            let text = printer.fullText() + (notes.isEmpty ? "" : "\n" + notes.joined(separator: "\n") + "\n")
            printer.print(PKIOptions.format(invocation), text: text, to: context)
            return .ok
        }
    )
}
