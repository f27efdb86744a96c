#include "strongroom/backup/backups.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/verify.hpp"
#include "strongroom/backup/scheduler.hpp"
#include "strongroom/backup/stream.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"
#include "strongroom/vault/files.hpp"
#include "strongroom/vault/integrity.hpp"
#include "strongroom/vault/shred.hpp"
#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::backup {
namespace {

namespace fs = std::filesystem;
using access::Action;
using nlohmann::json;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void WriteAll(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class StringSource final : public vault::ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min(out.size(), data_.size() - at_);
    std::memcpy(out.data(), data_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t at_ = 0;
};

class BackupsTest : public vault::testing::VaultFixture {
 protected:
  BackupsTest() {
    fs::create_directories(temp_ / "tls");
    WriteAll(temp_ / "tls" / "cert.pem", "-----BEGIN CERTIFICATE-----\n(test)\n");
    audit_store_ = *audit::OpenAuditStore(temp_ / "audit.db", clock_);
    log_ = *audit::AuditLog::Open(*audit_store_, *audit::CheckpointSigningKey(*ring_),
                                  temp_ / "audit-checkpoints.jsonl", clock_);
    files_ = std::make_unique<vault::Files>(*store_, *keys_, *log_, clock_, temp_ / "files");
    Sources sources;
    sources.store = store_.get();
    sources.audit_store = audit_store_.get();
    sources.checkpoint_file = temp_ / "audit-checkpoints.jsonl";
    sources.files_dir = temp_ / "files";
    sources.tls_dir = temp_ / "tls";
    sources.scratch_dir = temp_ / "scratch";
    backups_ = std::make_unique<Backups>(sources, root_.Clone(), *log_, clock_,
                                         *audit::CheckpointSigningKey(*ring_));
    provider_admin_ = AddUser("ops-admin", identity::Role::kAdmin).user;
    shredder_ = std::make_unique<vault::Shredder>(
        *store_, *keys_, *log_, clock_, *audit::CheckpointSigningKey(*ring_), temp_ / "files");
    shredder_->set_after_keys_destroyed(
        [this](const identity::TenantId& t) { return backups_->DestroyTenantKeys(t); });

    vault::CollectionSpec spec;
    spec.lookup_fields = {"email"};
    Declare("people", spec);
    for (int i = 0; i < 30; ++i) {
      Put("p" + std::to_string(i), {{"email", "p" + std::to_string(i) + "@acme.test"},
                                    {"secret", "CANARY-" + std::to_string(i)}});
    }
    auto file = files_->Put(Permit(admin_, Action::kFilesWrite, std::nullopt), "contract",
                            "application/pdf", *std::make_unique<StringSource>(file_content_), {});
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_TRUE(log_->Checkpoint().ok());
  }
  ~BackupsTest() override {
    (void)log_->Close();
    (void)audit_store_->Close();
  }

  void Put(const std::string& id, json doc) {
    auto r = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", id,
                           std::move(doc), {}, nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  audit::Actor Cli() const { return {"cli:test", "operator", "local", "cli-1"}; }

  BackupInfo CreateOrDie(std::vector<fs::path> dests) {
    auto made = backups_->Create(Cli(), dests);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    SR_CHECK(made.ok());
    return *made;
  }

  // Opens a restored data directory: its store, key ring and records.
  struct Opened {
    std::unique_ptr<storage::Store> store;
    std::unique_ptr<storage::SqlKeyStore> key_store;
    std::unique_ptr<crypto::KeyRing> ring;
    std::unique_ptr<vault::TenantKeys> keys;
    std::unique_ptr<vault::Records> records;
  };
  Opened OpenRestored(const fs::path& dir) {
    Opened o;
    storage::SqliteOptions options;
    options.path = dir / "strongroom.db";
    o.store = *storage::OpenSqliteStore(options, clock_);
    o.key_store = std::make_unique<storage::SqlKeyStore>(*o.store);
    crypto::FileKeyProvider provider(dir / "root.key");
    o.ring = *crypto::KeyRing::Open(*provider.LoadRootKey(), *o.key_store, clock_);
    o.keys = std::make_unique<vault::TenantKeys>(*o.ring);
    o.records = std::make_unique<vault::Records>(*o.store, *o.keys, audit_, clock_);
    return o;
  }

  std::vector<std::string> StagingLeftIn(const fs::path& dir) {
    std::vector<std::string> left;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().filename().string().find(".restoring-") != std::string::npos) {
        left.push_back(e.path().string());
      }
    }
    return left;
  }

  const std::string file_content_ = std::string(300000, 'F') + "END";
  std::unique_ptr<storage::Store> audit_store_;
  std::unique_ptr<audit::AuditLog> log_;
  std::unique_ptr<vault::Files> files_;
  std::unique_ptr<Backups> backups_;
  identity::User provider_admin_;
  std::unique_ptr<vault::Shredder> shredder_;
};

TEST_F(BackupsTest, ABackupRestoresIntoADataDirectoryWithEveryRecordFileAndAuditEvent) {
  const BackupInfo b = CreateOrDie({temp_ / "dest-a", temp_ / "dest-b"});
  EXPECT_EQ(b.destinations.size(), 2u);
  EXPECT_EQ(ReadAll(temp_ / "dest-a" / b.id / "data.sbk"),
            ReadAll(temp_ / "dest-b" / b.id / "data.sbk"));
  ASSERT_EQ(b.tenants.size(), 1u);
  EXPECT_EQ(b.tenants[0].records, 30u);
  EXPECT_EQ(b.tenants[0].files, 1u);
  EXPECT_GT(b.audit_tree_size, 0u);
  EXPECT_FALSE(fs::exists(temp_ / "scratch" / ("create-" + b.id)));

  auto restored = RestoreBackup(temp_ / "dest-b" / b.id, temp_ / "restored", root_, clock_, Cli());
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->tenants.size(), 1u);
  EXPECT_TRUE(restored->shredded.empty());
  EXPECT_EQ(*base::FilePermissions(temp_ / "restored" / "root.key"), 0600u);

  Opened o = OpenRestored(temp_ / "restored");
  for (int i = 0; i < 30; i += 7) {
    auto r = o.records->Get(Permit(admin_, Action::kRecordsRead, "people"), "people",
                            "p" + std::to_string(i), nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->data["email"], "p" + std::to_string(i) + "@acme.test");
  }
  vault::Files restored_files(*o.store, *o.keys, audit_, clock_, temp_ / "restored" / "files");
  auto download = restored_files.Open(Permit(admin_, Action::kFilesRead, std::nullopt), "contract");
  ASSERT_TRUE(download.ok()) << download.status().ToString();
  std::string got(file_content_.size() + 10, '\0');
  std::size_t n = 0;
  for (;;) {
    auto k = download->reader->Read(
        std::span(reinterpret_cast<std::uint8_t*>(got.data()) + n, got.size() - n));
    ASSERT_TRUE(k.ok());
    if (*k == 0) break;
    n += *k;
  }
  got.resize(n);
  EXPECT_EQ(got, file_content_);

  // The restored audit log verifies, and holds the restore itself.
  auto restored_audit = *audit::OpenAuditStore(temp_ / "restored" / "audit.db", clock_, false);
  auto report =
      audit::VerifyAuditLog(*restored_audit, temp_ / "restored" / "audit-checkpoints.jsonl",
                            *audit::CheckpointPublicKeys(*o.ring));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
  auto tx = *restored_audit->BeginRead();
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM audit_events WHERE action = 'backup.restore'", {})
                ->at(0)
                .GetInt(0)
                .value(),
            1);
}

TEST_F(BackupsTest, TheBackupCarriesNoTenantKeyAndNoRecordInTheClear) {
  const BackupInfo b = CreateOrDie({temp_ / "dest"});
  // Open the payload by hand, as someone holding the backup and the root key but not the
  // destination's tenant-keys/ would.
  const json manifest = json::parse(ReadAll(temp_ / "dest" / b.id / "manifest.json"));
  const BackupKeys keys = *DeriveBackupKeys(root_);
  const base::Bytes sealed = *base::Base64UrlDecode(manifest["content_key"].get<std::string>());
  const std::string aad = "strongroom/v1/backup-content-key:" + b.id + ":";
  const base::Bytes ck = *Unseal(keys.wrapping, base::AsBytes(aad), sealed);
  crypto::Aes256Key content_key;
  std::copy_n(ck.begin(), 32, content_key.mutable_value().begin());
  auto reader = *PayloadReader::Open(temp_ / "dest" / b.id / "data.sbk", content_key, b.id);
  fs::create_directories(temp_ / "opened");
  ASSERT_TRUE(ExtractArchive(*reader, temp_ / "opened").ok());

  storage::SqliteOptions options;
  options.path = temp_ / "opened" / "strongroom.db";
  auto copy = *storage::OpenSqliteStore(options, clock_);
  auto tx = *copy->BeginRead();
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM data_keys WHERE purpose LIKE 'tenant:%'", {})
                ->at(0)
                .GetInt(0)
                .value(),
            0);
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM vault_records", {})->at(0).GetInt(0).value(), 30);
  tx.reset();
  ASSERT_TRUE(copy->Close().ok());
  const std::string db = ReadAll(temp_ / "opened" / "strongroom.db");
  EXPECT_EQ(db.find("CANARY-"), std::string::npos);
  // Nor is any tenant key's wrapped form from the live store in it.
  auto live = *store_->BeginRead();
  const auto wrapped_keys =
      *live->Query("SELECT wrapped FROM data_keys WHERE purpose LIKE 'tenant:%'", {});
  ASSERT_EQ(wrapped_keys.size(), 2u);  // The data key and the index key.
  for (const auto& row : wrapped_keys) {
    const base::Bytes w = *row.GetBlob(0);
    EXPECT_EQ(db.find(std::string(w.begin(), w.end())), std::string::npos);
  }
  // Without the destination's tenant-keys/, the backup restores no tenant data at all.
  fs::create_directories(temp_ / "bare");
  fs::copy(temp_ / "dest" / b.id, temp_ / "bare" / b.id, fs::copy_options::recursive);
  auto refused = RestoreBackup(temp_ / "bare" / b.id, temp_ / "r2", root_, clock_, Cli());
  EXPECT_EQ(refused.status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("tenant-keys"), std::string::npos);
  EXPECT_FALSE(fs::exists(temp_ / "r2"));
}

TEST_F(BackupsTest, EveryKindOfDamageIsRefusedWithAClearMessageAndLeavesNothing) {
  const BackupInfo b = CreateOrDie({temp_ / "dest"});
  const fs::path dir = temp_ / "dest" / b.id;
  const std::string payload = ReadAll(dir / "data.sbk");
  const std::string manifest = ReadAll(dir / "manifest.json");
  const std::string mac = ReadAll(dir / "manifest.mac");
  struct Case {
    std::string what;
    std::function<void()> damage;
    base::ErrorCode code;
    std::string says;
  };
  const auto flip = [](std::string s, std::size_t at) {
    s[at] = static_cast<char>(s[at] ^ 0x20);
    return s;
  };
  std::vector<Case> cases = {
      {"payload byte 0", [&] { WriteAll(dir / "data.sbk", flip(payload, 0)); },
       base::ErrorCode::kDataLoss, "does not authenticate"},
      {"payload middle byte",
       [&] { WriteAll(dir / "data.sbk", flip(payload, payload.size() / 2)); },
       base::ErrorCode::kDataLoss, "does not authenticate"},
      {"payload last byte", [&] { WriteAll(dir / "data.sbk", flip(payload, payload.size() - 1)); },
       base::ErrorCode::kDataLoss, "does not authenticate"},
      {"payload truncated",
       [&] { WriteAll(dir / "data.sbk", payload.substr(0, payload.size() - 100)); },
       base::ErrorCode::kDataLoss, "truncated"},
      {"payload extended", [&] { WriteAll(dir / "data.sbk", payload + "x"); },
       base::ErrorCode::kDataLoss, "truncated or extended"},
      {"payload missing", [&] { fs::remove(dir / "data.sbk"); }, base::ErrorCode::kDataLoss,
       "data.sbk"},
      {"manifest edited",
       [&] {
         std::string m = manifest;
         m.replace(m.find("\"records\": 30"), 13, "\"records\": 31");
         WriteAll(dir / "manifest.json", m);
       },
       base::ErrorCode::kDataLoss, "altered"},
      {"manifest MAC edited", [&] { WriteAll(dir / "manifest.mac", flip(mac, 3)); },
       base::ErrorCode::kDataLoss, "altered"},
      {"manifest missing", [&] { fs::remove(dir / "manifest.json"); }, base::ErrorCode::kNotFound,
       "no backup"},
      {"manifest not JSON", [&] { WriteAll(dir / "manifest.json", "garbage"); },
       base::ErrorCode::kDataLoss, "not a Strongroom backup manifest"},
  };
  for (const Case& c : cases) {
    c.damage();
    auto r = RestoreBackup(dir, temp_ / "restored", root_, clock_, Cli());
    EXPECT_EQ(r.status().code(), c.code) << c.what << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.says), std::string::npos)
        << c.what << ": " << r.status().message();
    EXPECT_FALSE(fs::exists(temp_ / "restored")) << c.what;
    EXPECT_TRUE(StagingLeftIn(temp_.path()).empty()) << c.what;
    WriteAll(dir / "data.sbk", payload);
    WriteAll(dir / "manifest.json", manifest);
    WriteAll(dir / "manifest.mac", mac);
  }
  // The wrong root key.
  auto wrong = RestoreBackup(dir, temp_ / "restored", crypto::GenerateRootKey(), clock_, Cli());
  EXPECT_EQ(wrong.status().code(), base::ErrorCode::kPermissionDenied);
  EXPECT_NE(wrong.status().message().find("root key"), std::string::npos);
  // A target that exists and is not empty.
  fs::create_directories(temp_ / "busy");
  WriteAll(temp_ / "busy" / "x", "x");
  EXPECT_EQ(RestoreBackup(dir, temp_ / "busy", root_, clock_, Cli()).status().code(),
            base::ErrorCode::kAlreadyExists);
  // Undamaged, it restores.
  EXPECT_TRUE(RestoreBackup(dir, temp_ / "restored", root_, clock_, Cli()).ok());
}

TEST_F(BackupsTest, ATenantShreddedAfterTheBackupStaysUnreadableAfterARestore) {
  const BackupInfo before = CreateOrDie({temp_ / "dest-a", temp_ / "dest-b"});
  EXPECT_TRUE(fs::exists(temp_ / "dest-a" / "tenant-keys" / (tenant_.id.value() + ".key")));
  ASSERT_TRUE(tenants_->Suspend(Operator(), tenant_.id).ok());
  auto receipt = shredder_->Shred(
      Permit(provider_admin_, Action::kTenantsShred, std::nullopt, tenant_.id), "Acme");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  for (const char* d : {"dest-a", "dest-b"}) {
    EXPECT_FALSE(fs::exists(temp_ / d / "tenant-keys" / (tenant_.id.value() + ".key"))) << d;
    EXPECT_TRUE(fs::exists(temp_ / d / "tenant-keys" / (tenant_.id.value() + ".shredded"))) << d;
  }

  for (const char* d : {"dest-a", "dest-b"}) {
    const fs::path target = temp_ / (std::string("restored-") + d);
    auto restored = RestoreBackup(temp_ / d / before.id, target, root_, clock_, Cli());
    ASSERT_TRUE(restored.ok()) << restored.status().ToString();
    ASSERT_EQ(restored->shredded.size(), 1u);
    EXPECT_EQ(restored->shredded[0].id, tenant_.id.value());
    EXPECT_TRUE(restored->tenants.empty());
    Opened o = OpenRestored(target);
    auto checked = vault::CheckTenants(*o.store, *o.ring, target / "files", 5);
    ASSERT_TRUE(checked.ok());
    ASSERT_EQ(checked->size(), 1u);
    EXPECT_TRUE((*checked)[0].shredded);
    EXPECT_EQ((*checked)[0].records, 0u);
    EXPECT_TRUE((*checked)[0].ok());
    EXPECT_FALSE(o.ring->FindKey(vault::DataKeyPurpose(tenant_.id)).ok());
    EXPECT_FALSE(fs::exists(target / "files" / tenant_.id.value()));
    auto tx = *o.store->BeginRead();
    EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM vault_records", {})->at(0).GetInt(0).value(), 0);
  }
  // A backup made after the shred holds nothing of the tenant either.
  const BackupInfo after = CreateOrDie({temp_ / "dest-a"});
  ASSERT_EQ(after.tenants.size(), 1u);
  EXPECT_EQ(after.tenants[0].records, 0u);
}

TEST_F(BackupsTest, VerificationRestoresChecksAndRecordsASignedStatement) {
  const BackupInfo b = CreateOrDie({temp_ / "dest"});
  auto v = backups_->Verify(Cli(), temp_ / "dest" / b.id, 5);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << (v->problems.empty() ? "" : v->problems[0]);
  const json statement = json::parse(v->statement);
  EXPECT_EQ(statement["backup_id"], b.id);
  EXPECT_EQ(statement["tenants"][0]["records"], 30);
  EXPECT_EQ(statement["tenants"][0]["records_opened"], 5);
  EXPECT_EQ(statement["tenants"][0]["files_opened"], 1);
  EXPECT_TRUE(statement["restored_audit_log"]["ok"].get<bool>());
  const auto pk = audit::CheckpointSigningKey(*ring_)->public_key();
  crypto::Ed25519Signature sig;
  const base::Bytes raw = *base::Base64UrlDecode(v->signature);
  std::copy_n(raw.begin(), sig.size(), sig.begin());
  EXPECT_TRUE(crypto::Ed25519Verify(pk, base::AsBytes(v->statement), sig));
  EXPECT_TRUE(fs::is_empty(temp_ / "scratch"));

  auto listed = backups_->List({temp_ / "dest"});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].verified_ok, std::optional<bool>(true));
  EXPECT_TRUE((*listed)[0].verified_at.has_value());

  // A damaged backup verifies as not OK, is recorded as such, and is not an error.
  const std::string payload = ReadAll(temp_ / "dest" / b.id / "data.sbk");
  std::string bad = payload;
  bad[bad.size() / 3] ^= 1;
  WriteAll(temp_ / "dest" / b.id / "data.sbk", bad);
  auto failed = backups_->Verify(Cli(), temp_ / "dest" / b.id, 5);
  ASSERT_TRUE(failed.ok());
  EXPECT_FALSE(failed->ok);
  EXPECT_NE(failed->problems.at(0).find("does not authenticate"), std::string::npos);
  listed = backups_->List({temp_ / "dest"});
  EXPECT_EQ((*listed)[0].verified_ok, std::optional<bool>(false));
  auto stats = *backups_->Stats();
  const auto verify = std::find_if(stats.begin(), stats.end(),
                                   [](const auto& s) { return s.operation == "verify"; });
  ASSERT_NE(verify, stats.end());
  EXPECT_EQ(verify->successes, 1u);
  EXPECT_EQ(verify->failures, 1u);
}

TEST_F(BackupsTest, PruneFollowsThePolicyAndNeverRemovesAHeldBackup) {
  std::vector<std::string> ids;
  for (int day = 0; day < 6; ++day) {
    ids.push_back(CreateOrDie({temp_ / "dest"}).id);
    clock_.Advance(std::chrono::hours(24));
  }
  ASSERT_TRUE(backups_->Hold(Cli(), ids[1], "litigation 2027-14").ok());
  RetentionPolicy policy;
  policy.daily_days = 2;
  policy.monthly_months = 0;
  policy.yearly_years = 0;
  auto pruned = backups_->Prune(Cli(), {temp_ / "dest"}, policy);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  // Now is day 6: the backups of days 5 and 4 are within two days... day 4 is exactly 2 days
  // old, so only day 5 is a daily copy still; day 1 is held.
  const std::set<std::string> removed(pruned->removed.begin(), pruned->removed.end());
  EXPECT_EQ(removed, (std::set<std::string>{ids[0], ids[2], ids[3], ids[4]}));
  for (const auto& id : ids) {
    EXPECT_EQ(fs::exists(temp_ / "dest" / id), !removed.contains(id)) << id;
  }
  EXPECT_EQ(backups_->Release(Cli(), ids[1]).code(), base::ErrorCode::kOk);
  EXPECT_EQ(backups_->Hold(Cli(), "bk-nope", "x").code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(backups_->Hold(Cli(), ids[1], "").code(), base::ErrorCode::kInvalidArgument);
  pruned = backups_->Prune(Cli(), {temp_ / "dest"}, policy);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned->removed, std::vector<std::string>{ids[1]});
  // Each removal was audited before it happened.
  auto tx = *audit_store_->BeginRead();
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM audit_events WHERE action = 'backup.prune'", {})
                ->at(0)
                .GetInt(0)
                .value(),
            5);
}

TEST_F(BackupsTest, ABackupTakenWhileWritersRunIsConsistentAndAFailedOneLeavesNothing) {
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      auto r = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people",
                             "w" + std::to_string(i), json{{"n", i}}, {}, nullptr);
      if (r.ok()) ++written;
    }
  });
  const BackupInfo b = CreateOrDie({temp_ / "dest"});
  stop = true;
  writer.join();
  auto v = backups_->Verify(Cli(), temp_ / "dest" / b.id, 1000);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << (v->problems.empty() ? "" : v->problems[0]);

  EXPECT_EQ(backups_->Create(Cli(), {}).status().code(), base::ErrorCode::kInvalidArgument);
  WriteAll(temp_ / "not-a-dir", "x");
  auto failed = backups_->Create(Cli(), {temp_ / "dest2", temp_ / "not-a-dir"});
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(!fs::exists(temp_ / "dest2") || fs::is_empty(temp_ / "dest2") ||
              (std::distance(fs::directory_iterator(temp_ / "dest2"), {}) == 1 &&
               fs::exists(temp_ / "dest2" / "tenant-keys")));
}

TEST_F(BackupsTest, TheSchedulerBacksUpVerifiesAndPrunesWhenDueAndPublishesMetrics) {
  BackupConfig config;
  config.destinations = {temp_ / "sched-a", temp_ / "sched-b"};
  config.retention.daily_days = 2;
  config.retention.monthly_months = 0;
  config.retention.yearly_years = 0;
  base::MetricsRegistry metrics;
  std::vector<std::string> events;
  BackupScheduler scheduler(*backups_, config, clock_, metrics,
                            [&](const std::string& what, const base::Status& s) {
                              events.push_back(what + (s.ok() ? "" : ": " + s.message()));
                            });
  const auto count = [&] { return backups_->List({temp_ / "sched-a"})->size(); };
  scheduler.RunOnce();
  EXPECT_EQ(count(), 1u);
  EXPECT_EQ(events,
            (std::vector<std::string>{"backup_created", "backup_pruned", "backup_verified"}));
  const std::string rendered = metrics.RenderPrometheus();
  EXPECT_NE(rendered.find("strongroom_backup_last_success_timestamp_seconds{operation=\"create\"}"),
            std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("strongroom_backup_runs{operation=\"verify\",outcome=\"success\"} 1"),
            std::string::npos)
      << rendered;

  scheduler.RunOnce();  // Nothing is due.
  EXPECT_EQ(count(), 1u);
  EXPECT_EQ(events.size(), 3u);
  for (int day = 1; day <= 4; ++day) {
    clock_.Advance(std::chrono::hours(24));
    scheduler.RunOnce();
  }
  // One backup a day, pruned to the policy: the two newest days (and nothing else).
  EXPECT_EQ(count(), 2u);
  const auto listed = *backups_->List({temp_ / "sched-b"});
  EXPECT_EQ(listed.size(), 2u);
  // The weekly verification is not due again yet: one verification so far.
  const auto stats = *backups_->Stats();
  const auto verify = std::find_if(stats.begin(), stats.end(),
                                   [](const auto& s) { return s.operation == "verify"; });
  EXPECT_EQ(verify->successes, 1u);

  // A failing destination: reported, then left alone for 15 minutes.
  fs::remove_all(temp_ / "sched-b");
  WriteAll(temp_ / "sched-b", "a file where the directory was");
  clock_.Advance(std::chrono::hours(24));
  events.clear();
  scheduler.RunOnce();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].rfind("backup_created: ", 0), 0u) << events[0];
  clock_.Advance(std::chrono::minutes(5));
  scheduler.RunOnce();
  EXPECT_EQ(events.size(), 1u);
  clock_.Advance(std::chrono::minutes(11));
  scheduler.RunOnce();
  EXPECT_EQ(events.size(), 2u);
}

}  // namespace
}  // namespace strongroom::backup
