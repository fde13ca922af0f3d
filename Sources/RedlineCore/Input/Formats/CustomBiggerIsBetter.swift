import RedlineModel
import RedlineJSON

/// github-action-benchmark's `customBiggerIsBetter`: every metric higher-is-better.
enum CustomBiggerIsBetter: DirectedCustomJSON {
    static let name = "customBiggerIsBetter"
    static let direction = Direction.higher
}
