public enum MeshctlMain { public static func run() { print(BuildInfoProbe.text) } }
import MeshCore
enum BuildInfoProbe { static let text = "\(BuildInfo.current)" }
