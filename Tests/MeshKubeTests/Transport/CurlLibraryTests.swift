import Testing

@testable import MeshKube

struct CurlLibraryTests {
    @Test func systemLibcurlLoadsWithEveryFunction() throws {
        let curl = try CurlLibrary.load()
        #expect(curl.api.pointee.easy_setopt != nil)
        #expect(curl.api.pointee.slist_free_all != nil)
    }

    @Test func missingLibraryIsAnErrorThatSaysWhatToInstall() {
        let error = #expect(throws: KubeError.self) { try CurlLibrary(opening: "/nonexistent/libcurl.so.4") }
        #expect(error?.code == .transport)
        #expect(error?.message.hasPrefix("cannot load libcurl (/nonexistent/libcurl.so.4: ") == true)
        #expect(error?.message.hasSuffix("install it (Debian: apt-get install libcurl4)") == true)
    }

    @Test func libraryWithoutCurlsFunctionsIsRejected() {
        let error = #expect(throws: KubeError.self) { try CurlLibrary(opening: "libc.so.6") }
        #expect(error?.code == .transport)
        #expect(error?.message == "cannot use libcurl: libc.so.6 has no function curl_global_init")
    }
}
