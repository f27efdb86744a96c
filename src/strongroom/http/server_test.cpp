#include "strongroom/http/server.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/memory_logger.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/testing/tls_client.hpp"
#include "strongroom/http/error_mapping.hpp"
#include "strongroom/http/handlers/health.hpp"

namespace strongroom::http {
namespace {

using crypto::testing::BuildRequest;
using crypto::testing::HttpReply;
using crypto::testing::TlsClient;
using crypto::testing::TlsClientOptions;
using crypto::testing::TlsVersion;

crypto::TlsCredentials TestCredentials() {
  static const crypto::TlsCredentials* creds = [] {
    auto c = crypto::GenerateSelfSignedCertificate(
        {"localhost"}, {"127.0.0.1"}, std::chrono::system_clock::now(), std::chrono::days(30));
    return new crypto::TlsCredentials(std::move(c).value());
  }();
  return {creds->cert_chain_pem, creds->private_key_pem.Clone()};
}

// A response body of `size` bytes of a fixed pattern that fails at `fail_at` bytes, if set.
class PatternSource final : public BodySource {
 public:
  PatternSource(std::uint64_t size, std::optional<std::uint64_t> fail_at)
      : size_(size), fail_at_(fail_at) {}
  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    if (fail_at_ && offset_ >= *fail_at_) return base::DataLossError("chunk 3 is corrupt");
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), size_ - offset_));
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>((offset_ + i) % 251);
    offset_ += n;
    return n;
  }

 private:
  std::uint64_t size_, offset_ = 0;
  std::optional<std::uint64_t> fail_at_;
};

std::string Pattern(std::size_t size) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>(i % 251);
  return s;
}

// Releases the /wait handler when the test says so.
struct Latch {
  std::promise<void> promise;
  std::shared_future<void> future = promise.get_future().share();
};

class ServerTest : public ::testing::Test {
 protected:
  ServerOptions Options() {
    ServerOptions o;
    o.port = 0;
    o.io_threads = 2;
    o.worker_threads = 2;
    o.tick = 50ms;
    o.handshake_timeout = 2s;
    o.header_timeout = 1s;
    o.idle_timeout = 1500ms;
    o.body_timeout = 1s;
    o.shutdown_grace = 3s;
    o.max_json_depth = 8;
    return o;
  }

  void StartServer(ServerOptions options) {
    metrics_ = std::make_unique<base::MetricsRegistry>();
    Router router;
    AddHealthRoute(router);
    router.Add(
        "GET", "/metrics", [this](const Request&) { return MetricsResponse(*metrics_); },
        RouteOptions{.executor = Executor::kNetwork});
    router.Add(
        "POST", "/echo", [](const Request& r) { return Response::Json(200, r.body); },
        RouteOptions{.max_body_bytes = 1024, .json_body = true});
    router.Add(
        "POST", "/raw",
        [](const Request& r) {
          return Response::Text(200, "text/plain", std::to_string(r.body.size()));
        },
        RouteOptions{.max_body_bytes = 1024});
    router.Add("GET", "/items/{id}", [](const Request& r) {
      return Response::Json(
          200, nlohmann::json{{"id", r.path_params.at("id")}, {"q", r.QueryParam("q").value_or("")}}
                   .dump());
    });
    router.Add("GET", "/wait", [this](const Request&) {
      latch_.future.wait();
      return Response::Json(200, R"({"waited":true})");
    });
    router.Add(
        "GET", "/nice",
        [](const Request&) {
          return Response::Json(
              200, std::to_string(::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()))));
        },
        RouteOptions{.max_body_bytes = 0, .executor = Executor::kSignIn});
    router.Add(
        "POST", "/signin",
        [this](const Request&) {
          latch_.future.wait();
          return Response::Json(200, R"({"signed_in":true})");
        },
        RouteOptions{.max_body_bytes = 0, .executor = Executor::kSignIn});
    router.Add("GET", "/sleep", [](const Request&) {
      std::this_thread::sleep_for(1s);
      return Response::Json(200, R"({"slept":true})");
    });
    router.Add(
        "POST", "/upload",
        [](const Request& r) {
          crypto::Sha256Hasher hasher;
          std::vector<std::uint8_t> buffer(64 * 1024);
          std::uint64_t total = 0;
          for (;;) {
            auto n = r.body_stream->Read(buffer);
            if (!n.ok()) {
              const int status = n.error().code() == base::ErrorCode::kResourceExhausted  ? 413
                                 : n.error().code() == base::ErrorCode::kDeadlineExceeded ? 408
                                                                                          : 400;
              return ErrorResponse(status, base::ErrorCodeName(n.error().code()),
                                   n.error().message());
            }
            if (*n == 0) break;
            hasher.Update(base::ByteView(buffer.data(), *n));
            total += *n;
          }
          const auto declared = r.body_stream->content_length();
          return Response::Json(
              200, nlohmann::json{{"bytes", total},
                                  {"sha256", base::HexEncode(hasher.Finish())},
                                  {"declared", declared ? nlohmann::json(*declared) : nullptr}}
                       .dump());
        },
        RouteOptions{.max_body_bytes = 8 << 20, .stream_body = true});
    router.Add(
        "POST", "/refuse",
        [](const Request&) { return ErrorResponse(403, "permission_denied", "not you"); },
        RouteOptions{.max_body_bytes = 8 << 20, .stream_body = true});
    router.Add("GET", "/download", [](const Request& r) {
      Response response = Response::Text(200, "application/octet-stream", "");
      const std::uint64_t size = std::stoull(r.QueryParam("n").value_or("0"));
      std::optional<std::uint64_t> fail_at;
      if (auto f = r.QueryParam("fail_at")) fail_at = std::stoull(*f);
      response.stream = std::make_shared<PatternSource>(size, fail_at);
      response.stream_length = size;
      return response;
    });
    router.Add("GET", "/throw", [](const Request&) -> Response {
      throw std::runtime_error("secret internal detail");
    });
    auto server = Server::Create(options, TestCredentials(), std::move(router), logger_, *metrics_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_TRUE(server_->Start().ok());
    port_ = server_->port();
  }

  void SetUp() override { StartServer(Options()); }
  void TearDown() override {
    latch_release();
    server_.reset();
  }

  void latch_release() {
    if (!released_) {
      released_ = true;
      latch_.promise.set_value();
    }
  }

  std::unique_ptr<TlsClient> Connect(const TlsClientOptions& options = {}) {
    auto c = TlsClient::Connect(port_, options);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c).value() : nullptr;
  }

  HttpReply Roundtrip(TlsClient& client, const std::string& request) {
    EXPECT_TRUE(client.Send(request).ok());
    auto reply = client.ReadReply();
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? std::move(reply).value() : HttpReply{};
  }

  HttpReply Fetch(const std::string& request) {
    auto client = Connect();
    return client ? Roundtrip(*client, request) : HttpReply{};
  }

  static std::string ErrorCode(const HttpReply& reply) {
    const auto j = nlohmann::json::parse(reply.body, nullptr, false);
    if (j.is_discarded() || !j.contains("error")) return "<no error body: " + reply.body + ">";
    EXPECT_TRUE(j["error"]["message"].is_string());
    return j["error"]["code"];
  }

  double Metric(const std::string& series) {
    const std::string text = "\n" + metrics_->RenderPrometheus();
    const std::size_t at = text.find("\n" + series + " ");
    return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size() + 2));
  }

  base::testing::FakeClock clock_;
  base::testing::MemoryLogger logger_{clock_};
  std::unique_ptr<base::MetricsRegistry> metrics_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  Latch latch_;
  bool released_ = false;
};

TEST_F(ServerTest, ServesHealthzWithEverySecurityHeader) {
  const HttpReply r = Fetch(BuildRequest("GET", "/healthz"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("strict-transport-security"), "max-age=31536000; includeSubDomains");
  const std::string csp = r.Header("content-security-policy").value_or("");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_EQ(r.Header("x-request-id").value_or("").size(), 20u);
  EXPECT_FALSE(r.Header("server").has_value());
}

TEST_F(ServerTest, NegotiatesTls13ByDefaultAndAeadSuitesUnderTls12) {
  auto tls13 = Connect();
  ASSERT_TRUE(tls13);
  EXPECT_EQ(tls13->protocol(), "TLSv1.3");
  EXPECT_FALSE(tls13->compression());

  auto tls12 = Connect({.max_version = TlsVersion::kTls12});
  ASSERT_TRUE(tls12);
  EXPECT_EQ(tls12->protocol(), "TLSv1.2");
  const std::string cipher = tls12->cipher();
  EXPECT_TRUE(cipher.find("GCM") != std::string::npos ||
              cipher.find("CHACHA20") != std::string::npos)
      << cipher;
  EXPECT_EQ(cipher.rfind("ECDHE-", 0), 0u) << cipher;
  EXPECT_EQ(Roundtrip(*tls12, BuildRequest("GET", "/healthz")).status, 200);
}

TEST_F(ServerTest, RefusesTls10AndTls11) {
  for (TlsVersion v : {TlsVersion::kTls10, TlsVersion::kTls11}) {
    const auto r = TlsClient::Connect(port_, {.min_version = v, .max_version = v});
    EXPECT_FALSE(r.ok()) << "protocol " << static_cast<int>(v) << " was accepted";
  }
}

TEST_F(ServerTest, RefusesNonAeadAndNonForwardSecretCipherSuites) {
  for (const char* suite :
       {"ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA384",
        "AES256-GCM-SHA384", "AES128-SHA", "ECDHE-ECDSA-DES-CBC3-SHA"}) {
    const auto r =
        TlsClient::Connect(port_, {.max_version = TlsVersion::kTls12, .cipher_list = suite});
    EXPECT_FALSE(r.ok()) << suite << " was accepted";
  }
}

TEST_F(ServerTest, RefusesRenegotiation) {
  auto client = Connect({.max_version = TlsVersion::kTls12});
  ASSERT_TRUE(client);
  EXPECT_FALSE(client->Renegotiate());
  EXPECT_EQ(Fetch(BuildRequest("GET", "/healthz")).status, 200);
}

TEST_F(ServerTest, PlainHttpOrGarbageClosesOnlyThatConnection) {
  auto bystander = Connect();
  ASSERT_TRUE(bystander);
  for (const std::string& junk :
       {std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
        std::string("\x16\x03\x01\x00\x05garbagegarbage", 19), std::string(4096, '\xff')}) {
    const int fd = crypto::testing::ConnectTcp(port_);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(junk.size()));
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string got;
    char buf[512];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
    EXPECT_EQ(n, 0) << "the server did not close the connection";
    EXPECT_EQ(got.find("HTTP/1.1"), std::string::npos) << "answered in plain HTTP";
    ::close(fd);
  }
  EXPECT_EQ(Roundtrip(*bystander, BuildRequest("GET", "/healthz")).status, 200);
  EXPECT_GE(Metric("strongroom_http_rejected_total{reason=\"tls_handshake\"}"), 3);
}

TEST_F(ServerTest, UnknownRoutesAre404AndWrongMethods405WithAllow) {
  HttpReply r = Fetch(BuildRequest("GET", "/nope"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "not_found");
  r = Fetch(BuildRequest("DELETE", "/healthz"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(ErrorCode(r), "method_not_allowed");
  EXPECT_EQ(r.Header("allow"), "GET");
}

TEST_F(ServerTest, AmbiguousPathsAreRefusedNotNormalised) {
  for (const char* path : {"/items/../healthz", "//healthz", "/items/%2F", "/items/a%2fb",
                           "/items/%2e%2e", "/items/.", "/healthz/", "/items/%00"}) {
    const HttpReply r = Fetch(BuildRequest("GET", path));
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(ErrorCode(r), "bad_request") << path;
  }
  const HttpReply ok = Fetch(BuildRequest("GET", "/items/a%20b?q=x%26y+z"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"id":"a b","q":"x&y z"})");
}

TEST_F(ServerTest, TooLongUrlIs414AndTooLargeHeadersAre431) {
  HttpReply r = Fetch(BuildRequest("GET", "/healthz?x=" + std::string(9000, 'a')));
  EXPECT_EQ(r.status, 414);
  EXPECT_EQ(ErrorCode(r), "uri_too_long");
  r = Fetch(BuildRequest("GET", "/healthz", {{"X-Big", std::string(20000, 'b')}}));
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(ErrorCode(r), "request_header_fields_too_large");
  EXPECT_EQ(Metric("strongroom_http_rejected_total{reason=\"uri_too_long\"}"), 1);
  EXPECT_EQ(Metric("strongroom_http_rejected_total{reason=\"header_too_large\"}"), 1);
}

TEST_F(ServerTest, BodiesOverTheRouteLimitAre413WhetherDeclaredOrStreamed) {
  HttpReply r = Fetch(BuildRequest("POST", "/raw", {}, std::string(1025, 'x')));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ErrorCode(r), "payload_too_large");
  EXPECT_NE(r.body.find("1024"), std::string::npos);
  // Chunked: no length up front, so the limit is enforced while reading.
  std::string chunked =
      "POST /raw HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "400\r\n" +
      std::string(1024, 'y') + "\r\n10\r\n" + std::string(16, 'z') + "\r\n0\r\n\r\n";
  r = Fetch(chunked);
  EXPECT_EQ(r.status, 413);
  r = Fetch(BuildRequest("POST", "/raw", {}, std::string(1024, 'x')));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "1024");
  // A route that takes no body refuses one.
  r = Fetch(BuildRequest("GET", "/healthz", {}, std::string("x")));
  EXPECT_EQ(r.status, 413);
}

TEST_F(ServerTest, JsonRoutesRequireJsonContentType) {
  HttpReply r = Fetch(BuildRequest("POST", "/echo", {{"Content-Type", "text/plain"}}, "{}"));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(ErrorCode(r), "unsupported_media_type");
  r = Fetch(BuildRequest("POST", "/echo", {}, "{}"));
  EXPECT_EQ(r.status, 415);
  r = Fetch(BuildRequest("POST", "/echo", {{"Content-Type", "Application/JSON; charset=utf-8"}},
                         "{\"a\":1}"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"a\":1}");
}

TEST_F(ServerTest, JsonNestedBeyondTheLimitIs400) {
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']');
  };
  const std::vector<std::pair<std::string, std::string>> json{{"Content-Type", "application/json"}};
  HttpReply r = Fetch(BuildRequest("POST", "/echo", json, nested(9)));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "json_too_deep");
  EXPECT_EQ(Fetch(BuildRequest("POST", "/echo", json, nested(8))).status, 200);
  // A raw NUL byte is refused: a parser that stops at it would ignore whatever follows.
  r = Fetch(BuildRequest("POST", "/echo", json, std::string("{}\0{\"role\":\"admin\"}", 19)));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_json");
  // Brackets inside strings do not count.
  EXPECT_EQ(Fetch(BuildRequest("POST", "/echo", json, "{\"a\":\"[[[[[[[[[[[[\"}")).status, 200);
}

TEST_F(ServerTest, MalformedAndSmugglingShapedRequestsAre400) {
  for (const std::string& req :
       {std::string("GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n"),
        std::string("POST /raw HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n"
                    "\r\nabc"),
        std::string("POST /raw HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: "
                    "chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
        std::string("POST /raw HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
        std::string("GET /healthz HTTP/9.9\r\n\r\n")}) {
    const HttpReply r = Fetch(req);
    EXPECT_EQ(r.status, 400) << req;
  }
}

TEST_F(ServerTest, APartialRequestThatStallsGets408) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n").ok());
  const auto start = std::chrono::steady_clock::now();
  auto r = client->ReadReply();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(ErrorCode(*r), "request_timeout");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
  EXPECT_TRUE(client->ClosedByPeer(2s));
}

TEST_F(ServerTest, SlowlorisDripFeedingHeadersStillGets408) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("GET /healthz HTTP/1.1\r\n").ok());
  // One header byte every 200 ms keeps the connection busy but never finishes the request.
  std::thread drip([&] {
    for (int i = 0; i < 15; ++i) {
      std::this_thread::sleep_for(200ms);
      if (!client->Send("X").ok()) return;
    }
  });
  auto r = client->ReadReply();
  drip.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 408);
}

TEST_F(ServerTest, AStalledBodyGets408) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->Send("POST /raw HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabcde").ok());
  auto r = client->ReadReply();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 408);
}

TEST_F(ServerTest, AStreamedUploadReachesTheHandlerWholeWithOrWithoutALength) {
  const std::string body = Pattern(3 * 1024 * 1024 + 17);
  const std::string digest = base::HexEncode(crypto::Sha256(base::AsBytes(body)));
  auto client = Connect();
  ASSERT_TRUE(client);
  HttpReply r = Roundtrip(*client, BuildRequest("POST", "/upload", {}, body));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["bytes"], body.size());
  EXPECT_EQ(j["sha256"], digest);
  EXPECT_EQ(j["declared"], body.size());
  // The same connection carries the next request, chunked this time.
  std::string chunked = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < body.size(); at += 100000) {
    const std::string piece = body.substr(at, 100000);
    std::ostringstream size;
    size << std::hex << piece.size();
    chunked += size.str() + "\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  r = Roundtrip(*client, chunked);
  ASSERT_EQ(r.status, 200) << r.body;
  j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["sha256"], digest);
  EXPECT_TRUE(j["declared"].is_null());
}

TEST_F(ServerTest, AStreamedUploadOverTheLimitIsRefusedWhetherDeclaredOrNot) {
  const std::string big = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n";
  EXPECT_EQ(Fetch(big).status, 413);  // Refused at the edge, before the handler.
  auto client = Connect();
  ASSERT_TRUE(client);
  std::string chunked = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_TRUE(client->Send(chunked).ok());
  const std::string piece(1 << 20, 'x');
  for (int i = 0; i < 9; ++i) {
    if (!client->Send("100000\r\n" + piece + "\r\n").ok()) break;
  }
  auto r = client->ReadReply();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(client->ClosedByPeer(2s));
}

TEST_F(ServerTest, ExpectContinueIsAnsweredOnlyWhenTheHandlerReads) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client
                  ->Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: "
                         "100-continue\r\n\r\n")
                  .ok());
  auto interim = client->ReadReply();
  ASSERT_TRUE(interim.ok());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client->Send("hello").ok());
  auto r = client->ReadReply();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(nlohmann::json::parse(r->body)["bytes"], 5);

  // A handler that refuses without reading gets its answer out at once, and the connection,
  // stuck before an unread body, is closed.
  auto refused = Connect();
  ASSERT_TRUE(refused);
  ASSERT_TRUE(refused
                  ->Send("POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: "
                         "100-continue\r\n\r\n")
                  .ok());
  auto denied = refused->ReadReply();
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 403);
  EXPECT_TRUE(refused->ClosedByPeer(2s));
}

TEST_F(ServerTest, AStalledStreamedUploadTimesOut) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc").ok());
  auto r = client->ReadReply();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 408);
}

TEST_F(ServerTest, AStreamedDownloadArrivesWholeAndAFailureMidwayTruncatesIt) {
  auto client = Connect();
  ASSERT_TRUE(client);
  HttpReply r = Roundtrip(*client, BuildRequest("GET", "/download?n=5000000", {}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, Pattern(5000000));
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  // Keep-alive still works after a streamed response.
  r = Roundtrip(*client, BuildRequest("GET", "/download?n=10", {}));
  EXPECT_EQ(r.body, Pattern(10));

  auto failing = Connect();
  ASSERT_TRUE(failing);
  ASSERT_TRUE(failing->Send(BuildRequest("GET", "/download?n=5000000&fail_at=1000000", {})).ok());
  EXPECT_FALSE(failing->ReadReply().ok());  // The connection closes short of Content-Length.
}

TEST_F(ServerTest, AnIdleConnectionIsClosedWithoutAResponse) {
  auto client = Connect();
  ASSERT_TRUE(client);
  EXPECT_EQ(Roundtrip(*client, BuildRequest("GET", "/healthz")).status, 200);
  EXPECT_TRUE(client->ClosedByPeer(3s));
  EXPECT_EQ(Metric("strongroom_http_rejected_total{reason=\"request_timeout\"}"), 0);
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  auto client = Connect();
  ASSERT_TRUE(client);
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    const HttpReply r = Roundtrip(*client, BuildRequest("GET", "/items/" + std::to_string(i)));
    ASSERT_EQ(r.status, 200);
    ids.insert(r.Header("x-request-id").value_or(""));
  }
  EXPECT_EQ(ids.size(), 50u);
  // Pipelined: two requests in one write, two answers in order.
  ASSERT_TRUE(client->Send(BuildRequest("GET", "/items/a") + BuildRequest("GET", "/items/b")).ok());
  EXPECT_EQ(client->ReadReply()->body, R"({"id":"a","q":""})");
  EXPECT_EQ(client->ReadReply()->body, R"({"id":"b","q":""})");
}

TEST_F(ServerTest, ConnectionsBeyondTheCapGet503AndTheCapFreesUp) {
  server_.reset();
  ServerOptions o = Options();
  o.max_connections = 2;
  StartServer(o);
  auto a = Connect();
  auto b = Connect();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(Roundtrip(*a, BuildRequest("GET", "/healthz")).status, 200);
  auto c = Connect();
  ASSERT_TRUE(c);
  const HttpReply r = Roundtrip(*c, BuildRequest("GET", "/healthz"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(ErrorCode(r), "service_unavailable");
  EXPECT_EQ(r.Header("retry-after"), "1");
  EXPECT_TRUE(c->ClosedByPeer(2s));
  a.reset();
  // The slot is released once the server sees the close.
  for (int i = 0; i < 50 && Metric("strongroom_http_open_connections") > 1; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(Fetch(BuildRequest("GET", "/healthz")).status, 200);
}

TEST_F(ServerTest, MetricsCountRequestsRejectionsAndConnections) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Fetch(BuildRequest("GET", "/healthz")).status, 200);
  EXPECT_EQ(Fetch(BuildRequest("GET", "/nope")).status, 404);
  auto client = Connect();
  // The server counts a request once its response is written and a connection once it has seen
  // the close: under load that can trail the client by a moment, so ask until it has caught up.
  const std::string healthz_count =
      "strongroom_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 3\n";
  HttpReply r;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  do {
    r = Roundtrip(*client, BuildRequest("GET", "/metrics"));
    if (r.body.find(healthz_count) != std::string::npos &&
        r.body.find("strongroom_http_open_connections 1\n") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("strongroom_http_requests_total{route=\"/healthz\",method=\"GET\","
                        "status=\"200\"} 3\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("strongroom_http_requests_total{route=\"unmatched\",method=\"GET\","
                        "status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(r.body.find("strongroom_http_request_duration_seconds_bucket{route=\"/healthz\","
                        "le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(r.body.find("strongroom_http_open_connections 1\n"), std::string::npos) << r.body;
}

TEST_F(ServerTest, BlockingHandlersRunOffTheNetworkThreads) {
  server_.reset();
  ServerOptions o = Options();
  o.io_threads = 1;  // One network thread: if /wait ran on it, /healthz could not be answered.
  StartServer(o);
  auto waiting = Connect();
  ASSERT_TRUE(waiting->Send(BuildRequest("GET", "/wait")).ok());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(Fetch(BuildRequest("GET", "/healthz")).status, 200);
  latch_release();
  auto r = waiting->ReadReply();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, R"({"waited":true})");
}

TEST_F(ServerTest, SignInsWaitInTheirOwnBoundedPoolAndNeverStarveOtherRoutes) {
  server_.reset();
  ServerOptions o = Options();
  o.worker_threads = 1;
  o.sign_in_threads = 1;
  o.sign_in_queue = 3;
  StartServer(o);
  // Three sign-ins stall on the latch (one running, two queued) and fill the sign-in pool.
  std::vector<std::unique_ptr<TlsClient>> stuck;
  for (int i = 0; i < 3; ++i) {
    stuck.push_back(Connect());
    ASSERT_TRUE(stuck.back()->Send(BuildRequest("POST", "/signin")).ok());
  }
  std::this_thread::sleep_for(200ms);
  // A fourth is refused at once rather than queued without bound.
  const HttpReply busy = Fetch(BuildRequest("POST", "/signin"));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.Header("retry-after"), "1");
  // Other blocking routes still run: the one general worker is free.
  EXPECT_EQ(Fetch(BuildRequest("GET", "/items/x")).status, 200);
  latch_release();
  for (auto& c : stuck) EXPECT_EQ(c->ReadReply()->status, 200);
  EXPECT_EQ(Metric("strongroom_http_rejected_total{reason=\"sign_in_busy\"}"), 1);
}

TEST_F(ServerTest, SignInHandlersRunAtALowerPriorityThanTheRest) {
  const int base = ::getpriority(PRIO_PROCESS, 0);
  const HttpReply r = Fetch(BuildRequest("GET", "/nice"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(std::stoi(r.body), std::min(base + 10, 19));
}

TEST_F(ServerTest, ShutdownFinishesInFlightRequestsAndRefusesNewOnes) {
  auto idle = Connect();
  auto busy = Connect();
  ASSERT_TRUE(idle && busy);
  ASSERT_TRUE(busy->Send(BuildRequest("GET", "/sleep")).ok());
  std::this_thread::sleep_for(200ms);
  std::thread stopper([this] { server_->Shutdown(); });
  // The idle connection is closed at once; the busy one gets its answer, with Connection: close.
  EXPECT_TRUE(idle->ClosedByPeer(1s));
  auto r = busy->ReadReply();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"slept":true})");
  EXPECT_EQ(r->Header("connection"), "close");
  stopper.join();
  EXPECT_FALSE(TlsClient::Connect(port_, {.timeout = 1s}).ok());
}

TEST_F(ServerTest, LogsOneJsonLinePerRequestAndNoSecrets) {
  const std::string canary = "canary-8c1f0e2d-secret";
  auto client = Connect();
  const HttpReply r = Roundtrip(*client, BuildRequest("POST", "/echo?token=" + canary,
                                                      {{"Content-Type", "application/json"},
                                                       {"Authorization", "Bearer " + canary},
                                                       {"Cookie", "session=" + canary}},
                                                      "{\"passphrase\":\"" + canary + "\"}"));
  EXPECT_EQ(r.status, 200);
  client.reset();
  server_.reset();  // Flushes nothing here, but ends every session.
  const std::string all = logger_.all();
  EXPECT_EQ(all.find(canary), std::string::npos) << all;
  bool found = false;
  for (const std::string& line : logger_.lines()) {
    const auto j = nlohmann::json::parse(line);
    if (j["event"] == "http_request" && j["request_id"] == r.Header("x-request-id")) {
      found = true;
      EXPECT_EQ(j["status"], 200);
      EXPECT_EQ(j["route"], "/echo");
      EXPECT_EQ(j["path"], "/echo");
      EXPECT_TRUE(j.contains("duration_ms"));
    }
  }
  EXPECT_TRUE(found) << all;
}

TEST_F(ServerTest, AHandlerExceptionIs500WithoutItsDetail) {
  const HttpReply r = Fetch(BuildRequest("GET", "/throw"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(ErrorCode(r), "internal");
  EXPECT_EQ(r.body.find("secret internal detail"), std::string::npos);
  EXPECT_NE(r.body.find(r.Header("x-request-id").value_or("?")), std::string::npos);
  EXPECT_EQ(Fetch(BuildRequest("GET", "/healthz")).status, 200);
}

TEST_F(ServerTest, AnAddressInUseIsAClearError) {
  Router router;
  base::MetricsRegistry other_metrics;
  AddHealthRoute(router);
  ServerOptions o = Options();
  o.port = port_;
  auto second = Server::Create(o, TestCredentials(), std::move(router), logger_, other_metrics);
  ASSERT_TRUE(second.ok());
  const base::Status s = (*second)->Start();
  EXPECT_EQ(s.code(), base::ErrorCode::kUnavailable);
  EXPECT_NE(s.message().find("cannot listen on 127.0.0.1:" + std::to_string(port_)),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace strongroom::http
