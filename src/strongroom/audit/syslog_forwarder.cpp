#include "strongroom/audit/syslog_forwarder.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {
namespace {

base::Status BadTarget(std::string_view text) {
  return base::InvalidArgumentError("syslog target '" + std::string(text) +
                                    "' is not udp://HOST:PORT or tcp://HOST:PORT; e.g. "
                                    "udp://127.0.0.1:514, tcp://logs.example.com:601, "
                                    "tcp://[::1]:601");
}

base::Status Unreachable(const SyslogTarget& t, std::string_view what, int error) {
  return base::UnavailableError("syslog " + t.text + ": " + std::string(what) + ": " +
                                std::strerror(error));
}

}  // namespace

// One socket to the receiver, opened on first use and after any failure.
class SyslogForwarder::Transport {
 public:
  explicit Transport(const SyslogTarget& target, std::chrono::milliseconds timeout)
      : target_(target), timeout_(timeout) {}
  ~Transport() { Close(); }

  base::Status Send(const std::string& message) {
    if (fd_ < 0) SR_RETURN_IF_ERROR(Connect());
    std::string framed = target_.transport == SyslogTarget::Transport::kTcp
                             ? std::to_string(message.size()) + " " + message
                             : message;
    std::size_t sent = 0;
    while (sent < framed.size()) {
      const ssize_t n = ::send(fd_, framed.data() + sent, framed.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int error = n < 0 ? errno : EPIPE;
        Close();
        return Unreachable(target_, "sending", error);
      }
      sent += static_cast<std::size_t>(n);
    }
    return base::OkStatus();
  }

 private:
  base::Status Connect() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype =
        target_.transport == SyslogTarget::Transport::kTcp ? SOCK_STREAM : SOCK_DGRAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(target_.port);
    if (const int rc = ::getaddrinfo(target_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
      return base::UnavailableError("syslog " + target_.text + ": cannot resolve " + target_.host +
                                    ": " + ::gai_strerror(rc));
    }
    int last_error = ECONNREFUSED;
    for (addrinfo* a = found; a != nullptr && fd_ < 0; a = a->ai_next) {
      const int fd =
          ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) {
        last_error = errno;
        continue;
      }
      if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
        last_error = errno;
        ::close(fd);
        continue;
      }
      pollfd p{fd, POLLOUT, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(timeout_.count()));
      int so_error = 0;
      socklen_t len = sizeof so_error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
      if (ready <= 0 || so_error != 0) {
        last_error = ready == 0 ? ETIMEDOUT : so_error != 0 ? so_error : errno;
        ::close(fd);
        continue;
      }
      // Blocking from here on, with the timeout bounding each send.
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      const timeval tv{static_cast<time_t>(timeout_.count() / 1000),
                       static_cast<suseconds_t>((timeout_.count() % 1000) * 1000)};
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      fd_ = fd;
    }
    ::freeaddrinfo(found);
    if (fd_ < 0) return Unreachable(target_, "connecting", last_error);
    return base::OkStatus();
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  const SyslogTarget target_;
  const std::chrono::milliseconds timeout_;
  int fd_ = -1;
};

base::Result<SyslogTarget> ParseSyslogTarget(std::string_view text) {
  SyslogTarget t;
  t.text = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("udp://")) {
    t.transport = SyslogTarget::Transport::kUdp;
  } else if (rest.starts_with("tcp://")) {
    t.transport = SyslogTarget::Transport::kTcp;
  } else {
    return BadTarget(text);
  }
  rest.remove_prefix(6);
  std::string_view port;
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find("]:");
    if (close == std::string_view::npos) return BadTarget(text);
    t.host = std::string(rest.substr(1, close - 1));
    port = rest.substr(close + 2);
  } else {
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || rest.find(':') != colon) return BadTarget(text);
    t.host = std::string(rest.substr(0, colon));
    port = rest.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (t.host.empty() || t.host.find_first_of("/@ ") != std::string::npos || port.empty() ||
      ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return BadTarget(text);
  }
  t.port = static_cast<std::uint16_t>(value);
  return t;
}

SyslogForwarder::SyslogForwarder(AuditLog& log, storage::Store& audit_store, SyslogTarget target,
                                 SyslogForwarderOptions options)
    : log_(log),
      store_(audit_store),
      target_(std::move(target)),
      options_(std::move(options)),
      thread_(
          [this] {
            auto ran = RunOnce();
            if (ran.ok()) return options_.poll_interval;
            if (options_.on_error) options_.on_error(ran.error());
            return std::max<std::chrono::milliseconds>(options_.poll_interval,
                                                       std::chrono::seconds(2));
          },
          /*run_on_stop=*/true) {}

SyslogForwarder::~SyslogForwarder() { Stop(); }

base::Status SyslogForwarder::SaveCursor(std::uint64_t next_seq, std::uint64_t checkpoint_size) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO audit_export_cursors (name, next_seq, checkpoint_size) VALUES (?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET next_seq = excluded.next_seq, "
      "checkpoint_size = excluded.checkpoint_size",
      {storage::Text("syslog:" + target_.text), storage::Int(static_cast<std::int64_t>(next_seq)),
       storage::Int(static_cast<std::int64_t>(checkpoint_size))}));
  return tx->Commit();
}

base::Result<std::size_t> SyslogForwarder::RunOnce() {
  base::MutexLock l(&run_mu_);
  if (!transport_) transport_ = std::make_unique<Transport>(target_, options_.timeout);
  std::uint64_t next_seq = 0, checkpoint_size = 0;
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(const auto rows,
                        tx->Query("SELECT next_seq, checkpoint_size FROM audit_export_cursors "
                                  "WHERE name = ?",
                                  {storage::Text("syslog:" + target_.text)}));
    if (!rows.empty()) {
      SR_ASSIGN_OR_RETURN(const std::int64_t n, rows[0].GetInt(0));
      SR_ASSIGN_OR_RETURN(const std::int64_t c, rows[0].GetInt(1));
      next_seq = static_cast<std::uint64_t>(n);
      checkpoint_size = static_cast<std::uint64_t>(c);
    }
  }
  // The newest checkpoint is read before the events, so the events it covers are all sent
  // before it is.
  SR_ASSIGN_OR_RETURN(const std::optional<SignedCheckpoint> checkpoint, log_.LatestCheckpoint());
  std::size_t sent = 0;
  base::Status failure;
  for (bool more = true; more && failure.ok();) {
    EventQuery q;
    q.from_seq = next_seq;
    q.limit = options_.page;
    SR_ASSIGN_OR_RETURN(const EventPage page, log_.Events(q));
    for (const StoredEvent& e : page.events) {
      failure = transport_->Send(SyslogEventMessage(e, options_.identity));
      if (!failure.ok()) break;
      next_seq = e.seq + 1;
      ++sent;
    }
    more = page.next_seq.has_value();
    if (sent > 0) SR_RETURN_IF_ERROR(SaveCursor(next_seq, checkpoint_size));
  }
  if (failure.ok() && options_.checkpoints && checkpoint &&
      checkpoint->tree_size > checkpoint_size && checkpoint->tree_size <= next_seq) {
    failure = transport_->Send(SyslogCheckpointMessage(*checkpoint, options_.identity));
    if (failure.ok()) {
      ++sent;
      SR_RETURN_IF_ERROR(SaveCursor(next_seq, checkpoint->tree_size));
    }
  }
  if (!failure.ok()) return failure;
  return sent;
}

void SyslogForwarder::Start() { thread_.Start(); }

void SyslogForwarder::Stop() { thread_.Stop(); }

}  // namespace strongroom::audit
