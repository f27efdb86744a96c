#include "strongroom/http/webhook_client.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/http/server.hpp"

namespace strongroom::http {
namespace {

using base::ErrorCode;

base::Status WriteFile(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  std::filesystem::remove(path);
  return base::WriteNewFile(path, data, mode);
}

// A real HTTPS server standing in for a SIEM's webhook: answers 503 to the first `failures`
// requests, then 204, and keeps what it was sent.
class Receiver {
 public:
  Receiver(std::vector<std::string> dns, std::vector<std::string> ips, int failures)
      : failures_(failures) {
    auto creds = crypto::GenerateSelfSignedCertificate(dns, ips, std::chrono::system_clock::now(),
                                                       std::chrono::days(1));
    cert_pem_ = creds->cert_chain_pem;
    Router router;
    router.Add(
        "POST", "/hooks/strongroom",
        [this](const Request& r) {
          std::lock_guard l(mu_);
          bodies_.push_back(r.body);
          signatures_.push_back(std::string(r.Header("x-strongroom-signature").value_or("")));
          if (failures_-- > 0) return Response::Json(503, R"({"error":"busy"})");
          return Response::Text(204, "text/plain", "");
        },
        RouteOptions{.max_body_bytes = 64 * 1024, .json_body = true});
    ServerOptions options;
    options.port = 0;
    server_ =
        std::move(Server::Create(options, *creds, std::move(router), logger_, metrics_)).value();
    EXPECT_TRUE(server_->Start().ok());
  }
  std::string Url() const {
    return "https://127.0.0.1:" + std::to_string(server_->port()) + "/hooks/strongroom";
  }
  const std::string& cert_pem() const { return cert_pem_; }
  std::vector<std::string> bodies() {
    std::lock_guard l(mu_);
    return bodies_;
  }
  std::vector<std::string> signatures() {
    std::lock_guard l(mu_);
    return signatures_;
  }

 private:
  base::NullLogger logger_;
  base::MetricsRegistry metrics_;
  std::string cert_pem_;
  std::unique_ptr<Server> server_;
  std::mutex mu_;
  int failures_;
  std::vector<std::string> bodies_;
  std::vector<std::string> signatures_;
};

class WebhookTest : public ::testing::Test {
 protected:
  detect::DetectionConfig::Webhook ConfigFor(Receiver& r) {
    const auto ca = temp_ / "ca.pem";
    EXPECT_TRUE(WriteFile(ca, r.cert_pem(), 0600).ok());
    detect::DetectionConfig::Webhook w;
    w.url = r.Url();
    w.ca_file = ca;
    w.timeout = std::chrono::seconds(5);
    return w;
  }
  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_{base::FromUnixMillis(1'800'000'000'000)};
};

TEST_F(WebhookTest, DeliversTheAlertOverVerifiedTlsAndSignsIt) {
  Receiver receiver({"localhost"}, {"127.0.0.1"}, 0);
  auto config = ConfigFor(receiver);
  const std::string secret = "a-webhook-secret-of-some-length";
  config.secret_file = temp_ / "secret";
  ASSERT_TRUE(WriteFile(*config.secret_file, secret + "\n", 0600).ok());
  auto notifier = WebhookNotifier::Create(config, clock_);
  ASSERT_TRUE(notifier.ok()) << notifier.error().message();
  const std::string body = R"({"alert":{"id":"alr_1_break_glass"}})";
  const base::Status sent = (*notifier)->Deliver(body);
  ASSERT_TRUE(sent.ok()) << sent.message();
  ASSERT_EQ(receiver.bodies().size(), 1u);
  EXPECT_EQ(receiver.bodies()[0], body);
  // t=<unix seconds>,sha256=<HMAC over "t.body">: the receiver can check it.
  const std::string t = std::to_string(base::ToUnixMillis(clock_.Now()) / 1000);
  const auto mac = crypto::HmacSha256(base::AsBytes(secret), base::AsBytes(t + "." + body));
  EXPECT_EQ(receiver.signatures()[0], "t=" + t + ",sha256=" + base::HexEncode(mac));
}

TEST_F(WebhookTest, AnAnswerOtherThan2xxIsAFailedAttempt) {
  Receiver receiver({"localhost"}, {"127.0.0.1"}, 1);
  auto notifier = WebhookNotifier::Create(ConfigFor(receiver), clock_);
  ASSERT_TRUE(notifier.ok());
  const base::Status first = (*notifier)->Deliver("{}");
  EXPECT_EQ(first.code(), ErrorCode::kUnavailable);
  EXPECT_NE(first.message().find("HTTP 503"), std::string::npos) << first.message();
  EXPECT_TRUE((*notifier)->Deliver("{}").ok());
  EXPECT_TRUE(receiver.signatures()[0].empty());  // No secret configured: no signature.
}

TEST_F(WebhookTest, RefusesAServerItCannotVerify) {
  Receiver receiver({"localhost"}, {"127.0.0.1"}, 0);
  auto config = ConfigFor(receiver);
  config.ca_file.reset();  // The system's CAs do not know this self-signed certificate.
  auto untrusted = WebhookNotifier::Create(config, clock_);
  ASSERT_TRUE(untrusted.ok());
  const base::Status s = (*untrusted)->Deliver("{}");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("TLS handshake"), std::string::npos) << s.message();
  EXPECT_TRUE(receiver.bodies().empty());
}

TEST_F(WebhookTest, RefusesACertificateForAnotherName) {
  Receiver receiver({"siem.example.com"}, {}, 0);  // Trusted, but not for 127.0.0.1.
  auto notifier = WebhookNotifier::Create(ConfigFor(receiver), clock_);
  ASSERT_TRUE(notifier.ok());
  EXPECT_FALSE((*notifier)->Deliver("{}").ok());
  EXPECT_TRUE(receiver.bodies().empty());
}

TEST_F(WebhookTest, GivesUpOnASilentServerAtTheTimeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);  // Accepts connections (in the backlog), never answers.
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  detect::DetectionConfig::Webhook w;
  w.url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  w.timeout = std::chrono::milliseconds(300);
  auto notifier = WebhookNotifier::Create(w, clock_);
  ASSERT_TRUE(notifier.ok());
  const auto start = std::chrono::steady_clock::now();
  const base::Status s = (*notifier)->Deliver("{}");
  EXPECT_EQ(s.code(), ErrorCode::kDeadlineExceeded) << s.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ::close(fd);
}

TEST_F(WebhookTest, RefusesBadConfiguration) {
  detect::DetectionConfig::Webhook w;
  for (const char* url :
       {"http://siem.example.com/", "https://", "https://:443/", "https://siem.example.com:0/",
        "https://siem.example.com:99999/", "https://user@siem.example.com/", "https://[::1/"}) {
    w.url = url;
    auto n = WebhookNotifier::Create(w, clock_);
    ASSERT_FALSE(n.ok()) << url;
    EXPECT_EQ(n.error().code(), ErrorCode::kInvalidArgument) << url;
  }
  w.url = "https://siem.example.com/hook";
  w.ca_file = temp_ / "missing.pem";
  EXPECT_EQ(WebhookNotifier::Create(w, clock_).error().code(), ErrorCode::kInvalidArgument);
  w.ca_file.reset();
  w.secret_file = temp_ / "open-secret";
  ASSERT_TRUE(WriteFile(*w.secret_file, "0123456789abcdef0123", 0644).ok());
  auto open = WebhookNotifier::Create(w, clock_);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.error().message().find("webhook secret file"), std::string::npos);
  ASSERT_TRUE(WriteFile(*w.secret_file, "short", 0600).ok());
  EXPECT_FALSE(WebhookNotifier::Create(w, clock_).ok());
}

}  // namespace
}  // namespace strongroom::http
