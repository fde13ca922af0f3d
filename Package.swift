// swift-tools-version:6.0
// redline: a performance gate for CI. Zero package dependencies: Foundation, Glibc and the
// toolchain's test libraries only, as the user asked (README, "Set-up").
import PackageDescription

/// The library's layers, lowest first: folders of Sources/RedlineCore.
let layers = ["Model", "JSON", "Input", "Policy", "History", "Verdict", "Baseline", "Report"]

/// One layer of the library as a target that depends on the layers `below` it and on no other.
/// No unsafe flags: a package that has them cannot be depended on by version (the debug build
/// that `swift test` uses is unoptimised, and takes about 3 minutes on 2 cores: CONTRIBUTING.md).
func layer(_ name: String, below: [String] = []) -> Target {
    .target(
        name: "Redline" + name, dependencies: below.map { .target(name: "Redline" + $0) },
        path: "Sources/RedlineCore/" + name, exclude: ["README.md"])
}

let package = Package(
    name: "redline",
    // Mutex (Synchronization) needs macOS 15; Linux has no minimum.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "redline", targets: ["redline"]),
        .library(name: "RedlineCore", targets: ["RedlineCore"]),
    ],
    targets: [
        // The library's layers, each a target that sees only the layers below it, so that the
        // compiler refuses an import upwards (docs/layout.md draws them):
        // Model ← JSON ← Input, Policy ← History ← Verdict, Baseline ← Report.
        layer("Model"),
        layer("JSON", below: ["Model"]),
        layer("Input", below: ["Model", "JSON"]),
        layer("Policy", below: ["Model", "JSON"]),
        layer("History", below: ["Model", "JSON", "Policy"]),
        layer("Verdict", below: ["Model", "JSON", "Policy", "History"]),
        layer("Baseline", below: ["Model", "JSON", "Input", "Policy", "History"]),
        layer("Report", below: ["Model", "JSON", "Input", "Policy", "History", "Verdict", "Baseline"]),
        // The name the executable and library users import: every layer, re-exported.
        .target(
            name: "RedlineCore", dependencies: layers.map { .target(name: "Redline" + $0) },
            path: "Sources/RedlineCore/Core"),
        .executableTarget(name: "redline", dependencies: ["RedlineCore"], exclude: ["README.md"]),
        // The evaluation harness of the verdict rules (not shipped, not a test): `swift run -c release redline-eval`.
        .executableTarget(name: "redline-eval", dependencies: ["RedlineCore"]),
        .testTarget(
            name: "RedlineCoreTests", dependencies: ["RedlineCore"] + layers.map { .target(name: "Redline" + $0) },
            exclude: ["Golden"]),
        .testTarget(
            name: "RedlineEndToEndTests",
            dependencies: ["redline", "RedlineCore"] + layers.map { .target(name: "Redline" + $0) },
            exclude: ["RealTools", "BadInputs"]),
    ],
    swiftLanguageModes: [.v6]
)
