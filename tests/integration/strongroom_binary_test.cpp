// End-to-end tests of the real strongroom binary: init, serve on a free port, TLS, logs, signals.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "binary_fixture.hpp"
#include "process.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/crypto/key_provider.hpp"
#include "strongroom/crypto/testing/tls_client.hpp"
#include "strongroom/crypto/tls.hpp"
#include "strongroom/crypto/totp.hpp"
#include "strongroom/http/server.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/isms/library.hpp"

namespace strongroom::testing {
namespace {

namespace fs = std::filesystem;
using crypto::testing::BuildRequest;
using crypto::testing::TlsClient;
using namespace std::chrono_literals;

TEST_F(StrongroomBinaryTest, ServesHealthzAndMetricsOverTlsOnly) {
  const auto created = Init();
  std::unique_ptr<Process> server;
  const std::uint16_t port = Serve(server);
  ASSERT_NE(port, 0);
  auto reply = Get(port, "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"status":"ok"})");
  EXPECT_EQ(reply.Header("strict-transport-security"), "max-age=31536000; includeSubDomains");
  EXPECT_EQ(reply.Header("cache-control"), "no-store");
  // Metrics need a credential with metrics.read: sign in as the admin, mint a scrape token.
  EXPECT_EQ(Get(port, "/metrics").status, 401);
  const std::string token = ScrapeToken(port, created);
  ASSERT_FALSE(token.empty());
  reply = Get(port, "/metrics", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_NE(reply.body.find("strongroom_http_requests_total{route=\"/healthz\",method=\"GET\","
                            "status=\"200\"} 1"),
            std::string::npos);
  EXPECT_NE(reply.body.find("strongroom_http_open_connections"), std::string::npos);

  // Plain HTTP on the TLS port: the connection is closed without an HTTP answer.
  const int fd = crypto::testing::ConnectTcp(port);
  ASSERT_GE(fd, 0);
  const std::string plain = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::write(fd, plain.data(), plain.size()), static_cast<ssize_t>(plain.size()));
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  std::string got;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(got.find("HTTP/1.1"), std::string::npos);
  EXPECT_EQ(Get(port, "/healthz").status, 200);

  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(15s), 0);
}

TEST_F(StrongroomBinaryTest, SigtermAndSigintShutDownCleanlyAndCloseTheStore) {
  Init();
  for (int sig : {SIGTERM, SIGINT}) {
    std::unique_ptr<Process> server;
    const std::uint16_t port = Serve(server);
    ASSERT_NE(port, 0);
    auto idle = TlsClient::Connect(port);  // An idle keep-alive connection must not hold it up.
    ASSERT_TRUE(idle.ok());
    ASSERT_TRUE((*idle)->Send(BuildRequest("GET", "/healthz")).ok());
    ASSERT_TRUE((*idle)->ReadReply().ok());
    const auto start = std::chrono::steady_clock::now();
    server->Signal(sig);
    EXPECT_EQ(server->Wait(15s), 0) << server->Stderr();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_TRUE((*idle)->ClosedByPeer(1s));
    const std::string log = server->Stderr();
    EXPECT_NE(log.find("\"event\":\"shutdown_started\""), std::string::npos);
    EXPECT_NE(log.find("\"event\":\"shutdown_complete\""), std::string::npos);
    // The store was closed: its write-ahead log was folded in and removed.
    EXPECT_FALSE(fs::exists(data_ / "strongroom.db-wal"));
    EXPECT_FALSE(TlsClient::Connect(port, {.timeout = 1s}).ok());
  }
}

TEST_F(StrongroomBinaryTest, RefusesToServeWithAKeyFileOthersCanRead) {
  Init();
  for (const auto& [file, mode] :
       {std::pair{std::string("root.key"), 0640}, std::pair{std::string("root.key"), 0604},
        std::pair{std::string("tls/key.pem"), 0644}}) {
    const fs::path path = data_ / file;
    ASSERT_EQ(::chmod(path.c_str(), static_cast<mode_t>(mode)), 0);
    const Completed c =
        RunStrongroom({"serve", "--data-dir", data_.string(), "--listen", "127.0.0.1:0"}, scratch_);
    EXPECT_EQ(c.exit_code, 2) << file;
    EXPECT_NE(c.err.find("chmod 600 " + path.string()), std::string::npos) << c.err;
    EXPECT_EQ(c.out.find("serving"), std::string::npos);
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  }
}

TEST_F(StrongroomBinaryTest, RefusesARootKeyFromAnotherDataDirectory) {
  Init();
  fs::remove(data_ / "root.key");
  std::ofstream(data_ / "root.key")
      << crypto::EncodeRootKeyFile(crypto::GenerateRootKey()).Reveal();
  ASSERT_EQ(::chmod((data_ / "root.key").c_str(), 0600), 0);
  const Completed c =
      RunStrongroom({"serve", "--data-dir", data_.string(), "--listen", "127.0.0.1:0"}, scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("does not belong to this data directory"), std::string::npos) << c.err;
}

TEST_F(StrongroomBinaryTest, ClearErrorsForAMissingDataDirectoryOrABusyPort) {
  Completed c = RunStrongroom({"serve", "--data-dir", data_.string()}, scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("no data directory at"), std::string::npos) << c.err;

  Init();
  std::unique_ptr<Process> first;
  const std::uint16_t port = Serve(first);
  ASSERT_NE(port, 0);
  c = RunStrongroom(
      {"serve", "--data-dir", data_.string(), "--listen", "127.0.0.1:" + std::to_string(port)},
      scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << c.err;
  c = RunStrongroom({"serve", "--data-dir", data_.string(), "--listen", "localhost"}, scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("accepted forms"), std::string::npos);
}

TEST_F(StrongroomBinaryTest, InitRefusesAnExistingDirectoryAndChangesNothing) {
  const auto created = Init();
  const std::string key_before = [&] {
    std::ifstream in(data_ / "root.key");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  const auto mtime = fs::last_write_time(data_ / "strongroom.db");
  const Completed c = RunStrongroom({"init", "--data-dir", data_.string()}, scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("init changed nothing"), std::string::npos);
  std::ifstream in(data_ / "root.key");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
            key_before);
  EXPECT_EQ(fs::last_write_time(data_ / "strongroom.db"), mtime);
  EXPECT_EQ(created["admin"]["username"], "admin");
}

TEST_F(StrongroomBinaryTest, ServesTheOperatorsCertificate) {
  auto creds = *crypto::GenerateSelfSignedCertificate({"vault.example.net"}, {"127.0.0.1"},
                                                      std::chrono::system_clock::now(),
                                                      std::chrono::days(90));
  std::ofstream(scratch_ / "cert.pem") << creds.cert_chain_pem;
  std::ofstream(scratch_ / "key.pem") << creds.private_key_pem.Reveal();
  const auto created = Init({"--tls-cert", (scratch_ / "cert.pem").string(), "--tls-key",
                             (scratch_ / "key.pem").string()});
  EXPECT_EQ(created["tls"]["self_signed"], false);
  std::unique_ptr<Process> server;
  const std::uint16_t port = Serve(server);
  ASSERT_NE(port, 0);
  auto client = TlsClient::Connect(port);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->peer_certificate_sha256(), created["tls"]["sha256_fingerprint"]);
}

TEST_F(StrongroomBinaryTest, LogsAreJsonLinesWithRequestIdsAndNoSecrets) {
  const auto created = Init();
  const std::string password = created["admin"]["password"];
  const std::string canary = "canary-71c0a9-secret";
  std::unique_ptr<Process> server;
  const std::uint16_t port = Serve(server);
  ASSERT_NE(port, 0);
  const auto reply = Get(port, "/healthz?token=" + canary,
                         {{"Authorization", "Bearer " + canary},
                          {"Cookie", "strongroom_session=" + canary},
                          {"X-Passphrase", password}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(Get(port, "/no/such/route").status, 404);
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(15s), 0);
  const std::string log = server->Stderr();
  EXPECT_EQ(log.find(canary), std::string::npos);
  EXPECT_EQ(log.find(password), std::string::npos);
  std::istringstream lines(log);
  std::string line;
  int requests = 0;
  bool matched_id = false;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "not a JSON line: " << line;
    EXPECT_TRUE(j.contains("ts") && j.contains("level") && j.contains("event")) << line;
    if (j["event"] == "http_request") {
      ++requests;
      EXPECT_TRUE(j.contains("request_id"));
      if (j["request_id"] == reply.Header("x-request-id")) matched_id = true;
    }
  }
  EXPECT_EQ(requests, 2);
  EXPECT_TRUE(matched_id);
}

TEST_F(StrongroomBinaryTest, DemoPrintsTheUrlAndCredentialsAndReusesThem) {
  std::string first_password;
  for (int run = 0; run < 2; ++run) {
    std::unique_ptr<Process> demo;
    const std::uint16_t port = Serve(demo, "demo");
    ASSERT_NE(port, 0);
    const auto j = nlohmann::json::parse(demo->Stdout().substr(0, demo->Stdout().find('\n')));
    EXPECT_EQ(j["username"], "admin");
    const std::string password = j["password"];
    EXPECT_EQ(password.size(), 29u);
    if (run == 0) first_password = password;
    EXPECT_EQ(password, first_password);
    EXPECT_EQ(Get(port, "/healthz").status, 200);
    if (run == 0) {
      // The demo client signs in and finds its records, restricted fields masked.
      const auto& client = j["client"];
      const auto login =
          Post(port, "/api/v1/auth/login",
               {{"username", client["username"]},
                {"password", client["password"]},
                {"totp", crypto::Totp(*base::Base32Decode(client["totp_secret"].get<std::string>()),
                                      std::chrono::system_clock::now())}});
      ASSERT_EQ(login.status, 200) << login.body;
      const std::string bearer =
          "Bearer " + nlohmann::json::parse(login.body)["token"].get<std::string>();
      const auto listed = Get(port,
                              "/api/v1/tenants/" + client["tenant_id"].get<std::string>() +
                                  "/collections/customers/records",
                              {{"Authorization", bearer}});
      ASSERT_EQ(listed.status, 200) << listed.body;
      const auto records = nlohmann::json::parse(listed.body)["records"];
      ASSERT_EQ(records.size(), 3u);
      EXPECT_EQ(records[0]["data"]["national_id"], "***");
    }
    demo->Signal(SIGTERM);
    EXPECT_EQ(demo->Wait(15s), 0);
  }
  struct stat st {};
  ASSERT_EQ(::stat((data_ / "demo-credentials.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(StrongroomBinaryTest, TheAuditLogRecordsTheServersWorkAndVerifiesAfterItStops) {
  const auto created = Init();
  std::unique_ptr<Process> server;
  const std::uint16_t port = Serve(server);
  ASSERT_NE(port, 0);
  const std::string token = ScrapeToken(port, created);
  ASSERT_FALSE(token.empty());
  // A CLI command appends to the same log while the server runs.
  EXPECT_EQ(
      RunStrongroom({"tenant", "add", "Acme", "--data-dir", data_.string()}, scratch_).exit_code,
      0);
  EXPECT_EQ(Get(port, "/api/v1/me", {{"Authorization", "Bearer srs_wrong"}}).status, 401);
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(15s), 0) << server->Stderr();

  const Completed verified =
      RunStrongroom({"audit", "verify", "--data-dir", data_.string(), "--json"}, scratch_);
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const auto report = nlohmann::json::parse(verified.out);
  EXPECT_EQ(report["ok"], true);
  // init's admin, the sign-in, the token (its decision and creation), the tenant, the 401.
  EXPECT_GE(report["events"].get<int>(), 6);
  EXPECT_EQ(report["covered"], report["events"]);  // The server checkpointed as it stopped.
  // Secrets never reach the trail: not the passphrase, the TOTP secret or any token.
  std::ifstream db(data_ / "audit.db", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(db)), {});
  for (const std::string& secret : {created["admin"]["password"].get<std::string>(),
                                    created["admin"]["totp_secret"].get<std::string>(), token}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos);
  }

  // Rewriting an event on disk is found, with its position.
  {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open((data_ / "audit.db").c_str(), &handle), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(handle, "UPDATE audit_events SET action = 'nothing.happened' WHERE seq = 2",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(handle);
  }
  const Completed tampered =
      RunStrongroom({"audit", "verify", "--data-dir", data_.string()}, scratch_);
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  EXPECT_NE(tampered.out.find("First bad sequence number: 2"), std::string::npos) << tampered.out;
}

// Stands in for a SIEM: an HTTPS webhook (our own server, with a certificate for 127.0.0.1) and
// a UDP syslog socket, both on loopback.
class SocReceiver {
 public:
  explicit SocReceiver(const fs::path& dir) {
    auto creds = crypto::GenerateSelfSignedCertificate(
        {"localhost"}, {"127.0.0.1"}, std::chrono::system_clock::now(), std::chrono::days(1));
    ca_file_ = dir / "webhook-ca.pem";
    std::ofstream(ca_file_) << creds->cert_chain_pem;
    http::Router router;
    router.Add(
        "POST", "/hook",
        [this](const http::Request& r) {
          std::lock_guard l(mu_);
          alerts_.push_back(nlohmann::json::parse(r.body, nullptr, false));
          return http::Response::Text(204, "text/plain", "");
        },
        http::RouteOptions{.max_body_bytes = 64 * 1024, .json_body = true});
    http::ServerOptions options;
    options.port = 0;
    server_ = std::move(http::Server::Create(options, *creds, std::move(router), logger_, metrics_))
                  .value();
    EXPECT_TRUE(server_->Start().ok());
    udp_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(udp_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(udp_, reinterpret_cast<sockaddr*>(&addr), &len);
    syslog_port_ = ntohs(addr.sin_port);
    // A SIEM drains its socket all the time: a burst (the whole log forwarded at the first start)
    // must not overflow the socket buffer while the test waits for something else.
    reader_ = std::thread([this] {
      while (!stop_) {
        pollfd p{udp_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        char buf[65536];
        const ssize_t n = ::recv(udp_, buf, sizeof buf, 0);
        if (n <= 0) continue;
        std::lock_guard l(mu_);
        syslog_.emplace_back(buf, static_cast<std::size_t>(n));
      }
    });
  }
  ~SocReceiver() {
    stop_ = true;
    reader_.join();
    ::close(udp_);
  }

  std::string WebhookUrl() const {
    return "https://127.0.0.1:" + std::to_string(server_->port()) + "/hook";
  }
  const fs::path& ca_file() const { return ca_file_; }
  std::string SyslogTarget() const { return "udp://127.0.0.1:" + std::to_string(syslog_port_); }

  // Waits until `count` alerts arrived.
  std::vector<nlohmann::json> Alerts(std::size_t count, std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      {
        std::lock_guard l(mu_);
        if (alerts_.size() >= count || std::chrono::steady_clock::now() > deadline) return alerts_;
      }
      std::this_thread::sleep_for(50ms);
    }
  }
  // Reads syslog datagrams until one contains `text`.
  bool SyslogSaw(const std::string& text, std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard l(mu_);
        for (const auto& m : syslog_) {
          if (m.find(text) != std::string::npos) return true;
        }
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

 private:
  base::NullLogger logger_;
  base::MetricsRegistry metrics_;
  fs::path ca_file_;
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  std::vector<nlohmann::json> alerts_;
  int udp_ = -1;
  std::uint16_t syslog_port_ = 0;
  std::vector<std::string> syslog_;  // Guarded by mu_.
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

TEST_F(StrongroomBinaryTest, DetectsAnAttackAlertsTheSocAndStreamsTheTrail) {
  const auto created = Init();
  SocReceiver soc(scratch_);
  std::ofstream(data_ / "detection.json") << nlohmann::json{
      {"rules", {{"signin_failures", {{"threshold", 3}}}}},
      {"webhook",
       {{"url", soc.WebhookUrl()},
        {"ca_file", soc.ca_file().string()},
        {"initial_backoff_seconds", 0.2}}}}.dump();
  std::unique_ptr<Process> server;
  const std::uint16_t port = Serve(server, "serve", {"--syslog", soc.SyslogTarget()});
  ASSERT_NE(port, 0);

  // Someone guesses the admin's passphrase three times.
  for (int i = 0; i < 3; ++i) {
    const auto r = Post(
        port, "/api/v1/auth/login",
        {{"username", "admin"}, {"password", "guess " + std::to_string(i)}, {"totp", "000000"}});
    EXPECT_EQ(r.status, 401);
  }
  const auto delivered = soc.Alerts(1, 20s);
  ASSERT_EQ(delivered.size(), 1u) << server->Stderr();
  EXPECT_EQ(delivered[0]["alert"]["rule"], "signin_failures");
  EXPECT_EQ(delivered[0]["alert"]["event_seqs"].size(), 3u);
  // The trail reached the syslog receiver as RFC 5424, the alert included.
  EXPECT_TRUE(soc.SyslogSaw("auth.login [audit@32473", 10s));
  EXPECT_TRUE(soc.SyslogSaw("alerts.raise [audit@32473", 10s));

  // A security officer sees and acknowledges it.
  const Completed so = RunStrongroom({"user", "add", "--username", "so-sue", "--role",
                                      "security_officer", "--data-dir", data_.string(), "--json"},
                                     scratch_);
  ASSERT_EQ(so.exit_code, 0) << so.err;
  const auto so_user = nlohmann::json::parse(so.out);
  const auto login =
      Post(port, "/api/v1/auth/login",
           {{"username", "so-sue"},
            {"password", so_user["password"]},
            {"totp", crypto::Totp(*base::Base32Decode(so_user["totp_secret"].get<std::string>()),
                                  std::chrono::system_clock::now())}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string bearer =
      "Bearer " + nlohmann::json::parse(login.body)["token"].get<std::string>();
  const auto listed = Get(port, "/api/v1/alerts?status=open", {{"Authorization", bearer}});
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto alerts = nlohmann::json::parse(listed.body)["alerts"];
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["delivery"]["state"], "delivered");
  const std::string id = alerts[0]["id"];
  EXPECT_EQ(Post(port, "/api/v1/alerts/" + id + "/acknowledge", {{"note", "pen test"}},
                 {{"Authorization", bearer}})
                .status,
            200);

  // A SIEM follows the trail as JSON Lines: it gets what is recorded from now on.
  Process follow(
      {"audit", "export", "--follow", "--since",
       base::FormatRfc3339(std::chrono::system_clock::now()), "--data-dir", data_.string()},
      scratch_);
  std::this_thread::sleep_for(300ms);
  Post(port, "/api/v1/auth/login", {{"username", "nobody-" + id}, {"password", "x"}});
  ASSERT_TRUE(follow.WaitForStdout("\"action\":\"auth.login\"", 10s)) << follow.Stderr();
  follow.Signal(SIGTERM);
  EXPECT_EQ(follow.Wait(10s), 0) << follow.Stderr();
  std::vector<nlohmann::json> lines;
  std::istringstream out(follow.Stdout());
  for (std::string text; std::getline(out, text);) lines.push_back(nlohmann::json::parse(text));
  ASSERT_GE(lines.size(), 2u);
  // The export is itself on the record.
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                          [](const nlohmann::json& l) { return l["action"] == "audit.export"; }));
  EXPECT_EQ(lines.back()["action"], "auth.login");
  EXPECT_EQ(lines.back()["outcome"], "denied");

  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(15s), 0) << server->Stderr();
  const Completed verified =
      RunStrongroom({"audit", "verify", "--data-dir", data_.string()}, scratch_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
}

TEST_F(StrongroomBinaryTest, RefusesABadDetectionConfigurationOrSyslogTarget) {
  Init();
  std::ofstream(data_ / "detection.json") << R"({"rules":{"signin_failures":{"treshold":3}}})";
  const Completed bad_config =
      RunStrongroom({"serve", "--data-dir", data_.string(), "--listen", "127.0.0.1:0"}, scratch_);
  EXPECT_EQ(bad_config.exit_code, 2);
  EXPECT_NE(bad_config.err.find("unknown key 'treshold'"), std::string::npos) << bad_config.err;
  fs::remove(data_ / "detection.json");
  const Completed bad_target = RunStrongroom({"serve", "--data-dir", data_.string(), "--listen",
                                              "127.0.0.1:0", "--syslog", "syslog.example.com"},
                                             scratch_);
  EXPECT_EQ(bad_target.exit_code, 2);
  EXPECT_NE(bad_target.err.find("udp://HOST:PORT"), std::string::npos) << bad_target.err;
}

TEST_F(StrongroomBinaryTest, AuditEventsAreKeptSevenYearsThenPrunedAndTheLogStillVerifies) {
  Init();
  ASSERT_EQ(
      RunStrongroom({"tenant", "add", "Acme", "--data-dir", data_.string()}, scratch_).exit_code,
      0);
  const auto prune_at = [&](const std::string& offset) {
    const Completed c = RunStrongroom({"audit", "prune", "--data-dir", data_.string(), "--json"},
                                      scratch_, FakeTimeEnv(offset));
    EXPECT_EQ(c.exit_code, 0) << c.err;
    return nlohmann::json::parse(c.out, nullptr, false);
  };
  // Seven years less a day later: nothing is old enough.
  EXPECT_EQ(prune_at("+2556d")["pruned"], 0);
  // A day past seven years: init's events (the admin, the catalogs, the control library) and
  // the tenant are emptied.
  const auto pruned = prune_at("+2558d");
  EXPECT_EQ(pruned["pruned"],
            2 + isms::ShippedCatalogFiles().size() + isms::ShippedControlLibrary()->controls.size())
      << pruned.dump();
  EXPECT_EQ(pruned["retention_days"], 2557);

  const Completed verified = RunStrongroom({"audit", "verify", "--data-dir", data_.string()},
                                           scratch_, FakeTimeEnv("+2558d"));
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const Completed exported =
      RunStrongroom({"audit", "export", "--data-dir", data_.string()}, scratch_);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto first = nlohmann::json::parse(exported.out.substr(0, exported.out.find('\n')));
  EXPECT_EQ(first["pruned"], true);
  EXPECT_EQ(first["action"], "users.create");
  EXPECT_EQ(first["actor_id"], "");

  // Retention can be changed, never below a year, and the change is on the record.
  const Completed too_short = RunStrongroom(
      {"audit", "retention", "--set-days", "30", "--data-dir", data_.string()}, scratch_);
  EXPECT_EQ(too_short.exit_code, 2);
  EXPECT_NE(too_short.err.find("from 365"), std::string::npos) << too_short.err;
  const Completed longer = RunStrongroom(
      {"audit", "retention", "--set-days", "3650", "--data-dir", data_.string(), "--json"},
      scratch_);
  ASSERT_EQ(longer.exit_code, 0) << longer.err;
  EXPECT_EQ(nlohmann::json::parse(longer.out)["retention_days"], 3650);
}

TEST_F(StrongroomBinaryTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunStrongroom({}, scratch_).exit_code, 2);
  EXPECT_EQ(RunStrongroom({"frobnicate"}, scratch_).exit_code, 2);
  EXPECT_EQ(RunStrongroom({"--help"}, scratch_).exit_code, 0);
}

}  // namespace
}  // namespace strongroom::testing
