#include "strongroom/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

#include "strongroom/cli/init.hpp"
#include "strongroom/cli/init_output.hpp"

namespace strongroom::cli {
namespace {

int Fail(const base::Status& status, std::ostream& err) {
  err << "strongroom: " << status.message() << "\n";
  return kExitUsage;
}

}  // namespace

int Run(int argc, const char* const* argv, const ServerCommands& server, std::ostream& out,
        std::ostream& err) {
  CLI::App app{"Strongroom: a vault for clients' data and the provider's security program."};
  app.name("strongroom");
  app.require_subcommand(1, 1);
  app.fallthrough();  // Global options may follow the subcommand.
  std::string data_dir = kDefaultDataDir;
  bool json = false;
  app.add_option("--data-dir", data_dir, "The data directory")->capture_default_str();
  app.add_flag("--json", json, "Machine-readable output");
  app.set_version_flag("--version", "strongroom 0.1.0");

  InitOptions init;
  std::string password_file, tls_cert, tls_key;
  CLI::App* init_cmd = app.add_subcommand(
      "init", "Create a data directory: root key, store, TLS certificate and the first admin");
  init_cmd->add_option("--admin", init.admin, "Username of the first admin")->capture_default_str();
  init_cmd->add_option("--password-file", password_file,
                       "File holding the admin's passphrase (otherwise one is generated)");
  init_cmd->add_option("--tls-cert", tls_cert, "PEM certificate chain to serve (with --tls-key)");
  init_cmd->add_option("--tls-key", tls_key, "PEM private key of --tls-cert");

  ServeOptions serve;
  CLI::App* serve_cmd =
      app.add_subcommand("serve", "Serve HTTPS from an initialised data directory");
  serve_cmd
      ->add_option("--listen", serve.listen, "Address and port, e.g. 127.0.0.1:8443 or [::1]:8443")
      ->capture_default_str();
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "Create a demo data directory if needed, print its credentials, and serve it");
  demo_cmd->add_option("--listen", serve.listen, "Address and port")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  serve.data_dir = data_dir;
  serve.json = json;
  if (*init_cmd) {
    init.data_dir = data_dir;
    if (!password_file.empty()) init.password_file = password_file;
    if (!tls_cert.empty()) init.tls_cert = tls_cert;
    if (!tls_key.empty()) init.tls_key = tls_key;
    base::SystemClock clock;
    auto report = InitDataDir(init, clock);
    if (!report.ok()) return Fail(report.error(), err);
    PrintInitReport(*report, json, out);
    return kExitOk;
  }
  if (*serve_cmd) return server.serve(serve);
  if (*demo_cmd) return server.demo(serve);
  return kExitUsage;
}

}  // namespace strongroom::cli
