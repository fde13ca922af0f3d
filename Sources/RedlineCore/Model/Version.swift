/// redline's own version, printed by `redline --version` and recorded in baselines.
public enum RedlineVersion {
    /// The version string.
    public static let current = "0.1.0"
}
