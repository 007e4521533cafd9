import CCurl

/// URLs as libcurl reads them (the `CURLU` API), so that what we validate is exactly what curl
/// requests: Foundation's `URL` disagrees with curl on edge cases (spaces, missing slashes, IDNs).
enum CurlURL {
    struct Parts: Sendable, Hashable {
        var scheme: String
        var host: String
        var port: Int
        /// The normalized URL curl will request.
        var url: String
    }

    /// Parses `string` and requires http or https (SPEC §8).
    static func parse(_ string: String) throws(HTTPClientError) -> Parts {
        guard let handle = curl_url() else { throw .invalidRequest("out of memory parsing a URL", url: string) }
        defer { curl_url_cleanup(handle) }
        // NON_SUPPORT_SCHEME: parse any scheme so that "ftp://" gets our message, not curl's.
        let rc = curl_url_set(handle, CURLUPART_URL, string, UInt32(CURLU_NON_SUPPORT_SCHEME))
        guard rc == CURLUE_OK else {
            throw .invalidRequest("not a valid URL (\(describe(rc)))", url: string)
        }
        let scheme = get(handle, CURLUPART_SCHEME, flags: 0)?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw .unsupportedScheme(scheme, url: string)
        }
        guard let host = get(handle, CURLUPART_HOST, flags: 0), !host.isEmpty else {
            throw .invalidRequest("the URL has no host", url: string)
        }
        let port = get(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)).flatMap { Int($0) } ?? 0
        let url = get(handle, CURLUPART_URL, flags: 0) ?? string
        return Parts(scheme: scheme, host: host.lowercased(), port: port, url: url)
    }

    private static func get(_ handle: OpaquePointer, _ part: CURLUPart, flags: UInt32) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &out, flags) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }

    private static func describe(_ code: CURLUcode) -> String {
        curl_url_strerror(code).map { String(cString: $0) } ?? "URL error \(code.rawValue)"
    }
}
