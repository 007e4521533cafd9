import CCurl

/// One request as a curl easy handle, plus the buffers its callbacks fill.
///
/// Everything curl-easy lives in this file: options, the `@convention(c)` callbacks, reading
/// the result, freeing the handle. A transfer is created, driven and destroyed on the multi
/// driver's thread only (curl calls the callbacks from inside `curl_multi_perform` there), so
/// its mutable state needs no lock. `deinit` frees the handle, header list and error buffer on
/// every path, including a failed `configure`.
final class CurlEasyTransfer {
    let handle: UnsafeMutableRawPointer
    let request: HTTPRequest
    /// The URL as curl normalized it; the first hop of the redirect chain.
    let url: String
    /// `host:port`, the unit of the per-host connection bound.
    let hostKey: String

    private let maxBodyBytes: Int
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var body: [UInt8] = []
    private var heads = ResponseHeads()
    private var bodyLimitHit = false

    /// A configured transfer, ready for `curl_multi_add_handle`.
    static func make(_ request: HTTPRequest, configuration: HTTPClientConfiguration) throws(HTTPClientError) -> CurlEasyTransfer {
        let parts = try CurlURL.parse(request.url)
        guard let handle = curl_easy_init() else {
            throw .invalidRequest("curl_easy_init failed (out of memory)", url: request.url)
        }
        let transfer = CurlEasyTransfer(handle: handle, request: request, parts: parts,
                                        maxBodyBytes: configuration.maxBodyBytes)
        try transfer.configure(configuration)
        return transfer
    }

    private init(handle: UnsafeMutableRawPointer, request: HTTPRequest, parts: CurlURL.Parts, maxBodyBytes: Int) {
        self.handle = handle
        self.request = request
        self.url = parts.url
        self.hostKey = "\(parts.host):\(parts.port)"
        self.maxBodyBytes = maxBodyBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure(_ configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, string: url)
        // SPEC §8: http and https only, also after a redirect (libcurl here speaks file, ftp,
        // gopher, smb, ldap… and would follow a Location to any of them).
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 1)
        try set(CURLOPT_MAXREDIRS, configuration.maxRedirects)
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        // "" = offer and decode every encoding this libcurl was built with (gzip, br, zstd…).
        try set(CURLOPT_ACCEPT_ENCODING, string: "")
        try set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.milliseconds)
        try set(CURLOPT_TIMEOUT_MS, configuration.timeout.milliseconds)
        try set(CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
        try set(CURLOPT_LOW_SPEED_TIME, max(1, Int(configuration.lowSpeedTime.components.seconds)))
        // Fails fast when a Content-Length already says too much; the write callback covers
        // chunked and compressed bodies, which curl 7.88 does not check mid-transfer.
        try check(fw_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxBodyBytes)),
                  CURLOPT_MAXFILESIZE_LARGE)
        try set(CURLOPT_USERAGENT, string: configuration.userAgent)
        // Signals are not for a multi-threaded process; curl would otherwise use SIGALRM for DNS timeouts.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try check(fw_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer), CURLOPT_ERRORBUFFER)
        try check(fw_easy_setopt_write_cb(handle, CURLOPT_WRITEFUNCTION, CurlCallbacks.body), CURLOPT_WRITEFUNCTION)
        try check(fw_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, context), CURLOPT_WRITEDATA)
        try check(fw_easy_setopt_write_cb(handle, CURLOPT_HEADERFUNCTION, CurlCallbacks.header), CURLOPT_HEADERFUNCTION)
        try check(fw_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, context), CURLOPT_HEADERDATA)
        try check(fw_easy_setopt_ptr(handle, CURLOPT_PRIVATE, context), CURLOPT_PRIVATE)
        if let auth = request.basicAuth {
            try set(CURLOPT_HTTPAUTH, fw_curlauth_basic())
            try set(CURLOPT_USERNAME, string: auth.user)
            try set(CURLOPT_PASSWORD, string: auth.password)
        }
        for line in try request.headerLines() {
            let appended = (line + [0]).withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { curl_slist_append(headerList, $0.baseAddress) }
            }
            guard let appended else { throw .invalidRequest("out of memory building headers", url: request.url) }
            headerList = appended
        }
        if headerList != nil {
            try check(fw_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), CURLOPT_HTTPHEADER)
        }
    }

    /// The transfer found in a `CURLMsg`, through the pointer stored with `CURLOPT_PRIVATE`.
    static func from(handle: UnsafeMutableRawPointer) -> CurlEasyTransfer? {
        var pointer: UnsafeMutableRawPointer?
        guard fw_easy_getinfo_ptr(handle, CURLINFO_PRIVATE, &pointer) == CURLE_OK, let pointer else { return nil }
        return Unmanaged<CurlEasyTransfer>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: - Callbacks (called by curl on the driver thread)

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            bodyLimitHit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        heads.append(line: line)
    }

    // MARK: - Result

    /// What the finished transfer amounts to; `code` is the result from `CURLMsg`.
    func result(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        if bodyLimitHit || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(.bodyTooLarge(limit: maxBodyBytes, url: request.url))
        }
        if code == CURLE_TOO_MANY_REDIRECTS, let loop = redirectLoop() {
            return .failure(.redirectLoop(loop, url: request.url))
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            return .failure(.curl(code: code, detail: detail, url: request.url))
        }
        var status = 0
        _ = fw_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        _ = fw_easy_getinfo_str(handle, CURLINFO_EFFECTIVE_URL, &effective)
        var connects = 0
        _ = fw_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        return .success(HTTPResponse(
            status: status,
            headers: heads.last?.headers ?? HTTPHeaders(),
            body: body,
            url: effective.map { String(cString: $0) } ?? url,
            redirects: heads.redirects(startingAt: url),
            timing: HTTPTiming(nameLookup: time(CURLINFO_NAMELOOKUP_TIME_T),
                               connect: time(CURLINFO_CONNECT_TIME_T),
                               firstByte: time(CURLINFO_STARTTRANSFER_TIME_T),
                               total: time(CURLINFO_TOTAL_TIME_T)),
            newConnections: connects
        ))
    }

    /// The chain up to the first URL visited twice, if the redirects went round in a circle.
    private func redirectLoop() -> [String]? {
        var seen: Set<String> = [url]
        var chain = [url]
        for hop in heads.redirects(startingAt: url, includingLast: true) {
            chain.append(hop.location)
            if !seen.insert(hop.location).inserted { return chain }
        }
        return nil
    }

    private func time(_ info: CURLINFO) -> Duration {
        var micros: curl_off_t = 0
        _ = fw_easy_getinfo_off_t(handle, info, &micros)
        return .microseconds(Int64(micros))
    }

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(fw_easy_setopt_long(handle, option, value), option)
    }

    /// curl copies string options (all but POSTFIELDS), so the temporary C string is enough.
    private func set(_ option: CURLoption, string: String) throws(HTTPClientError) {
        try check(fw_easy_setopt_str(handle, option, string), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw .curl(code: code, detail: "setting curl option \(option.rawValue) failed", url: request.url)
        }
    }
}

/// The C callbacks. Static lets (not closures in a function) so they capture nothing, and
/// they never throw: any failure becomes the return value curl understands.
private enum CurlCallbacks {
    /// Body bytes, already decompressed. Returning less than `size * count` makes curl abort
    /// with `CURLE_WRITE_ERROR`: that is how the body cap stops a gzip bomb mid-stream.
    static let body: curl_write_callback = { data, size, count, context in
        guard let context else { return 0 }
        let length = size * count
        let transfer = Unmanaged<CurlEasyTransfer>.fromOpaque(context).takeUnretainedValue()
        let accepted = transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length))
        return accepted ? length : 0
    }

    /// One complete header line per call, CRLF included, for every response in the chain.
    static let header: curl_write_callback = { data, size, count, context in
        guard let context else { return 0 }
        let length = size * count
        let transfer = Unmanaged<CurlEasyTransfer>.fromOpaque(context).takeUnretainedValue()
        transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
        return length
    }
}
