#include "strongroom/cli/cli.hpp"

#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <ostream>

#include "strongroom/audit/syslog_forwarder.hpp"
#include "strongroom/base/logger.hpp"
#include "strongroom/cli/admin_commands.hpp"
#include "strongroom/cli/backup_commands.hpp"
#include "strongroom/cli/init.hpp"
#include "strongroom/cli/isms_commands.hpp"
#include "strongroom/cli/output.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::cli {
namespace {

// Commands run as the operator's login, audited as "cli:<name>".
audit::Actor CliActor() {
  const passwd* pw = ::getpwuid(::geteuid());
  return audit::Actor{"cli:" + std::string(pw != nullptr ? pw->pw_name : "unknown"), "operator",
                      "local", "cli-" + base::HexEncode(crypto::RandomArray<6>())};
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
  int session_idle_minutes = 30, session_max_hours = 12;
  int audit_verify_minutes = 24 * 60;
  std::string detection_config;
  for (CLI::App* cmd : {serve_cmd, demo_cmd}) {
    cmd->add_option("--detection-config", detection_config,
                    "Detection rules and alert webhook (JSON; default: DATA_DIR/detection.json "
                    "if it exists)");
    cmd->add_option("--syslog", serve.syslog_targets,
                    "Forward every audit event and checkpoint as RFC 5424 syslog to "
                    "udp://HOST:PORT or tcp://HOST:PORT (repeatable)");
    cmd->add_option("--audit-verify-minutes", audit_verify_minutes,
                    "Verify the whole audit log at start and then this often (1..10080)")
        ->capture_default_str();
    cmd->add_option("--session-idle-minutes", session_idle_minutes,
                    "Sign a session out after this many minutes without a request (1..1440)")
        ->capture_default_str();
    cmd->add_option("--session-max-hours", session_max_hours,
                    "Sign a session out this many hours after sign-in, however active (1..720)")
        ->capture_default_str();
  }

  CLI::App* user_cmd = app.add_subcommand("user", "Manage user accounts");
  user_cmd->require_subcommand(1, 1);
  UserAddOptions user_add;
  std::string user_password_file, username, tenant_filter;
  CLI::App* user_add_cmd =
      user_cmd->add_subcommand("add", "Create a user (prints its 2FA enrolment)");
  user_add_cmd->add_option("--username", user_add.username, "Username")->required();
  user_add_cmd
      ->add_option("--role", user_add.role,
                   "admin, security_officer, service, auditor, staff, client_admin or "
                   "client_user")
      ->required();
  user_add_cmd->add_option("--tenant", user_add.tenant, "Tenant id or name (client roles)");
  user_add_cmd->add_option("--password-file", user_password_file,
                           "File holding the passphrase (otherwise one is generated)");
  user_add_cmd->add_flag("--enroll-at-first-sign-in", user_add.enroll_at_first_sign_in,
                         "Show the 2FA enrolment to the user at first sign-in instead of now; "
                         "the user then replaces the passphrase");
  CLI::App* user_list_cmd = user_cmd->add_subcommand("list", "List users");
  user_list_cmd->add_option("--tenant", tenant_filter, "Only this tenant's users (id or name)");
  CLI::App* user_deactivate_cmd = user_cmd->add_subcommand(
      "deactivate", "Deactivate a user: every session, token and grant ends at once");
  user_deactivate_cmd->add_option("username", username, "Username")->required();
  CLI::App* user_reactivate_cmd = user_cmd->add_subcommand(
      "reactivate", "Re-enable a user with a new passphrase and a new 2FA enrolment");
  user_reactivate_cmd->add_option("username", username, "Username")->required();
  user_reactivate_cmd->add_option("--password-file", user_password_file,
                                  "File holding the new passphrase (otherwise one is generated)");
  CLI::App* user_reset_cmd = user_cmd->add_subcommand(
      "reset-2fa", "Enrol a new TOTP secret and recovery codes; the user's sessions end");
  user_reset_cmd->add_option("username", username, "Username")->required();

  CLI::App* tenant_cmd = app.add_subcommand("tenant", "Manage tenants (the provider's clients)");
  tenant_cmd->require_subcommand(1, 1);
  std::string tenant_name, tenant_ref;
  CLI::App* tenant_add_cmd = tenant_cmd->add_subcommand("add", "Create a tenant");
  tenant_add_cmd->add_option("name", tenant_name, "Tenant name")->required();
  CLI::App* tenant_list_cmd = tenant_cmd->add_subcommand("list", "List tenants");
  CLI::App* tenant_suspend_cmd = tenant_cmd->add_subcommand(
      "suspend", "Suspend a tenant: its users cannot sign in and nobody reaches its data");
  tenant_suspend_cmd->add_option("tenant", tenant_ref, "Tenant id or name")->required();
  CLI::App* tenant_resume_cmd = tenant_cmd->add_subcommand("resume", "Resume a suspended tenant");
  tenant_resume_cmd->add_option("tenant", tenant_ref, "Tenant id or name")->required();

  CLI::App* audit_cmd = app.add_subcommand("audit", "The tamper-evident audit log");
  audit_cmd->require_subcommand(1, 1);
  CLI::App* audit_verify_cmd = audit_cmd->add_subcommand(
      "verify",
      "Recompute the audit log's Merkle tree and check every signed checkpoint (exit 1 if not "
      "intact)");
  AuditExportOptions audit_export;
  CLI::App* audit_export_cmd = audit_cmd->add_subcommand(
      "export", "Write audit events as JSON Lines for a SIEM (with --follow, keep writing)");
  audit_export_cmd->add_option("--since", audit_export.since,
                               "The first position (0, 1, ...) or an RFC 3339 time");
  audit_export_cmd->add_option("--tenant", audit_export.tenant, "Only this tenant's events (id)");
  audit_export_cmd->add_flag("--follow", audit_export.follow,
                             "After the last event, wait for new ones until SIGINT or SIGTERM");

  int retention_days = 0;
  CLI::App* audit_retention_cmd = audit_cmd->add_subcommand(
      "retention", "Show how long audit events are kept whole, or change it with --set-days");
  audit_retention_cmd->add_option("--set-days", retention_days,
                                  "Keep events whole this many days (365..36500; default 2557, "
                                  "7 years)");
  CLI::App* audit_prune_cmd = audit_cmd->add_subcommand(
      "prune", "Empty audit events older than the retention (their leaf hashes stay)");

  CLI::App* backup_cmd = app.add_subcommand(
      "backup", "Encrypted backups: create, list, verify, restore, prune, legal holds");
  backup_cmd->require_subcommand(1, 1);
  BackupCommandOptions backup_options;
  std::string root_key_file;
  CLI::App* backup_create_cmd = backup_cmd->add_subcommand(
      "create", "Back up the data directory while it is in use, to every destination");
  backup_create_cmd->add_option("--to", backup_options.to,
                                "A destination directory (repeatable; default: the "
                                "destinations in DATA_DIR/backup.json)");
  CLI::App* backup_list_cmd =
      backup_cmd->add_subcommand("list", "List backups with their last verification");
  backup_list_cmd->add_option("--from", backup_options.from,
                              "A destination directory (repeatable; default: backup.json's)");
  CLI::App* backup_verify_cmd = backup_cmd->add_subcommand(
      "verify",
      "Restore a backup into scratch, verify it and record the signed outcome (exit 1 if it "
      "does not restore)");
  CLI::App* backup_restore_cmd = backup_cmd->add_subcommand(
      "restore", "Restore a backup into a new data directory that serve can start from");
  for (CLI::App* cmd : {backup_verify_cmd, backup_restore_cmd}) {
    cmd->add_option("--from", backup_options.from,
                    "The backup's directory, or a destination (then --id, or its newest)")
        ->required();
    cmd->add_option("--id", backup_options.id, "Which backup in the destination");
  }
  backup_restore_cmd->add_option("--to", backup_options.restore_to, "The new data directory")
      ->required();
  backup_restore_cmd->add_option("--root-key-file", root_key_file,
                                 "The root key the backup was made with (default: "
                                 "DATA_DIR/root.key)");
  CLI::App* backup_prune_cmd = backup_cmd->add_subcommand(
      "prune", "Remove backups the retention policy in backup.json no longer keeps");
  backup_prune_cmd->add_option("--to", backup_options.to,
                               "A destination directory (repeatable; default: backup.json's)");
  CLI::App* backup_hold_cmd =
      backup_cmd->add_subcommand("hold", "Put a backup under legal hold: never pruned");
  backup_hold_cmd->add_option("id", backup_options.id, "Backup id")->required();
  backup_hold_cmd->add_option("--reason", backup_options.reason, "Why (recorded)")->required();
  CLI::App* backup_release_cmd =
      backup_cmd->add_subcommand("release", "Lift a backup's legal hold");
  backup_release_cmd->add_option("id", backup_options.id, "Backup id")->required();

  CLI::App* framework_cmd =
      app.add_subcommand("framework", "Framework catalogs: list them, import an OSCAL catalog");
  framework_cmd->require_subcommand(1, 1);
  CLI::App* framework_list_cmd =
      framework_cmd->add_subcommand("list", "List the framework catalogs and crosswalks");
  std::string oscal_file, framework_id;
  CLI::App* framework_import_cmd = framework_cmd->add_subcommand(
      "import-oscal", "Import a NIST OSCAL catalog (JSON) as a framework");
  framework_import_cmd->add_option("file", oscal_file, "The OSCAL catalog (JSON)")->required();
  framework_import_cmd
      ->add_option("--id", framework_id,
                   "The framework's id: 1 to 64 characters of a-z, 0-9, '.', '_' and '-'")
      ->required();

  // The security program: controls, evidence, coverage and reports (docs/isms.md).
  ControlOptions control;
  std::string c_title, c_description, c_owner, c_status, c_justification, c_next_review, c_as_of,
      c_framework;
  int c_review_days = 0;
  CLI::App* control_cmd = app.add_subcommand("control", "The provider's security controls");
  control_cmd->require_subcommand(1, 1);
  CLI::App* control_list_cmd = control_cmd->add_subcommand("list", "List controls");
  control_list_cmd->add_option("--framework", c_framework,
                               "Only controls mapped to this framework");
  control_list_cmd->add_option("--status", c_status, "planned, implemented or not_applicable");
  control_list_cmd->add_option("--owner", c_owner, "Username or user id");
  CLI::App* control_show_cmd = control_cmd->add_subcommand("show", "Show one control");
  control_show_cmd->add_option("id", control.id, "Control id")->required();
  control_show_cmd->add_option("--as-of", c_as_of, "As it stood then: a date or RFC 3339 time");
  CLI::App* control_add_cmd = control_cmd->add_subcommand("add", "Create a control");
  CLI::App* control_update_cmd =
      control_cmd->add_subcommand("update", "Change a control (a new version)");
  control_update_cmd->add_option("id", control.id, "Control id")->required();
  control_add_cmd->add_option("--id", control.id, "Control id (default CTL-0001, ...)");
  for (CLI::App* cmd : {control_add_cmd, control_update_cmd}) {
    cmd->add_option("--title", c_title, "Title");
    cmd->add_option("--description", c_description, "What the control does");
    cmd->add_option("--owner", c_owner, "Owner: an active provider user (username or id)");
    cmd->add_option("--status", c_status, "planned, implemented or not_applicable");
    cmd->add_option("--justification", c_justification, "Why it is not applicable");
    cmd->add_option("--review-days", c_review_days, "Review every N days (1-1095)");
    cmd->add_option("--next-review", c_next_review, "Next review date (YYYY-MM-DD)");
    cmd->add_option("--map", control.maps,
                    "FRAMEWORK:REQUIREMENT it addresses (repeatable; replaces all on update)");
  }
  control_update_cmd->add_flag("--reviewed", control.reviewed,
                               "Record a review now: the next review moves by the frequency");

  EvidenceOptions evidence;
  std::string e_collected, e_supersedes;
  CLI::App* evidence_cmd = app.add_subcommand("evidence", "Evidence for controls");
  evidence_cmd->require_subcommand(1, 1);
  CLI::App* evidence_add_cmd =
      evidence_cmd->add_subcommand("add", "Record a link or an attestation for a control");
  evidence_add_cmd->add_option("control", evidence.control, "Control id")->required();
  evidence_add_cmd->add_option("--kind", evidence.kind, "link or attestation")->required();
  evidence_add_cmd->add_option("--title", evidence.title, "Title")->required();
  evidence_add_cmd->add_option("--from", evidence.period_from, "Period covered, from (date)")
      ->required();
  evidence_add_cmd->add_option("--to", evidence.period_to, "Period covered, to (date)")->required();
  evidence_add_cmd->add_option("--expires", evidence.expires_at, "Expiry (RFC 3339 time)")
      ->required();
  evidence_add_cmd->add_option("--collected-at", e_collected, "When collected (default now)");
  evidence_add_cmd->add_option("--supersedes", e_supersedes, "The evidence this replaces");
  evidence_add_cmd->add_option("--url", evidence.url, "Links: the address");
  evidence_add_cmd->add_option("--attested-by", evidence.attested_by, "Attestations: who attests");
  evidence_add_cmd->add_option("--statement", evidence.statement, "Attestations: the statement");
  CLI::App* evidence_verify_cmd = evidence_cmd->add_subcommand(
      "verify", "Check every piece of evidence against its hash in the audit log (exit 1 if not)");
  std::string evidence_control;
  CLI::App* evidence_list_cmd =
      evidence_cmd->add_subcommand("list", "A control's evidence, every version");
  evidence_list_cmd->add_option("control", evidence_control, "Control id")->required();

  ReportOptions report_options;
  std::string r_as_of, r_out;
  CLI::App* report_cmd =
      app.add_subcommand("report",
                         "Coverage and the exports: coverage, soa, control-matrix, profile, "
                         "assessment-results");
  report_cmd->add_option("report", report_options.report, "Which report")->required();
  report_cmd->add_option("framework", report_options.framework, "Framework id")->required();
  report_cmd->add_option("--as-of", r_as_of, "A date (its end, UTC) or RFC 3339 time");
  report_cmd->add_option("--format", report_options.format, "csv or xlsx (tables)");
  report_cmd->add_option("--out", r_out, "Write to this new file (default: standard output)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  serve.data_dir = data_dir;
  serve.json = json;
  serve.sessions.idle_timeout = std::chrono::minutes(session_idle_minutes);
  serve.sessions.absolute_timeout = std::chrono::hours(session_max_hours);

  if (!detection_config.empty()) serve.detection_config = detection_config;
  serve.audit_verify_interval = std::chrono::minutes(audit_verify_minutes);
  if (*serve_cmd || *demo_cmd) {
    if (const base::Status valid = identity::ValidateSessionPolicy(serve.sessions); !valid.ok()) {
      err << "strongroom: " << valid.message() << "\n";
      return kExitUsage;
    }
    for (const std::string& target : serve.syslog_targets) {
      if (auto parsed = audit::ParseSyslogTarget(target); !parsed.ok()) {
        err << "strongroom: --syslog: " << parsed.error().message() << "\n";
        return kExitUsage;
      }
    }
    if (audit_verify_minutes < 1 || audit_verify_minutes > 10080) {
      err << "strongroom: --audit-verify-minutes must be from 1 to 10080 (a week)\n";
      return kExitUsage;
    }
  }
  if (*serve_cmd) return server.serve(serve);
  if (*demo_cmd) return server.demo(serve);

  // Administration commands, recorded in the data directory's audit log as the operator.
  base::SystemClock clock;
  const CommandContext ctx{data_dir, json, out, err, clock, CliActor()};
  const std::optional<std::filesystem::path> password_path =
      user_password_file.empty() ? std::nullopt
                                 : std::optional<std::filesystem::path>(user_password_file);
  if (*init_cmd) {
    init.data_dir = data_dir;
    if (!password_file.empty()) init.password_file = password_file;
    if (!tls_cert.empty()) init.tls_cert = tls_cert;
    if (!tls_key.empty()) init.tls_key = tls_key;
    auto report = InitDataDir(init, clock, ctx.actor);
    if (!report.ok()) {
      err << "strongroom: " << report.error().message() << "\n";
      return kExitUsage;
    }
    PrintInitReport(*report, json, out);
    return kExitOk;
  }
  if (*audit_verify_cmd) return AuditVerify(ctx);
  if (*audit_export_cmd) return AuditExport(ctx, audit_export);
  if (*audit_retention_cmd) {
    return AuditRetention(ctx, audit_retention_cmd->count("--set-days") > 0
                                   ? std::optional<int>(retention_days)
                                   : std::nullopt);
  }
  if (*audit_prune_cmd) return AuditPrune(ctx);
  if (!root_key_file.empty()) backup_options.root_key_file = root_key_file;
  if (*backup_create_cmd) return BackupCreate(ctx, backup_options);
  if (*backup_list_cmd) return BackupList(ctx, backup_options);
  if (*backup_verify_cmd) return BackupVerify(ctx, backup_options);
  if (*backup_restore_cmd) return BackupRestore(ctx, backup_options);
  if (*backup_prune_cmd) return BackupPrune(ctx, backup_options);
  if (*backup_hold_cmd) return BackupHold(ctx, backup_options);
  if (*backup_release_cmd) return BackupRelease(ctx, backup_options);
  // The value of an option the command has and was given.
  const auto given = [](const CLI::App* cmd, const char* name) {
    const CLI::Option* o = cmd->get_option_no_throw(name);
    return o != nullptr && o->count() > 0;
  };
  const auto opt = [&given](const CLI::App* cmd, const char* name, const std::string& value) {
    return given(cmd, name) ? std::optional<std::string>(value) : std::nullopt;
  };
  for (CLI::App* cmd : {control_list_cmd, control_show_cmd, control_add_cmd, control_update_cmd}) {
    if (!*cmd) continue;
    control.title = opt(cmd, "--title", c_title);
    control.description = opt(cmd, "--description", c_description);
    control.owner = opt(cmd, "--owner", c_owner);
    control.status = opt(cmd, "--status", c_status);
    control.justification = opt(cmd, "--justification", c_justification);
    control.next_review = opt(cmd, "--next-review", c_next_review);
    control.as_of = opt(cmd, "--as-of", c_as_of);
    control.framework = opt(cmd, "--framework", c_framework);
    if (given(cmd, "--review-days")) control.review_days = c_review_days;
  }
  if (*control_list_cmd) return ControlList(ctx, control);
  if (*control_show_cmd) return ControlShow(ctx, control);
  if (*control_add_cmd) return ControlAdd(ctx, control);
  if (*control_update_cmd) return ControlUpdate(ctx, control);
  evidence.collected_at = opt(evidence_add_cmd, "--collected-at", e_collected);
  evidence.supersedes = opt(evidence_add_cmd, "--supersedes", e_supersedes);
  if (*evidence_add_cmd) return EvidenceAdd(ctx, evidence);
  if (*evidence_list_cmd) return EvidenceList(ctx, evidence_control);
  if (*evidence_verify_cmd) return EvidenceVerify(ctx);
  report_options.as_of = opt(report_cmd, "--as-of", r_as_of);
  report_options.out = r_out;
  if (*report_cmd) return Report(ctx, report_options);
  if (*framework_list_cmd) return FrameworkList(ctx);
  if (*framework_import_cmd) return FrameworkImportOscal(ctx, oscal_file, framework_id);
  if (*user_add_cmd) {
    user_add.password_file = password_path;
    return UserAdd(ctx, user_add);
  }
  if (*user_list_cmd) return UserList(ctx, tenant_filter);
  if (*user_deactivate_cmd) return UserDeactivate(ctx, username);
  if (*user_reactivate_cmd) return UserReactivate(ctx, username, password_path);
  if (*user_reset_cmd) return UserResetTwoFactor(ctx, username);
  if (*tenant_add_cmd) return TenantAdd(ctx, tenant_name);
  if (*tenant_list_cmd) return TenantList(ctx);
  if (*tenant_suspend_cmd) return TenantSuspend(ctx, tenant_ref);
  if (*tenant_resume_cmd) return TenantResume(ctx, tenant_ref);
  return kExitUsage;
}

}  // namespace strongroom::cli
