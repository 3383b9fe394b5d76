import Testing
import NIOEmbedded
@testable import MeshProxy
