import ArgumentParser

/// `--config PATH`, the same for every subcommand that reads the daemon's config.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?
}
