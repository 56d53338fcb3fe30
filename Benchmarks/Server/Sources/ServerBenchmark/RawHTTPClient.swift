import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal keep-alive HTTP/1.1 GET client on a blocking loopback socket, to time what the daemon
/// itself takes to answer (first byte to last) without URLSession's copying and parsing.
///
/// Hand-written on purpose: async-http-client would pull a second BoringSSL into this package's
/// build (tens of minutes on the shared 2-core machine), and URLSession over libcurl adds
/// milliseconds per megabyte of response, which would be measured instead of the daemon.
/// It reads only `Content-Length` bodies, which is all Hummingbird sends for these responses.
final class RawHTTPClient {
    private let socket: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw CocoaError(.fileReadUnknown) }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(socket) }

    /// Sends one GET and reads the whole answer; returns the status and the body's size.
    func get(_ path: String) -> (status: Int, bytes: Int) {
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
        var head: [UInt8] = []
        var bodyRead = 0
        // Read until the blank line that ends the headers.
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (0, 0) }
            head += buffer[0..<count]
            if let end = Self.headerEnd(head) {
                bodyRead = head.count - end
                head = Array(head[0..<end])
                break
            }
        }
        let text = String(decoding: head, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        var length = 0
        for line in text.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        while bodyRead < length {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            bodyRead += count
        }
        return (status, length)
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }
}
