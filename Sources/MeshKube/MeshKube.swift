import CCurl
/// placeholder
public enum MeshKube {}
