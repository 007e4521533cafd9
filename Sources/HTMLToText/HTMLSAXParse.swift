import CLibXML2

/// One run of libxml2's HTML parser over UTF-8 bytes with our SAX callbacks: the options both
/// the tree builder and the feed-entry stream renderer need (recover, no network, no error
/// output, the bytes' own encoding ignored, no default DTD) and an explicit UTF-8 decoder
/// (without one, libxml2 2.9 "guesses" ISO-8859-1 at the first non-ASCII byte).
enum HTMLSAXParse {
    private static let libxml2Ready: Void = xmlInitParser()

    private static let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue
        | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_NODEFDTD.rawValue)

    /// Parses `bytes`, calling `handler`'s callbacks with `userData`. Empty or oversized input
    /// (libxml2 takes an `Int32` length) calls nothing.
    static func run(_ bytes: UnsafeRawBufferPointer, handler: htmlSAXHandler, userData: UnsafeMutableRawPointer) {
        _ = libxml2Ready
        guard bytes.count > 0, bytes.count < Int(Int32.max),
              let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
              let ctxt = htmlCreateMemoryParserCtxt(base, Int32(bytes.count))
        else { return }
        defer { htmlFreeParserCtxt(ctxt) }
        // The context owns a default SAX block: overwrite it, keep its allocation.
        ctxt.pointee.sax.pointee = handler
        ctxt.pointee.userData = userData
        if let utf8 = xmlFindCharEncodingHandler("UTF-8") { _ = xmlSwitchToEncoding(ctxt, utf8) }
        _ = htmlCtxtUseOptions(ctxt, options)
        _ = htmlParseDocument(ctxt)
    }
}
