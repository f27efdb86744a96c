#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/identity/sessions.hpp"

namespace strongroom::cli {

// Exit codes of every command (PRODUCT.md): 0 success; 1 the thing checked is not OK (e.g.
// tampering found); 2 usage or I/O error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitUsage = 2;

inline constexpr const char* kDefaultDataDir = "./strongroom-data";
inline constexpr const char* kDefaultListen = "127.0.0.1:8443";

struct ServeOptions {
  std::filesystem::path data_dir = kDefaultDataDir;
  bool json = false;
  std::string listen = kDefaultListen;
  identity::SessionPolicy sessions;
  // The detection rules' settings; default: <data-dir>/detection.json if it exists, else the
  // shipped defaults.
  std::optional<std::filesystem::path> detection_config;
  // How often the whole audit log is verified in the background (and once at start).
  std::chrono::minutes audit_verify_interval{24 * 60};
  // Where audit events and checkpoints are forwarded (udp://HOST:PORT, tcp://HOST:PORT).
  std::vector<std::string> syslog_targets;
};

// Commands that run the HTTP server. The composition root (server/app.cpp) implements them,
// because the cli module may not depend on http.
struct ServerCommands {
  std::function<int(const ServeOptions&)> serve;
  // Like serve, after creating the data directory (and demo credentials) if it does not exist.
  std::function<int(const ServeOptions&)> demo;
};

// Parses the command line and runs the command. Human output goes to `out`, errors to `err`;
// with --json, `out` gets one JSON document. Returns the exit code.
int Run(int argc, const char* const* argv, const ServerCommands& server, std::ostream& out,
        std::ostream& err);

}  // namespace strongroom::cli
