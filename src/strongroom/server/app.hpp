#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "strongroom/base/result.hpp"
#include "strongroom/cli/cli.hpp"

namespace strongroom::server {

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// "127.0.0.1:8443", "[::1]:8443", "0.0.0.0:0" (port 0 picks a free port). Errors
// (kInvalidArgument) show the accepted forms.
base::Result<ListenAddress> ParseListenAddress(std::string_view text);

// `strongroom serve`: opens the data directory (refusing a root key or TLS key that group or
// others can read, and a root key that does not open the store's keys), serves HTTPS until
// SIGTERM or SIGINT, then shuts down gracefully and closes the store. Returns the exit code.
int Serve(const cli::ServeOptions& options, std::ostream& out, std::ostream& err);

// `strongroom demo`: creates the data directory with a generated admin passphrase if it does not
// exist (keeping the credentials in demo-credentials.json, mode 0600, so later runs can show
// them), prints the URL and credentials, and serves.
int Demo(const cli::ServeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace strongroom::server
