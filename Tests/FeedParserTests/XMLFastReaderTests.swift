@testable import FeedFormats
import FeedWatchTesting
import Foundation
import Testing

/// `XMLFastReader` reads feed XML without libxml2 and must, whenever it reads a document to the
/// end, give the sink exactly the events and text libxml2 gives (after `XMLRepair`), with libxml2
/// finding nothing to complain about: on every XML file of the fixture corpora, on cases for each
/// rule it follows, and on random documents built from the pieces those rules are about. It must
/// also read the feeds of the real-world set, or the speed it exists for is gone.
@Suite struct XMLFastReaderTests {
    /// Writes down everything a feed builder can ask of the events: names (namespace ids past the
    /// known ones renumbered by first appearance, as ids are per parse), every attribute as
    /// (qualified name, value), the `xml:`/`rdf:` attributes the builder asks for, and all text.
    /// Text is always collected; every third level collects it escaped, as inline XHTML is.
    final class Recorder: XMLEventSink {
        var events: [String] = []
        private var depth = 0
        private var renumbered: [Int: Int] = [:]

        private func ns(_ namespace: XMLNamespace) -> String {
            guard namespace.id >= 100 else { return "\(namespace.id)" }
            if let known = renumbered[namespace.id] { return "other\(known)" }
            renumbered[namespace.id] = renumbered.count
            return "other\(renumbered.count - 1)"
        }

        private func flush(_ driver: XMLSAXDriver) {
            if !driver.text.isEmpty { events.append("text " + String(decoding: driver.text, as: UTF8.self).debugDescription) }
            driver.text.removeAll()
            driver.captureText = true
            driver.escapeText = depth % 3 == 2
        }

        func startElement(_ name: XMLName, attributes: XMLAttributes, driver: XMLSAXDriver) {
            flush(driver)
            var line = "start \(ns(name.namespace)):\(name.local) \(name.element?.rawValue ?? "-")"
            attributes.forEach { qname, value in
                line += " [\(qname)=\(value.debugDescription) none:\(attributes.value(qname.lowercased())?.debugDescription ?? "nil")]"
            }
            for (local, namespace) in [("base", XMLNamespace.xml), ("lang", .xml), ("about", .rdf)] {
                if let value = attributes.value(local, namespace: namespace) { line += " \(local)=\(value.debugDescription)" }
            }
            events.append(line)
            depth += 1
            flush(driver)
        }

        func endElement(_ name: XMLName, driver: XMLSAXDriver) {
            flush(driver)
            depth -= 1
            events.append("end \(ns(name.namespace)):\(name.local)")
            flush(driver)
        }
    }

    /// The fast reader's events when it read the document, else nil; when it did, they are
    /// expected to be libxml2's, with no issue from libxml2.
    @discardableResult
    static func expectSameWhenRead(_ bytes: [UInt8], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = XMLSAXDriver.parse(utf8: bytes, only: .fast, makeSink: { Recorder() }) else { return false }
        let slow = XMLSAXDriver.parse(utf8: bytes, only: .libxml2, makeSink: { Recorder() })!
        #expect(slow.issues.isEmpty, "\(label): libxml2 found \(slow.issues.map(\.description)) where the fast reader read on",
                sourceLocation: sourceLocation)
        if fast.sink.events != slow.sink.events {
            let k = zip(fast.sink.events, slow.sink.events).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(fast.sink.events.count, slow.sink.events.count)
            Issue.record("\(label): event \(k) differs\n fast:    \(k < fast.sink.events.count ? fast.sink.events[k] : "(end)")\n libxml2: \(k < slow.sink.events.count ? slow.sink.events[k] : "(end)")",
                         sourceLocation: sourceLocation)
        }
        return true
    }

    static func xmlFiles(_ folder: String) throws -> [URL] {
        let root = TestPaths.fixtures.appendingPathComponent(folder)
        let all = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return all.filter { ["xml", "rss", "atom", "rdf"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
    }

    @Test(arguments: ["realworld", "feeds", "feeds-gofeed"])
    func corpusFilesGiveLibxml2sEvents(folder: String) throws {
        let files = try Self.xmlFiles(folder)
        #expect(!files.isEmpty)
        var read = 0
        let utf8Files = try files.filter { String(validating: try Data(contentsOf: $0), as: UTF8.self) != nil }.count
        for file in files where Self.expectSameWhenRead(try [UInt8](Data(contentsOf: file)), file.lastPathComponent) {
            read += 1
        }
        if ProcessInfo.processInfo.environment["XML_FAST_WHY"] != nil {
            for file in files {
                let bytes = try [UInt8](Data(contentsOf: file))
                let recorder = Recorder()
                let at = withExtendedLifetime(recorder) {
                    bytes.withUnsafeBufferPointer { XMLFastReader.declineOffset($0, driver: XMLSAXDriver.forTesting(recorder), sink: recorder) }
                }
                if let at {
                    let context = String(decoding: bytes[max(0, at - 40)..<min(bytes.count, at + 40)], as: UTF8.self)
                    print("declined \(file.lastPathComponent) at \(at): \(context.debugDescription)")
                }
            }
        }
        print("XMLFastReader: \(folder): read \(read) of \(files.count) files, the rest went to libxml2")
        // The real-world feeds are what the reader is for: it must read every one in UTF-8 (the
        // parser converts the others before the XML pass; here they are read raw).
        if folder == "realworld" { #expect(read == utf8Files) }
    }

    @Test(arguments: [
        // Text: references, line ends, bare ampersands, upper-case hex references, HTML names.
        "<a>x &amp; y &lt;p&gt; &quot;q&quot; &apos;</a>",
        "<a>caf&eacute; &nbsp;&mdash; &#233; &#x1F600; &#X41; &#65;</a>",
        "<a>AT&T ?a=1&b=2 & &; &#; &#x; &1;</a>",
        "<a>one\r\ntwo\rthree\n\rfour\r</a>",
        "<a>&#13;&#10;&#9;</a>",
        "<a>tab\there é 😀 \u{85}</a>",
        // CDATA is raw; comments and instructions are skipped.
        "<a><![CDATA[ <b>&amp;</b> \r\n ]] ] ]]></a>",
        "<a>x<!-- a - comment -->y<?pi some data?>z<?pi?></a>",
        "<a><![CDATA[]]></a>",
        // Attributes: references, whitespace, quotes.
        "<a href=\"?a=1&amp;b=2&c=3\" t='it&apos;s' n=\"&#38;&#60;&lt;&gt;\"/>",
        "<a v=\"one\r\ntwo\tthree\nfour\rfive\"/>",
        "<a v=\"&#10;&#13;&#9;\" w=\"&amp;#38;\"/>",
        // Namespaces.
        "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>x</dc:creator><DC:x/></rss>",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\" xml:base=\"http://e.org/\"><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><b>x</b></div></title></feed>",
        "<r xmlns:a=\"urn:one\" xmlns:b=\"urn:two\"><a:x b:y=\"1\" y=\"2\"/><c xmlns=\"urn:three\"><d xmlns=\"\"/></c></r>",
        "<r xmlns:a=\"urn:one\"><a:x xmlns:a=\"urn:two\"/><a:x/></r>",
        // Prolog and epilog.
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c --><?pi x?>\n<r/>\n<!-- after -->\n",
        "<?xml version='1.0' encoding='ISO-8859-1' standalone='yes' ?><r>x</r>",
        // Declined: whatever libxml2 reports, or would treat its own way.
        "<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>",
        "<r>&unknown;</r>",
        "<a:r>undeclared</a:r>",
        "<r a=\"1\" a=\"2\"/>",
        "<r><a></b></r>",
        "<r>]]></r>",
        "<r>\u{1}</r>",
        "<r>&#0;</r>",
        "<r t=\"caf&eacute;\"/>",
        "<r><!-- a -- b --></r>",
        "<r>",
        "<r/><r/>",
        " <?xml version=\"1.0\"?><r/>",
        "<é/>",
    ])
    func casesGiveLibxml2sEvents(document: String) {
        Self.expectSameWhenRead(Array(document.utf8), document.debugDescription)
    }

    @Test func invalidBytesAreLeftToLibxml2() {
        for bytes: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBE], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let document = Array("<r t=\"".utf8) + bytes + Array("\">".utf8) + bytes + Array("</r>".utf8)
            #expect(!Self.expectSameWhenRead(document, "\(bytes)"), "\(bytes) read on")
        }
    }

    @Test func feedsAreReadNotDeclined() {
        for document in [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>T</title><item><title>A &amp; B</title><description>&lt;p&gt;caf&eacute;&lt;/p&gt;</description><content:encoded><![CDATA[<p>x</p>]]></content:encoded></item></channel></rss>",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title type=\"html\">&lt;b&gt;x&lt;/b&gt;</title><link rel=\"alternate\" href=\"/a?x=1&amp;y=2\"/></entry></feed>",
        ] {
            #expect(Self.expectSameWhenRead(Array(document.utf8), document))
        }
    }

    /// Real feeds with a few bytes changed (a reference, a line end, a quote, markup, a byte of a
    /// character inserted, a byte dropped): the documents the reader meets, gone slightly wrong.
    @Test func mutatedRealFeedsGiveLibxml2sEvents() throws {
        var rng = SeededRandom(seed: 0xFEED_5EED)
        let inserts: [[UInt8]] = ["&", "&amp;", "&#X41;", "&nbsp;", "&bogus;", "\r", "\r\n", "\"", "'", "<", ">", "]]>", "<b>",
                                  "</b>", "<!--x-->", "<![CDATA[x]]>", "é", "\u{1}", "\t", " xmlns:q=\"urn:q\" "].map { Array($0.utf8) }
            + [[0xC3], [0xFF]]
        let rounds = ProcessInfo.processInfo.environment["XML_FAST_MUTATIONS"].flatMap(Int.init) ?? 8
        var read = 0, tried = 0
        for file in try Self.xmlFiles("realworld") {
            let original = try [UInt8](Data(contentsOf: file))
            guard String(validating: original, as: UTF8.self) != nil else { continue }
            for _ in 0..<rounds {
                var bytes = original
                for _ in 0...Int.random(in: 0...2, using: &rng) {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    if Int.random(in: 0..<4, using: &rng) == 0 {
                        bytes.remove(at: at)
                    } else {
                        bytes.insert(contentsOf: inserts[Int.random(in: 0..<inserts.count, using: &rng)], at: at)
                    }
                }
                tried += 1
                if Self.expectSameWhenRead(bytes, "\(file.lastPathComponent) mutated") { read += 1 }
            }
        }
        print("XMLFastReader: read \(read) of \(tried) mutated real feeds")
        #expect(read > tried / 4, "read only \(read) of \(tried)")
    }

    /// Random documents from the pieces the reader's rules are about, mostly well-formed, some
    /// not: whenever the reader reads one to the end, libxml2 agrees on every event.
    @Test func randomDocumentsGiveLibxml2sEvents() {
        var generator = RandomXML(rng: SeededRandom(seed: 0x5EED_F00D))
        let count = ProcessInfo.processInfo.environment["XML_FAST_RANDOM"].flatMap(Int.init) ?? 3000
        var read = 0
        for k in 0..<count {
            let document = generator.document()
            if Self.expectSameWhenRead(document, "random \(k): \(String(decoding: document, as: UTF8.self).debugDescription)") {
                read += 1
            }
        }
        print("XMLFastReader: read \(read) of \(count) random documents")
        // The generator is meant to make mostly readable documents: a reader that declines
        // everything would pass the comparison and be worth nothing.
        #expect(read > count / 4, "read only \(read) of \(count)")
    }
}


private struct RandomXML {
    var rng: SeededRandom

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }

    static let textPieces = [
        "word", " ", "  ", "\n", "\r\n", "\r", "\t", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&eacute;",
        "&#233;", "&#x41;", "&#X42;", "&#10;", "&#13;", "& ", "AT&T", "&#;", "&x", "é", "日本", "😀", "]", "]]", ">",
        "<!-- c -->", "<?pi d?>", "<![CDATA[ <x> & \r\n ]]>", "\u{7F}", "\u{A0}",
    ]
    static let rarePieces: [[UInt8]] = [
        Array("&unknown;".utf8), Array("&#0;".utf8), Array("&#xFFFE;".utf8), Array("]]>".utf8), [0x01], [0xFF], [0xC3],
        Array("<!-- a -- b -->".utf8), Array("<!-->".utf8), Array("<?xml x?>".utf8), Array("&#1114112;".utf8),
    ]
    static let names = ["item", "title", "Title", "link", "x-y", "a.b", "_u", "description", "entry", "div", "b"]
    static let prefixes = ["", "", "", "dc", "atom", "dc", "atom"]
    static let attributeValues = [
        "v", "a&amp;b", "a&b", "&lt;&gt;", "&#38;", "&#x26;", "one two", "x\ny", "x\r\ny", "x\ty", "&quot;", "é",
        "&amp;#38;", "&#10;", "&apos;&#X41;",
    ]
    static let rareAttributeValues = ["<", "\u{1}", "&eacute;", "&nope;", "&#0;"]

    mutating func text() -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            out += chance(2) ? pick(Self.rarePieces) : Array(pick(Self.textPieces).utf8)
        }
        return out
    }

    mutating func qname() -> String {
        let prefix = chance(3) ? pick(["p", "undeclared", "xml"]) : pick(Self.prefixes)
        let name = pick(Self.names)
        return prefix.isEmpty ? name : prefix + ":" + name
    }

    mutating func element(depth: Int) -> [UInt8] {
        let name = qname()
        var out = Array("<\(name)".utf8)
        if chance(20) { out += Array(" xmlns=\"\(pick(["http://www.w3.org/1999/xhtml", "", "urn:x", "http://www.w3.org/2005/Atom"]))\"".utf8) }
        if chance(15) { out += Array(" xmlns:p=\"\(pick(["urn:p", "urn:q", "http://purl.org/dc/elements/1.1/", "bad uri", ""]))\"".utf8) }
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            let attribute = chance(5) ? pick(["p:x", "undeclared:y", "href"]) : pick(["href", "type", "xml:lang", "xml:base", "dc:about", "HREF"])
            let quote = pick(["\"", "'"])
            let value = chance(5) ? pick(Self.rareAttributeValues) : pick(Self.attributeValues)
            out += Array(" \(attribute)=\(quote)\(value)\(quote)".utf8)
        }
        if chance(20) {
            out += Array(pick(["/>", " />"]).utf8)
            return out
        }
        out += Array(">".utf8)
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            out += text()
            if depth < 4, chance(60) { out += element(depth: depth + 1) }
        }
        out += text()
        out += Array("</\(chance(1) ? qname() : name)\(pick(["", " ", "\n"]))>".utf8)
        return out
    }

    mutating func document() -> [UInt8] {
        var out: [UInt8] = []
        if chance(40) { out += Array(pick(["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", "<?xml version='1.0'?>", "<?xml version=\"1.1\"?>"]).utf8) }
        if chance(10) { out += Array("<!-- prolog -->\n".utf8) }
        let root = element(depth: 0)
        // The prefixes `dc` and `atom` declared at the root most of the time.
        if chance(80), let close = root.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "/") }) {
            var declared = root
            declared.insert(contentsOf: Array(" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\"".utf8), at: close)
            out += declared
        } else {
            out += root
        }
        if chance(10) { out += Array("\n<!-- epilog -->\n".utf8) }
        return out
    }
}
