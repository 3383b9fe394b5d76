import Foundation
import Testing

@testable import MeshCLI

struct LogLinesTests {
    @Test func aLineIsPrintedOnceItsNewlineArrives() {
        var lines = LogLines()
        #expect(lines.complete(Data("one\ntw".utf8)) == "one\n")
        #expect(lines.complete(Data("o".utf8)) == "")
        #expect(lines.complete(Data("\nthree\n".utf8)) == "two\nthree\n")
        #expect(lines.complete(Data("part".utf8)) == "")
        #expect(lines.pending == "part")
    }

    @Test(arguments: [(-1, "a\nb\nc\n"), (0, ""), (2, "b\nc\n"), (9, "a\nb\nc\n")])
    func tailKeepsTheLastLines(_ count: Int, _ expected: String) {
        #expect(LogLines.last("a\nb\nc\n", count) == expected)
    }
}
