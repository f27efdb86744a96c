#include "strongroom/cli/cli.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "strongroom/audit/schema.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/cli/data_dir.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/isms/library.hpp"

namespace strongroom::cli {
namespace {

// The events init records: the admin's creation, one frameworks.load per shipped catalog and
// crosswalk, and one controls.create per control of the default library.
const std::size_t kInitEvents =
    1 + isms::ShippedCatalogFiles().size() + isms::ShippedControlLibrary()->controls.size();

struct Captured {
  int calls = 0;
  ServeOptions options;
  std::string which;
};

int RunArgs(std::vector<std::string> args, Captured& captured, std::string* out_text = nullptr,
            std::string* err_text = nullptr) {
  std::vector<const char*> argv{"strongroom"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const ServerCommands commands{.serve =
                                    [&](const ServeOptions& o) {
                                      ++captured.calls;
                                      captured.options = o;
                                      captured.which = "serve";
                                      return 0;
                                    },
                                .demo =
                                    [&](const ServeOptions& o) {
                                      ++captured.calls;
                                      captured.options = o;
                                      captured.which = "demo";
                                      return 0;
                                    }};
  const int code = Run(static_cast<int>(argv.size()), argv.data(), commands, out, err);
  if (out_text) *out_text = out.str();
  if (err_text) *err_text = err.str();
  return code;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  Captured c;
  std::string err;
  EXPECT_EQ(RunArgs({}, c, nullptr, &err), kExitUsage);
  EXPECT_EQ(RunArgs({"frobnicate"}, c), kExitUsage);
  EXPECT_EQ(RunArgs({"serve", "--no-such-flag"}, c), kExitUsage);
  EXPECT_EQ(RunArgs({"serve", "serve"}, c), kExitUsage);
  EXPECT_EQ(c.calls, 0);
}

TEST(Cli, HelpAndVersionExitWithZero) {
  Captured c;
  std::string out;
  EXPECT_EQ(RunArgs({"--help"}, c, &out), kExitOk);
  EXPECT_NE(out.find("init"), std::string::npos);
  EXPECT_NE(out.find("serve"), std::string::npos);
  EXPECT_EQ(RunArgs({"--version"}, c, &out), kExitOk);
}

TEST(Cli, GlobalOptionsWorkBeforeOrAfterTheSubcommand) {
  Captured c;
  EXPECT_EQ(RunArgs({"serve", "--data-dir", "/x", "--json", "--listen", "127.0.0.1:0"}, c), 0);
  EXPECT_EQ(c.which, "serve");
  EXPECT_EQ(c.options.data_dir, "/x");
  EXPECT_TRUE(c.options.json);
  EXPECT_EQ(c.options.listen, "127.0.0.1:0");
  EXPECT_EQ(RunArgs({"--data-dir", "/y", "demo"}, c), 0);
  EXPECT_EQ(c.which, "demo");
  EXPECT_EQ(c.options.data_dir, "/y");
  EXPECT_FALSE(c.options.json);
  EXPECT_EQ(c.options.listen, kDefaultListen);
  EXPECT_EQ(RunArgs({"serve"}, c), 0);
  EXPECT_EQ(c.options.data_dir, kDefaultDataDir);
}

TEST(Cli, InitJsonReportsWhatItCreated) {
  const base::testing::ScopedTempDir temp;
  const auto dir = temp / "data";
  Captured c;
  std::string out, err;
  ASSERT_EQ(
      RunArgs({"init", "--data-dir", dir.string(), "--json", "--admin", "boss"}, c, &out, &err),
      kExitOk)
      << err;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["admin"]["username"], "boss");
  EXPECT_EQ(j["admin"]["password"].get<std::string>().size(), 29u);
  EXPECT_EQ(j["admin"]["totp_secret"].get<std::string>().size(), 32u);
  EXPECT_TRUE(j["admin"]["otpauth_uri"].get<std::string>().starts_with("otpauth://totp/"));
  EXPECT_EQ(j["admin"]["recovery_codes"].size(), 10u);
  EXPECT_EQ(j["root_key_file"], (dir / "root.key").string());
  EXPECT_EQ(j["tls"]["self_signed"], true);
  EXPECT_EQ(j["tls"]["sha256_fingerprint"].get<std::string>().size(), 64u);
  EXPECT_GE(j["store"]["schema_version"].get<int>(), 1);
  // A second init is a usage/I-O error (2) with the reason on stderr.
  EXPECT_EQ(RunArgs({"init", "--data-dir", dir.string()}, c, &out, &err), kExitUsage);
  EXPECT_NE(err.find("already exists"), std::string::npos);
}

TEST(Cli, SessionTimeoutsAreFlagsOfServeAndDemoWithinBounds) {
  Captured c;
  ASSERT_EQ(RunArgs({"serve"}, c), kExitOk);
  EXPECT_EQ(c.options.sessions.idle_timeout, std::chrono::minutes(30));
  EXPECT_EQ(c.options.sessions.absolute_timeout, std::chrono::hours(12));
  ASSERT_EQ(RunArgs({"demo", "--session-idle-minutes", "5", "--session-max-hours", "2"}, c),
            kExitOk);
  EXPECT_EQ(c.options.sessions.idle_timeout, std::chrono::minutes(5));
  EXPECT_EQ(c.options.sessions.absolute_timeout, std::chrono::hours(2));

  c.calls = 0;
  std::string err;
  EXPECT_EQ(RunArgs({"serve", "--session-idle-minutes", "0"}, c, nullptr, &err), kExitUsage);
  EXPECT_NE(err.find("idle timeout must be 1 minute to 24 hours"), std::string::npos) << err;
  EXPECT_EQ(RunArgs({"serve", "--session-max-hours", "721"}, c, nullptr, &err), kExitUsage);
  EXPECT_NE(err.find("absolute timeout must be 1 hour to 30 days"), std::string::npos) << err;
  EXPECT_EQ(RunArgs({"serve", "--session-idle-minutes", "180", "--session-max-hours", "2"}, c,
                    nullptr, &err),
            kExitUsage);
  EXPECT_NE(err.find("not be longer than the absolute"), std::string::npos) << err;
  EXPECT_EQ(RunArgs({"serve", "--session-idle-minutes", "ten"}, c), kExitUsage);
  EXPECT_EQ(c.calls, 0);
}

// The administration commands against a real data directory, as an operator would run them.
class AdminCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    ASSERT_EQ(Cmd({"init", "--admin", "boss"}, &err), kExitOk) << err;
    passphrase_file_ = temp_ / "passphrase";
    std::ofstream(passphrase_file_) << "correct horse battery staple orbit\n";
  }

  // Runs a command on the data directory with --json and parses its output.
  nlohmann::json Json(std::vector<std::string> args, int expected_exit = kExitOk) {
    args.insert(args.end(), {"--data-dir", dir_.string(), "--json"});
    std::string out, err;
    Captured c;
    const int code = RunArgs(args, c, &out, &err);
    EXPECT_EQ(code, expected_exit) << err;
    return code == expected_exit ? nlohmann::json::parse(out) : nlohmann::json();
  }
  int Cmd(std::vector<std::string> args, std::string* err = nullptr) {
    args.insert(args.end(), {"--data-dir", dir_.string()});
    Captured c;
    return RunArgs(args, c, nullptr, err);
  }

  const base::testing::ScopedTempDir temp_;
  const std::filesystem::path dir_ = temp_ / "data";
  std::filesystem::path passphrase_file_;
};

TEST_F(AdminCommandsTest, TenantsAreCreatedListedSuspendedAndResumed) {
  const auto created = Json({"tenant", "add", "Acme Ltd"});
  const std::string id = created["tenant"]["id"];
  EXPECT_TRUE(id.starts_with("ten_"));
  EXPECT_EQ(created["tenant"]["status"], "active");
  Json({"tenant", "add", "Globex"});

  const auto list = Json({"tenant", "list"});
  ASSERT_EQ(list["tenants"].size(), 2u);

  EXPECT_EQ(Json({"tenant", "suspend", "Acme Ltd"})["tenant"]["status"], "suspended");
  EXPECT_EQ(Json({"tenant", "resume", id})["tenant"]["status"], "active");

  std::string err;
  EXPECT_EQ(Cmd({"tenant", "add", "Acme Ltd"}, &err), kExitUsage);
  EXPECT_NE(err.find("Acme Ltd"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"tenant", "suspend", "Initech"}, &err), kExitUsage);
  EXPECT_FALSE(err.empty());
  EXPECT_EQ(Cmd({"tenant", "resume", "Acme Ltd"}, &err), kExitUsage);  // Not suspended.
  EXPECT_FALSE(err.empty());
}

TEST_F(AdminCommandsTest, UsersAreAddedListedDeactivatedReactivatedAndReEnrolled) {
  Json({"tenant", "add", "Acme"});
  const auto added = Json({"user", "add", "--username", "alice", "--role", "client_admin",
                           "--tenant", "Acme", "--password-file", passphrase_file_.string()});
  EXPECT_EQ(added["user"]["username"], "alice");
  EXPECT_EQ(added["user"]["role"], "client_admin");
  EXPECT_FALSE(added.contains("password"));  // It came from the file; nothing to show.
  EXPECT_EQ(added["recovery_codes"].size(), 10u);
  const std::string first_secret = added["totp_secret"];

  const auto generated = Json({"user", "add", "--username", "sam", "--role", "service"});
  EXPECT_GE(generated["password"].get<std::string>().size(), 12u);

  const auto later =
      Json({"user", "add", "--username", "lee", "--role", "staff", "--enroll-at-first-sign-in"});
  EXPECT_FALSE(later.contains("totp_secret"));
  EXPECT_EQ(later["user"]["enrollment_pending"], true);
  EXPECT_GE(later["password"].get<std::string>().size(), 12u);

  EXPECT_EQ(Json({"user", "list"})["users"].size(), 4u);  // boss, alice, sam, lee.
  const auto acme = Json({"user", "list", "--tenant", "Acme"});
  ASSERT_EQ(acme["users"].size(), 1u);
  EXPECT_EQ(acme["users"][0]["username"], "alice");

  const auto off = Json({"user", "deactivate", "alice"});
  EXPECT_EQ(off["user"]["active"], false);
  EXPECT_TRUE(off["user"]["deactivated_at"].is_string());

  const auto back = Json({"user", "reactivate", "alice"});
  EXPECT_EQ(back["user"]["active"], true);
  EXPECT_TRUE(back.contains("password"));  // A new passphrase, generated and shown once.
  EXPECT_NE(back["totp_secret"], first_secret);

  const auto reset = Json({"user", "reset-2fa", "alice"});
  EXPECT_NE(reset["totp_secret"], back["totp_secret"]);
  EXPECT_EQ(reset["recovery_codes"].size(), 10u);
}

TEST_F(AdminCommandsTest, AuditVerifyPassesOnAnIntactLogAndNamesTheFirstBadEvent) {
  Json({"tenant", "add", "Acme"});
  Json({"user", "add", "--username", "sam", "--role", "service"});
  const auto good = Json({"audit", "verify"});
  EXPECT_EQ(good["ok"], true);
  EXPECT_EQ(good["events"], kInitEvents + 2);  // Init's, the tenant, sam.
  EXPECT_EQ(good["covered"], kInitEvents + 2);
  EXPECT_TRUE(good["first_bad_seq"].is_null());
  std::string out;
  Captured c;
  EXPECT_EQ(RunArgs({"audit", "verify", "--data-dir", dir_.string()}, c, &out), kExitOk);
  // The first verification recorded its outcome: one event more.
  EXPECT_NE(out.find("Audit log verified: " + std::to_string(kInitEvents + 3) + " events"),
            std::string::npos)
      << out;

  {  // Someone with write access to the database rewrites the tenant's creation.
    base::SystemClock clock;
    auto store = *audit::OpenAuditStore(DataDirLayout(dir_).audit_store(), clock, false);
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Execute("UPDATE audit_events SET actor_id = 'someone' WHERE seq = 1").ok());
    ASSERT_TRUE(tx->Commit().ok());
    tx.reset();
    ASSERT_TRUE(store->Close().ok());
  }
  EXPECT_EQ(RunArgs({"audit", "verify", "--data-dir", dir_.string()}, c, &out), kExitCheckFailed);
  EXPECT_NE(out.find("First bad sequence number: 1"), std::string::npos) << out;
  const auto bad = Json({"audit", "verify"}, kExitCheckFailed);
  EXPECT_EQ(bad["ok"], false);
  EXPECT_EQ(bad["first_bad_seq"], 1);
  EXPECT_FALSE(bad["problems"].empty());

  // Each outcome is in the log as audit.verify (the failed ones raise an alert in the server).
  base::SystemClock clock;
  auto store = *audit::OpenAuditStore(DataDirLayout(dir_).audit_store(), clock, false);
  auto rows = *(*store->BeginRead())
                   ->Query(
                       "SELECT outcome, reason FROM audit_events WHERE action = 'audit.verify' "
                       "ORDER BY seq");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(*rows[0].GetText(0), "allowed");
  EXPECT_EQ(*rows[1].GetText(0), "allowed");
  EXPECT_EQ(*rows[2].GetText(0), "failed");
  EXPECT_EQ(*rows[2].GetText(1), "tampering_found");
  ASSERT_TRUE(store->Close().ok());
}

TEST_F(AdminCommandsTest, InitLoadsTheShippedCatalogsAndAnOscalCatalogCanBeImported) {
  const auto listed = Json({"framework", "list"});
  ASSERT_EQ(listed["frameworks"].size(), 5u);
  EXPECT_EQ(listed["crosswalks"].size(), 4u);
  for (const auto& f : listed["frameworks"]) EXPECT_EQ(f["origin"], "shipped");

  const std::string oscal =
      (std::filesystem::path(STRONGROOM_TESTDATA_DIR) / "isms/oscal-small-catalog.json").string();
  const auto imported = Json({"framework", "import-oscal", oscal, "--id", "test-baseline"});
  EXPECT_EQ(imported["framework"]["id"], "test-baseline");
  EXPECT_EQ(imported["framework"]["items"], 8);
  EXPECT_EQ(Json({"framework", "list"})["frameworks"].size(), 6u);
  // Opening the data directory again loads nothing new: the catalogs did not change.
  const auto verified = Json({"audit", "verify"});
  EXPECT_EQ(verified["events"], kInitEvents + 1);  // Init's and the import.

  std::string err;
  const std::filesystem::path bad = temp_ / "not-oscal.json";
  std::ofstream(bad) << R"({"profile": {}})";
  EXPECT_EQ(Cmd({"framework", "import-oscal", bad.string(), "--id", "x"}, &err), kExitUsage);
  EXPECT_NE(err.find("not-oscal.json: not an OSCAL catalog"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"framework", "import-oscal", oscal, "--id", "Bad Id"}, &err), kExitUsage);
  EXPECT_NE(err.find("framework id"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"framework", "import-oscal", oscal, "--id", "iso27001-2022"}, &err), kExitUsage);
  EXPECT_NE(err.find("shipped with Strongroom"), std::string::npos) << err;
}

TEST_F(AdminCommandsTest, ControlsEvidenceCoverageAndReportsFromTheCommandLine) {
  // init installed the default library, owned by the first admin.
  const auto library = Json({"control", "list"});
  EXPECT_EQ(library["controls"].size(), isms::ShippedControlLibrary()->controls.size());

  const auto added = Json({"control", "add", "--id", "OPS-01", "--title", "Weekly restore test",
                           "--owner", "boss", "--status", "implemented", "--map",
                           "iso27001-2022:A.8.13", "--map", "aicpa-tsc-2017:A1.3"});
  EXPECT_EQ(added["control"]["id"], "OPS-01");
  EXPECT_EQ(added["control"]["requirements"].size(), 2u);
  const auto changed = Json({"control", "update", "OPS-01", "--review-days", "30", "--reviewed"});
  EXPECT_EQ(changed["control"]["version"], 2);
  EXPECT_EQ(changed["control"]["review_every_days"], 30);
  EXPECT_EQ(Json({"control", "show", "OPS-01"})["control"]["version"], 2);
  EXPECT_EQ(Json({"control", "list", "--framework", "aicpa-tsc-2017", "--status",
                  "implemented"})["controls"]
                    .size() > 0,
            true);

  const auto evidence =
      Json({"evidence", "add", "OPS-01", "--kind", "attestation", "--title", "Restore test",
            "--from", "2026-11-01", "--to", "2026-11-30", "--expires", "2099-01-01T00:00:00Z",
            "--attested-by", "Olga Ivanova", "--statement", "The restore succeeded."});
  EXPECT_EQ(evidence["evidence"]["kind"], "attestation");
  EXPECT_EQ(Json({"evidence", "list", "OPS-01"})["evidence"].size(), 1u);

  const auto coverage = Json({"report", "coverage", "iso27001-2022"});
  bool reason = false;  // A.8.13 counts OPS-01 (and the library's backup controls).
  for (const auto& r : coverage["coverage"]["requirements"]) {
    if (r["id"] != "A.8.13") continue;
    for (const auto& why : r["reasons"]) reason |= why["control_id"] == "OPS-01";
  }
  EXPECT_TRUE(reason);
  std::string out;
  Captured c;
  ASSERT_EQ(RunArgs({"report", "soa", "iso27001-2022", "--data-dir", dir_.string()}, c, &out),
            kExitOk);
  EXPECT_NE(out.find("\"A.8.13\""), std::string::npos);
  const std::filesystem::path xlsx = temp_ / "soa.xlsx";
  EXPECT_EQ(Cmd({"report", "soa", "iso27001-2013", "--format", "xlsx", "--out", xlsx.string()}),
            kExitOk);
  EXPECT_GT(std::filesystem::file_size(xlsx), 1000u);

  std::string err;
  EXPECT_EQ(Cmd({"control", "add", "--title", "No owner"}, &err), kExitUsage);
  EXPECT_NE(err.find("--owner is required"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"control", "add", "--title", "x", "--owner", "boss", "--map", "A.8.13"}, &err),
            kExitUsage);
  EXPECT_NE(err.find("FRAMEWORK:REQUIREMENT"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"evidence", "add", "OPS-01", "--kind", "file", "--title", "t", "--from",
                 "2026-11-01", "--to", "2026-11-30", "--expires", "2099-01-01T00:00:00Z"},
                &err),
            kExitUsage);
  EXPECT_NE(err.find("POST /api/v1/controls/{id}/evidence"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"report", "soa", "nist-csf-2.0"}, &err), kExitUsage);
  EXPECT_EQ(Cmd({"report", "soa", "iso27001-2022", "--format", "xlsx"}, &err), kExitUsage);
  EXPECT_NE(err.find("--out"), std::string::npos) << err;
}

TEST_F(AdminCommandsTest, EvidenceIsCheckedAgainstItsHashInTheAuditLog) {
  const auto first =
      Json({"evidence", "add", "SR-BAK-03", "--kind", "link", "--title", "Restore report", "--from",
            "2026-11-01", "--to", "2026-11-30", "--expires", "2099-01-01T00:00:00Z", "--url",
            "https://wiki.example/restore"});
  Json({"evidence", "add", "SR-BAK-03", "--kind", "attestation", "--title", "Restore watched",
        "--from", "2026-11-01", "--to", "2026-11-30", "--expires", "2099-01-01T00:00:00Z",
        "--attested-by", "Olga", "--statement", "It worked."});
  const auto clean = Json({"evidence", "verify"});
  EXPECT_EQ(clean["ok"], true);
  EXPECT_EQ(clean["checked"], 2);

  {  // Someone with write access to the database points the link elsewhere.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "strongroom.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE isms_evidence SET url = 'https://evil.example/' WHERE kind = "
                           "'link'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  std::string out;
  Captured c;
  EXPECT_EQ(RunArgs({"evidence", "verify", "--data-dir", dir_.string()}, c, &out),
            kExitCheckFailed);
  EXPECT_NE(out.find(first["evidence"]["id"].get<std::string>() + ": its content does not hash"),
            std::string::npos)
      << out;
  {  // ...and rewrites its hash too: the audit log still has the original.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "strongroom.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE isms_evidence SET sha256 = 'ab' WHERE kind = 'link'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  {  // Every detail is covered, not only the content hash: a changed period is seen.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "strongroom.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE isms_evidence SET period_to = '2026-12-31' WHERE kind = "
                           "'attestation'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const auto tampered = Json({"evidence", "verify"}, kExitCheckFailed);
  EXPECT_EQ(tampered["ok"], false);
  bool named = false;
  for (const auto& p : tampered["problems"]) {
    named |= p["problem"].get<std::string>().find("not the one recorded in the audit log") !=
             std::string::npos;
  }
  EXPECT_TRUE(named) << tampered.dump();
  EXPECT_EQ(tampered["problems"].size(), 3u) << tampered.dump();  // Both links' and the period.
}

TEST_F(AdminCommandsTest, AuditExportWritesJsonLinesFromAPositionOrATime) {
  const std::string acme = Json({"tenant", "add", "Acme"})["tenant"]["id"];
  Json({"tenant", "add", "Globex"});
  const auto lines = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"audit", "export", "--data-dir", dir_.string()});
    std::string out, err;
    Captured c;
    EXPECT_EQ(RunArgs(args, c, &out, &err), kExitOk) << err;
    std::vector<nlohmann::json> parsed;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) parsed.push_back(nlohmann::json::parse(line));
    return parsed;
  };
  const auto all = lines({});
  ASSERT_EQ(all.size(), kInitEvents + 3);  // Init's, two tenants, and this export itself.
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]["seq"], i);
    EXPECT_EQ(all[i]["leaf_hash"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(all[kInitEvents + 2]["action"], "audit.export");
  EXPECT_EQ(lines({"--since", "2"}).front()["seq"], 2);
  EXPECT_EQ(lines({"--since", all[kInitEvents + 1]["time"]}).front()["seq"], kInitEvents + 1);
  const auto acme_only = lines({"--tenant", acme});
  ASSERT_EQ(acme_only.size(), 2u);  // Its creation, and the export of its trail.
  EXPECT_EQ(acme_only[0]["action"], "tenants.create");

  std::string err;
  EXPECT_EQ(Cmd({"audit", "export", "--since", "yesterday"}, &err), kExitUsage);
  EXPECT_NE(err.find("RFC 3339"), std::string::npos) << err;
}

TEST_F(AdminCommandsTest, ADeletedAuditLogIsNoticed) {
  std::filesystem::remove(dir_ / "audit.db");
  std::filesystem::remove(dir_ / "audit-checkpoints.jsonl");
  std::string err;
  EXPECT_EQ(Cmd({"tenant", "list"}, &err), kExitUsage);
  EXPECT_NE(err.find("is missing"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"audit", "verify"}, &err), kExitUsage);
}

TEST_F(AdminCommandsTest, BadInputIsRefusedWithTheReasonAndChangesNothing) {
  std::string err;
  EXPECT_EQ(Cmd({"user", "add", "--username", "x", "--role", "wizard"}, &err), kExitUsage);
  EXPECT_NE(err.find("client_admin"), std::string::npos) << err;  // Lists the accepted roles.
  EXPECT_EQ(Cmd({"user", "add", "--username", "carol", "--role", "client_user"}, &err), kExitUsage);
  EXPECT_NE(err.find("tenant"), std::string::npos) << err;
  EXPECT_EQ(
      Cmd({"user", "add", "--username", "carol", "--role", "client_user", "--tenant", "Nowhere"},
          &err),
      kExitUsage);
  const auto weak = temp_ / "weak";
  std::ofstream(weak) << "password1234\n";
  EXPECT_EQ(Cmd({"user", "add", "--username", "dave", "--role", "staff", "--password-file",
                 weak.string()},
                &err),
            kExitUsage);
  EXPECT_NE(err.find("guess"), std::string::npos) << err;
  EXPECT_EQ(Cmd({"user", "deactivate", "nobody"}, &err), kExitUsage);
  EXPECT_EQ(Cmd({"user", "deactivate", "boss"}, &err), kExitUsage);  // The last admin.
  EXPECT_NE(err.find("admin"), std::string::npos) << err;
  Captured c;
  EXPECT_EQ(RunArgs({"user", "list", "--data-dir", (temp_ / "missing").string()}, c, nullptr, &err),
            kExitUsage);
  EXPECT_NE(err.find("strongroom init"), std::string::npos) << err;

  EXPECT_EQ(Json({"user", "list"})["users"].size(), 1u);  // Only boss.
}

}  // namespace
}  // namespace strongroom::cli
