import MeshCore
import Testing

@Suite struct ExitCodeTests {
    @Test func coreErrorsMapToDataOrRuntimeFailures() {
        #expect(MeshCoreError(.malformedYAML, "x").exitCode == .dataError)
        #expect(MeshCoreError(.malformedJSON, "x").exitCode == .dataError)
        #expect(MeshCoreError(.invalidValue, "x").exitCode == .dataError)
        #expect(MeshCoreError(.io, "x").exitCode == .failure)
    }

    @Test func coreErrorsDescribeTheirPosition() {
        #expect(MeshCoreError(.malformedYAML, "bad", line: 3, column: 7).description == "bad at line 3, column 7")
        #expect(MeshCoreError(.invalidValue, "bad", path: "spec.replicas").description == "bad (at spec.replicas)")
    }
}
