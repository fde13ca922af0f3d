/// redline's own version, printed by `redline --version` and recorded in baselines.
public enum RedlineVersion {
    /// The version string. Release builds stamp the tag's version on this one line
    /// (`scripts/release-build.sh`, in a copy of the sources): keep it a single line.
    public static let current = "0.2.0-dev"
}
