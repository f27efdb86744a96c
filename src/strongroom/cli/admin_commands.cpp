#include "strongroom/cli/admin_commands.hpp"

#include <charconv>
#include <csignal>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "strongroom/audit/export.hpp"
#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/periodic_verifier.hpp"
#include "strongroom/audit/retention.hpp"
#include "strongroom/audit/verify.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/cli/cli.hpp"
#include "strongroom/cli/init.hpp"
#include "strongroom/cli/opened_data_dir.hpp"
#include "strongroom/cli/output.hpp"
#include "strongroom/identity/json.hpp"
#include "strongroom/identity/passphrase_policy.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/isms/oscal.hpp"

namespace strongroom::cli {
namespace {

using identity::CreatedUser;
using identity::Enrollment;
using identity::Tenant;
using identity::TenantId;
using identity::User;

int Fail(const CommandContext& ctx, const base::Status& status) {
  ctx.err << "strongroom: " << status.message() << "\n";
  return kExitUsage;
}

// Runs `body` over the opened data directory and turns its Status into an exit code.
template <typename Body>
int WithDataDir(const CommandContext& ctx, Body&& body) {
  auto dir = OpenedDataDir::Open(ctx.data_dir, ctx.clock);
  if (!dir.ok()) return Fail(ctx, dir.error());
  const base::Status s = body(**dir);
  const base::Status closed = (*dir)->Close();
  if (!s.ok()) return Fail(ctx, s);
  if (!closed.ok()) return Fail(ctx, closed);
  return kExitOk;
}

base::Result<Tenant> ResolveTenant(OpenedDataDir& dir, const std::string& id_or_name) {
  if (id_or_name.starts_with("ten_")) return dir.tenants().Get(TenantId(id_or_name));
  return dir.tenants().FindByName(id_or_name);
}

base::Result<base::SecretString> PassphraseFrom(const std::optional<std::filesystem::path>& file,
                                                const std::string& username,
                                                std::optional<base::SecretString>& generated) {
  if (!file) {
    base::SecretString passphrase;
    do {
      passphrase = GeneratePassphrase();
    } while (!identity::CheckPassphrase(passphrase, username).ok());
    generated = passphrase.Clone();
    return passphrase;
  }
  SR_ASSIGN_OR_RETURN(std::string text, base::ReadSmallFile(*file, 4096));
  base::SecretString secret(std::move(text));
  if (!secret.empty() && secret.Reveal().back() == '\n') secret.mutable_value().pop_back();
  if (!secret.empty() && secret.Reveal().back() == '\r') secret.mutable_value().pop_back();
  return secret;
}

void PrintCreated(const CommandContext& ctx, const User& user,
                  const std::optional<base::SecretString>& password,
                  const std::optional<Enrollment>& enrollment, std::string_view verb) {
  if (ctx.json) {
    nlohmann::json j = {{"user", identity::ToJson(user)}};
    if (password) j["password"] = password->Reveal();
    if (enrollment) j.update(identity::EnrollmentToJsonRevealingSecrets(*enrollment));
    ctx.out << j.dump(2) << "\n";
    return;
  }
  ctx.out << verb << " " << user.username << " (" << identity::RoleName(user.role) << ", id "
          << user.id.value() << ")\n";
  if (password) {
    ctx.out << "  password     " << password->Reveal() << "  (shown only now)\n";
  }
  if (enrollment) {
    PrintEnrollmentText(*enrollment, ctx.out);
  } else if (user.enrollment_pending) {
    ctx.out << "  Second factor: enrolled at first sign-in, when the user also replaces this "
               "passphrase.\n";
  } else {
    ctx.out << "  No second factor: the user's tenant does not require one.\n";
  }
}

}  // namespace

int UserAdd(const CommandContext& ctx, const UserAddOptions& options) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const identity::Role role, identity::ParseRole(options.role));
    std::optional<TenantId> tenant;
    if (!options.tenant.empty()) {
      SR_ASSIGN_OR_RETURN(const Tenant t, ResolveTenant(dir, options.tenant));
      tenant = t.id;
    }
    std::optional<base::SecretString> generated;
    SR_ASSIGN_OR_RETURN(base::SecretString passphrase,
                        PassphraseFrom(options.password_file, options.username, generated));
    SR_ASSIGN_OR_RETURN(
        const CreatedUser created,
        dir.accounts().Create(
            ctx.actor, identity::NewUser{options.username, role, tenant, std::move(passphrase),
                                         options.enroll_at_first_sign_in}));
    PrintCreated(ctx, created.user, generated, created.enrollment, "Created");
    return base::OkStatus();
  });
}

int UserList(const CommandContext& ctx, const std::string& tenant) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    std::optional<TenantId> filter;
    if (!tenant.empty()) {
      SR_ASSIGN_OR_RETURN(const Tenant t, ResolveTenant(dir, tenant));
      filter = t.id;
    }
    SR_ASSIGN_OR_RETURN(const auto page, dir.accounts().List(filter));
    PrintUsers(page.users, ctx.json, ctx.out);
    return base::OkStatus();
  });
}

int UserDeactivate(const CommandContext& ctx, const std::string& username) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const User user, dir.accounts().FindByUsername(username));
    SR_ASSIGN_OR_RETURN(const User after, dir.accounts().Deactivate(ctx.actor, user.id));
    if (ctx.json) {
      ctx.out << nlohmann::json{{"user", identity::ToJson(after)}}.dump(2) << "\n";
    } else {
      ctx.out << "Deactivated " << after.username << " at "
              << base::FormatRfc3339(*after.deactivated_at)
              << "; every session, API token and grant of the user is revoked.\n";
    }
    return base::OkStatus();
  });
}

int UserReactivate(const CommandContext& ctx, const std::string& username,
                   const std::optional<std::filesystem::path>& password_file) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const User user, dir.accounts().FindByUsername(username));
    std::optional<base::SecretString> generated;
    SR_ASSIGN_OR_RETURN(base::SecretString passphrase,
                        PassphraseFrom(password_file, username, generated));
    SR_ASSIGN_OR_RETURN(const CreatedUser back,
                        dir.accounts().Reactivate(ctx.actor, user.id, passphrase));
    PrintCreated(ctx, back.user, generated, back.enrollment, "Reactivated");
    return base::OkStatus();
  });
}

int UserResetTwoFactor(const CommandContext& ctx, const std::string& username) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const User user, dir.accounts().FindByUsername(username));
    SR_ASSIGN_OR_RETURN(Enrollment enrollment, dir.accounts().ResetTwoFactor(ctx.actor, user.id));
    PrintCreated(ctx, user, std::nullopt, std::optional<Enrollment>(std::move(enrollment)),
                 "New second factor for");
    return base::OkStatus();
  });
}

int TenantAdd(const CommandContext& ctx, const std::string& name) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const Tenant t, dir.tenants().Create(ctx.actor, name));
    if (ctx.json) {
      ctx.out << nlohmann::json{{"tenant", identity::ToJson(t)}}.dump(2) << "\n";
    } else {
      ctx.out << "Created tenant " << t.name << " (id " << t.id.value() << ")\n";
    }
    return base::OkStatus();
  });
}

int TenantList(const CommandContext& ctx) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const auto tenants, dir.tenants().List());
    PrintTenants(tenants, ctx.json, ctx.out);
    return base::OkStatus();
  });
}

namespace {

int ChangeTenantState(const CommandContext& ctx, const std::string& tenant, bool suspend) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const Tenant t, ResolveTenant(dir, tenant));
    SR_ASSIGN_OR_RETURN(const Tenant after, suspend ? dir.tenants().Suspend(ctx.actor, t.id)
                                                    : dir.tenants().Resume(ctx.actor, t.id));
    if (ctx.json) {
      ctx.out << nlohmann::json{{"tenant", identity::ToJson(after)}}.dump(2) << "\n";
    } else {
      ctx.out << (suspend ? "Suspended" : "Resumed") << " tenant " << after.name << "\n";
    }
    return base::OkStatus();
  });
}

}  // namespace

int FrameworkList(const CommandContext& ctx) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    isms::Frameworks frameworks(dir.store(), dir.audit_log(), ctx.clock);
    SR_ASSIGN_OR_RETURN(const auto listed, frameworks.List());
    SR_ASSIGN_OR_RETURN(const auto crosswalks, frameworks.Crosswalks());
    if (ctx.json) {
      nlohmann::json out = {{"frameworks", nlohmann::json::array()},
                            {"crosswalks", nlohmann::json::array()}};
      for (const auto& f : listed) out["frameworks"].push_back(isms::FrameworkJson(f));
      for (const auto& x : crosswalks) out["crosswalks"].push_back(isms::CrosswalkJson(x));
      ctx.out << out.dump(2) << "\n";
      return base::OkStatus();
    }
    for (const auto& f : listed) {
      ctx.out << f.info.id << "  " << f.info.name << " " << f.info.version << "  (" << f.origin
              << ", revision " << f.revision << ", " << f.items << " items)\n";
    }
    for (const auto& x : crosswalks) {
      ctx.out << "crosswalk " << x.from << " -> " << x.to << "  (" << x.pairs << " pairs)\n";
    }
    return base::OkStatus();
  });
}

int FrameworkImportOscal(const CommandContext& ctx, const std::filesystem::path& file,
                         const std::string& id) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(const std::string text, base::ReadSmallFile(file, 64u << 20));
    auto catalog = isms::ParseOscalCatalog(text, id);
    if (!catalog.ok()) {
      return base::Status(catalog.status().code(),
                          file.string() + ": " + catalog.status().message());
    }
    isms::Frameworks frameworks(dir.store(), dir.audit_log(), ctx.clock);
    SR_ASSIGN_OR_RETURN(const isms::StoredFramework stored,
                        frameworks.Import(ctx.actor, std::move(*catalog), text));
    if (ctx.json) {
      ctx.out << nlohmann::json{{"framework", isms::FrameworkJson(stored)}}.dump(2) << "\n";
    } else {
      ctx.out << "Imported " << stored.info.name << " as " << stored.info.id << " (revision "
              << stored.revision << ", " << stored.items << " items).\n";
    }
    return base::OkStatus();
  });
}

int AuditVerify(const CommandContext& ctx) {
  auto dir = OpenedDataDir::OpenForAuditVerification(ctx.data_dir, ctx.clock);
  if (!dir.ok()) return Fail(ctx, dir.error());
  auto keys = audit::CheckpointPublicKeys((*dir)->ring());
  if (!keys.ok()) return Fail(ctx, keys.error());
  auto report =
      audit::VerifyAuditLog((*dir)->audit_store(), (*dir)->layout().audit_checkpoints(), *keys);
  if (report.ok()) {
    // The outcome goes into the log itself (a failure raises an alert). A log too damaged to
    // open for appending cannot take it; the report below says what is wrong either way.
    base::Status recorded = [&]() -> base::Status {
      SR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair key, audit::CheckpointSigningKey((*dir)->ring()));
      SR_ASSIGN_OR_RETURN(auto log,
                          audit::AuditLog::Open((*dir)->audit_store(), std::move(key),
                                                (*dir)->layout().audit_checkpoints(), ctx.clock));
      SR_RETURN_IF_ERROR(
          log->Record(audit::VerificationEvent(ctx.actor, ctx.clock.Now(), *report)));
      return log->Close();
    }();
    if (!recorded.ok()) {
      ctx.err << "strongroom: the verification's outcome could not be recorded in the audit "
                 "log: "
              << recorded.message() << "\n";
    }
  }
  if (base::Status closed = (*dir)->Close(); !closed.ok() && report.ok()) {
    return Fail(ctx, closed);
  }
  if (!report.ok()) return Fail(ctx, report.error());
  const audit::VerifyReport& r = *report;
  if (ctx.json) {
    ctx.out << nlohmann::json{{"ok", r.ok()},
                              {"events", r.events},
                              {"checkpoints", r.checkpoints},
                              {"covered", r.covered},
                              {"covered_at", r.covered_at ? nlohmann::json(*r.covered_at)
                                                          : nlohmann::json(nullptr)},
                              {"first_bad_seq", r.first_bad_seq ? nlohmann::json(*r.first_bad_seq)
                                                                : nlohmann::json(nullptr)},
                              {"problems", r.problems}}
                   .dump(2)
            << "\n";
  } else if (r.ok()) {
    ctx.out << "Audit log verified: " << r.events << " events, " << r.checkpoints
            << " signed checkpoints.\n";
    if (r.covered_at) {
      ctx.out << "The newest checkpoint covers " << r.covered << " events (" << *r.covered_at
              << ")";
      if (r.events > r.covered) {
        ctx.out << "; " << (r.events - r.covered) << " later events await the next checkpoint";
      }
      ctx.out << ".\n";
    }
  } else {
    ctx.out << "Audit log FAILED verification.\n";
    if (r.first_bad_seq) ctx.out << "First bad sequence number: " << *r.first_bad_seq << "\n";
    for (const auto& problem : r.problems) ctx.out << "  - " << problem << "\n";
  }
  return r.ok() ? kExitOk : kExitCheckFailed;
}

namespace {

volatile std::sig_atomic_t export_stop = 0;
extern "C" void StopExport(int) { export_stop = 1; }

}  // namespace

int AuditExport(const CommandContext& ctx, const AuditExportOptions& options) {
  audit::EventQuery query;
  query.limit = 1000;
  if (!options.since.empty()) {
    std::uint64_t seq = 0;
    const std::string& s = options.since;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seq);
    if (ec == std::errc() && end == s.data() + s.size()) {
      query.from_seq = seq;
    } else if (base::ParseRfc3339(s).ok()) {
      query.since = s;
    } else {
      return Fail(ctx, base::InvalidArgumentError(
                           "--since must be a position in the log (0, 1, ...) or an RFC 3339 "
                           "time such as 2026-11-23T18:00:00Z"));
    }
  }
  if (!options.tenant.empty()) query.tenant_id = options.tenant;
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    audit::Event e = audit::MakeEvent(ctx.actor, ctx.clock.Now(), "audit.export", "audit",
                                      audit::Outcome::kAllowed, "", options.tenant);
    if (!options.since.empty()) e.details["since"] = options.since;
    e.details["follow"] = options.follow ? "true" : "false";
    SR_RETURN_IF_ERROR(dir.audit_log().Record(e));
    export_stop = 0;
    // While following, SIGINT and SIGTERM end the export cleanly (the data directory is closed);
    // the default handlers come back however the loop ends.
    struct FollowSignals {
      explicit FollowSignals(bool on) : on_(on) {
        if (!on_) return;
        std::signal(SIGINT, StopExport);
        std::signal(SIGTERM, StopExport);
      }
      ~FollowSignals() {
        if (!on_) return;
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
      }
      bool on_;
    } follow_signals(options.follow);
    while (!export_stop) {
      SR_ASSIGN_OR_RETURN(const audit::EventPage page, dir.audit_log().Events(query));
      for (const auto& event : page.events) {
        ctx.out << audit::EventToJson(event).dump() << '\n';
        query.from_seq = event.seq + 1;
      }
      ctx.out.flush();
      if (!ctx.out) return base::UnavailableError("cannot write the export");
      if (page.next_seq) continue;
      if (!options.follow) break;
      std::this_thread::sleep_for(options.poll);
    }
    return base::OkStatus();
  });
}

int AuditRetention(const CommandContext& ctx, std::optional<int> set_days) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    if (set_days) {
      SR_RETURN_IF_ERROR(audit::SetRetentionDays(dir.audit_log(), dir.audit_store(), ctx.actor,
                                                 *set_days, ctx.clock.Now()));
    }
    SR_ASSIGN_OR_RETURN(const int days, audit::RetentionDays(dir.audit_store()));
    if (ctx.json) {
      ctx.out << nlohmann::json{{"retention_days", days}}.dump(2) << "\n";
    } else {
      ctx.out << "Audit events are kept whole for " << days << " days"
              << (days == audit::kDefaultRetentionDays ? " (7 years, the default)" : "")
              << "; older ones keep only their position, time, action and outcome.\n";
    }
    return base::OkStatus();
  });
}

int AuditPrune(const CommandContext& ctx) {
  return WithDataDir(ctx, [&](OpenedDataDir& dir) -> base::Status {
    SR_ASSIGN_OR_RETURN(
        const audit::PruneResult r,
        audit::PruneExpired(dir.audit_log(), dir.audit_store(), ctx.actor, ctx.clock.Now()));
    if (ctx.json) {
      ctx.out << nlohmann::json{{"pruned", r.pruned},
                                {"cutoff", r.cutoff},
                                {"retention_days", r.retention_days}}
                     .dump(2)
              << "\n";
    } else {
      ctx.out << "Pruned " << r.pruned << " audit events recorded before " << r.cutoff << " ("
              << r.retention_days << " days' retention).\n";
    }
    return base::OkStatus();
  });
}

int TenantSuspend(const CommandContext& ctx, const std::string& tenant) {
  return ChangeTenantState(ctx, tenant, true);
}

int TenantResume(const CommandContext& ctx, const std::string& tenant) {
  return ChangeTenantState(ctx, tenant, false);
}

}  // namespace strongroom::cli
