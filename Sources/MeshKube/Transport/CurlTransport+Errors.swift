import CCurl
import Foundation

extension CurlTransport {
    /// Turns a libcurl failure into a `KubeError` whose message says what failed and what to check.
    func transportError(_ code: CURLcode, request: HTTPRequest) -> KubeError {
        let detail = detail(for: code)
        let target = "\(request.method.uppercased()) \(request.url)"
        let curlCode = Int(code.rawValue)
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return KubeError(.unsupportedURL, "cannot send \(target): \(detail)", curlCode: curlCode)
        case CURLE_COULDNT_RESOLVE_PROXY:
            return KubeError(.connectionFailed, "cannot resolve the proxy for \(target): \(detail); check proxy-url",
                             curlCode: curlCode)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            return KubeError(
                .connectionFailed,
                "cannot connect to the server for \(target): \(detail); is the cluster running and the server address in the kubeconfig right?",
                curlCode: curlCode)
        case CURLE_OPERATION_TIMEDOUT:
            return KubeError(.timeout, "\(target) timed out: \(detail); raise --request-timeout or check the network",
                             curlCode: curlCode)
        case CURLE_PEER_FAILED_VERIFICATION:
            return KubeError(
                .tls,
                "cannot verify the server's certificate for \(target): \(detail); check certificate-authority(-data) and tls-server-name in the kubeconfig",
                curlCode: curlCode)
        case CURLE_SSL_CERTPROBLEM:
            return KubeError(
                .tls, "the client certificate for \(target) cannot be used: \(detail); check client-certificate(-data)",
                curlCode: curlCode)
        case CURLE_SSL_CACERT_BADFILE:
            return KubeError(
                .tls, "the certificate authority for \(target) cannot be read: \(detail); check certificate-authority(-data)",
                curlCode: curlCode)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CLIENTCERT:
            return KubeError(.tls, "TLS handshake failed for \(target): \(detail)", curlCode: curlCode)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            return KubeError(.connectionFailed, "the connection for \(target) broke: \(detail)", curlCode: curlCode)
        default:
            return KubeError(.transport, "\(target) failed: \(detail) (libcurl error \(curlCode))", curlCode: curlCode)
        }
    }
}
