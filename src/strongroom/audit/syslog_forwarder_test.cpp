#include "strongroom/audit/syslog_forwarder.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/testing/tree.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::audit {
namespace {

using base::ErrorCode;

// A loopback socket that receives what the forwarder sends.
class Receiver {
 public:
  explicit Receiver(int type, std::uint16_t port = 0) : type_(type) {
    fd_ = ::socket(AF_INET, type, 0);
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (type == SOCK_STREAM) {
      EXPECT_EQ(::listen(fd_, 4), 0);
    }
  }
  ~Receiver() {
    if (conn_ >= 0) ::close(conn_);
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }
  std::string Target() const {
    return std::string(type_ == SOCK_STREAM ? "tcp" : "udp") +
           "://127.0.0.1:" + std::to_string(port_);
  }

  // The messages received within `wait`: datagrams, or RFC 6587 octet-counted frames.
  std::vector<std::string> Take(std::size_t want,
                                std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (messages_.size() < want && std::chrono::steady_clock::now() < deadline) {
      int fd = fd_;
      if (type_ == SOCK_STREAM) {
        if (conn_ < 0) {
          pollfd p{fd_, POLLIN, 0};
          if (::poll(&p, 1, 50) <= 0) continue;
          conn_ = ::accept(fd_, nullptr, nullptr);
        }
        fd = conn_;
      }
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        if (type_ == SOCK_STREAM) {
          ::close(conn_);
          conn_ = -1;
        }
        continue;
      }
      if (type_ == SOCK_DGRAM) {
        messages_.emplace_back(buf, static_cast<std::size_t>(n));
        continue;
      }
      stream_.append(buf, static_cast<std::size_t>(n));
      for (;;) {
        const std::size_t space = stream_.find(' ');
        if (space == std::string::npos) break;
        const std::size_t len = std::stoul(stream_.substr(0, space));
        if (stream_.size() < space + 1 + len) break;
        messages_.push_back(stream_.substr(space + 1, len));
        stream_.erase(0, space + 1 + len);
      }
    }
    return std::exchange(messages_, {});
  }

 private:
  int type_;
  int fd_ = -1;
  int conn_ = -1;
  std::uint16_t port_ = 0;
  std::string stream_;
  std::vector<std::string> messages_;
};

class SyslogForwarderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(OpenAuditStore(temp_ / "audit.db", clock_)).value();
    log_ = std::move(AuditLog::Open(*store_, testing::TestCheckpointKey(),
                                    temp_ / "checkpoints.jsonl", clock_))
               .value();
  }
  void TearDown() override {
    ASSERT_TRUE(log_->Close().ok());
    ASSERT_TRUE(store_->Close().ok());
  }
  void RecordEvents(int n, Outcome outcome = Outcome::kAllowed) {
    for (int i = 0; i < n; ++i) {
      Event e = MakeEvent(Actor{"usr_a", "service", "198.51.100.7", "req-" + std::to_string(i)},
                          clock_.Now(), "records.read", "record:\"r]" + std::to_string(i), outcome,
                          "via_grant", "ten_a");
      ASSERT_TRUE(log_->Record(e).ok());
    }
  }
  std::unique_ptr<SyslogForwarder> Forwarder(const std::string& target) {
    SyslogForwarderOptions o;
    o.identity.hostname = "vault-1";
    o.identity.proc_id = "4242";
    o.timeout = std::chrono::milliseconds(500);
    return std::make_unique<SyslogForwarder>(*log_, *store_, *ParseSyslogTarget(target), o);
  }

  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_{base::FromUnixMillis(1'800'000'000'000)};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST(SyslogTarget, ParsesTheAcceptedFormsAndRefusesOthers) {
  auto udp = ParseSyslogTarget("udp://127.0.0.1:514");
  ASSERT_TRUE(udp.ok());
  EXPECT_EQ(udp->transport, SyslogTarget::Transport::kUdp);
  EXPECT_EQ(udp->host, "127.0.0.1");
  EXPECT_EQ(udp->port, 514);
  auto tcp = ParseSyslogTarget("tcp://[::1]:601");
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp->transport, SyslogTarget::Transport::kTcp);
  EXPECT_EQ(tcp->host, "::1");
  for (const char* bad : {"127.0.0.1:514", "tls://h:6514", "udp://h", "udp://h:0", "udp://h:70000",
                          "udp://:514", "tcp://[::1]", "udp://a:b:514", "udp://h:51x"}) {
    auto t = ParseSyslogTarget(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.error().message().find("udp://HOST:PORT"), std::string::npos);
  }
}

TEST(SyslogMessage, IsRfc5424WithTheEventAsStructuredDataAndJson) {
  StoredEvent e;
  e.seq = 41;
  e.time = "2027-01-15T08:00:00.000Z";
  e.actor_id = "usr_a";
  e.actor_role = "service";
  e.action = "access.denied";
  e.resource = "record:\"x]\\y";
  e.outcome = "denied";
  e.reason = "no_grant";
  e.details = R"({"requested":"records.read"})";
  SyslogIdentity id;
  id.hostname = "vault 1";  // A space is not allowed in HOSTNAME.
  id.proc_id = "99";
  const std::string m = SyslogEventMessage(e, id);
  // <13*8+4>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] BOM MSG
  EXPECT_TRUE(
      m.starts_with("<108>1 2027-01-15T08:00:00.000Z vault_1 strongroom 99 access.denied "
                    "[audit@32473 seq=\"41\" actor=\"usr_a\""))
      << m;
  EXPECT_NE(m.find(R"(resource="record:\"x\]\\y")"), std::string::npos) << m;
  EXPECT_NE(m.find("] \xEF\xBB\xBF{"), std::string::npos);
  const auto json = nlohmann::json::parse(m.substr(m.find("\xEF\xBB\xBF") + 3));
  EXPECT_EQ(json["seq"], 41);
  EXPECT_EQ(json["details"]["requested"], "records.read");

  e.outcome = "allowed";
  EXPECT_TRUE(SyslogEventMessage(e, id).starts_with("<110>1 "));
  e.details = R"({"big":")" + std::string(5000, 'x') + R"("})";
  const std::string small = SyslogEventMessage(e, id, 2048);
  EXPECT_LE(small.size(), 2048u);
  EXPECT_NE(small.find("\"truncated\":true"), std::string::npos);
  EXPECT_NE(small.find("seq=\"41\""), std::string::npos);
}

TEST_F(SyslogForwarderTest, SendsEveryEventAndThenTheCheckpointOverUdp) {
  Receiver receiver(SOCK_DGRAM);
  RecordEvents(3);
  ASSERT_TRUE(log_->Checkpoint().ok());
  auto forwarder = Forwarder(receiver.Target());
  auto sent = forwarder->RunOnce();
  ASSERT_TRUE(sent.ok()) << sent.error().message();
  EXPECT_EQ(*sent, 4u);
  const auto messages = receiver.Take(4);
  ASSERT_EQ(messages.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(messages[i].starts_with("<110>1 ")) << messages[i];
    EXPECT_NE(messages[i].find("vault-1 strongroom 4242 records.read [audit@32473 seq=\"" +
                               std::to_string(i) + "\""),
              std::string::npos)
        << messages[i];
  }
  EXPECT_NE(messages[3].find(" checkpoint [checkpoint@32473 tree_size=\"3\""), std::string::npos)
      << messages[3];
  // Nothing new: nothing sent.
  EXPECT_EQ(*forwarder->RunOnce(), 0u);
}

TEST_F(SyslogForwarderTest, ResumesWhereItStoppedAcrossRestartsOverTcp) {
  Receiver receiver(SOCK_STREAM);
  RecordEvents(5);
  ASSERT_EQ(*Forwarder(receiver.Target())->RunOnce(), 5u);
  EXPECT_EQ(receiver.Take(5).size(), 5u);
  RecordEvents(2, Outcome::kDenied);
  auto again = Forwarder(receiver.Target());  // A restarted server.
  ASSERT_EQ(*again->RunOnce(), 2u);
  const auto messages = receiver.Take(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].find("seq=\"5\""), std::string::npos);
  EXPECT_TRUE(messages[1].starts_with("<108>1 "));
}

TEST_F(SyslogForwarderTest, KeepsWhatTheReceiverMissedUntilItIsBack) {
  std::uint16_t port = 0;
  std::string target;
  {
    Receiver gone(SOCK_STREAM);
    port = gone.port();
    target = gone.Target();
  }  // Closed: connections are refused.
  RecordEvents(3);
  auto forwarder = Forwarder(target);
  auto failed = forwarder->RunOnce();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(failed.error().message().find(target), std::string::npos);

  // The same port listens again: everything arrives, in order.
  Receiver back(SOCK_STREAM, port);
  ASSERT_EQ(back.Target(), target);
  auto sent = forwarder->RunOnce();
  ASSERT_TRUE(sent.ok()) << sent.error().message();
  EXPECT_EQ(*sent, 3u);
  const auto messages = back.Take(3);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_NE(messages[0].find("seq=\"0\""), std::string::npos);
  EXPECT_NE(messages[2].find("seq=\"2\""), std::string::npos);
}

TEST_F(SyslogForwarderTest, TheBackgroundThreadForwardsWhatArrives) {
  Receiver receiver(SOCK_DGRAM);
  SyslogForwarderOptions o;
  o.poll_interval = std::chrono::milliseconds(10);
  o.checkpoints = false;
  SyslogForwarder forwarder(*log_, *store_, *ParseSyslogTarget(receiver.Target()), o);
  forwarder.Start();
  RecordEvents(4);
  EXPECT_EQ(receiver.Take(4).size(), 4u);
  forwarder.Stop();
}

}  // namespace
}  // namespace strongroom::audit
