/// What happens to dependents when an object is deleted.
public enum PropagationPolicy: String, Sendable {
    /// Delete dependents in the background.
    case background = "Background"
    /// Delete dependents first.
    case foreground = "Foreground"
    /// Leave dependents.
    case orphan = "Orphan"
}
