import Testing

@testable import MeshCore

@Suite struct YAMLEmitTests {
    @Test(arguments: [
        ("true", #""true""#), ("yes", #""yes""#), ("on", #""on""#), ("Off", #""Off""#), ("y", #""y""#), ("N", #""N""#),
        ("null", #""null""#), ("~", #""~""#), ("", #""""#), ("123", #""123""#), ("-17", #""-17""#), ("1.0", #""1.0""#),
        ("0755", #""0755""#), ("0x1F", #""0x1F""#), ("1_000", #""1_000""#), ("1e+5", #""1e+5""#), (".inf", #"".inf""#),
        ("08", #""08""#), ("1:20", #""1:20""#), ("2024-05-01T12:00:00Z", #""2024-05-01T12:00:00Z""#),
        ("2024-05-01", #""2024-05-01""#), ("<<", #""<<""#),
        ("1e5", "1e5"), ("web", "web"), ("nginx:1.25", "nginx:1.25"), ("0.0.1", "0.0.1"), ("v1.2", "v1.2"),
        ("yes please", "yes please"), ("héllo wörld", "héllo wörld"), ("--flag=x", "--flag=x"), ("a#b", "a#b"),
        ("a: b", "'a: b'"), ("- x", "'- x'"), ("#comment", "'#comment'"), ("*star", "'*star'"), ("&amp", "'&amp'"),
        (" padded", "' padded'"), ("trailing ", "'trailing '"), ("{x}", "'{x}'"), ("[x]", "'[x]'"), ("it's", "it's"),
        ("@at", "'@at'"), ("%pct", "'%pct'"), ("!bang", "'!bang'"), ("`tick", "'`tick'"), ("|pipe", "'|pipe'"),
        ("tab\there", "\"tab\\there\""), ("2024-13-01", "2024-13-01"),
    ])
    func quotesStringsThatWouldReadBackAsSomethingElse(input: String, expected: String) throws {
        let text = YAML.emit(["k": .string(input)])
        #expect(text == "k: \(expected)\n")
        #expect(try YAML.parse(text) == ["k": .string(input)])
    }

    @Test(arguments: [
        (Value.null, "null"), (.bool(true), "true"), (.int(-42), "-42"), (.double(1.5), "1.5"), (.double(2), "2"),
        (.double(1e6), "1e+06"), (.double(123456.5), "123456.5"), (.double(1234567.5), "1.2345675e+06"),
        (.double(0.0001), "0.0001"), (.double(0.00001), "1e-05"), (.double(.infinity), ".inf"),
        (.double(-.infinity), "-.inf"), (.double(.nan), ".nan"), (.double(-0.0), "-0"),
    ])
    func writesScalarsLikeGoYAML(value: Value, expected: String) {
        #expect(YAML.emit(["k": value]) == "k: \(expected)\n")
    }

    @Test func sequencesInMappingsAreNotIndented() {
        let value: Value = ["spec": ["containers": [["name": "a", "ports": [["containerPort": 80]]], ["name": "b"]]]]
        let expected = """
            spec:
              containers:
              - name: a
                ports:
                - containerPort: 80
              - name: b

            """
        #expect(YAML.emit(value) == expected)
    }

    @Test func nestedSequencesAndEmptyContainers() {
        let value: Value = ["a": [[1, 2], []], "b": [:], "c": []]
        #expect(YAML.emit(value) == "a:\n- - 1\n  - 2\n- []\nb: {}\nc: []\n")
    }

    @Test func topLevelValues() {
        #expect(YAML.emit("top") == "top\n")
        #expect(YAML.emit(nil) == "null\n")
        #expect(YAML.emit([1, "two"]) == "- 1\n- two\n")
        #expect(YAML.emit([:]) == "{}\n")
        #expect(YAML.emit([]) == "[]\n")
    }

    @Test func multiLineStringsUseLiteralBlocks() throws {
        let value: Value = ["script": "set -e\necho hi\n", "chomped": "a\nb", "kept": "x\n\n", "indented": "  lead\nx"]
        let text = YAML.emit(value, sortKeys: false)
        #expect(text == "script: |\n  set -e\n  echo hi\nchomped: |-\n  a\n  b\nkept: |+\n  x\n\nindented: |2-\n    lead\n  x\n")
        #expect(try YAML.parse(text) == value)
    }

    @Test func multiLineWithTrailingSpaceFallsBackToDoubleQuotes() {
        #expect(YAML.emit(["k": "trail \nx"]) == "k: \"trail \\nx\"\n")
    }

    @Test func longLinesAreNotFolded() {
        let long = Array(repeating: "word", count: 60).joined(separator: " ")
        #expect(YAML.emit(["k": .string(long)]) == "k: \(long)\n")
    }

    @Test func unicodeIsWrittenAsIs() throws {
        #expect(YAML.emit(["名前": "ünïcødé €"]) == "名前: ünïcødé €\n")
    }

    @Test func charactersBeyondTheBMPAreEscapedAsKubectlDoes() throws {
        // libyaml (and go-yaml, its Go port) treat 4-byte UTF-8 as not printable and double-quote with \U.
        let text = YAML.emit(["k": "smile 😀"])
        #expect(text == "k: \"smile \\U0001F600\"\n")
        #expect(try YAML.parse(text) == ["k": "smile 😀"])
    }

    @Test func keysSortInGoYAMLOrder() {
        let keys = ["b", "B", "a", "_x", "item10", "item9", "item1", "a-b", "ab", "a_b", "aB", "10", "9", "é", "z"]
        let object = Value.Object(keys.map { ($0, Value.int(1)) })
        let text = YAML.emit(.object(object))
        let order = text.split(separator: "\n").map { String($0.split(separator: ":")[0]) }
        #expect(order == ["_x", #""9""#, #""10""#, "B", "a", "a-b", "a_b", "aB", "ab", "b", "item1", "item9", "item10", "z", "é"])
    }

    @Test func insertionOrderWhenNotSorting() {
        #expect(YAML.emit(["z": 1, "a": 2], sortKeys: false) == "z: 1\na: 2\n")
    }

    @Test func documentsAreSeparated() {
        #expect(YAML.emitDocuments([["a": 1], ["b": [2]]]) == "a: 1\n---\nb:\n- 2\n")
        #expect(YAML.emitDocuments([]) == "")
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          annotations:
            deployment.kubernetes.io/revision: "1"
            kubectl.kubernetes.io/last-applied-configuration: |
              {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"reviews"}}
          creationTimestamp: "2024-05-01T12:00:00Z"
          generation: 1
          labels:
            app: reviews
            version: v1
          name: reviews-v1
          namespace: bookinfo
          resourceVersion: "123456"
          uid: 1b4e28ba-2fa1-11d2-883f-0016d3cca427
        spec:
          progressDeadlineSeconds: 600
          replicas: 3
          revisionHistoryLimit: 10
          selector:
            matchLabels:
              app: reviews
              version: v1
          strategy:
            rollingUpdate:
              maxSurge: 25%
              maxUnavailable: 25%
            type: RollingUpdate
          template:
            metadata:
              annotations:
                sidecar.istio.io/inject: "true"
                traffic.sidecar.istio.io/excludeOutboundPorts: "15020"
              creationTimestamp: null
              labels:
                app: reviews
                version: v1
            spec:
              containers:
              - args:
                - --log-level=info
                - --port
                - "9080"
                env:
                - name: LOG_DIR
                  value: /tmp/logs
                - name: ENABLE_RATINGS
                  value: "yes"
                - name: SCRIPT
                  value: |-
                    set -e
                    exec /opt/ibm/wlp/bin/server run
                image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.2
                imagePullPolicy: IfNotPresent
                name: reviews
                ports:
                - containerPort: 9080
                  name: http
                  protocol: TCP
                resources:
                  limits:
                    cpu: 500m
                    memory: 1Gi
                  requests:
                    cpu: 100m
                    memory: 256Mi
                securityContext:
                  runAsUser: 1000
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /tmp
                  name: tmp
              dnsPolicy: ClusterFirst
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext: {}
              serviceAccountName: bookinfo-reviews
              terminationGracePeriodSeconds: 30
              volumes:
              - emptyDir: {}
                name: tmp
        status:
          availableReplicas: 3
          conditions:
          - lastTransitionTime: "2024-05-01T12:00:10Z"
            message: ReplicaSet "reviews-v1-5b8d6f7c9d" has successfully progressed.
            reason: NewReplicaSetAvailable
            status: "True"
            type: Progressing
          observedGeneration: 1
          readyReplicas: 3
          replicas: 3
          updatedReplicas: 3

        """

    @Test func deploymentRoundTripsByteForByte() throws {
        let value = try YAML.parse(Self.deployment)
        #expect(value["spec"]?["template"]?["metadata"]?["creationTimestamp"] == .null)
        #expect(value["spec"]?["template"]?["spec"]?["containers"]?[0]?["env"]?[1]?["value"] == "yes")
        #expect(YAML.emit(value) == Self.deployment)
    }

    @Test func deploymentSurvivesJSON() throws {
        let value = try YAML.parse(Self.deployment)
        let json = JSON.emit(value, indent: 4)
        #expect(YAML.emit(try JSON.parse(json)) == Self.deployment)
    }
}
