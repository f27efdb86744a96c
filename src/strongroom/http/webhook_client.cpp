// The one outgoing HTTPS client: alert delivery to the configured webhook. Beast and Asio stay in
// this file and server.cpp.
#include "strongroom/http/webhook_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/tls.hpp"

namespace strongroom::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

struct WebhookNotifier::Impl {
  std::string host;
  std::string port;
  std::string target;
  std::chrono::milliseconds timeout;
  const base::Clock* clock;
  std::optional<base::SecretBytes> secret;
  ssl::context ctx{ssl::context::tls_client};
};

namespace {

base::Status BadUrl(const std::string& url) {
  return base::InvalidArgumentError("webhook URL '" + url +
                                    "' is not https://host[:port][/path]; e.g. "
                                    "https://siem.example.com:8443/hooks/strongroom");
}

// One request and its answer, run on a private io_context so the whole exchange is bounded by
// the timeout.
struct Exchange {
  explicit Exchange(WebhookNotifier::Impl& config)
      : impl(config), resolver(ioc), stream(ioc, config.ctx) {}

  void Fail(beast::error_code error, const char* during) {
    if (done) return;
    done = true;
    ec = error;
    step = during;
  }

  void Run() {
    resolver.async_resolve(impl.host, impl.port, [this](beast::error_code e, auto results) {
      if (e) return Fail(e, "resolving the host");
      beast::get_lowest_layer(stream).expires_after(impl.timeout);
      beast::get_lowest_layer(stream).async_connect(results, [this](beast::error_code e2,
                                                                    const tcp::endpoint&) {
        if (e2) return Fail(e2, "connecting");
        stream.async_handshake(ssl::stream_base::client, [this](beast::error_code e3) {
          if (e3) return Fail(e3, "the TLS handshake (is the certificate trusted?)");
          bhttp::async_write(stream, request, [this](beast::error_code e4, std::size_t) {
            if (e4) return Fail(e4, "sending the alert");
            parser.body_limit(64 * 1024);
            bhttp::async_read(stream, buffer, parser, [this](beast::error_code e5, std::size_t) {
              if (e5) return Fail(e5, "reading the answer");
              done = true;
              status = parser.get().result_int();
            });
          });
        });
      });
    });
    ioc.run_for(impl.timeout);
    if (!done) step = "waiting for the webhook (timed out)";
  }

  WebhookNotifier::Impl& impl;
  asio::io_context ioc;
  tcp::resolver resolver;
  beast::ssl_stream<beast::tcp_stream> stream;
  bhttp::request<bhttp::string_body> request;
  bhttp::response_parser<bhttp::string_body> parser;
  beast::flat_buffer buffer;
  bool done = false;
  beast::error_code ec;
  std::string step;
  unsigned status = 0;
};

}  // namespace

base::Result<std::unique_ptr<WebhookNotifier>> WebhookNotifier::Create(
    const detect::DetectionConfig::Webhook& config, const base::Clock& clock) {
  auto impl = std::make_unique<Impl>();
  std::string_view rest(config.url);
  if (!rest.starts_with("https://")) return BadUrl(config.url);
  rest.remove_prefix(8);
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  impl->target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  impl->port = "443";
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl(config.url);
    impl->host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (!authority.starts_with(':')) return BadUrl(config.url);
      impl->port = std::string(authority.substr(1));
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    impl->host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) impl->port = std::string(authority.substr(colon + 1));
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(impl->port.data(), impl->port.data() + impl->port.size(), port);
  if (impl->host.empty() || ec != std::errc() || end != impl->port.data() + impl->port.size() ||
      port == 0 || port > 65535 || impl->host.find_first_of("@ ") != std::string::npos ||
      impl->target.find_first_of(" \r\n") != std::string::npos) {
    return BadUrl(config.url);
  }
  impl->timeout = config.timeout;
  impl->clock = &clock;
  SR_RETURN_IF_ERROR(crypto::ConfigureClientTls(
      impl->ctx.native_handle(), config.ca_file ? config.ca_file->string() : std::string()));
  if (config.secret_file) {
    SR_RETURN_IF_ERROR(base::CheckOwnerOnly(*config.secret_file, "webhook secret file"));
    auto text = base::ReadSmallFile(*config.secret_file, 4096);
    if (!text.ok()) return text.error();
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
    if (text->size() < 16) {
      return base::InvalidArgumentError("the webhook secret in " + config.secret_file->string() +
                                        " must be at least 16 characters");
    }
    impl->secret.emplace(std::vector<std::uint8_t>(text->begin(), text->end()));
  }
  return std::unique_ptr<WebhookNotifier>(new WebhookNotifier(std::move(impl)));
}

WebhookNotifier::WebhookNotifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebhookNotifier::~WebhookNotifier() = default;

base::Status WebhookNotifier::Deliver(const std::string& body) {
  Exchange x(*impl_);
  // The server's name is what its certificate must be for; it is also sent as SNI.
  // SSL_set_tlsext_host_name is a macro with a C cast; this is the call it stands for.
  if (SSL_ctrl(x.stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(impl_->host.c_str())) != 1) {
    return base::InternalError("cannot set the TLS server name");
  }
  x.stream.set_verify_callback(ssl::host_name_verification(impl_->host));
  x.request = bhttp::request<bhttp::string_body>(bhttp::verb::post, impl_->target, 11);
  x.request.set(bhttp::field::host, impl_->host);
  x.request.set(bhttp::field::user_agent, "strongroom-alerts/1");
  x.request.set(bhttp::field::content_type, "application/json");
  x.request.set(bhttp::field::connection, "close");
  if (impl_->secret) {
    const std::string t = std::to_string(base::ToUnixMillis(impl_->clock->Now()) / 1000);
    const std::string signed_text = t + "." + body;
    const auto mac = crypto::HmacSha256(impl_->secret->Reveal(), base::AsBytes(signed_text));
    x.request.set("X-Strongroom-Signature", "t=" + t + ",sha256=" + base::HexEncode(mac));
  }
  x.request.body() = body;
  x.request.prepare_payload();
  x.Run();
  if (!x.done) return base::DeadlineExceededError("webhook: " + x.step);
  if (x.ec) return base::UnavailableError("webhook: " + x.step + ": " + x.ec.message());
  if (x.status < 200 || x.status > 299) {
    return base::UnavailableError("webhook: the receiver answered HTTP " +
                                  std::to_string(x.status));
  }
  return base::OkStatus();
}

}  // namespace strongroom::http
