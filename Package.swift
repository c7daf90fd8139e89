// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "searchdocs",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SearchDocs", targets: ["SearchDocs"]),
        // StaticRuntime only carries the release link settings of this product (not of the tests).
        .executable(name: "searchdocs", targets: ["searchdocs", "StaticRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target SearchDocs` (the DocC catalog).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // ICU (word break, normalization, character properties) behind a plain-C header.
        // Release builds link the system's static ICU (libicu-dev ships both forms): a
        // `searchdocs query` process then skips loading three shared libraries and resolving
        // some twelve thousand relocations in them. Debug builds (the tests) link the shared ones.
        .target(
            name: "CICUShim",
            linkerSettings: [
                .linkedLibrary("icui18n", .when(configuration: .debug)),
                .linkedLibrary("icuuc", .when(configuration: .debug)),
                .linkedLibrary("icudata", .when(configuration: .debug)),
                .unsafeFlags(["-Xlinker", "-l:libicui18n.a", "-Xlinker", "-l:libicuuc.a", "-Xlinker", "-l:libicudata.a"],
                             .when(configuration: .release)),
                // ICU is C++.
                .linkedLibrary("stdc++", .when(configuration: .release)),
            ]
        ),
        // zstd for stored text; zlib's CRC-32 for checksums, computed by libdeflate (zlib for
        // combining two); static in release builds, as ICU.
        .target(
            name: "CZstd",
            linkerSettings: [
                .linkedLibrary("zstd", .when(configuration: .debug)),
                .linkedLibrary("deflate", .when(configuration: .debug)),
                .linkedLibrary("z", .when(configuration: .debug)),
                .unsafeFlags(["-Xlinker", "-l:libzstd.a", "-Xlinker", "-l:libdeflate.a", "-Xlinker", "-l:libz.a"],
                             .when(configuration: .release)),
            ]
        ),
        // glibc's mallopt, for the searchdocs command's malloc settings.
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "SearchDocs",
            dependencies: ["CICUShim", "CZstd"]
        ),
        .executableTarget(
            name: "searchdocs",
            dependencies: [
                "SearchDocs",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Release builds of the searchdocs command are one static executable: the Swift runtime,
        // FoundationEssentials, ICU, zstd, libdeflate, zlib, the C++ and C libraries linked in, at fixed
        // addresses. A process then starts without a dynamic loader: nothing to load, no symbol
        // to look up, no relocation to apply (the position-independent form has 39,000, whose
        // pages every start copies). A cold `searchdocs query` takes about 30 % less time than
        // linked dynamically against the system's libraries. A target of its own so that the
        // test products, which link the searchdocs target with XCTest's shared runtime, stay
        // dynamic; debug builds stay dynamic too (quicker to link). libstdc++ comes again after
        // ICU's archives, which need it.
        .target(
            name: "StaticRuntime",
            swiftSettings: [.unsafeFlags(["-static-executable"], .when(configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-executable", "-Xlinker", "-l:libstdc++.a"], .when(configuration: .release))]
        ),
        // An example that uses only the library's public API.
        .executableTarget(
            name: "company-lookup",
            dependencies: [
                "SearchDocs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Examples/company-lookup"
        ),
        // The system's SQLite, for the FTS5 comparison of the benchmark.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The release benchmark: searchdocs against SQLite FTS5 (trigram) in the same run.
        .executableTarget(
            name: "searchdocs-bench",
            dependencies: ["SearchDocs", "CSQLite"],
            path: "Benchmarks/searchdocs-bench"
        ),
        // What the test targets share: the shared data folder, temporary folders, a seeded generator.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SearchDocsTests", dependencies: ["SearchDocs", "TestSupport"]),
        .testTarget(name: "searchdocsTests", dependencies: ["SearchDocs", "searchdocs", "TestSupport"]),
        // The public API as other packages see it (no @testable), the CLI's JSON and the example.
        .testTarget(name: "SearchDocsAPITests", dependencies: ["SearchDocs", "searchdocs", "company-lookup", "TestSupport"]),
    ]
)
