import MeshCore
import Testing

@testable import MeshManifest

@Suite struct QuantityTests {
    @Test(arguments: [
        ("2000m", "2"), ("100m", "100m"), ("1024Mi", "1Gi"), ("128Mi", "128Mi"), ("1536Mi", "1536Mi"),
        ("0.5", "500m"), ("1000", "1k"), ("1.5", "1500m"), ("0", "0"), ("512Ki", "512Ki"), ("1e3", "1k"),
    ])
    func canonicalForms(input: String, expected: String) {
        #expect(Quantity.canonical(input) == expected)
    }

    @Test func nonQuantitiesAreKept() {
        #expect(Quantity.canonical("lots") == nil)
        #expect(Quantity.canonical(.string("12 cores")) == .string("12 cores"))
        #expect(Quantity.canonical(.int(2)) == .string("2"))
    }
}
