import ArgumentParser

/// Release-build benchmarks; each subcommand prints its figures. Run through `scripts/bench-*.sh`,
/// which also runs the peer tools on the same files.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch-bench",
        abstract: "feedwatch benchmarks (build with -c release).",
        subcommands: [ParseBench.self, DateBench.self, ExtractBench.self, ArchiveBench.self, IngestBench.self, PollBench.self, FullTextBench.self, ClusterBench.self]
    )
}
