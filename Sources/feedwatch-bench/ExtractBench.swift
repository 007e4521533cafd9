import ArgumentParser
import FeedModel
import FeedParser
import Foundation

/// One process over every page of an extraction set: throughput, peak memory and the
/// benchmark's F1, plus an optional predictions file for `extract_eval.py --pred-json`.
struct ExtractBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Article extraction speed and quality over HTML pages.")

    @Option(help: "Directory with ground-truth.json and html/<id>.html.")
    var data = "Tests/Fixtures/extraction"

    @Option(help: "Timed passes over all pages (the first, untimed warm-up pass is extra).")
    var rounds = 5

    @Option(help: "Write {id: {\"articleBody\": text}} here.")
    var predictions: String?

    @Option(help: "Only the pages whose id starts with this (prints their text).")
    var only: String?

    func run() throws {
        let root = URL(fileURLWithPath: data)
        let truthData = try Data(contentsOf: root.appendingPathComponent("ground-truth.json"))
        guard let truth = try JSONSerialization.jsonObject(with: truthData) as? [String: [String: Any]] else {
            throw ValidationError("\(data)/ground-truth.json is not an object of objects")
        }
        let ids = truth.keys.sorted().filter { only == nil || $0.hasPrefix(only!) }
        var pages = [[UInt8]]()
        for id in ids {
            let url = root.appendingPathComponent("html/\(id).html")
            guard let bytes = FileManager.default.contents(atPath: url.path) else {
                throw ValidationError("missing \(url.path) (decompress the .html.gz pages first)")
            }
            pages.append([UInt8](bytes))
        }
        let totalBytes = pages.reduce(0) { $0 + $1.count }

        var texts = pages.indices.map { i in
            PageExtractor.extract(html: pages[i], baseURL: truth[ids[i]]?["url"] as? String, charset: nil).article.text
        }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<rounds {
            for i in pages.indices {
                texts[i] = PageExtractor.extract(html: pages[i], baseURL: truth[ids[i]]?["url"] as? String, charset: nil).article.text
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        if only != nil { texts.forEach { print($0, terminator: "\n----\n") } }
        let counts = ids.indices.map { i in
            ExtractionMetric.counts(gold: truth[ids[i]]?["articleBody"] as? String ?? "", predicted: texts[i])
        }
        let score = ExtractionMetric.score(counts)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let pagesPerSecond = Double(pages.count * rounds) / seconds
        let mbPerSecond = Double(totalBytes * rounds) / seconds / 1e6
        print("feedwatch extract: \(pages.count) pages (\(String(format: "%.1f", Double(totalBytes) / 1e6)) MB) × \(rounds) rounds")
        print(String(format: "  %.0f pages/s, %.1f MB/s, peak RSS %.1f MB", pagesPerSecond, mbPerSecond, Double(usage.ru_maxrss) / 1024))
        print(String(format: "  F1 %.4f  precision %.4f  recall %.4f", score.f1, score.precision, score.recall))

        if let predictions {
            var out = [String: [String: String]]()
            for (i, id) in ids.enumerated() { out[id] = ["articleBody": texts[i]] }
            let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
            try json.write(to: URL(fileURLWithPath: predictions))
            print("  predictions: \(predictions)")
        }
    }
}
