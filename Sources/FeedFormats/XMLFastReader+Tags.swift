import Glibc

/// Start and end tags, attributes and namespaces: the part of `XMLFastReader` that turns a tag
/// into the `XMLName` and `XMLAttributes` libxml2's driver would hand the sink.
extension XMLFastReader {
    mutating func startTag() -> Bool {
        i += 1
        let qnameStart = i
        guard let (prefixCount, qnameCount) = qname() else { return false }
        attributes.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        let bindingsBefore = bindings.count
        tagBindingsStart = bindingsBefore
        var empty = false
        while true {
            let hadSpace = skipSpace()
            guard i < n else { return false }
            if p[i] == UInt8(ascii: ">") {
                i += 1
                break
            }
            if p[i] == UInt8(ascii: "/") {
                guard i + 1 < n, p[i + 1] == UInt8(ascii: ">") else { return false }
                i += 2
                empty = true
                break
            }
            guard hadSpace, attribute() else { return false }
        }
        guard open.count < Self.maxDepth, resolveAttributes(), let name = elementName(qnameStart, prefixCount, qnameCount)
        else { return false }
        open.append(OpenElement(qnameStart: qnameStart, qnameCount: qnameCount, bindingsBefore: bindingsBefore, name: name))
        // The closures see locals only: one that reads `self` inside a mutating method makes
        // Swift copy the whole reader (every array in it) per element.
        let sink = sink, driver = driver, document = p, scannedAttributes = attributes, scannedValues = values
        scannedAttributes.withUnsafeBufferPointer { scanned in
            scannedValues.withUnsafeBufferPointer { values in
                // The buffers may be empty (no base address); the attributes view reads neither then.
                sink.startElement(name, attributes: XMLAttributes(scanned: scanned, document: document, values: values.baseAddress ?? document),
                                  driver: driver)
            }
        }
        if empty { closeElement() }
        return true
    }

    mutating func endTag() -> Bool {
        i += 2
        guard let element = open.last, i + element.qnameCount <= n,
              memcmp(p + i, p + element.qnameStart, element.qnameCount) == 0 else { return false }
        i += element.qnameCount
        skipSpace()
        guard i < n, p[i] == UInt8(ascii: ">") else { return false }
        i += 1
        closeElement()
        return true
    }

    private mutating func closeElement() {
        let element = open.removeLast()
        bindings.removeSubrange(element.bindingsBefore...)
        sink.endElement(element.name, driver: driver)
    }

    /// One `name="value"` of a start tag: an `xmlns` declaration becomes a binding, anything
    /// else an attribute whose prefix is resolved once the tag is read.
    private mutating func attribute() -> Bool {
        let qnameStart = i
        guard let (prefixCount, qnameCount) = qname() else { return false }
        skipSpace()
        guard i < n, p[i] == UInt8(ascii: "=") else { return false }
        i += 1
        skipSpace()
        let valueStart = values.count
        guard attributeValue() else { return false }
        let valueCount = values.count - valueStart

        let isXMLNS = (prefixCount == 5 || (prefixCount == 0 && qnameCount == 5)) && memcmp(p + qnameStart, "xmlns", 5) == 0
        if isXMLNS {
            let prefixStart = prefixCount == 0 ? qnameStart : qnameStart + 6
            let prefixLength = prefixCount == 0 ? 0 : qnameCount - 6
            guard declare(prefixStart, prefixLength, valueStart, valueCount) else { return false }
            values.removeSubrange(valueStart...)
            return true
        }
        let localStart = prefixCount == 0 ? qnameStart : qnameStart + prefixCount + 1
        attributes.append(ScannedAttribute(qnameStart: qnameStart, localStart: localStart,
                                           localCount: qnameStart + qnameCount - localStart,
                                           namespace: .none, valueStart: valueStart, valueCount: valueCount))
        return true
    }

    /// A quoted attribute value appended to `values` as libxml2 builds it.
    private mutating func attributeValue() -> Bool {
        guard i < n, p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'") else { return false }
        let quote = p[i]
        i += 1
        let first = i
        var start = i
        while true {
            guard i < n, i - first <= Self.maxToken else { return false }
            i = XMLBytes.plainEnd(p, from: i, to: n, quote, UInt8(ascii: "<"), UInt8(ascii: "&"))
            guard i < n else { return false }
            let b = p[i]
            if b == quote { break }
            if b == UInt8(ascii: "<") { return false }
            if b == UInt8(ascii: "&") {
                values.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
                guard attributeReference() else { return false }
                start = i
            } else if b == 0x09 || b == 0x0A || b == 0x0D {
                values.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
                values.append(UInt8(ascii: " "))
                i += 1
                if b == 0x0D, i < n, p[i] == 0x0A { i += 1 }
                start = i
            } else if b >= 0x80 {
                guard let length = XMLBytes.characterLength(p, at: i, end: n) else { return false }
                i += length
            } else {
                return false
            }
        }
        values.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        i += 1
        return true
    }

    /// libxml2 (without entity substitution) leaves `&#38;` for `&` in an attribute value and puts
    /// in only the first byte of any other entity it treats as predefined: HTML names decline.
    private mutating func attributeReference() -> Bool {
        switch readReference() {
        case nil:
            return false
        case .bareAmpersand, .character("&"):
            values.append(contentsOf: "&#38;".utf8)
        case .character(let scalar):
            values.append(contentsOf: UTF8.encode(scalar)!)
        case .named(let name):
            guard let predefined = XMLBytes.predefined(name) else { return false }
            let first = predefined.utf8Start[0]
            if first == UInt8(ascii: "&") {
                values.append(contentsOf: "&#38;".utf8)
            } else {
                values.append(first)
            }
        }
        return true
    }

    /// An `xmlns` or `xmlns:prefix` declaration. Declines what libxml2 reports: a prefix bound to
    /// nothing, a redeclaration on one element, the reserved `xml`/`xmlns` names and namespaces,
    /// and any namespace name its URI parser might refuse.
    private mutating func declare(_ prefixStart: Int, _ prefixCount: Int, _ valueStart: Int, _ valueCount: Int) -> Bool {
        let uri = values[valueStart..<(valueStart + valueCount)]
        if prefixCount > 0 {
            guard !uri.isEmpty else { return false }
            let prefix = UnsafeBufferPointer(start: p + prefixStart, count: prefixCount)
            if prefix.elementsEqual("xml".utf8) || prefix.elementsEqual("xmlns".utf8) { return false }
        }
        for b in bindings[tagBindingsStart...]
        where b.prefixCount == prefixCount && memcmp(p + b.prefixStart, p + prefixStart, prefixCount) == 0 {
            return false
        }
        guard let namespace = uri.isEmpty ? XMLNamespace.none : namespace(uri) else { return false }
        bindings.append(Binding(prefixStart: prefixStart, prefixCount: prefixCount, namespace: namespace))
        return true
    }

    /// The namespace of a declared namespace name, nil when the name is one to decline. Atom
    /// entries declare XHTML on every `<div>`: the few names of a feed are remembered by bytes.
    private mutating func namespace(_ uri: ArraySlice<UInt8>) -> XMLNamespace? {
        let known = knownURIs
        let found = uri.withUnsafeBufferPointer { uri in
            known.first { $0.uri.withUnsafeBufferPointer { XMLBytes.same($0, uri) } }
        }
        if let found { return found.namespace }
        guard XMLBytes.isPlainURI(uri) else { return nil }
        let string = String(decoding: uri, as: UTF8.self)
        if string == "http://www.w3.org/XML/1998/namespace" || string == "http://www.w3.org/2000/xmlns/" { return nil }
        let namespace = driver.namespace(uri: string)
        if knownURIs.count < 32 { knownURIs.append((Array(uri), namespace)) }
        return namespace
    }


    /// Gives each attribute its namespace (an unprefixed one has none; `xml:` is predefined) and
    /// declines duplicates, which libxml2 reports.
    private mutating func resolveAttributes() -> Bool {
        for k in attributes.indices {
            let a = attributes[k]
            if a.localStart != a.qnameStart {
                let prefixCount = a.localStart - a.qnameStart - 1
                if prefixCount == 3, memcmp(p + a.qnameStart, "xml", 3) == 0 {
                    attributes[k].namespace = .xml
                } else {
                    guard let ns = lookup(a.qnameStart, prefixCount) else { return false }
                    attributes[k].namespace = ns
                }
            }
            for j in 0..<k {
                let b = attributes[j]
                if b.localCount == a.localCount, memcmp(p + b.localStart, p + a.localStart, a.localCount) == 0,
                   b.namespace == attributes[k].namespace || (b.localStart - b.qnameStart == a.localStart - a.qnameStart
                       && memcmp(p + b.qnameStart, p + a.qnameStart, a.localStart - a.qnameStart) == 0) {
                    return false
                }
            }
        }
        return true
    }

    /// The namespace bound to a prefix (empty: the default namespace), innermost first.
    private func lookup(_ prefixStart: Int, _ prefixCount: Int) -> XMLNamespace? {
        var k = bindings.count
        while k > 0 {
            k -= 1
            let b = bindings[k]
            if b.prefixCount == prefixCount, memcmp(p + b.prefixStart, p + prefixStart, prefixCount) == 0 { return b.namespace }
        }
        return prefixCount == 0 ? XMLNamespace.none : nil
    }

    /// The `XMLName` libxml2's driver would give this element (`XMLSAXDriver.name`).
    private mutating func elementName(_ qnameStart: Int, _ prefixCount: Int, _ qnameCount: Int) -> XMLName? {
        if prefixCount == 3, memcmp(p + qnameStart, "xml", 3) == 0 { return nil }
        guard let namespace = lookup(qnameStart, prefixCount) else { return nil }
        let localStart = prefixCount == 0 ? qnameStart : qnameStart + prefixCount + 1
        let local = UnsafeBufferPointer(start: p + localStart, count: qnameStart + qnameCount - localStart)
        let slot = (local.count &* 31 &+ Int(local[0]) &* 7 &+ Int(local[local.count - 1]) &+ namespace.id &* 13) & 63
        if let cached = nameCache[slot], cached.namespace == namespace,
           cached.local.withUnsafeBufferPointer({ XMLBytes.same($0, local) }) {
            return cached.name
        }
        let lowered = String(decoding: local.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        let name = XMLName(namespace: namespace, local: lowered, element: FeedElement(rawValue: lowered))
        nameCache[slot] = (namespace, Array(local), name)
        return name
    }

    /// An ASCII QName at `i`: (prefix length or 0, whole length). At most one colon, both parts
    /// NCNames; anything else (non-ASCII names included) declines.
    mutating func qname() -> (Int, Int)? {
        let start = i
        guard ncName() != nil else { return nil }
        var prefix = 0
        if i < n, p[i] == UInt8(ascii: ":") {
            prefix = i - start
            i += 1
            guard ncName() != nil else { return nil }
        }
        guard i < n, i - start <= 1000 else { return nil }
        let next = p[i]
        // A name must end at markup or space; a non-ASCII byte means a Unicode name.
        guard isSpace(next) || next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || next == UInt8(ascii: "=")
            || next == UInt8(ascii: "?") else { return nil }
        return (prefix, i - start)
    }

    mutating func ncName() -> Int? {
        let start = i
        guard i < n, XMLBytes.isLetter(p[i]) || p[i] == UInt8(ascii: "_") else { return nil }
        i += 1
        while i < n {
            let b = p[i]
            guard XMLBytes.isLetter(b) || XMLBytes.isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
            else { break }
            i += 1
        }
        return i - start
    }
}
