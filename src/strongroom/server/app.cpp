#include "strongroom/server/app.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <ostream>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/periodic_verifier.hpp"
#include "strongroom/audit/retention.hpp"
#include "strongroom/audit/syslog_forwarder.hpp"
#include "strongroom/backup/scheduler.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/logger.hpp"
#include "strongroom/base/metrics.hpp"
#include "strongroom/base/periodic_thread.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/cli/backup_commands.hpp"
#include "strongroom/cli/data_dir.hpp"
#include "strongroom/cli/init.hpp"
#include "strongroom/cli/opened_data_dir.hpp"
#include "strongroom/crypto/tls.hpp"
#include "strongroom/crypto/totp.hpp"
#include "strongroom/detect/alert_store.hpp"
#include "strongroom/detect/dispatcher.hpp"
#include "strongroom/detect/monitor.hpp"
#include "strongroom/http/handlers/alert_routes.hpp"
#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/handlers/audit_routes.hpp"
#include "strongroom/http/handlers/backup_routes.hpp"
#include "strongroom/http/handlers/health.hpp"
#include "strongroom/http/handlers/isms_routes.hpp"
#include "strongroom/http/handlers/vault_routes.hpp"
#include "strongroom/http/handlers/web_routes.hpp"
#include "strongroom/http/server.hpp"
#include "strongroom/http/webhook_client.hpp"
#include "strongroom/identity/passphrase_policy.hpp"
#include "strongroom/isms/evidence.hpp"
#include "strongroom/vault/export.hpp"
#include "strongroom/vault/files.hpp"
#include "strongroom/vault/key_rotation.hpp"
#include "strongroom/vault/legal_holds.hpp"
#include "strongroom/vault/records.hpp"
#include "strongroom/vault/retention.hpp"
#include "strongroom/vault/shred.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::server {
namespace {

namespace fs = std::filesystem;
using cli::DataDirLayout;

// Everything a running server owns, built in dependency order and torn down in reverse.
struct Running {
  base::SystemClock clock;
  std::unique_ptr<base::JsonLinesLogger> logger;

  base::MetricsRegistry metrics;
  std::unique_ptr<cli::OpenedDataDir> data;
  std::unique_ptr<identity::SourceThrottle> throttle;
  std::unique_ptr<identity::LoginService> login;
  std::unique_ptr<access::GrantStore> grants;
  std::unique_ptr<access::Authorizer> authorizer;
  std::unique_ptr<http::ApiServices> api;
  std::unique_ptr<vault::TenantKeys> tenant_keys;
  std::unique_ptr<vault::Records> records;
  std::unique_ptr<vault::LegalHolds> holds;
  std::unique_ptr<vault::KeyRotation> rotation;
  std::unique_ptr<vault::Shredder> shredder;
  std::unique_ptr<vault::Files> files;
  std::unique_ptr<vault::Exporter> exporter;
  std::unique_ptr<detect::AlertStore> alerts;
  std::unique_ptr<http::WebhookNotifier> webhook;
  std::unique_ptr<detect::AlertDispatcher> dispatcher;
  std::unique_ptr<detect::DetectionMonitor> monitor;
  std::unique_ptr<audit::PeriodicVerifier> verifier;
  std::unique_ptr<base::PeriodicThread> pruner;       // Audit retention, daily.
  std::unique_ptr<base::PeriodicThread> purger;       // Vault record retention, hourly.
  std::unique_ptr<base::PeriodicThread> reencryptor;  // Moves records to rotated keys.
  std::unique_ptr<isms::Frameworks> frameworks;
  std::unique_ptr<isms::Controls> controls;
  std::unique_ptr<isms::EvidenceStore> evidence;
  std::unique_ptr<isms::CoverageCalculator> coverage;
  std::unique_ptr<backup::Backups> backups;
  backup::BackupConfig backup_config;  // DATA_DIR/backup.json, as loaded at start.
  std::unique_ptr<backup::BackupScheduler> backup_scheduler;
  std::unique_ptr<base::PeriodicThread> backup_thread;  // Scheduled backups, every minute.
  std::vector<std::unique_ptr<audit::SyslogForwarder>> syslog;
  std::unique_ptr<http::Server> http;

  // Stops the background work (after the HTTP server): pruning and verification, then the
  // monitor (which judges what is left), then the deliveries, then the syslog forwarders (which
  // send what the others recorded). Idempotent.
  void StopBackground() {
    if (backup_thread) backup_thread->Stop();
    if (reencryptor) reencryptor->Stop();
    if (purger) purger->Stop();
    if (pruner) pruner->Stop();
    if (verifier) verifier->Stop();
    if (monitor) monitor->Stop();
    if (dispatcher) dispatcher->Stop();
    for (auto& forwarder : syslog) forwarder->Stop();
  }
};

base::Result<detect::DetectionConfig> LoadDetection(const cli::ServeOptions& options,
                                                    const DataDirLayout& layout) {
  if (options.detection_config) return detect::LoadDetectionConfig(*options.detection_config);
  if (fs::exists(layout.detection_config())) {
    return detect::LoadDetectionConfig(layout.detection_config());
  }
  return detect::DetectionConfig{};
}

// Builds the background work over the audit log (started once the server listens): detection and
// alert delivery, periodic verification, daily pruning, and syslog forwarding.
base::Status BuildBackground(const cli::ServeOptions& options, Running& app) {
  cli::OpenedDataDir& data = *app.data;
  SR_ASSIGN_OR_RETURN(detect::DetectionConfig detection, LoadDetection(options, data.layout()));
  app.alerts = std::make_unique<detect::AlertStore>(data.store(), data.audit_log(), app.clock);
  if (detection.webhook) {
    SR_ASSIGN_OR_RETURN(app.webhook, http::WebhookNotifier::Create(*detection.webhook, app.clock));
    detect::DispatcherOptions d;
    d.max_attempts = detection.webhook->max_attempts;
    d.initial_backoff = detection.webhook->initial_backoff;
    d.max_backoff = detection.webhook->max_backoff;
    d.on_error = [&app](const std::string& alert, const base::Status& s) {
      app.logger->Warning("alert_delivery_failed", {{"alert", alert}, {"error", s.message()}});
    };
    app.dispatcher =
        std::make_unique<detect::AlertDispatcher>(*app.alerts, *app.webhook, app.clock, d);
  }
  detect::MonitorOptions m;
  m.deliver = app.dispatcher != nullptr;
  m.on_raised = [&app] {
    if (app.dispatcher) app.dispatcher->Wake();
  };
  m.on_error = [&app](const base::Status& s) {
    app.logger->Error("detection_failed", {{"error", s.message()}});
  };
  app.monitor = std::make_unique<detect::DetectionMonitor>(
      data.store(), data.audit_log(), *app.alerts, std::move(detection), app.clock, m);
  SR_ASSIGN_OR_RETURN(auto keys, audit::CheckpointPublicKeys(data.ring()));
  app.verifier = std::make_unique<audit::PeriodicVerifier>(
      data.audit_store(), data.layout().audit_checkpoints(), std::move(keys), data.audit_log(),
      app.clock, options.audit_verify_interval, [&app](const base::Result<audit::VerifyReport>& r) {
        if (!r.ok()) {
          app.logger->Error("audit_verification_error", {{"error", r.error().message()}});
        } else if (!r->ok()) {
          app.logger->Error(
              "audit_verification_failed",
              {{"first_bad_seq",
                r->first_bad_seq ? static_cast<std::int64_t>(*r->first_bad_seq) : std::int64_t{-1}},
               {"problems", static_cast<std::int64_t>(r->problems.size())}});
        }
      });

  app.pruner = std::make_unique<base::PeriodicThread>([&app] {
    auto pruned = audit::PruneExpired(app.data->audit_log(), app.data->audit_store(),
                                      audit::Actor{"audit-retention", "system", "local", ""},
                                      app.clock.Now());
    if (!pruned.ok()) {
      app.logger->Error("audit_prune_failed", {{"error", pruned.error().message()}});
    } else if (pruned->pruned > 0) {
      app.logger->Info("audit_pruned", {{"events", static_cast<std::int64_t>(pruned->pruned)},
                                        {"cutoff", pruned->cutoff}});
    }
    return std::chrono::milliseconds(std::chrono::hours(24));
  });

  app.purger = std::make_unique<base::PeriodicThread>([&app] {
    auto purged =
        vault::PurgeExpiredRecords(app.data->store(), app.data->audit_log(), app.clock,
                                   audit::Actor{"vault-retention", "system", "local", ""});
    if (!purged.ok()) {
      app.logger->Error("vault_purge_failed", {{"error", purged.error().message()}});
    } else if (purged->purged > 0 || purged->held > 0) {
      app.logger->Info("vault_purged", {{"records", static_cast<std::int64_t>(purged->purged)},
                                        {"held", static_cast<std::int64_t>(purged->held)}});
    }
    return std::chrono::milliseconds(std::chrono::hours(1));
  });

  // Rotation is rare and re-encryption is background work: look every 30 s, and while records
  // remain under an older version, go on batch after batch.
  app.reencryptor = std::make_unique<base::PeriodicThread>([&app] {
    auto progress = app.rotation->RunOnce(audit::Actor{"key-rotation", "system", "local", ""});
    if (!progress.ok()) {
      app.logger->Error("reencryption_failed", {{"error", progress.error().message()}});
      return std::chrono::milliseconds(std::chrono::seconds(30));
    }
    if (progress->reencrypted > 0 || progress->retired_versions > 0) {
      app.logger->Info(
          "reencrypted",
          {{"records", static_cast<std::int64_t>(progress->reencrypted)},
           {"retired_versions", static_cast<std::int64_t>(progress->retired_versions)}});
    }
    return progress->done ? std::chrono::milliseconds(std::chrono::seconds(30))
                          : std::chrono::milliseconds(50);
  });

  // Backups: the scheduler does what backup.json asks and publishes every operation's last
  // outcome (including the CLI's) to /metrics.
  SR_ASSIGN_OR_RETURN(app.backup_config, backup::LoadBackupConfig(data.layout().backup_config()));
  for (const auto& d : app.backup_config.destinations) {
    SR_RETURN_IF_ERROR(backup::CheckDestinationOutside(d, data.layout().root()));
  }
  app.backup_scheduler = std::make_unique<backup::BackupScheduler>(
      *app.backups, app.backup_config, app.clock, app.metrics,
      [&app](const std::string& what, const base::Status& s) {
        if (s.ok()) {
          app.logger->Info(what, {});
        } else {
          app.logger->Error(what, {{"error", s.message()}});
        }
      });
  app.backup_thread = std::make_unique<base::PeriodicThread>([&app] {
    app.backup_scheduler->RunOnce();
    return std::chrono::milliseconds(std::chrono::minutes(1));
  });

  audit::SyslogForwarderOptions syslog_options;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) syslog_options.identity.hostname = host;
  syslog_options.identity.proc_id = std::to_string(::getpid());
  syslog_options.on_error = [&app](const base::Status& s) {
    app.logger->Warning("syslog_forwarding_failed", {{"error", s.message()}});
  };
  for (const std::string& text : options.syslog_targets) {
    SR_ASSIGN_OR_RETURN(audit::SyslogTarget target, audit::ParseSyslogTarget(text));
    app.syslog.push_back(std::make_unique<audit::SyslogForwarder>(
        data.audit_log(), data.audit_store(), std::move(target), syslog_options));
  }
  return base::OkStatus();
}

base::Result<crypto::TlsCredentials> LoadTls(const DataDirLayout& layout, Running& app) {
  SR_RETURN_IF_ERROR(base::CheckOwnerOnly(layout.tls_key(), "TLS private key file"));
  crypto::TlsCredentials tls;
  SR_ASSIGN_OR_RETURN(tls.cert_chain_pem, base::ReadSmallFile(layout.tls_cert(), 1 << 20));
  SR_ASSIGN_OR_RETURN(std::string key, base::ReadSmallFile(layout.tls_key(), 1 << 20));
  tls.private_key_pem = base::SecretString(std::move(key));
  SR_ASSIGN_OR_RETURN(const crypto::CertificateInfo info,
                      crypto::CheckCertificateAndKey(tls.cert_chain_pem, tls.private_key_pem));
  const auto now = app.clock.Now();
  if (info.not_after < now) {
    app.logger->Error("tls_certificate_expired",
                      {{"not_after", base::FormatRfc3339(info.not_after)}});
  } else if (info.not_after - now < std::chrono::days(30)) {
    app.logger->Warning("tls_certificate_expires_soon",
                        {{"not_after", base::FormatRfc3339(info.not_after)}});
  }
  return tls;
}

// Opens everything in the data directory and starts the HTTPS server.
base::Status Start(const cli::ServeOptions& options, Running& app) {
  SR_ASSIGN_OR_RETURN(const ListenAddress listen, ParseListenAddress(options.listen));
  audit::AuditLogOptions audit_options;
  audit_options.min_checkpoint_spacing = std::chrono::seconds(1);
  audit_options.on_background_error = [&app](const base::Status& s) {
    app.logger->Error("audit_checkpoint_failed", {{"error", s.message()}});
  };
  SR_ASSIGN_OR_RETURN(app.data, cli::OpenedDataDir::Open(options.data_dir, app.clock,
                                                         options.sessions, audit_options));
  SR_ASSIGN_OR_RETURN(crypto::TlsCredentials tls, LoadTls(app.data->layout(), app));

  cli::OpenedDataDir& data = *app.data;
  app.throttle = std::make_unique<identity::SourceThrottle>();
  SR_ASSIGN_OR_RETURN(crypto::Aes256Key username_key,
                      identity::UsernameHashKey(data.ring(), data.identity_key()));
  SR_ASSIGN_OR_RETURN(
      app.login, identity::LoginService::Create(data.store(), data.two_factor(), data.sessions(),
                                                *app.throttle, data.audit_log(), app.clock,
                                                std::move(username_key)));
  app.grants = std::make_unique<access::GrantStore>(data.store(), data.audit_log(), app.clock);
  app.authorizer =
      std::make_unique<access::Authorizer>(data.store(), *app.grants, data.audit_log(), app.clock);
  app.api.reset(new http::ApiServices{data.sessions(), data.accounts(), data.tenants(), *app.login,
                                      *app.grants, *app.authorizer, data.audit_log(), app.metrics,
                                      app.clock});

  http::Router router;
  http::AddHealthRoute(router);
  http::AddWebRoutes(router, http::WebAssets());
  http::AddIdentityRoutes(router, *app.api);
  http::AddAuditRoutes(router, *app.api, data.audit_log());
  app.tenant_keys = std::make_unique<vault::TenantKeys>(data.ring());
  app.records =
      std::make_unique<vault::Records>(data.store(), *app.tenant_keys, data.audit_log(), app.clock);
  app.holds = std::make_unique<vault::LegalHolds>(data.store(), data.audit_log(), app.clock);
  app.rotation = std::make_unique<vault::KeyRotation>(data.store(), *app.tenant_keys,
                                                      data.audit_log(), app.clock);
  SR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair receipt_key, audit::CheckpointSigningKey(data.ring()));
  app.shredder =
      std::make_unique<vault::Shredder>(data.store(), *app.tenant_keys, data.audit_log(), app.clock,
                                        std::move(receipt_key), data.layout().files_dir());
  SR_ASSIGN_OR_RETURN(app.backups, cli::OpenBackups(data, app.clock));
  // A shred also destroys the tenant's backup key in every backup destination.
  app.shredder->set_after_keys_destroyed(
      [&app](const identity::TenantId& tenant) { return app.backups->DestroyTenantKeys(tenant); });
  app.files = std::make_unique<vault::Files>(data.store(), *app.tenant_keys, data.audit_log(),
                                             app.clock, data.layout().files_dir());
  // Before serving, so no upload is in progress: blobs a crash left without a row.
  SR_ASSIGN_OR_RETURN(const std::size_t orphans, app.files->SweepOrphans());
  if (orphans > 0) {
    app.logger->Info("file_orphans_removed", {{"files", static_cast<std::int64_t>(orphans)}});
  }
  SR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair export_key, audit::CheckpointSigningKey(data.ring()));
  app.exporter = std::make_unique<vault::Exporter>(*app.records, *app.files, data.audit_log(),
                                                   app.clock, std::move(export_key));
  http::AddVaultRoutes(router, *app.api,
                       http::VaultServices{*app.records, *app.holds, *app.rotation, *app.shredder,
                                           *app.files, *app.exporter});
  SR_RETURN_IF_ERROR(BuildBackground(options, app));
  http::AddAlertRoutes(router, *app.api, *app.alerts);
  http::AddBackupRoutes(router, *app.api, http::BackupServices{*app.backups, app.backup_config});
  app.frameworks = std::make_unique<isms::Frameworks>(data.store(), data.audit_log(), app.clock);
  app.controls = std::make_unique<isms::Controls>(data.store(), data.audit_log(), app.clock);
  app.evidence = std::make_unique<isms::EvidenceStore>(data.store(), data.audit_log(), app.clock);
  app.coverage =
      std::make_unique<isms::CoverageCalculator>(*app.frameworks, *app.controls, *app.evidence);
  http::AddIsmsRoutes(router, *app.api,
                      http::IsmsServices{*app.frameworks, *app.controls, *app.evidence, *app.files,
                                         *app.coverage, data.layout().export_scratch()});
  http::ServerOptions server_options;
  server_options.listen_address = listen.host;
  server_options.port = listen.port;
  SR_ASSIGN_OR_RETURN(app.http, http::Server::Create(server_options, tls, std::move(router),
                                                     *app.logger, app.metrics));
  SR_RETURN_IF_ERROR(app.http->Start());
  app.monitor->Start();
  if (app.dispatcher) app.dispatcher->Start();
  app.verifier->Start();
  app.pruner->Start();
  app.purger->Start();
  app.reencryptor->Start();
  app.backup_thread->Start();
  for (auto& forwarder : app.syslog) forwarder->Start();
  return base::OkStatus();
}

std::string UrlFor(const ListenAddress& listen, std::uint16_t port) {
  const bool v6 = listen.host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + listen.host + "]" : listen.host) + ":" + std::to_string(port);
}

// Serves until SIGINT or SIGTERM; `on_started` prints what the user needs once the port is
// known.
int RunServer(const cli::ServeOptions& options, std::ostream& err,
              const std::function<void(const std::string& url)>& on_started) {
  // Block the shutdown signals before any thread exists so every thread inherits the mask and
  // only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  Running app;
  app.logger =
      std::make_unique<base::JsonLinesLogger>(STDERR_FILENO, app.clock, base::LogLevel::kInfo);
  if (base::Status s = Start(options, app); !s.ok()) {
    app.http.reset();
    app.StopBackground();
    app.data.reset();
    app.logger.reset();
    err << "strongroom: " << s.message() << "\n";
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return cli::kExitUsage;
  }
  const std::string url = UrlFor(*ParseListenAddress(options.listen), app.http->port());
  app.logger->Info("server_started", {{"url", url},
                                      {"data_dir", options.data_dir.string()},
                                      {"pid", static_cast<std::int64_t>(::getpid())}});
  on_started(url);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  app.logger->Info("shutdown_started",
                   {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  app.http->Shutdown();
  app.StopBackground();
  const base::Status closed = app.data->Close();
  if (!closed.ok()) {
    app.logger->Error("store_close_failed", {{"error", closed.message()}});
  }
  app.logger->Info("shutdown_complete");
  app.logger.reset();  // Writes every queued line.
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return closed.ok() ? cli::kExitOk : cli::kExitUsage;
}

}  // namespace

base::Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto bad = [&] {
    return base::InvalidArgumentError("listen address '" + std::string(text) +
                                      "' is not HOST:PORT; accepted forms: 127.0.0.1:8443, "
                                      "[::1]:8443, 0.0.0.0:8443 (port 0 picks a free port)");
  };
  ListenAddress out;
  std::string_view port;
  if (text.starts_with('[')) {
    const std::size_t close = text.find("]:");
    if (close == std::string_view::npos) return bad();
    out.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return bad();
    out.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (out.host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value > 65535) {
    return bad();
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

int Serve(const cli::ServeOptions& options, std::ostream& out, std::ostream& err) {
  return RunServer(options, err, [&](const std::string& url) {
    if (options.json) {
      out << nlohmann::json{{"event", "serving"},
                            {"url", url},
                            {"data_dir", options.data_dir.string()}}
                 .dump()
          << std::endl;
    } else {
      out << "Strongroom is serving " << url << " from " << options.data_dir.string()
          << ". Stop it with Ctrl-C or SIGTERM." << std::endl;
    }
  });
}

// The demo's client: a tenant, its administrator, and a collection with a few records, so the
// vault has something to show; a security officer, who sees the security program; and evidence
// for a few controls, so coverage has something to show too. Made once, when `demo` creates its
// data directory.
struct DemoClient {
  std::string tenant_id, username, password, totp_secret;
  std::string officer_username, officer_password, officer_totp_secret;
};

base::SecretString DemoPassphrase(std::string_view username) {
  base::SecretString passphrase;
  do {
    passphrase = cli::GeneratePassphrase();
  } while (!identity::CheckPassphrase(passphrase, username).ok());
  return passphrase;
}

base::Result<DemoClient> SeedDemoClient(const fs::path& root, const base::Clock& clock) {
  SR_ASSIGN_OR_RETURN(auto data, cli::OpenedDataDir::Open(root, clock));
  const audit::Actor demo{"demo", "operator", "local", ""};
  SR_ASSIGN_OR_RETURN(const identity::Tenant tenant,
                      data->tenants().Create(demo, "Northwind Telecom"));
  DemoClient client;
  client.tenant_id = tenant.id.value();
  client.username = "northwind-admin";
  base::SecretString passphrase = DemoPassphrase(client.username);
  client.password = passphrase.Reveal();
  SR_ASSIGN_OR_RETURN(
      const identity::CreatedUser admin,
      data->accounts().Create(demo, identity::NewUser{client.username, identity::Role::kClientAdmin,
                                                      tenant.id, std::move(passphrase)}));
  if (admin.enrollment) client.totp_secret = admin.enrollment->secret_base32.Reveal();
  client.officer_username = "officer";
  base::SecretString officer_passphrase = DemoPassphrase(client.officer_username);
  client.officer_password = officer_passphrase.Reveal();
  SR_ASSIGN_OR_RETURN(
      const identity::CreatedUser officer,
      data->accounts().Create(
          demo, identity::NewUser{client.officer_username, identity::Role::kSecurityOfficer,
                                  std::nullopt, std::move(officer_passphrase)}));
  client.officer_totp_secret = officer.enrollment->secret_base32.Reveal();

  // The records are written as the client's admin would write them, through its permits.
  access::GrantStore grants(data->store(), data->audit_log(), clock);
  access::Authorizer authorizer(data->store(), grants, data->audit_log(), clock);
  vault::TenantKeys keys(data->ring());
  vault::Records records(data->store(), keys, data->audit_log(), clock);
  identity::Principal principal;
  principal.user = admin.user;
  principal.credential_id = "demo";
  const audit::Actor as_admin{admin.user.id.value(), "client_admin", "local", ""};
  const auto permit = [&](access::Action action) {
    return authorizer.Admit(
        principal, as_admin, action,
        access::Target{tenant.id, std::string("customers"), "collection:customers"});
  };
  vault::CollectionSpec spec;
  spec.classification = vault::Classification::kConfidential;
  spec.retention_days = 2557;
  spec.lookup_fields = {"email", "plan"};
  spec.restricted_fields = {"national_id"};
  SR_ASSIGN_OR_RETURN(const access::Permit manage, permit(access::Action::kCollectionsManage));
  SR_RETURN_IF_ERROR(records.DeclareCollection(manage, "customers", spec).status());
  SR_ASSIGN_OR_RETURN(const access::Permit write, permit(access::Action::kRecordsWrite));
  const nlohmann::json customers[] = {{{"name", "Ada Byron"},
                                       {"email", "ada@example.net"},
                                       {"plan", "business"},
                                       {"national_id", "DEMO-1815-12-10"}},
                                      {{"name", "Alan Turing"},
                                       {"email", "alan@example.net"},
                                       {"plan", "home"},
                                       {"national_id", "DEMO-1912-06-23"}},
                                      {{"name", "Grace Hopper"},
                                       {"email", "grace@example.net"},
                                       {"plan", "business"},
                                       {"national_id", "DEMO-1906-12-09"}}};
  int n = 0;
  for (const nlohmann::json& c : customers) {
    SR_RETURN_IF_ERROR(records
                           .Put(write, "customers", "c" + std::to_string(++n), c,
                                vault::WriteConditions{}, nullptr)
                           .status());
  }

  // ISMS content: evidence for some of the library's controls that Strongroom enforces, so
  // coverage has requirements met to show beside the ones still to do.
  isms::EvidenceStore evidence(data->store(), data->audit_log(), clock);
  const base::Time now = clock.Now();
  const std::string today = base::FormatRfc3339(now).substr(0, 10);
  const std::string month_ago = base::FormatRfc3339(now - std::chrono::days(30)).substr(0, 10);
  for (const auto& [control, what] :
       {std::pair{"SR-CRY-01", "Encryption at rest checked on the demo store"},
        std::pair{"SR-CRY-02", "TLS configuration reviewed"},
        std::pair{"SR-IAM-01", "Two-factor sign-in enforced for every provider account"},
        std::pair{"SR-LOG-01", "Audit trail of every access sampled"},
        std::pair{"SR-LOG-02", "Audit log verified against its signed checkpoints"},
        std::pair{"SR-BAK-01", "Backup encryption checked"}}) {
    isms::NewEvidence e;
    e.control_id = control;
    e.kind = isms::EvidenceKind::kAttestation;
    e.title = what;
    e.period_from = month_ago;
    e.period_to = today;
    e.expires_at = base::FormatRfc3339(now + std::chrono::days(365));
    e.attested_by = "Demo security officer";
    e.statement = std::string(what) + " (demo data).";
    SR_RETURN_IF_ERROR(evidence.Add(demo, e).status());
  }
  SR_RETURN_IF_ERROR(data->Close());
  return client;
}

int Demo(const cli::ServeOptions& options, std::ostream& out, std::ostream& err) {
  const DataDirLayout layout(options.data_dir);
  std::string username, password, totp_secret;
  DemoClient client;
  if (!fs::exists(layout.root())) {
    base::SystemClock clock;
    cli::InitOptions init;
    init.data_dir = layout.root();
    auto report = cli::InitDataDir(init, clock, audit::Actor{"demo", "operator", "local", ""});
    if (!report.ok()) {
      err << "strongroom: " << report.error().message() << "\n";
      return cli::kExitUsage;
    }
    username = report->admin_username;
    password = report->generated_password->Reveal();
    totp_secret = report->admin_two_factor.secret_base32.Reveal();
    auto seeded = SeedDemoClient(layout.root(), clock);
    if (!seeded.ok()) {
      err << "strongroom: cannot load the demo client: " << seeded.error().message() << "\n";
      return cli::kExitUsage;
    }
    client = std::move(seeded).value();
    const std::string credentials = nlohmann::json{{"username", username},
                                                   {"password", password},
                                                   {"totp_secret", totp_secret},
                                                   {"client",
                                                    {{"tenant_id", client.tenant_id},
                                                     {"username", client.username},
                                                     {"password", client.password},
                                                     {"totp_secret", client.totp_secret}}},
                                                   {"officer",
                                                    {{"username", client.officer_username},
                                                     {"password", client.officer_password},
                                                     {"totp_secret", client.officer_totp_secret}}}}
                                        .dump(2) +
                                    "\n";
    if (base::Status s = base::WriteNewFile(layout.demo_credentials(), credentials, 0600);
        !s.ok()) {
      err << "strongroom: " << s.message() << "\n";
      return cli::kExitUsage;
    }
  } else {
    auto text = base::ReadSmallFile(layout.demo_credentials(), 4096);
    const auto j = text.ok() ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
    if (!j.is_object() || !j.contains("username") || !j.contains("password") ||
        !j.contains("totp_secret")) {
      err << "strongroom: " << layout.root().string()
          << " exists but was not created by `strongroom demo`; serve it with `strongroom serve "
             "--data-dir "
          << layout.root().string() << "`\n";
      return cli::kExitUsage;
    }
    username = j["username"];
    password = j["password"];
    totp_secret = j["totp_secret"];
    if (j.contains("client") && j["client"].is_object()) {
      const auto& c = j["client"];
      client.tenant_id = c.value("tenant_id", "");
      client.username = c.value("username", "");
      client.password = c.value("password", "");
      client.totp_secret = c.value("totp_secret", "");
    }
    if (j.contains("officer") && j["officer"].is_object()) {
      const auto& o = j["officer"];
      client.officer_username = o.value("username", "");
      client.officer_password = o.value("password", "");
      client.officer_totp_secret = o.value("totp_secret", "");
    }
  }
  return RunServer(options, err, [&](const std::string& url) {
    if (options.json) {
      out << nlohmann::json{{"event", "serving"},
                            {"url", url},
                            {"username", username},
                            {"password", password},
                            {"totp_secret", totp_secret},
                            {"data_dir", options.data_dir.string()},
                            {"client",
                             {{"tenant_id", client.tenant_id},
                              {"username", client.username},
                              {"password", client.password},
                              {"totp_secret", client.totp_secret}}},
                            {"officer",
                             {{"username", client.officer_username},
                              {"password", client.officer_password},
                              {"totp_secret", client.officer_totp_secret}}}}
                 .dump()
          << std::endl;
      return;
    }
    const std::string code =
        crypto::Totp(*base::Base32Decode(totp_secret), std::chrono::system_clock::now());
    out << "\nStrongroom demo is running.\n"
        << "  URL       " << url << "  (open it in a browser; the API is under /api/v1)\n"
        << "  username  " << username << "\n"
        << "  password  " << password << "\n"
        << "  TOTP      secret " << totp_secret << "; a code now: " << code
        << " (new codes: oathtool --totp -b " << totp_secret << ")\n"
        << "  client    " << client.username << " / " << client.password
        << " (client admin of Northwind Telecom, tenant " << client.tenant_id << "; TOTP secret "
        << client.totp_secret << ")\n"
        << "            its records: GET /api/v1/tenants/" << client.tenant_id
        << "/collections/customers/records\n";
    if (!client.officer_username.empty()) {
      out << "  officer   " << client.officer_username << " / " << client.officer_password
          << " (security officer; TOTP secret " << client.officer_totp_secret << ")\n";
    }
    out << "  data      " << layout.root().string()
        << "  (demo only: the credentials are kept in demo-credentials.json)\n"
        << "The certificate is self-signed, so browsers and curl warn (curl -k).\n"
        << "Stop it with Ctrl-C.\n"
        << std::endl;
  });
}

}  // namespace strongroom::server
