// swift-tools-version: 6.2
// The pipeline reads top to bottom: sources (FeedFetch, DropFolder) → parser (FeedParser)
// → dedup + archive (Archive) → the daemon that wires them (FeedWatchCore) → the `feedwatch` CLI.
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "feedwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "feedwatch", targets: ["feedwatch"]),
        .executable(name: "feedwatch-bench", targets: ["feedwatch-bench"]),
        .library(name: "FeedParser", targets: ["FeedParser"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // C boundaries: module map + shim header each, nothing else.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CIDN2",
            pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]
        ),

        // Plain value types every layer shares: the article record and its JSON line.
        .target(
            name: "FeedModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: upcoming
        ),
        // The parser: bytes (+ format, base URL, charset hints) → articles. No file or network I/O.
        // Support layer shared by every reader: bytes, dates, URLs (IDNA), charsets, text normalization.
        .target(
            name: "ParserSupport",
            dependencies: ["FeedModel", "CIDN2"],
            swiftSettings: upcoming
        ),
        // HTML → SPEC §3 text over libxml2's HTML parser (entry bodies, whole pages).
        .target(
            name: "HTMLToText",
            dependencies: ["ParserSupport", "CLibXML2"],
            swiftSettings: upcoming
        ),
        // RSS 0.9x/2.0, RSS 1.0, Atom 1.0/0.3 (libxml2 SAX) and JSON Feed → articles.
        .target(
            name: "FeedFormats",
            dependencies: ["FeedModel", "ParserSupport", "HTMLToText", "CLibXML2"],
            swiftSettings: upcoming
        ),
        // Plain-text articles: title line, header block, paragraphs, boilerplate rules.
        .target(
            name: "PlainText",
            dependencies: ["FeedModel", "ParserSupport", "HTMLToText"],
            swiftSettings: upcoming
        ),
        // Whole HTML pages: main-content extraction and page metadata.
        .target(
            name: "PageExtraction",
            dependencies: ["FeedModel", "ParserSupport", "HTMLToText"],
            swiftSettings: upcoming
        ),
        // The one entry point: rejects non-documents, decodes, detects the format, dispatches.
        .target(
            name: "FeedParser",
            dependencies: ["FeedModel", "ParserSupport", "FeedFormats", "PlainText", "PageExtraction"],
            swiftSettings: upcoming
        ),
        // The raw system calls swift-system does not wrap (one EINTR loop, errno kept) and the
        // bounded whole-file reader, over swift-system: shared by the inbox, the archive, the
        // daemon and the CLI, none of which should import another just for these.
        .target(
            name: "SystemSupport",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: upcoming
        ),
        // HTTP over libcurl's multi interface. The only importer of CCurl.
        .target(
            name: "FeedFetch",
            dependencies: ["CCurl", "ParserSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming
        ),
        // Append-only JSON-lines archive, segments, lock, dedup index.
        .target(
            name: "Archive",
            dependencies: [
                "FeedModel", "SystemSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // Cluster mode: PostgreSQL as the archive of record (leases, global dedup, the gapless
        // ordered log). The only importer of PostgresNIO, like FeedFetch for curl.
        .target(
            name: "ArchivePostgres",
            dependencies: [
                "FeedModel", "Archive",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // inotify-backed inbox watcher. The only user of inotify.
        .target(
            name: "DropFolder",
            dependencies: [
                "SystemSupport",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // Config, scheduler, services, systemd notify: the daemon.
        .target(
            name: "FeedWatchCore",
            dependencies: [
                "FeedModel", "FeedParser", "ParserSupport", "FeedFetch", "Archive", "ArchivePostgres", "DropFolder",
                "SystemSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "feedwatch",
            dependencies: [
                "FeedWatchCore", "FeedFetch", "FeedModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        // Release-build benchmarks: `swift run -c release feedwatch-bench …` (see scripts/).
        .executableTarget(
            name: "feedwatch-bench",
            dependencies: [
                "FeedParser", "ParserSupport", "PageExtraction", "FeedModel", "FeedWatchCore", "FeedWatchTesting",
                "Archive", "ArchivePostgres", "DropFolder", .product(name: "Logging", package: "swift-log"), .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        // Test-only helpers shared by the test targets: loopback HTTP server, temp dirs, the binary.
        .target(
            name: "FeedWatchTesting",
            dependencies: ["FeedModel", "SystemSupport"],
            swiftSettings: upcoming
        ),

        .testTarget(name: "FeedModelTests", dependencies: ["FeedModel"], swiftSettings: upcoming),
        .testTarget(
            name: "FeedParserTests",
            dependencies: [
                "FeedParser", "ParserSupport", "HTMLToText", "FeedFormats", "PlainText", "PageExtraction",
                "FeedModel", "FeedWatchTesting",
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "FeedFetchTests",
            dependencies: ["FeedFetch", "FeedWatchTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ArchiveTests",
            dependencies: ["Archive", "FeedModel", "FeedWatchTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DropFolderTests",
            dependencies: ["DropFolder", "SystemSupport", "FeedWatchTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "SystemSupportTests",
            dependencies: ["SystemSupport", "FeedWatchTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "FeedWatchCoreTests",
            dependencies: [
                "FeedWatchCore", "SystemSupport", "FeedWatchTesting",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // End-to-end: runs the built `feedwatch` binary as a process.
        .testTarget(
            name: "FeedWatchCLITests",
            dependencies: ["feedwatch", "FeedWatchTesting", "FeedModel"],
            swiftSettings: upcoming
        ),
    ]
)
