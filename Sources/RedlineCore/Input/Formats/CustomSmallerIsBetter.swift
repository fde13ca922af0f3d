import RedlineModel
import RedlineJSON

/// github-action-benchmark's `customSmallerIsBetter`: every metric lower-is-better.
enum CustomSmallerIsBetter: DirectedCustomJSON {
    static let name = "customSmallerIsBetter"
    static let direction = Direction.lower
}
