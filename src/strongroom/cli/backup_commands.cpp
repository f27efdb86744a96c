#include "strongroom/cli/backup_commands.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>

#include "strongroom/audit/keys.hpp"
#include "strongroom/backup/json.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/cli/cli.hpp"

namespace strongroom::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int Fail(const CommandContext& ctx, const base::Status& status) {
  ctx.err << "strongroom: " << status.message() << "\n";
  return kExitUsage;
}

std::string Mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

// The backup service with the configuration, over an opened data directory.
struct Session {
  std::unique_ptr<OpenedDataDir> dir;
  std::unique_ptr<backup::Backups> backups;
  backup::BackupConfig config;
};

base::Result<Session> Open(const CommandContext& ctx) {
  Session s;
  SR_ASSIGN_OR_RETURN(s.dir, OpenedDataDir::Open(ctx.data_dir, ctx.clock));
  SR_ASSIGN_OR_RETURN(s.config, backup::LoadBackupConfig(s.dir->layout().backup_config()));
  SR_ASSIGN_OR_RETURN(s.backups, OpenBackups(*s.dir, ctx.clock));
  return s;
}

base::Result<std::vector<fs::path>> Destinations(const CommandContext& ctx,
                                                 const std::vector<fs::path>& given,
                                                 const backup::BackupConfig& config,
                                                 const char* flag) {
  const std::vector<fs::path>& d = given.empty() ? config.destinations : given;
  if (d.empty()) {
    return base::InvalidArgumentError(std::string("name a destination directory with ") + flag +
                                      " DIR, or list destinations in " +
                                      (ctx.data_dir / "backup.json").string());
  }
  for (const fs::path& p : d) {
    SR_RETURN_IF_ERROR(backup::CheckDestinationOutside(p, ctx.data_dir));
  }
  return d;
}

// --from names a backup directory (it has a manifest) or a destination (then --id, or its newest
// backup).
base::Result<fs::path> ResolveBackupDir(const BackupCommandOptions& o,
                                        const crypto::RootKey& root) {
  if (o.from.empty()) return base::InvalidArgumentError("name the backup with --from DIR");
  const fs::path from = o.from.front();
  std::error_code ec;
  if (fs::exists(from / "manifest.json", ec)) return from;
  if (!o.id.empty()) return from / o.id;
  if (!fs::is_directory(from, ec)) {
    return base::NotFoundError(from.string() + " is neither a backup nor a backup destination");
  }
  std::optional<backup::BackupInfo> newest;
  for (const auto& e : fs::directory_iterator(from, ec)) {
    if (!e.is_directory() || e.path().filename().string().starts_with(".")) continue;
    auto info = backup::ReadBackup(e.path(), root);
    if (!info.ok()) continue;
    if (!newest || info->created_at > newest->created_at) newest = std::move(*info);
  }
  if (!newest) {
    return base::NotFoundError("no backup that opens with this root key in " + from.string());
  }
  return newest->directory;
}

void PrintVerification(const CommandContext& ctx, const backup::Verification& v) {
  if (ctx.json) {
    ctx.out << json{{"backup_id", v.backup_id}, {"ok", v.ok},
                    {"problems", v.problems},   {"statement", json::parse(v.statement)},
                    {"signature", v.signature}, {"key_id", v.key_id}}
                   .dump(2)
            << "\n";
    return;
  }
  const json s = json::parse(v.statement);
  if (v.ok) {
    ctx.out << "Backup " << v.backup_id << " verified: restored, audit log intact ("
            << s["restored_audit_log"].value("events", 0) << " events).\n";
    for (const auto& t : s["tenants"]) {
      ctx.out << "  " << t["name"].get<std::string>() << ": ";
      if (t["shredded"].get<bool>()) {
        ctx.out << "shredded\n";
      } else {
        ctx.out << t["records"] << " records (" << t["records_opened"] << " decrypted), "
                << t["files"] << " files (" << t["files_opened"] << " opened)\n";
      }
    }
  } else {
    ctx.out << "Backup " << v.backup_id << " FAILED verification:\n";
    for (const auto& p : v.problems) ctx.out << "  - " << p << "\n";
  }
  ctx.out << "Signed statement recorded in the audit log (key " << v.key_id << ").\n";
}

}  // namespace

base::Result<std::unique_ptr<backup::Backups>> OpenBackups(OpenedDataDir& dir,
                                                           const base::Clock& clock) {
  crypto::FileKeyProvider provider(dir.layout().root_key());
  SR_ASSIGN_OR_RETURN(crypto::RootKey root, provider.LoadRootKey());
  SR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair signing, audit::CheckpointSigningKey(dir.ring()));
  backup::Sources sources;
  sources.store = &dir.store();
  sources.audit_store = &dir.audit_store();
  sources.checkpoint_file = dir.layout().audit_checkpoints();
  sources.files_dir = dir.layout().files_dir();
  sources.tls_dir = dir.layout().tls_dir();
  sources.scratch_dir = dir.layout().backup_scratch();
  return std::make_unique<backup::Backups>(std::move(sources), std::move(root), dir.audit_log(),
                                           clock, std::move(signing));
}

int BackupCreate(const CommandContext& ctx, const BackupCommandOptions& o) {
  auto s = Open(ctx);
  if (!s.ok()) return Fail(ctx, s.status());
  auto dests = Destinations(ctx, o.to, s->config, "--to");
  if (!dests.ok()) return Fail(ctx, dests.status());
  auto made = s->backups->Create(ctx.actor, *dests);
  const base::Status closed = s->dir->Close();
  if (!made.ok()) return Fail(ctx, made.status());
  if (!closed.ok()) return Fail(ctx, closed);
  if (ctx.json) {
    json out = backup::BackupInfoJson(*made);
    out["duration_ms"] = made->duration_ms;
    ctx.out << out.dump(2) << "\n";
  } else {
    ctx.out << "Backup " << made->id << " written to " << made->destinations.size()
            << " destination(s) in " << made->duration_ms << " ms: " << Mib(made->archive_bytes)
            << " of data, " << Mib(made->payload_bytes) << " compressed and encrypted.\n";
    for (const auto& d : made->destinations) ctx.out << "  " << d << "/" << made->id << "\n";
    ctx.out << "Verify it with: strongroom backup verify --from " << made->destinations.front()
            << "/" << made->id << "\n";
  }
  return kExitOk;
}

int BackupList(const CommandContext& ctx, const BackupCommandOptions& o) {
  auto s = Open(ctx);
  if (!s.ok()) return Fail(ctx, s.status());
  auto dests = Destinations(ctx, o.from, s->config, "--from");
  if (!dests.ok()) return Fail(ctx, dests.status());
  auto listed = s->backups->List(*dests);
  const base::Status closed = s->dir->Close();
  if (!listed.ok()) return Fail(ctx, listed.status());
  if (!closed.ok()) return Fail(ctx, closed);
  if (ctx.json) {
    json out = json::array();
    for (const auto& b : *listed) out.push_back(backup::BackupInfoJson(b));
    ctx.out << json{{"backups", out}}.dump(2) << "\n";
    return kExitOk;
  }
  if (listed->empty()) ctx.out << "No backups.\n";
  for (const auto& b : *listed) {
    if (!b.problem.empty()) {
      ctx.out << b.id << "  UNREADABLE: " << b.problem << "\n";
      continue;
    }
    ctx.out << b.id << "  " << b.created_at << "  " << Mib(b.payload_bytes) << "  "
            << b.tenants.size() << " tenant(s)  " << b.destinations.size() << " copy(ies)"
            << (b.held ? "  LEGAL HOLD" : "") << "  last verified: "
            << (b.verified_at ? *b.verified_at + (*b.verified_ok ? " ok" : " FAILED") : "never")
            << "\n";
  }
  return kExitOk;
}

int BackupVerify(const CommandContext& ctx, const BackupCommandOptions& o) {
  auto s = Open(ctx);
  if (!s.ok()) return Fail(ctx, s.status());
  crypto::FileKeyProvider provider(s->dir->layout().root_key());
  auto root = provider.LoadRootKey();
  if (!root.ok()) return Fail(ctx, root.status());
  auto dir = ResolveBackupDir(o, *root);
  if (!dir.ok()) return Fail(ctx, dir.status());
  auto v = s->backups->Verify(ctx.actor, *dir, s->config.verify_sample);
  const base::Status closed = s->dir->Close();
  if (!v.ok()) return Fail(ctx, v.status());
  if (!closed.ok()) return Fail(ctx, closed);
  PrintVerification(ctx, *v);
  return v->ok ? kExitOk : kExitCheckFailed;
}

int BackupRestore(const CommandContext& ctx, const BackupCommandOptions& o) {
  if (o.restore_to.empty()) return Fail(ctx, base::InvalidArgumentError("name --to NEWDIR"));
  const fs::path key_file = o.root_key_file ? *o.root_key_file : ctx.data_dir / "root.key";
  crypto::FileKeyProvider provider(key_file);
  auto root = provider.LoadRootKey();
  if (!root.ok()) {
    return Fail(ctx, root.status().WithContext(
                         "the root key the backup was made with is needed (--root-key-file)"));
  }
  auto dir = ResolveBackupDir(o, *root);
  if (!dir.ok()) return Fail(ctx, dir.status());
  const auto start = std::chrono::steady_clock::now();
  auto restored = backup::RestoreBackup(*dir, o.restore_to, *root, ctx.clock, ctx.actor);
  const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::steady_clock::now() - start)
                                                 .count());
  // Also into this data directory's log, when there is one.
  std::error_code ec;
  if (fs::exists(ctx.data_dir / "strongroom.db", ec)) {
    auto s = Open(ctx);
    if (s.ok()) {
      if (base::Status r = s->backups->RecordRestore(ctx.actor, restored, *dir, ms); !r.ok()) {
        ctx.err << "strongroom: the restore could not be recorded in " << ctx.data_dir.string()
                << ": " << r.message() << "\n";
      }
      (void)s->dir->Close();
    }
  }
  if (!restored.ok()) return Fail(ctx, restored.status());
  if (ctx.json) {
    json shredded = json::array();
    for (const auto& t : restored->shredded) {
      shredded.push_back({{"id", t.id}, {"name", t.name}, {"shredded_at", t.shredded_at}});
    }
    json out = backup::BackupInfoJson(restored->backup);
    out["data_dir"] = restored->data_dir.string();
    out["shredded_tenants"] = shredded;
    out["duration_ms"] = ms;
    ctx.out << out.dump(2) << "\n";
  } else {
    ctx.out << "Backup " << restored->backup.id << " (" << restored->backup.created_at
            << ") restored into " << restored->data_dir.string() << " in " << ms << " ms.\n";
    for (const auto& t : restored->shredded) {
      ctx.out << "  Tenant " << t.name << " (" << t.id << ") was shredded at " << t.shredded_at
              << ": restored without keys or data.\n";
    }
    ctx.out << "Its root.key is the key given. Start it with: strongroom serve --data-dir "
            << restored->data_dir.string() << "\n";
  }
  return kExitOk;
}

int BackupPrune(const CommandContext& ctx, const BackupCommandOptions& o) {
  auto s = Open(ctx);
  if (!s.ok()) return Fail(ctx, s.status());
  auto dests = Destinations(ctx, o.to, s->config, "--to");
  if (!dests.ok()) return Fail(ctx, dests.status());
  auto pruned = s->backups->Prune(ctx.actor, *dests, s->config.retention);
  const base::Status closed = s->dir->Close();
  if (!pruned.ok()) return Fail(ctx, pruned.status());
  if (!closed.ok()) return Fail(ctx, closed);
  if (ctx.json) {
    ctx.out << json{{"removed", pruned->removed}, {"kept", pruned->kept}}.dump(2) << "\n";
  } else {
    ctx.out << "Pruned " << pruned->removed.size() << " backup(s); " << pruned->kept.size()
            << " kept.\n";
    for (const auto& id : pruned->removed) ctx.out << "  removed " << id << "\n";
  }
  return kExitOk;
}

int BackupHold(const CommandContext& ctx, const BackupCommandOptions& o) {
  auto s = Open(ctx);
  if (!s.ok()) return Fail(ctx, s.status());
  const base::Status held = s->backups->Hold(ctx.actor, o.id, o.reason);
  const base::Status closed = s->dir->Close();
  if (!held.ok()) return Fail(ctx, held);
  if (!closed.ok()) return Fail(ctx, closed);
  ctx.out << (ctx.json ? json{{"id", o.id}, {"legal_hold", true}}.dump() + "\n"
                       : "Backup " + o.id + " is under legal hold: it will not be pruned.\n");
  return kExitOk;
}

int BackupRelease(const CommandContext& ctx, const BackupCommandOptions& o) {
  auto s = Open(ctx);
  if (!s.ok()) return Fail(ctx, s.status());
  const base::Status released = s->backups->Release(ctx.actor, o.id);
  const base::Status closed = s->dir->Close();
  if (!released.ok()) return Fail(ctx, released);
  if (!closed.ok()) return Fail(ctx, closed);
  ctx.out << (ctx.json ? json{{"id", o.id}, {"legal_hold", false}}.dump() + "\n"
                       : "Backup " + o.id + " is no longer under legal hold.\n");
  return kExitOk;
}

}  // namespace strongroom::cli
