#include "strongroom/crypto/testing/tls_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace strongroom::crypto::testing {
namespace {

int OpenSslVersion(TlsVersion v) {
  switch (v) {
    case TlsVersion::kDefault:
      return 0;
    case TlsVersion::kTls10:
      return TLS1_VERSION;
    case TlsVersion::kTls11:
      return TLS1_1_VERSION;
    case TlsVersion::kTls12:
      return TLS1_2_VERSION;
    case TlsVersion::kTls13:
      return TLS1_3_VERSION;
  }
  return 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

struct TlsClient::State {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  int fd = -1;
  std::chrono::milliseconds timeout{5000};
  ~State() {
    if (ssl != nullptr) SSL_free(ssl);
    if (ctx != nullptr) SSL_CTX_free(ctx);
    if (fd >= 0) ::close(fd);
  }
};

std::optional<std::string> HttpReply::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

int ConnectTcp(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

base::Result<std::unique_ptr<TlsClient>> TlsClient::Connect(std::uint16_t port,
                                                            const TlsClientOptions& options) {
  // A write to a connection the server closed must fail, not kill the test with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<TlsClient> client(new TlsClient());
  client->state_ = std::make_unique<State>();
  State& s = *client->state_;
  s.timeout = options.timeout;
  s.fd = ConnectTcp(port);
  if (s.fd < 0) return base::UnavailableError("cannot connect to port " + std::to_string(port));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(options.timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((options.timeout.count() % 1000) * 1000);
  ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

  s.ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(s.ctx, 0);  // Let tests offer old protocols to see them refused.
  if (const int v = OpenSslVersion(options.min_version); v != 0) {
    SSL_CTX_set_min_proto_version(s.ctx, v);
  }
  if (const int v = OpenSslVersion(options.max_version); v != 0) {
    SSL_CTX_set_max_proto_version(s.ctx, v);
  }
  if (!options.cipher_list.empty()) SSL_CTX_set_cipher_list(s.ctx, options.cipher_list.c_str());
  if (!options.ciphersuites.empty()) SSL_CTX_set_ciphersuites(s.ctx, options.ciphersuites.c_str());
  s.ssl = SSL_new(s.ctx);
  SSL_set_fd(s.ssl, s.fd);
  // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
  static char kServerName[] = "localhost";
  SSL_ctrl(s.ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, kServerName);
  if (SSL_connect(s.ssl) != 1) {
    char buf[256] = "handshake failed";
    if (const unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return base::UnavailableError(std::string("TLS handshake failed: ") + buf);
  }
  return client;
}

TlsClient::~TlsClient() = default;

base::Status TlsClient::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const int n = SSL_write(state_->ssl, bytes.data(), static_cast<int>(bytes.size()));
    if (n <= 0) {
      ERR_clear_error();
      return base::UnavailableError("write failed");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return base::OkStatus();
}

base::Result<std::size_t> TlsClient::ReadSome(char* buf, std::size_t n) {
  const int r = SSL_read(state_->ssl, buf, static_cast<int>(n));
  if (r <= 0) {
    ERR_clear_error();
    return base::UnavailableError("connection closed or timed out");
  }
  return static_cast<std::size_t>(r);
}

base::Result<HttpReply> TlsClient::ReadReply() {
  char buf[16384];
  std::size_t header_end;
  while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    auto n = ReadSome(buf, sizeof buf);
    if (!n.ok()) return n.error();
    pending_.append(buf, *n);
  }
  HttpReply reply;
  const std::string head = pending_.substr(0, header_end);
  pending_.erase(0, header_end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return base::DataLossError("bad status line: " + status_line);
  reply.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line = head.substr(start, line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    reply.headers.emplace_back(Lower(line.substr(0, colon)), value);
  }
  const auto fill_to = [&](std::size_t size) -> base::Status {
    while (pending_.size() < size) {
      auto n = ReadSome(buf, sizeof buf);
      if (!n.ok()) return n.error();
      pending_.append(buf, *n);
    }
    return base::OkStatus();
  };
  if (Lower(reply.Header("transfer-encoding").value_or("")) == "chunked") {
    // Chunk sizes in hex, each chunk followed by CRLF, a zero-size chunk and CRLF at the end.
    for (;;) {
      std::size_t eol;
      while ((eol = pending_.find("\r\n")) == std::string::npos) {
        if (base::Status st = fill_to(pending_.size() + 1); !st.ok()) return st;
      }
      const std::size_t size = std::stoul(pending_.substr(0, eol), nullptr, 16);
      pending_.erase(0, eol + 2);
      if (base::Status st = fill_to(size + 2); !st.ok()) return st;
      reply.body.append(pending_, 0, size);
      pending_.erase(0, size + 2);
      if (size == 0) return reply;
    }
  }
  const std::size_t length = std::stoul(reply.Header("content-length").value_or("0"));
  while (pending_.size() < length) {
    auto n = ReadSome(buf, sizeof buf);
    if (!n.ok()) return n.error();
    pending_.append(buf, *n);
  }
  reply.body = pending_.substr(0, length);
  pending_.erase(0, length);
  return reply;
}

bool TlsClient::ClosedByPeer(std::chrono::milliseconds within) {
  pollfd p{state_->fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(within.count())) <= 0) return false;
  char buf[4096];
  const int r = SSL_read(state_->ssl, buf, sizeof buf);
  ERR_clear_error();
  return r <= 0;
}

std::string TlsClient::protocol() const { return SSL_get_version(state_->ssl); }
std::string TlsClient::cipher() const { return SSL_get_cipher_name(state_->ssl); }
bool TlsClient::compression() const { return SSL_get_current_compression(state_->ssl) != nullptr; }

std::string TlsClient::peer_certificate_sha256() const {
  X509* cert = SSL_get1_peer_certificate(state_->ssl);
  if (cert == nullptr) return "";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  X509_free(cert);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

bool TlsClient::Renegotiate() {
  if (SSL_renegotiate(state_->ssl) != 1) {
    ERR_clear_error();
    return false;
  }
  // Sends a new ClientHello and waits for the server's answer: a server that refuses
  // renegotiation answers with a no_renegotiation alert, which fails this handshake.
  const int rc = SSL_do_handshake(state_->ssl);
  ERR_clear_error();
  return rc == 1;
}

std::string BuildRequest(std::string_view method, std::string_view target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         std::optional<std::string_view> body) {
  std::string out(method);
  out += ' ';
  out += target;
  out += " HTTP/1.1\r\nHost: localhost\r\n";
  for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  if (body) out += "Content-Length: " + std::to_string(body->size()) + "\r\n";
  out += "\r\n";
  if (body) out += *body;
  return out;
}

}  // namespace strongroom::crypto::testing
