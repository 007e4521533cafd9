/// The per-source `full_text` lines of `feedwatch stats`, read from the saved ledgers (so they
/// work while the daemon runs): pages fetched, extracted, refused (by reason) and failed.
enum FullTextReport {
    static func lines(_ config: Configuration) -> [(String, String)] {
        let files = FullTextLedgerFiles(stateDirectory: config.stateDirectory)
        return config.sources.filter { $0.fullText != .never }.map { source in
            let ledger = files.load(source.name).0
            let c = ledger.counters
            var text = "\(source.fullText.rawValue); pages fetched \(c.fetched), extracted \(c.extracted), refused \(c.refused)"
            if !c.refusals.isEmpty {
                text += " (" + c.refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
            }
            text += ", failed \(c.failed)"
            let waiting = ledger.entries.values.filter { $0.state == .retrying }.count
            if waiting > 0 { text += ", \(waiting) waiting for a retry" }
            return ("full_text.\(source.name)", text)
        }
    }
}
