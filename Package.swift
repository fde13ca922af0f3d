// swift-tools-version:6.0
// redline: a performance gate for CI. Zero package dependencies: Foundation, Glibc and the
// toolchain's test libraries only, as the user asked (README, "Set-up").
import PackageDescription

let package = Package(
    name: "redline",
    // Mutex (Synchronization) needs macOS 15; Linux has no minimum.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "redline", targets: ["redline"]),
        .library(name: "RedlineCore", targets: ["RedlineCore"]),
    ],
    targets: [
        // The library is optimised in debug builds too: the tests feed it files of hundreds of
        // megabytes (hardening, mapping, streaming), which an unoptimised build reads 50 times slower.
        .target(name: "RedlineCore",
                exclude: ["Model/README.md", "JSON/README.md", "Input/README.md", "Policy/README.md", "Verdict/README.md",
                          "Report/README.md", "Baseline/README.md"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .executableTarget(name: "redline", dependencies: ["RedlineCore"], exclude: ["README.md"]),
        // The evaluation harness of the verdict rules (not shipped, not a test): `swift run -c release redline-eval`.
        .executableTarget(name: "redline-eval", dependencies: ["RedlineCore"]),
        .testTarget(name: "RedlineCoreTests", dependencies: ["RedlineCore"], exclude: ["Golden"]),
        .testTarget(name: "RedlineEndToEndTests", dependencies: ["redline", "RedlineCore"], exclude: ["RealTools", "BadInputs"]),
    ],
    swiftLanguageModes: [.v6]
)
