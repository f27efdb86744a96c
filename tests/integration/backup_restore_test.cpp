// Backups on the real binary: `backup create` while the server serves concurrent writes, then
// `verify`, `restore` into a new directory, and `serve` from it: the client signs in with the
// same passphrase and TOTP secret and reads back every record acknowledged before the backup.
#include <signal.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "binary_fixture.hpp"

namespace strongroom::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class BackupRestoreTest : public StrongroomBinaryTest {
 protected:
  std::uint16_t ServeFrom(std::unique_ptr<Process>& process, const fs::path& dir) {
    process =
        std::make_unique<Process>(std::vector<std::string>{"serve", "--data-dir", dir.string(),
                                                           "--listen", "127.0.0.1:0", "--json"},
                                  scratch_);
    if (!process->WaitForStdout("\"url\"", 20s)) {
      ADD_FAILURE() << "server did not start: " << process->Stderr();
      return 0;
    }
    const auto j = json::parse(process->Stdout().substr(0, process->Stdout().find('\n')));
    const std::string url = j["url"];
    return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  }

  std::string SignIn(std::uint16_t port, const json& user, const std::string& name,
                     std::chrono::seconds ahead = 0s) {
    const auto login =
        Post(port, "/api/v1/auth/login",
             {{"username", name},
              {"password", user["password"]},
              {"totp", crypto::Totp(*base::Base32Decode(user["totp_secret"].get<std::string>()),
                                    std::chrono::system_clock::now() + ahead)}});
    EXPECT_EQ(login.status, 200) << login.body;
    const auto session = json::parse(login.body, nullptr, false);
    return session.is_object() && session.contains("token")
               ? "Bearer " + session["token"].get<std::string>()
               : "";
  }
};

TEST_F(BackupRestoreTest, ABackupTakenUnderLoadRestoresIntoAServerThatServesIt) {
  Init();
  std::unique_ptr<Process> server;
  const std::uint16_t port = Serve(server);
  ASSERT_NE(port, 0);
  const Completed t =
      RunStrongroom({"tenant", "add", "acme", "--data-dir", data_.string(), "--json"}, scratch_);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string tenant = json::parse(t.out)["tenant"]["id"];
  const Completed u =
      RunStrongroom({"user", "add", "--username", "acme-admin", "--role", "client_admin",
                     "--tenant", "acme", "--data-dir", data_.string(), "--json"},
                    scratch_);
  ASSERT_EQ(u.exit_code, 0) << u.err;
  const json user = json::parse(u.out);
  const std::string bearer = SignIn(port, user, "acme-admin");
  const std::string collection = "/api/v1/tenants/" + tenant + "/collections/notes";
  auto declared = TryRequest(port, "PUT", collection, R"({"classification":"confidential"})",
                             {{"Authorization", bearer}});
  ASSERT_TRUE(declared.ok());
  ASSERT_EQ(declared->status, 200) << declared->body;

  std::mutex mu;
  std::map<std::string, std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        const std::string content = json{{"n", i}, {"writer", w}}.dump();
        auto r = TryRequest(port, "PUT", collection + "/records/" + id, content,
                            {{"Authorization", bearer}});
        if (r.ok() && (r->status == 200 || r->status == 201)) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged[id] = content;
        }
      }
    });
  }
  std::this_thread::sleep_for(500ms);
  std::map<std::string, std::string> before;
  {
    std::lock_guard<std::mutex> lock(mu);
    before = acknowledged;
  }
  const fs::path dest = scratch_ / "backups";
  const Completed created = RunStrongroom(
      {"backup", "create", "--data-dir", data_.string(), "--to", dest.string(), "--json"},
      scratch_);
  std::this_thread::sleep_for(200ms);
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const json backup = json::parse(created.out);
  ASSERT_GT(before.size(), 10u);

  const Completed verified = RunStrongroom(
      {"backup", "verify", "--data-dir", data_.string(), "--from", dest.string(), "--json"},
      scratch_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const Completed listed = RunStrongroom(
      {"backup", "list", "--data-dir", data_.string(), "--from", dest.string(), "--json"},
      scratch_);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out)["backups"][0]["verified_ok"], true);

  // A changed byte: refused, and nothing is left where the restore would have gone.
  const fs::path damaged = scratch_ / "damaged";
  fs::create_directories(damaged);
  fs::copy(dest, damaged, fs::copy_options::recursive);
  const fs::path payload = damaged / backup["id"].get<std::string>() / "data.sbk";
  {
    std::fstream f(payload, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(payload) / 2));
    f.put('\x5a');
  }
  const Completed refused =
      RunStrongroom({"backup", "restore", "--data-dir", data_.string(), "--from", damaged.string(),
                     "--to", (scratch_ / "not-restored").string()},
                    scratch_);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("does not authenticate"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(scratch_ / "not-restored"));

  const fs::path restored = scratch_ / "restored";
  const Completed r = RunStrongroom({"backup", "restore", "--data-dir", data_.string(), "--from",
                                     dest.string(), "--to", restored.string()},
                                    scratch_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s), std::optional<int>(0));

  const Completed audit =
      RunStrongroom({"audit", "verify", "--data-dir", restored.string()}, scratch_);
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;

  std::unique_ptr<Process> second;
  const std::uint16_t port2 = ServeFrom(second, restored);
  ASSERT_NE(port2, 0);
  // The restored store remembers the TOTP step last used (a code is never accepted twice), so
  // the next step's code, which the server's one-step tolerance accepts.
  const std::string bearer2 = SignIn(port2, user, "acme-admin", 30s);
  ASSERT_FALSE(bearer2.empty());
  for (const auto& [id, content] : before) {
    auto got =
        TryRequest(port2, "GET", collection + "/records/" + id, "", {{"Authorization", bearer2}});
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->status, 200) << id << ": " << got->body;
    const json doc = json::parse(got->body);
    EXPECT_EQ(doc["data"], json::parse(content)) << id;
  }
}

}  // namespace
}  // namespace strongroom::testing
