import Testing

@testable import MeshCore

@Suite struct ValueCodingTests {
    struct Port: Codable, Equatable {
        var name: String?
        var containerPort: Int
        var weight: Double?
    }

    struct Container: Codable, Equatable {
        var name: String
        var image: String
        var ports: [Port]?
        var env: [String: String]?
    }

    struct Spec: Codable, Equatable {
        var replicas: Int?
        var paused: Bool?
        var containers: [Container]
        var extra: Value?
    }

    struct Object: Codable, Equatable {
        var apiVersion: String
        var kind: String
        var spec: Spec
    }

    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          replicas: 3
          containers:
          - name: app
            image: nginx
            ports:
            - containerPort: 80
              weight: 1
            env: {A: x}
          extra:
            anything: [1, {b: yes}]
        """

    @Test func decodesNestedTypesFromYAML() throws {
        let object = try ValueDecoder().decode(Object.self, from: YAML.parse(Self.manifest))
        #expect(object.spec.replicas == 3)
        #expect(object.spec.paused == nil)
        #expect(object.spec.containers[0].ports == [Port(name: nil, containerPort: 80, weight: 1.0)])
        #expect(object.spec.containers[0].env == ["A": "x"])
        #expect(object.spec.extra == ["anything": [1, ["b": true]]])
    }

    @Test func encodesInDeclarationOrderAndLeavesOutNil() throws {
        let object = try ValueDecoder().decode(Object.self, from: YAML.parse(Self.manifest))
        let value = try ValueEncoder().encode(object)
        #expect(value.objectValue?.keys == ["apiVersion", "kind", "spec"])
        #expect(value["spec"]?.objectValue?.keys == ["replicas", "containers", "extra"])
        #expect(value["spec"]?["containers"]?[0]?["ports"]?[0] == ["containerPort": 80, "weight": 1.0])
        #expect(try ValueDecoder().decode(Object.self, from: value) == object)
    }

    @Test func wholeDoublesDecodeIntoIntegersAndIntegersIntoDoubles() throws {
        #expect(try ValueDecoder().decode(Int.self, from: .double(3)) == 3)
        #expect(try ValueDecoder().decode(UInt8.self, from: .int(255)) == 255)
        #expect(try ValueDecoder().decode(Double.self, from: .int(2)) == 2.0)
        #expect(try ValueDecoder().decode(Float.self, from: .double(0.5)) == 0.5)
        #expect(try ValueDecoder().decode(Int64.self, from: JSON.parse("1e3")) == 1000)
    }

    @Test(arguments: [
        (Value.double(2.5), "expected an integer that fits Int8, found number 2.5"),
        (.string("3"), "expected an integer that fits Int8, found a string"),
        (.int(300), "expected an integer that fits Int8, found integer 300"),
        (.bool(true), "expected an integer that fits Int8, found boolean true"),
    ])
    func lossyNumberConversionsFail(value: Value, message: String) {
        #expect {
            try ValueDecoder().decode(Int8.self, from: value)
        } throws: { error in
            (error as? MeshCoreError)?.message == message
        }
    }

    @Test func typeMismatchNamesThePath() {
        let value: Value = ["apiVersion": "v1", "kind": "Pod", "spec": ["containers": [["name": "a", "image": "x"], ["name": 7, "image": "y"]]]]
        do {
            _ = try ValueDecoder().decode(Object.self, from: value)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.message == "expected a string, found integer 7")
            #expect(error.path == "spec.containers[1].name")
            #expect(error.exitCode == .dataError)
        }
    }

    @Test func missingKeyNamesThePath() {
        let value: Value = ["apiVersion": "v1", "kind": "Pod", "spec": ["containers": [["name": "a"]]]]
        do {
            _ = try ValueDecoder().decode(Object.self, from: value)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "missing required key \"image\"")
            #expect(error.path == "spec.containers[0].image")
        }
    }

    @Test func wrongContainerKindNamesThePath() {
        let value: Value = ["apiVersion": "v1", "kind": "Pod", "spec": ["containers": ["name": "a"]]]
        do {
            _ = try ValueDecoder().decode(Object.self, from: value)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "expected a sequence, found a mapping")
            #expect(error.path == "spec.containers")
        }
    }

    enum PortProtocol: String, Codable { case tcp = "TCP", udp = "UDP" }

    @Test func errorsFromTypesOwnDecodingCarryThePath() {
        struct Holder: Codable { var proto: [PortProtocol] }
        do {
            _ = try ValueDecoder().decode(Holder.self, from: ["proto": ["TCP", "SCTP"]])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.path == "proto[1]")
        }
    }

    @Test func nullDecodesAsNilForOptionalsButNotForRequired() throws {
        struct Holder: Codable, Equatable { var a: Int?; var b: [String?] }
        #expect(try ValueDecoder().decode(Holder.self, from: ["a": nil, "b": ["x", nil]]) == Holder(a: nil, b: ["x", nil]))
        #expect(throws: MeshCoreError.self) { try ValueDecoder().decode(Holder.self, from: ["b": nil]) }
    }

    @Test func encodesPrimitivesAndNesting() throws {
        struct All: Encodable {
            var s = "x"; var b = true; var i = -1; var u8: UInt8 = 200; var big = UInt64.max
            var d = 0.5; var f: Float = 0.1; var list = [[1, 2], []]; var map = ["k": ["v"]]
            var nothing: Int? = nil; var explicitNull = Value.null
        }
        let value = try ValueEncoder().encode(All())
        #expect(value.objectValue?.keys == ["s", "b", "i", "u8", "big", "d", "f", "list", "map", "explicitNull"])
        #expect(value["u8"] == 200)
        #expect(value["big"] == .double(Double(UInt64.max)))
        #expect(value["f"] == .double(0.1))
        #expect(value["list"] == [[1, 2], []])
        #expect(value["map"] == ["k": ["v"]])
        #expect(value["explicitNull"] == .null)
    }

    @Test func valueRoundTripsThroughItsOwnCodable() throws {
        let value: Value = ["a": [1, 2.5, "s", true, nil], "b": ["c": [:]]]
        #expect(try ValueEncoder().encode(value) == value)
        #expect(try ValueDecoder().decode(Value.self, from: value) == value)
        struct Holder: Codable, Equatable { var free: Value }
        let holder = Holder(free: value)
        let encoded = try ValueEncoder().encode(holder)
        #expect(encoded == ["free": value])
        #expect(try ValueDecoder().decode(Holder.self, from: encoded) == holder)
    }

    @Test func customCodingKeysAndNestedContainers() throws {
        struct Meta: Codable, Equatable {
            var name: String
            var labels: [String: String]
            enum CodingKeys: String, CodingKey { case name, labels = "metadata_labels" }
        }
        let meta = Meta(name: "n", labels: ["app": "web"])
        let value = try ValueEncoder().encode(meta)
        #expect(value == ["name": "n", "metadata_labels": ["app": "web"]])
        #expect(try ValueDecoder().decode(Meta.self, from: value) == meta)
    }
}
