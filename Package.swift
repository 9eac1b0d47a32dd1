// swift-tools-version:6.0
import PackageDescription

// Targets and import directions: docs/layout.md. CLRuntime → COpenCL; Tasks → CZlib (zlib);
// OpenCLBackend → CLRuntime, SculptCore, COpenBLAS, CCLBlast; ReferenceBackend, Training, Tasks → SculptCore; Analysis → Tasks;
// Reports → Analysis; Pruning (the run and train entry points) → Training, Reports, Tasks; Sweeps → Pruning;
// Replications → Pruning, Clusterability; sculpt (parses and prints) → everything.
let package = Package(
    name: "Sculpt",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sculpt", targets: ["sculpt"]),
        // The pure libraries, for other packages (no OpenCL): tasks, module detection and its
        // figures, clusterability.
        .library(name: "SculptCore", targets: ["SculptCore"]),
        .library(name: "Tasks", targets: ["Tasks"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Clusterability", targets: ["Clusterability"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        // MARK: - OpenCL
        .systemLibrary(
            name: "COpenCL",
            pkgConfig: "OpenCL",
            providers: [.apt(["ocl-icd-opencl-dev", "opencl-headers"])]
        ),
        .target(name: "CLRuntime", dependencies: ["COpenCL"]),
        // zlib, for gzipped MNIST-format IDX files (Tasks).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .executableTarget(name: "EmbedResourcesTool"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["EmbedResourcesTool"]),
        .target(name: "SculptKernels", plugins: ["EmbedResources"]),

        // MARK: - Pure Swift
        .target(name: "SculptCore", plugins: ["EmbedResources"]),
        .target(name: "Tasks", dependencies: ["SculptCore", "CZlib"]),
        .target(name: "ReferenceBackend", dependencies: ["SculptCore"]),
        .target(name: "Training", dependencies: ["SculptCore"]),
        .target(name: "Pruning", dependencies: ["Training", "SculptCore", "Tasks", "Analysis", "Reports"]),
        .target(name: "Analysis", dependencies: ["SculptCore", "Tasks"]),
        .target(name: "Reports", dependencies: ["SculptCore", "Analysis"]),
        .target(
            name: "Sweeps",
            dependencies: ["SculptCore", "Tasks", "Training", "Pruning", "Analysis", "Reports", .product(name: "Yams", package: "Yams")],
            exclude: ["Manifests"],  // embedded by the EmbedResources plugin
            plugins: ["EmbedResources"]
        ),

        // MARK: - Device backend
        // CLBlast (libclblast-dev): strided-batched SGEMM for large layers on GPU devices.
        .systemLibrary(name: "CCLBlast", providers: [.apt(["libclblast-dev"])]),
        .target(name: "OpenCLBackend", dependencies: ["CLRuntime", "SculptCore", "SculptKernels", "COpenBLAS", "CCLBlast"]),

        // MARK: - Clusterability (CPU: LAPACK eigenvectors, igraph community detection; no OpenCL)
        .systemLibrary(
            name: "CLAPACK",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        // OpenBLAS (libopenblas-dev): cblas_sgemm for large layers on CPU devices, and its thread count.
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // igraph (libigraph-dev) behind a small C interface: see Sources/IgraphBridge/include/igraph_bridge.h.
        .target(name: "IgraphBridge", linkerSettings: [.linkedLibrary("igraph")]),
        .target(name: "Clusterability", dependencies: ["SculptCore", "CLAPACK", "COpenBLAS", "IgraphBridge"]),
        // The clusterability replication: trains with gradual pruning, then measures clusterability.
        .target(name: "Replications", dependencies: ["Clusterability", "Pruning", "SculptCore", "Tasks", "Training"]),

        // MARK: - Command line
        .executableTarget(
            name: "sculpt",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "CLRuntime", "SculptCore", "Tasks", "ReferenceBackend", "OpenCLBackend",
                "Training", "Pruning", "Analysis", "Reports", "Sweeps", "Clusterability", "Replications",
            ]
        ),
        .executableTarget(
            name: "sculpt-bench",
            dependencies: [
                "CLRuntime", "SculptCore", "Tasks", "ReferenceBackend", "OpenCLBackend", "Training", "Pruning", "Analysis", "Reports",
                "Clusterability", "COpenBLAS",
            ],
            path: "Benchmarks/sculpt-bench"
        ),

        // MARK: - Tests
        // Helpers every test target shares: skipOrFail (a failure in CI), the test device, SplitMix64, fixtures.
        .target(name: "TestSupport", dependencies: ["CLRuntime", "OpenCLBackend", "SculptCore"], path: "Tests/TestSupport"),
        .testTarget(name: "CLRuntimeTests", dependencies: ["CLRuntime", "SculptKernels", "TestSupport"]),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "SculptCore", "TestSupport"]),
        .testTarget(name: "SweepsTests", dependencies: ["Sweeps", "Analysis", "Reports", "ReferenceBackend", "SculptCore", "Tasks", "TestSupport"]),
        .testTarget(name: "ClusterabilityTests", dependencies: ["Clusterability", "SculptCore", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Reports", "SculptCore", "Tasks", "TestSupport"], exclude: ["torch-fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["SculptCore", "Tasks", "TestSupport"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "ReferenceBackend", "OpenCLBackend", "SculptCore", "Tasks", "TestSupport"]
        ),
        .testTarget(
            name: "PruningTests",
            dependencies: ["Pruning", "Training", "Analysis", "Tasks", "ReferenceBackend", "OpenCLBackend", "SculptCore", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Each target folder may hold a README.md saying what it owns; it is documentation, not a source.
import Foundation
for target in package.targets where target.type != .system && target.type != .plugin {
    let folder = target.path ?? (target.type == .test ? "Tests/\(target.name)" : "Sources/\(target.name)")
    if FileManager.default.fileExists(atPath: Context.packageDirectory + "/" + folder + "/README.md") {
        target.exclude.append("README.md")
    }
}
