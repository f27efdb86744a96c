#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "strongroom/base/logger.hpp"
#include "strongroom/base/metrics.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/tls.hpp"
#include "strongroom/http/router.hpp"

namespace strongroom::http {

using namespace std::chrono_literals;

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0 picks a free port; see Server::port().
  int io_threads = 2;         // Network threads: TLS, parsing, writing. Never block.
  // Blocking handlers (store, files). They mostly wait on fsync: the more wait together, the
  // more each group commit of the audit log carries, so there are many more than cores.
  int worker_threads = 32;
  int sign_in_threads = 2;         // Sign-in handlers (Argon2id), apart from the workers, run at
                                   // a lower scheduling priority (nice +10) than everything else.
  std::size_t sign_in_queue = 64;  // Sign-ins waiting beyond this get 503 at once.

  std::size_t max_connections = 1024;        // Beyond this, new connections get 503.
  std::size_t max_header_bytes = 16 * 1024;  // Request line + headers; beyond: 431.
  std::size_t max_url_bytes = 8 * 1024;      // Request target; beyond: 414.
  std::size_t max_json_depth = 32;  // Nesting of arrays/objects in JSON bodies; beyond: 400.

  std::chrono::milliseconds handshake_timeout = 10s;  // TLS handshake.
  std::chrono::milliseconds idle_timeout = 30s;       // Keep-alive wait for the next request.
  std::chrono::milliseconds header_timeout =
      10s;  // From a request's first byte to its end of headers: 408.
  std::chrono::milliseconds body_timeout = 30s;    // From end of headers to end of body: 408.
  std::chrono::milliseconds write_timeout = 30s;   // Writing one response.
  std::chrono::milliseconds shutdown_grace = 10s;  // In-flight requests' time to finish.
  // How often each connection's timeouts are checked: timeouts fire within one tick of their
  // deadline.
  std::chrono::milliseconds tick = 500ms;
};

// The HTTPS server: TLS only (crypto::ConfigureServerTls), request filtering at the edge, routing
// to handlers, security headers on every response, a JSON log line and metrics per request, and
// graceful shutdown. Thread-safe: Start and Shutdown may be called from any thread other than the
// server's own.
class Server {
 public:
  // Errors: kInvalidArgument when the options or credentials are unusable.
  static base::Result<std::unique_ptr<Server>> Create(ServerOptions options,
                                                      const crypto::TlsCredentials& credentials,
                                                      Router router, base::Logger& logger,
                                                      base::MetricsRegistry& metrics);
  ~Server();  // Shuts down if still running.

  // Binds and starts serving. Errors: kUnavailable when the address cannot be bound.
  base::Status Start();
  // The bound port (after Start).
  std::uint16_t port() const;

  // Stops accepting, closes idle connections, lets in-flight requests finish (their responses
  // carry Connection: close) for up to shutdown_grace, then closes what is left and joins every
  // thread. Idempotent.
  void Shutdown();

  // The implementation, defined in server.cpp (the only file that sees Beast).
  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strongroom::http
