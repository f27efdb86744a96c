// The only translation unit that includes Boost.Beast and Boost.Asio: they are heavy to compile,
// and keeping them here keeps the rest of the code base free of them.
#include "strongroom/http/server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "strongroom/base/check.hpp"
#include "strongroom/base/json_text.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/crypto/random.hpp"
#include "strongroom/http/error_mapping.hpp"

namespace strongroom::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using SteadyTime = std::chrono::steady_clock::time_point;

// Connections beyond max_connections still get a 503 over TLS, but only this many at a time;
// past that they are closed without a word so a flood cannot make the server do TLS for free.
constexpr std::size_t kMaxRejectingConnections = 64;

// Added to every response.
constexpr std::pair<const char*, const char*> kSecurityHeaders[] = {
    {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
    {"Content-Security-Policy",
     "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
    {"Cache-Control", "no-store"},
};

bool IsJsonContentType(std::string_view value) {
  // "application/json", optionally with parameters such as "; charset=utf-8".
  const std::size_t semi = value.find(';');
  std::string_view type = value.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type.size() != 16) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != "application/json"[i]) return false;
  }
  return true;
}

std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

double SecondsSince(SteadyTime start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

class Session;

struct Server::Impl {
  Impl(ServerOptions opts, Router r, base::Logger& log, base::MetricsRegistry& registry)
      : options(std::move(opts)),
        router(std::move(r)),
        logger(log),
        requests(registry.AddCounter("strongroom_http_requests_total",
                                     "HTTP requests answered, by route pattern, method and status.",
                                     {"route", "method", "status"})),
        latency(registry.AddHistogram(
            "strongroom_http_request_duration_seconds",
            "Time from a request's end of headers to the end of its response.", {"route"},
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})),
        open_gauge(registry.AddGauge("strongroom_http_open_connections",
                                     "TLS connections currently open.")),
        rejected(registry.AddCounter("strongroom_http_rejected_total",
                                     "Requests and connections refused at the edge, by reason.",
                                     {"reason"})),
        tls(ssl::context::tls_server),
        ioc(options.io_threads),
        acceptor(ioc),
        workers(static_cast<std::size_t>(options.worker_threads)) {
    const auto prefix = crypto::RandomArray<4>();
    request_id_prefix = base::HexEncode(prefix);
  }

  std::string NextRequestId() {
    char counter[17];
    std::snprintf(counter, sizeof counter, "%012llx",
                  static_cast<unsigned long long>(++request_counter));
    return request_id_prefix + counter;
  }

  void DoAccept();
  void Register(Session* s, const std::shared_ptr<Session>& sp);
  void Unregister(Session* s);
  void ConnectionOpened() { open_gauge.Set({}, static_cast<double>(++open_connections)); }
  void ConnectionClosed() {
    base::MutexLock lock(&mu);
    open_gauge.Set({}, static_cast<double>(--open_connections));
    drained.SignalAll();
  }
  template <typename Fn>
  void ForEachSession(Fn&& fn);

  const ServerOptions options;
  const Router router;
  base::Logger& logger;
  base::Counter& requests;
  base::Histogram& latency;
  base::Gauge& open_gauge;
  base::Counter& rejected;

  // Declared before the io_context: sessions still queued in it when it is destroyed unregister
  // themselves and count themselves closed through these, and their TLS streams use `tls`.
  base::Mutex mu;
  base::CondVar drained;
  std::map<Session*, std::weak_ptr<Session>> sessions SR_GUARDED_BY(mu);
  bool started SR_GUARDED_BY(mu) = false;
  bool stopped SR_GUARDED_BY(mu) = false;
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> rejecting{0};
  std::atomic<bool> shutting_down{false};
  std::atomic<std::uint64_t> request_counter{0};
  std::string request_id_prefix;
  ssl::context tls;

  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::thread_pool workers;
  // Sign-ins get their own threads, started in Start() at a lower priority.
  asio::io_context sign_in_ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> sign_in_work;
  std::vector<std::thread> sign_in_threads;
  std::atomic<std::size_t> sign_in_pending{0};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  asio::steady_timer accept_backoff{ioc};
  std::vector<std::thread> io_threads;
  std::uint16_t bound_port = 0;
};

// One TLS connection: handshake, then requests one at a time (keep-alive), then close. Every
// handler of a session runs on the session's strand, so its state needs no lock. Owned by the
// shared_ptrs its pending operations hold.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // A `rejecting` session answers 503 to its first request and closes.
  Session(Server::Impl& server, tcp::socket socket, bool rejecting)
      : server_(server),
        stream_(std::move(socket), server.tls),
        timer_(stream_.get_executor()),
        rejecting_(rejecting) {
    error_code ec;
    const auto remote = beast::get_lowest_layer(stream_).remote_endpoint(ec);
    remote_ = ec ? "unknown" : remote.address().to_string();
    beast::get_lowest_layer(stream_).set_option(tcp::no_delay(true), ec);
    if (!rejecting_) server_.ConnectionOpened();
  }

  ~Session() {
    if (rejecting_) {
      --server_.rejecting;
    } else {
      server_.ConnectionClosed();
    }
    server_.Unregister(this);
  }

  void Start() {
    server_.Register(this, shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->BeginHandshake(); });
  }

  // Runs on the strand when the server starts shutting down.
  void OnShutdown() {
    if (phase_ == Phase::kHandshake || (phase_ == Phase::kReading && !first_byte_)) Close();
  }

  // Runs on the strand when the grace period is over.
  void ForceClose() { Close(); }

  // The session's strand.
  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class Phase { kHandshake, kReading, kBody, kHandling, kWriting, kClosing, kClosed };

  void EnterPhase(Phase phase) {
    phase_ = phase;
    phase_start_ = std::chrono::steady_clock::now();
  }

  void ArmTick() {
    timer_.expires_after(server_.options.tick);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->OnTick();
    });
  }

  void OnTick() {
    if (phase_ == Phase::kClosed) return;
    const auto now = std::chrono::steady_clock::now();
    const auto elapsed = now - phase_start_;
    const ServerOptions& o = server_.options;
    switch (phase_) {
      case Phase::kHandshake:
        if (elapsed > o.handshake_timeout) return Close();
        break;
      case Phase::kReading:
        if (!first_byte_ &&
            (buffer_.size() > 0 || (header_parser_ && header_parser_->got_some()))) {
          first_byte_ = now;
        }
        if (first_byte_ && now - *first_byte_ > o.header_timeout) return TimeOut();
        if (!first_byte_ && elapsed > o.idle_timeout) return Close();
        break;
      case Phase::kBody:
        if (elapsed > o.body_timeout) return TimeOut();
        break;
      case Phase::kWriting:
        if (elapsed > o.write_timeout) return Close();
        break;
      case Phase::kClosing:
        if (elapsed > std::chrono::milliseconds(500)) return Close();
        break;
      case Phase::kHandling:
        // A streamed body or response: each read or write must make progress in time.
        if (io_since_ && now - *io_since_ > (io_reading_ ? o.body_timeout : o.write_timeout)) {
          return TimeOut();
        }
        break;
      case Phase::kClosed:
        break;
    }
    ArmTick();
  }

  // A request that stalls mid-way: cancel the read; its handler answers 408.
  void TimeOut() {
    timed_out_ = true;
    error_code ec;
    beast::get_lowest_layer(stream_).cancel(ec);
    ArmTick();
  }

  void BeginHandshake() {
    EnterPhase(Phase::kHandshake);
    ArmTick();
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](error_code ec) { self->OnHandshake(ec); });
  }

  void OnHandshake(error_code ec) {
    if (ec) {
      // Plain HTTP, garbage, a protocol or cipher the server does not offer, or a timeout: this
      // connection ends and nothing else is affected.
      server_.rejected.Inc({"tls_handshake"});
      server_.logger.Debug("tls_handshake_failed", {{"remote", remote_}, {"error", ec.message()}});
      return Close();
    }
    ReadRequest();
  }

  void ReadRequest() {
    if (server_.shutting_down && buffer_.size() == 0) return Close();
    EnterPhase(Phase::kReading);
    first_byte_.reset();
    if (buffer_.size() > 0) first_byte_ = phase_start_;  // A pipelined request is waiting.
    timed_out_ = false;
    header_parser_.emplace();
    header_parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    // The body's limit is the route's, checked once the route is known (413, not Beast's 400).
    // Not boost::none: Boost 1.74 compares the length with the optional, and none loses.
    header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    body_parser_.reset();
    stream_parser_.reset();
    continue_.reset();
    expect_continue_ = false;
    bhttp::async_read_header(
        stream_, buffer_, *header_parser_,
        [self = shared_from_this()](error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(error_code ec) {
    const bool got_some = header_parser_->got_some() || first_byte_.has_value();
    if (timed_out_) {
      return Reject(408, "request_timeout", "request_timeout",
                    "the request's headers did not arrive within " +
                        std::to_string(server_.options.header_timeout.count()) + " ms");
    }
    if (ec == bhttp::error::header_limit) {
      return Reject(431, "request_header_fields_too_large", "header_too_large",
                    "the request line and headers exceed " +
                        std::to_string(server_.options.max_header_bytes) + " bytes");
    }
    if (ec) {
      if (got_some && ec != asio::error::operation_aborted && ec != asio::error::eof &&
          ec != ssl::error::stream_truncated && ec != bhttp::error::end_of_stream &&
          ec != asio::error::connection_reset) {
        return Reject(400, "bad_request", "bad_request",
                      "the request is not valid HTTP/1.1: " + ec.message());
      }
      return Close();  // The client went away, or the server is closing idle connections.
    }
    request_start_ = std::chrono::steady_clock::now();
    auto& head = header_parser_->get();
    request_ = Request{};
    request_.method = std::string(head.method_string());
    request_.target = std::string(head.target());
    request_.remote_address = remote_;
    request_.request_id = server_.NextRequestId();
    keep_alive_ = head.keep_alive();
    for (const auto& field : head) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request_.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    const bool has_body =
        header_parser_->chunked() || header_parser_->content_length().value_or(0) > 0;
    declared_length_.reset();
    if (const auto length = header_parser_->content_length()) declared_length_ = *length;
    if (rejecting_) {
      server_.rejected.Inc({"connection_limit"});
      return Respond(ErrorResponse(503, "service_unavailable",
                                   "the server has reached its connection limit; retry shortly"),
                     {{"Retry-After", "1"}}, /*close=*/true);
    }
    if (request_.target.size() > server_.options.max_url_bytes) {
      return Reject(
          414, "uri_too_long", "uri_too_long",
          "the request target exceeds " + std::to_string(server_.options.max_url_bytes) + " bytes");
    }
    const std::size_t q = request_.target.find('?');
    request_.path = request_.target.substr(0, q);
    if (q != std::string::npos) request_.query = request_.target.substr(q + 1);

    const Router::Match match = server_.router.Find(request_.method, request_.path);
    switch (match.outcome) {
      case Router::Outcome::kBadPath:
        return Reject(400, "bad_request", "bad_path",
                      "the request path is refused: " + match.problem, has_body);
      case Router::Outcome::kNotFound:
        return Respond(ErrorResponse(404, "not_found", "no route for " + request_.path), {},
                       has_body);
      case Router::Outcome::kMethodNotAllowed:
        return Respond(
            ErrorResponse(405, "method_not_allowed",
                          request_.method + " is not allowed here; allowed: " + match.allow),
            {{"Allow", match.allow}}, has_body);
      case Router::Outcome::kFound:
        break;
    }
    route_ = match.route;
    request_.route = route_->pattern;
    request_.path_params = match.params;

    const std::size_t limit = route_->options.max_body_bytes;
    if (has_body && limit == 0) {
      return Reject(413, "payload_too_large", "body_too_large",
                    request_.method + " " + route_->pattern + " takes no request body");
    }
    if (header_parser_->content_length().value_or(0) > limit) {
      return Reject(413, "payload_too_large", "body_too_large",
                    "the request body exceeds " + std::to_string(limit) + " bytes, the limit for " +
                        request_.method + " " + route_->pattern);
    }
    if (has_body && route_->options.json_body &&
        !IsJsonContentType(request_.Header("content-type").value_or(""))) {
      return Reject(415, "unsupported_media_type", "unsupported_media_type",
                    "the request body must be sent as Content-Type: application/json");
    }

    if (route_->options.stream_body) {
      // The handler reads the body itself, chunk by chunk, through body_stream.
      stream_parser_.emplace(std::move(*header_parser_));
      header_parser_.reset();
      stream_parser_->body_limit(limit);
      const auto expect = request_.Header("expect");
      expect_continue_ = expect && (*expect == "100-continue" || *expect == "100-Continue");
      request_.body_stream = &reader_;
      return Dispatch();
    }
    EnterPhase(Phase::kBody);
    body_parser_.emplace(std::move(*header_parser_));
    header_parser_.reset();
    body_parser_->body_limit(limit);
    if (body_parser_->is_done()) return OnBody({});
    bhttp::async_read(
        stream_, buffer_, *body_parser_,
        [self = shared_from_this()](error_code body_ec, std::size_t) { self->OnBody(body_ec); });
  }

  void OnBody(error_code ec) {
    if (timed_out_) {
      return Reject(408, "request_timeout", "request_timeout",
                    "the request body did not arrive within " +
                        std::to_string(server_.options.body_timeout.count()) + " ms");
    }
    if (ec == bhttp::error::body_limit) {
      return Reject(413, "payload_too_large", "body_too_large",
                    "the request body exceeds " + std::to_string(route_->options.max_body_bytes) +
                        " bytes, the limit for " + request_.method + " " + route_->pattern);
    }
    if (ec) {
      if (ec == asio::error::eof || ec == ssl::error::stream_truncated ||
          ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
          ec == bhttp::error::partial_message) {
        return Close();
      }
      return Reject(400, "bad_request", "bad_request",
                    "the request body is malformed: " + ec.message());
    }
    request_.body = std::move(body_parser_->get().body());
    body_parser_.reset();
    if (route_->options.json_body && !request_.body.empty()) {
      if (base::Status s = base::CheckJsonText(request_.body, server_.options.max_json_depth);
          !s.ok()) {
        const bool nul = s.message().find("NUL") != std::string::npos;
        return Reject(400, nul ? "invalid_json" : "json_too_deep",
                      nul ? "invalid_json" : "json_too_deep", s.message());
      }
    }
    Dispatch();
  }

  void Dispatch() {
    EnterPhase(Phase::kHandling);
    switch (route_->options.executor) {
      case Executor::kNetwork: {
        Response response = Invoke();
        // A streamed response is written by a worker waiting on this thread: never from here.
        if (response.stream) {
          server_.logger.Error("stream_on_network_thread", {{"route", route_->pattern}});
          response = ErrorResponse(base::InternalError("streamed response"), request_.request_id);
        }
        return Respond(std::move(response), {}, false);
      }
      case Executor::kWorkers:
        return RunOn(server_.workers, false);
      case Executor::kSignIn:
        if (server_.sign_in_pending.fetch_add(1) >= server_.options.sign_in_queue) {
          --server_.sign_in_pending;
          server_.rejected.Inc({"sign_in_busy"});
          return Respond(ErrorResponse(503, "service_unavailable",
                                       "too many sign-ins are in progress; retry shortly"),
                         {{"Retry-After", "1"}}, false);
        }
        return RunOn(server_.sign_in_ioc, true);
    }
  }

  template <typename Pool>
  void RunOn(Pool& pool, bool sign_in) {
    asio::post(pool, [self = shared_from_this(), sign_in] {
      Response response = self->Invoke();
      if (sign_in) --self->server_.sign_in_pending;
      if (response.stream) return self->StreamResponse(std::move(response));
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Respond(std::move(response), {}, false);
      });
    });
  }

  // Runs the handler, on whichever thread Dispatch chose. Reads only request_ and route_, which
  // nothing else touches while the handler runs.
  Response Invoke() {
    try {
      return route_->handler(request_);
    } catch (const std::exception& e) {
      server_.logger.Error(
          "handler_exception",
          {{"request_id", request_.request_id}, {"route", route_->pattern}, {"error", e.what()}});
    } catch (...) {
      server_.logger.Error("handler_exception",
                           {{"request_id", request_.request_id}, {"route", route_->pattern}});
    }
    return ErrorResponse(base::InternalError("handler failed"), request_.request_id);
  }

  // An edge-filter refusal: counted by reason, answered, and the connection closed (the rest of
  // the request was not read, so the stream cannot be trusted to be at a message boundary).
  void Reject(int status, std::string_view code, std::string_view reason, std::string message,
              bool close = true) {
    server_.rejected.Inc({reason});
    if (request_.request_id.empty()) {
      request_.request_id = server_.NextRequestId();
      request_.remote_address = remote_;
      request_start_ = std::chrono::steady_clock::now();
    }
    Respond(ErrorResponse(status, code, message), {}, close);
  }

  void Respond(Response response, std::vector<std::pair<std::string, std::string>> extra,
               bool close) {
    if (phase_ == Phase::kClosed) return;
    if (close || server_.shutting_down || BodyLeftUnread()) keep_alive_ = false;
    status_ = response.status;
    response_ = {};
    SetHead(response_, response, extra);
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive_);
    response_.prepare_payload();
    EnterPhase(Phase::kWriting);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](error_code ec, std::size_t bytes) {
                         self->OnWritten(ec, bytes);
                       });
  }

  // A streamed request body the handler did not read to its end leaves the connection in the
  // middle of a message: it cannot carry another request.
  bool BodyLeftUnread() const { return stream_parser_ && !stream_parser_->is_done(); }

  template <typename Message>
  void SetHead(Message& m, const Response& response,
               const std::vector<std::pair<std::string, std::string>>& extra) {
    m.version(11);
    m.result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : kSecurityHeaders) m.set(name, value);
    m.set(bhttp::field::content_type, response.content_type);
    m.set("X-Request-Id", request_.request_id);
    for (const auto& [name, value] : response.headers) m.set(name, value);
    for (const auto& [name, value] : extra) m.set(name, value);
  }

  // Runs `op` on the strand and waits, on the calling worker thread, for the value it sets.
  template <typename T, typename Op>
  T OnStrand(Op op) {
    auto done = std::make_shared<std::promise<T>>();
    std::future<T> result = done->get_future();
    asio::post(stream_.get_executor(), [self = shared_from_this(), op = std::move(op),
                                        done]() mutable { op(*self, done); });
    return result.get();
  }

  // BodyReader for stream_body routes: each Read is one async_read of the connection into the
  // caller's buffer, run on the strand while the worker waits.
  class StreamReader final : public BodyReader {
   public:
    explicit StreamReader(Session& session) : session_(session) {}
    base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
      return session_.OnStrand<base::Result<std::size_t>>(
          [out](Session& s, const std::shared_ptr<std::promise<base::Result<std::size_t>>>& done) {
            s.StartStreamRead(out, done);
          });
    }
    std::optional<std::uint64_t> content_length() const override {
      return session_.declared_length_;
    }

   private:
    Session& session_;
  };

  using ReadPromise = std::shared_ptr<std::promise<base::Result<std::size_t>>>;

  void StartStreamRead(std::span<std::uint8_t> out, const ReadPromise& done) {
    if (phase_ == Phase::kClosed || !stream_parser_) {
      return done->set_value(base::UnavailableError("the connection is closed"));
    }
    if (stream_parser_->is_done() || out.empty()) return done->set_value(std::size_t{0});
    if (expect_continue_) {
      // The client waits for this before it sends the body (RFC 9110 10.1.1); it is sent only
      // once the handler asks for the body, so a refused request costs the client nothing.
      expect_continue_ = false;
      continue_.emplace(bhttp::status::continue_, 11);
      io_since_ = std::chrono::steady_clock::now();
      io_reading_ = false;
      return bhttp::async_write(
          stream_, *continue_, [self = shared_from_this(), out, done](error_code ec, std::size_t) {
            self->io_since_.reset();
            if (ec) {
              return done->set_value(base::UnavailableError("the client went away"));
            }
            self->StartStreamRead(out, done);
          });
    }
    auto& body = stream_parser_->get().body();
    body.data = out.data();
    body.size = out.size();
    io_since_ = std::chrono::steady_clock::now();
    io_reading_ = true;
    timed_out_ = false;
    bhttp::async_read(
        stream_, buffer_, *stream_parser_,
        [self = shared_from_this(), out, done](error_code ec, std::size_t) {
          self->io_since_.reset();
          const std::size_t got = out.size() - self->stream_parser_->get().body().size;
          if (ec == bhttp::error::need_buffer) ec = {};
          if (self->timed_out_) {
            return done->set_value(base::DeadlineExceededError(
                "the request body stalled for longer than " +
                std::to_string(self->server_.options.body_timeout.count()) + " ms"));
          }
          if (ec == bhttp::error::body_limit) {
            return done->set_value(base::ResourceExhaustedError(
                "the request body exceeds " + std::to_string(self->route_->options.max_body_bytes) +
                " bytes, the limit for " + self->route_->pattern));
          }
          if (ec == bhttp::error::bad_chunk || ec == bhttp::error::bad_chunk_extension) {
            return done->set_value(
                base::InvalidArgumentError("the chunked request body is malformed"));
          }
          if (ec) {
            return done->set_value(
                base::UnavailableError("the request body ended early: " + ec.message()));
          }
          done->set_value(got);
        });
  }

  using WritePromise = std::shared_ptr<std::promise<error_code>>;

  // Writes a streamed response from the worker thread: the head, then each piece the source
  // gives, each write on the strand while the worker waits. A source error after the head was
  // sent closes the connection, so the client sees a truncated body.
  void StreamResponse(Response response) {
    const std::shared_ptr<BodySource> source = std::move(response.stream);
    const auto stream_length = response.stream_length;
    error_code ec = OnStrand<error_code>([&response, stream_length](Session& s,
                                                                    const WritePromise& done) {
      if (s.phase_ == Phase::kClosed) return done->set_value(asio::error::not_connected);
      if (s.server_.shutting_down || s.BodyLeftUnread()) s.keep_alive_ = false;
      s.status_ = response.status;
      s.stream_response_.emplace();
      s.SetHead(*s.stream_response_, response, {});
      if (stream_length) {
        s.stream_response_->content_length(*stream_length);
      } else {
        s.stream_response_->chunked(true);
      }
      s.stream_response_->keep_alive(s.keep_alive_);
      s.stream_response_->body().data = nullptr;
      s.stream_response_->body().more = true;
      s.stream_serializer_.emplace(*s.stream_response_);
      s.EnterPhase(Phase::kHandling);
      s.io_since_ = std::chrono::steady_clock::now();
      s.io_reading_ = false;
      bhttp::async_write_header(s.stream_, *s.stream_serializer_,
                                [self = s.shared_from_this(), done](error_code wec, std::size_t) {
                                  self->io_since_.reset();
                                  done->set_value(wec);
                                });
    });
    std::size_t sent = 0;
    std::vector<std::uint8_t> buffer(256 * 1024);
    bool source_failed = false;
    while (!ec) {
      auto n = source->Read(buffer);
      if (!n.ok()) {
        server_.logger.Error("response_stream_failed",
                             {{"request_id", request_.request_id}, {"error", n.error().message()}});
        source_failed = true;
        break;
      }
      const bool last = *n == 0;
      ec = OnStrand<error_code>([&buffer, n = *n, last](Session& s, const WritePromise& done) {
        if (s.phase_ == Phase::kClosed) return done->set_value(asio::error::not_connected);
        auto& body = s.stream_response_->body();
        body.data = last ? nullptr : buffer.data();
        body.size = n;
        body.more = !last;
        s.io_since_ = std::chrono::steady_clock::now();
        s.io_reading_ = false;
        bhttp::async_write(s.stream_, *s.stream_serializer_,
                           [self = s.shared_from_this(), done](error_code wec, std::size_t) {
                             self->io_since_.reset();
                             if (wec == bhttp::error::need_buffer) wec = {};
                             done->set_value(wec);
                           });
      });
      sent += *n;
      if (last) break;
    }
    if (source_failed && !ec) ec = asio::error::connection_aborted;
    asio::post(stream_.get_executor(), [self = shared_from_this(), ec, sent] {
      self->stream_serializer_.reset();
      self->stream_response_.reset();
      self->OnWritten(ec, sent);
    });
  }

  void OnWritten(error_code ec, std::size_t bytes) {
    const std::string_view route =
        route_ != nullptr ? std::string_view(route_->pattern) : std::string_view("unmatched");
    const std::string status = std::to_string(status_);
    const double seconds = SecondsSince(request_start_);
    server_.requests.Inc({route, MethodLabel(request_.method), status});
    server_.latency.Observe({route}, seconds);
    const std::string write_error = ec ? ec.message() : std::string();
    std::vector<base::LogField> fields{{"request_id", request_.request_id},
                                       {"method", MethodLabel(request_.method)},
                                       {"route", route},
                                       {"path", request_.path},
                                       {"status", status_},
                                       {"duration_ms", seconds * 1000},
                                       {"bytes_out", bytes},
                                       {"remote", remote_}};
    if (ec) fields.emplace_back("write_error", write_error);
    server_.logger.Log(base::LogLevel::kInfo, "http_request", fields);
    route_ = nullptr;
    request_ = Request{};
    if (ec) return Close();
    if (!keep_alive_) return GracefulClose();
    ReadRequest();
  }

  // Sends TLS close_notify and waits briefly for the client's; during shutdown it does not wait.
  void GracefulClose() {
    if (server_.shutting_down) return Close();
    EnterPhase(Phase::kClosing);
    stream_.async_shutdown([self = shared_from_this()](error_code) { self->Close(); });
  }

  void Close() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    error_code ec;
    timer_.cancel();
    auto& socket = beast::get_lowest_layer(stream_);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
  }

  Server::Impl& server_;
  ssl::stream<tcp::socket> stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_parser_;
  bhttp::response<bhttp::string_body> response_;
  // Streaming: the request body read on demand, the 100 Continue interim response, and a
  // response written piece by piece.
  std::optional<bhttp::request_parser<bhttp::buffer_body>> stream_parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<bhttp::response<bhttp::buffer_body>> stream_response_;
  std::optional<bhttp::response_serializer<bhttp::buffer_body>> stream_serializer_;
  StreamReader reader_{*this};
  std::optional<std::uint64_t> declared_length_;
  bool expect_continue_ = false;
  std::optional<SteadyTime> io_since_;  // Since when a streamed read or write is pending.
  bool io_reading_ = false;             // Whether that is a read (body_timeout) or a write.
  const bool rejecting_;
  std::string remote_;

  Phase phase_ = Phase::kHandshake;
  SteadyTime phase_start_ = std::chrono::steady_clock::now();
  std::optional<SteadyTime> first_byte_;
  SteadyTime request_start_ = std::chrono::steady_clock::now();
  bool timed_out_ = false;
  bool keep_alive_ = true;
  int status_ = 0;
  Request request_;
  const Route* route_ = nullptr;
};

void Server::Impl::Register(Session* s, const std::shared_ptr<Session>& sp) {
  base::MutexLock lock(&mu);
  sessions[s] = sp;
}

void Server::Impl::Unregister(Session* s) {
  base::MutexLock lock(&mu);
  sessions.erase(s);
}

template <typename Fn>
void Server::Impl::ForEachSession(Fn&& fn) {
  std::vector<std::shared_ptr<Session>> live;
  {
    base::MutexLock lock(&mu);
    for (auto& [ptr, weak] : sessions) {
      if (auto sp = weak.lock()) live.push_back(std::move(sp));
    }
  }
  for (auto& sp : live) fn(sp);
}

void Server::Impl::DoAccept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      // Out of descriptors or memory: back off instead of spinning on the error.
      rejected.Inc({"accept_error"});
      logger.Warning("accept_failed", {{"error", ec.message()}});
      accept_backoff.expires_after(std::chrono::milliseconds(100));
      accept_backoff.async_wait([this](error_code wait_ec) {
        if (!wait_ec) DoAccept();
      });
      return;
    }
    if (shutting_down) return;  // The socket closes as it goes out of scope.
    if (open_connections >= options.max_connections) {
      if (rejecting.fetch_add(1) < kMaxRejectingConnections) {
        std::make_shared<Session>(*this, std::move(socket), /*rejecting=*/true)->Start();
      } else {
        --rejecting;
        rejected.Inc({"connection_limit"});
      }
    } else {
      std::make_shared<Session>(*this, std::move(socket), /*rejecting=*/false)->Start();
    }
    DoAccept();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Shutdown(); }

base::Result<std::unique_ptr<Server>> Server::Create(ServerOptions options,
                                                     const crypto::TlsCredentials& credentials,
                                                     Router router, base::Logger& logger,
                                                     base::MetricsRegistry& metrics) {
  if (options.io_threads < 1 || options.worker_threads < 1 || options.sign_in_threads < 1 ||
      options.max_connections < 1) {
    return base::InvalidArgumentError(
        "the server needs at least one network thread, one worker thread, one sign-in thread "
        "and one connection");
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(router), logger, metrics);
  if (base::Status s = crypto::ConfigureServerTls(impl->tls.native_handle(), credentials);
      !s.ok()) {
    return s.WithContext("TLS configuration");
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

base::Status Server::Start() {
  Impl& s = *impl_;
  {
    base::MutexLock lock(&s.mu);
    if (s.started) return base::FailedPreconditionError("the server was already started");
    s.started = true;
  }
  error_code ec;
  const auto address = asio::ip::make_address(s.options.listen_address, ec);
  if (ec) {
    return base::InvalidArgumentError("listen address '" + s.options.listen_address +
                                      "' is not an IPv4 or IPv6 address");
  }
  const tcp::endpoint endpoint(address, s.options.port);
  const std::string where = s.options.listen_address + ":" + std::to_string(s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return base::UnavailableError("cannot listen on " + where + ": " + ec.message());
  s.bound_port = s.acceptor.local_endpoint().port();
  s.work.emplace(s.ioc.get_executor());
  s.sign_in_work.emplace(s.sign_in_ioc.get_executor());
  for (int i = 0; i < s.options.sign_in_threads; ++i) {
    s.sign_in_threads.emplace_back([&s] {
      // Argon2id is deliberately expensive: at nice +10 the kernel runs the network and worker
      // threads first, so a flood of sign-ins slows sign-ins, not every other request. Failing
      // to lower the priority is harmless.
      (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
      s.sign_in_ioc.run();
    });
  }
  s.DoAccept();
  for (int i = 0; i < s.options.io_threads; ++i) {
    s.io_threads.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          s.logger.Error("io_thread_exception", {{"error", e.what()}});
        }
      }
    });
  }
  return base::OkStatus();
}

std::uint16_t Server::port() const { return impl_->bound_port; }

void Server::Shutdown() {
  Impl& s = *impl_;
  {
    base::MutexLock lock(&s.mu);
    if (!s.started || s.stopped) return;
    s.stopped = true;
  }
  s.shutting_down = true;
  asio::post(s.ioc, [&s] {
    error_code ec;
    s.acceptor.close(ec);
    s.accept_backoff.cancel();
  });
  s.ForEachSession([](const std::shared_ptr<Session>& session) {
    asio::post(session->executor(), [session] { session->OnShutdown(); });
  });
  {
    const auto deadline = std::chrono::steady_clock::now() + s.options.shutdown_grace;
    base::MutexLock lock(&s.mu);
    while (s.open_connections > 0 && s.drained.WaitUntil(&s.mu, deadline)) {
    }
  }
  s.ForEachSession([](const std::shared_ptr<Session>& session) {
    asio::post(session->executor(), [session] { session->ForceClose(); });
  });
  {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    base::MutexLock lock(&s.mu);
    while (s.open_connections > 0 && s.drained.WaitUntil(&s.mu, deadline)) {
    }
  }
  // Handlers still running finish before the pools join; queued ones are dropped with them.
  s.workers.join();
  s.sign_in_work.reset();
  s.sign_in_ioc.stop();
  for (auto& t : s.sign_in_threads) t.join();
  s.sign_in_threads.clear();
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.io_threads) t.join();
  s.io_threads.clear();
}

}  // namespace strongroom::http
