#include "strongroom/cli/init.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/audit/testing/memory_sink.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/cli/data_dir.hpp"
#include "strongroom/crypto/password_hash.hpp"
#include "strongroom/crypto/tls.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/isms/library.hpp"

namespace strongroom::cli {
namespace {

namespace fs = std::filesystem;

class InitTest : public ::testing::Test {
 protected:
  void SetUp() override { options_.data_dir = parent_ / "data"; }

  // Every entry under the parent, so a test can tell that nothing was left behind.
  std::vector<std::string> Entries() {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(parent_)) {
      out.push_back(fs::relative(e.path(), parent_).string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path WriteFile(const std::string& name, const std::string& content) {
    const fs::path p = parent_ / name;
    std::ofstream(p) << content;
    return p;
  }

  std::string StoredHash() {
    sqlite3* db = nullptr;
    sqlite3_open_v2(DataDirLayout(options_.data_dir).store().c_str(), &db, SQLITE_OPEN_READONLY,
                    nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT passphrase_hash FROM users WHERE username = 'admin'", -1, &stmt,
                       nullptr);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

  base::testing::ScopedTempDir temp_;
  const fs::path& parent_ = temp_.path();
  InitOptions options_;
  base::testing::FakeClock clock_{std::chrono::system_clock::now()};
  audit::testing::MemorySink audit_;
  const audit::Actor kActor{"cli:test", "operator", "local", "req"};
};

TEST_F(InitTest, CreatesAPrivateDataDirectoryWithEverythingServeNeeds) {
  const auto report = InitDataDir(options_, clock_, kActor, &audit_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const DataDirLayout layout(options_.data_dir);
  EXPECT_EQ(*base::FilePermissions(layout.root()), 0700u);
  EXPECT_EQ(*base::FilePermissions(layout.root_key()), 0600u);
  EXPECT_EQ(*base::FilePermissions(layout.store()), 0600u);
  EXPECT_EQ(*base::FilePermissions(layout.tls_key()), 0600u);
  EXPECT_EQ(*base::FilePermissions(layout.tls_cert()), 0644u);
  EXPECT_EQ(fs::file_size(layout.root_key()), 65u);
  EXPECT_FALSE(fs::exists(layout.store().string() + "-wal"));  // The store was closed cleanly.
  EXPECT_EQ(*base::FilePermissions(layout.audit_store()), 0600u);
  EXPECT_EQ(*base::FilePermissions(layout.audit_checkpoints()), 0600u);
  EXPECT_EQ(Entries(),
            (std::vector<std::string>{"data", "data/audit-checkpoints.jsonl", "data/audit.db",
                                      "data/root.key", "data/strongroom.db", "data/tls",
                                      "data/tls/cert.pem", "data/tls/key.pem"}));
  // The audit log starts with the admin's creation, the loading of every shipped catalog and
  // crosswalk and the default control library, under a signed checkpoint.
  const auto checkpoints = audit::CheckpointFile::ReadAll(layout.audit_checkpoints());
  ASSERT_TRUE(checkpoints.ok());
  ASSERT_EQ(checkpoints->size(), 1u);
  EXPECT_EQ((*checkpoints)[0].tree_size, 1u + isms::ShippedCatalogFiles().size() +
                                             isms::ShippedControlLibrary()->controls.size());
  EXPECT_GE(report->schema_version, 1);
  EXPECT_TRUE(report->tls_self_signed);
  EXPECT_TRUE(report->instance_id.starts_with("ins_"));
  ASSERT_TRUE(report->generated_password.has_value());
  const std::string& password = report->generated_password->Reveal();
  EXPECT_EQ(password.size(), 29u);
  const std::string hash = StoredHash();
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$")) << hash;
  EXPECT_TRUE(*crypto::VerifyPassphrase(hash, base::SecretString(std::string(password))));
  // The admin is enrolled for TOTP, and the enrolment was shown.
  EXPECT_EQ(report->admin_two_factor.recovery_codes.size(), 10u);
  EXPECT_EQ(base::Base32Decode(report->admin_two_factor.secret_base32.Reveal())->size(), 20u);
  // Creating the admin was audited, as done by the operator.
  const auto events = audit_.With("users.create");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_id, "cli:test");
  EXPECT_EQ(events[0].details.at("role"), "admin");
}

TEST_F(InitTest, TakesThePassphraseFromAFileAndDoesNotEchoIt) {
  options_.password_file = WriteFile("pw", "correct horse battery staple 42\n");
  options_.admin = "root-admin";
  const auto report = InitDataDir(options_, clock_, kActor, &audit_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->generated_password.has_value());
  EXPECT_EQ(report->admin_username, "root-admin");
  sqlite3* db = nullptr;
  sqlite3_open_v2(DataDirLayout(options_.data_dir).store().c_str(), &db, SQLITE_OPEN_READONLY,
                  nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT passphrase_hash FROM users WHERE username = 'root-admin'", -1,
                     &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const std::string hash = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  // The trailing newline is not part of the passphrase.
  EXPECT_TRUE(*crypto::VerifyPassphrase(
      hash, base::SecretString(std::string("correct horse battery staple 42"))));
}

TEST_F(InitTest, RefusesAnExistingDataDirectoryAndChangesNothing) {
  ASSERT_TRUE(InitDataDir(options_, clock_, kActor, &audit_).ok());
  const auto key_before = *base::ReadSmallFile(DataDirLayout(options_.data_dir).root_key(), 100);
  const auto entries_before = Entries();
  const auto again = InitDataDir(options_, clock_, kActor, &audit_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), base::ErrorCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("init changed nothing"), std::string::npos);
  EXPECT_EQ(Entries(), entries_before);
  EXPECT_EQ(*base::ReadSmallFile(DataDirLayout(options_.data_dir).root_key(), 100), key_before);

  // Any non-empty directory, or a file in the way, is refused the same way.
  fs::create_directories(parent_ / "other");
  WriteFile("other/notes.txt", "mine");
  options_.data_dir = parent_ / "other";
  EXPECT_EQ(InitDataDir(options_, clock_, kActor, &audit_).status().code(),
            base::ErrorCode::kAlreadyExists);
  WriteFile("a-file", "x");
  options_.data_dir = parent_ / "a-file";
  EXPECT_EQ(InitDataDir(options_, clock_, kActor, &audit_).status().code(),
            base::ErrorCode::kAlreadyExists);
}

TEST_F(InitTest, FillsAnEmptyExistingDirectory) {
  fs::create_directories(options_.data_dir);
  ASSERT_TRUE(InitDataDir(options_, clock_, kActor, &audit_).ok());
  EXPECT_TRUE(fs::exists(DataDirLayout(options_.data_dir).root_key()));
}

TEST_F(InitTest, BadInputsAreRefusedAndLeaveNothingBehind) {
  struct Case {
    std::string name;
    std::function<void(InitOptions&)> setup;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"bad admin", [](InitOptions& o) { o.admin = "Bad Name"; }, "--admin: username may"},
      {"short passphrase",
       [this](InitOptions& o) { o.password_file = WriteFile("pw1", "too short\n"); },
       "at least 12 characters"},
      {"guessable passphrase",
       [this](InitOptions& o) { o.password_file = WriteFile("pw2", "password12345\n"); },
       "too easy to guess"},
      {"missing password file", [this](InitOptions& o) { o.password_file = parent_ / "nope"; },
       "password file"},
      {"cert without key", [this](InitOptions& o) { o.tls_cert = WriteFile("c.pem", "x"); },
       "give both or neither"},
      {"not a certificate",
       [this](InitOptions& o) {
         o.tls_cert = WriteFile("c2.pem", "not a cert");
         o.tls_key = WriteFile("k2.pem", "not a key");
       },
       "no PEM certificate"},
      {"missing parent", [this](InitOptions& o) { o.data_dir = parent_ / "no" / "such" / "dir"; },
       "does not exist"},
  };
  for (const Case& c : cases) {
    InitOptions options = options_;
    c.setup(options);
    const auto before = Entries();
    const auto r = InitDataDir(options, clock_, kActor, &audit_);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos)
        << c.name << ": " << r.status().message();
    EXPECT_EQ(Entries(), before) << c.name << " left something behind";
  }
}

TEST_F(InitTest, UsesTheOperatorsCertificateWhenGiven) {
  auto creds = *crypto::GenerateSelfSignedCertificate({"vault.example.net"}, {}, clock_.Now(),
                                                      std::chrono::days(90));
  options_.tls_cert = WriteFile("cert.pem", creds.cert_chain_pem);
  options_.tls_key = WriteFile("key.pem", creds.private_key_pem.Reveal());
  const auto report = InitDataDir(options_, clock_, kActor, &audit_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->tls_self_signed);
  EXPECT_EQ(*base::ReadSmallFile(DataDirLayout(options_.data_dir).tls_cert(), 1 << 20),
            creds.cert_chain_pem);
  const auto info = crypto::CheckCertificateAndKey(creds.cert_chain_pem, creds.private_key_pem);
  EXPECT_EQ(report->tls_sha256_fingerprint, info->sha256_fingerprint);

  // A key from another certificate is refused.
  auto other =
      *crypto::GenerateSelfSignedCertificate({"x"}, {}, clock_.Now(), std::chrono::days(9));
  options_.data_dir = parent_ / "data2";
  options_.tls_key = WriteFile("other-key.pem", other.private_key_pem.Reveal());
  const auto r = InitDataDir(options_, clock_, kActor, &audit_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not belong"), std::string::npos);
}

TEST(GeneratePassphrase, IsLongRandomAndFreeOfLookAlikes) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto p = GeneratePassphrase();
    EXPECT_EQ(p.size(), 29u);
    EXPECT_EQ(p.Reveal().find_first_of("01ilo"), std::string::npos) << p.Reveal();
    EXPECT_TRUE(seen.insert(p.Reveal()).second);
  }
}

}  // namespace
}  // namespace strongroom::cli
