#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strongroom/base/result.hpp"

namespace strongroom::crypto::testing {

enum class TlsVersion { kDefault, kTls10, kTls11, kTls12, kTls13 };

struct TlsClientOptions {
  TlsVersion min_version = TlsVersion::kDefault;
  TlsVersion max_version = TlsVersion::kDefault;
  std::string cipher_list;   // TLS 1.2 and below, OpenSSL syntax; empty for OpenSSL's default.
  std::string ciphersuites;  // TLS 1.3; empty for OpenSSL's default.
  std::chrono::milliseconds timeout{5000};
  std::string host = "127.0.0.1";
};

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // Lower-case names.
  std::string body;
  std::optional<std::string> Header(std::string_view name) const;
};

// A blocking TLS client for tests: it writes raw bytes, so tests can send malformed, oversized or
// slow requests, and it reads one HTTP/1.1 response at a time. It does not verify the server's
// certificate. Not thread-safe.
class TlsClient {
 public:
  // Connects and completes the handshake. Errors: kUnavailable (TCP connect or handshake failed).
  static base::Result<std::unique_ptr<TlsClient>> Connect(std::uint16_t port,
                                                          const TlsClientOptions& options = {});
  ~TlsClient();

  base::Status Send(std::string_view bytes);
  // Reads one response (Content-Length delimited, or chunked). Errors: kUnavailable when the
  // connection closed or timed out first.
  base::Result<HttpReply> ReadReply();
  // True when the server closes the connection within `within` (nothing more to read).
  bool ClosedByPeer(std::chrono::milliseconds within);

  std::string protocol() const;  // "TLSv1.3"
  std::string cipher() const;
  bool compression() const;
  // Hex SHA-256 of the server certificate's DER encoding.
  std::string peer_certificate_sha256() const;
  // Asks for a TLS 1.2 renegotiation; true if the server accepted it.
  bool Renegotiate();

 private:
  TlsClient() = default;
  base::Result<std::size_t> ReadSome(char* buf, std::size_t n);
  struct State;
  std::unique_ptr<State> state_;
  std::string pending_;
};

// "METHOD target HTTP/1.1" with Host, the given headers, and Content-Length when body is set.
std::string BuildRequest(std::string_view method, std::string_view target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {},
                         std::optional<std::string_view> body = std::nullopt);

// Opens a plain TCP connection (no TLS); returns the descriptor or -1.
int ConnectTcp(std::uint16_t port);

}  // namespace strongroom::crypto::testing
