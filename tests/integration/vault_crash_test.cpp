// Crash safety of the vault on the real binary: concurrent writers, SIGKILL at a random moment,
// restart, and every acknowledged write must be there, intact, with the audit log verifying.
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "binary_fixture.hpp"

namespace strongroom::testing {
namespace {

class VaultCrashTest : public StrongroomBinaryTest {};

TEST_F(VaultCrashTest, EveryAcknowledgedWriteSurvivesSigkillAndTheAuditLogVerifies) {
  Init();
  std::unique_ptr<Process> server;
  std::uint16_t port = Serve(server);
  ASSERT_NE(port, 0);
  const auto [tenant, bearer] = ClientAdmin(port, "acme");
  ASSERT_FALSE(tenant.empty());
  const std::string collection = "/api/v1/tenants/" + tenant + "/collections/notes";
  const auto declared = TryRequest(port, "PUT", collection,
                                   R"({"classification":"confidential","lookup_fields":["n"]})",
                                   {{"Authorization", bearer}});
  ASSERT_TRUE(declared.ok());
  ASSERT_EQ(declared->status, 200) << declared->body;

  std::mutex mu;
  std::map<std::string, std::string> acknowledged;  // id -> the content written.
  // A write in flight when the server died may have committed without its answer: for each id,
  // the one unacknowledged write its (only) writer sent after the last acknowledged one.
  std::map<std::string, std::string> in_flight;
  std::mt19937 rng(20261202);
  constexpr int kRounds = 12;
  constexpr int kWriters = 4;
  int restarts = 0;
  std::chrono::milliseconds slowest_restart{0};
  for (int round = 0; round < kRounds; ++round) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w, round] {
        for (int i = 0; !stop.load(); ++i) {
          const std::string id =
              "r" + std::to_string(round) + "-" + std::to_string(w) + "-" + std::to_string(i);
          // Some writes replace an acknowledged record, so replacement is covered too.
          std::string target = id;
          if (i % 3 == 2) target = "r" + std::to_string(round) + "-" + std::to_string(w) + "-0";
          const std::string content =
              nlohmann::json{{"n", i}, {"writer", w}, {"text", "round " + std::to_string(round)}}
                  .dump();
          {
            std::lock_guard<std::mutex> lock(mu);
            in_flight[target] = content;
          }
          auto r = TryRequest(port, "PUT", collection + "/records/" + target, content,
                              {{"Authorization", bearer}});
          if (!r.ok()) return;  // The server is gone.
          if (r->status == 200 || r->status == 201) {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged[target] = content;
            in_flight.erase(target);
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));
    server->Signal(SIGKILL);
    server->Wait(10s);
    stop = true;
    for (auto& t : writers) t.join();

    const auto started = std::chrono::steady_clock::now();
    port = Serve(server);
    ASSERT_NE(port, 0) << "restart " << round;
    slowest_restart =
        std::max(slowest_restart, std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - started));
    ++restarts;
    // Every acknowledged write is there and intact (the session survives restarts).
    std::lock_guard<std::mutex> lock(mu);
    for (auto& [id, content] : acknowledged) {
      auto r =
          TryRequest(port, "GET", collection + "/records/" + id, "", {{"Authorization", bearer}});
      ASSERT_TRUE(r.ok()) << id;
      ASSERT_EQ(r->status, 200) << id << ": " << r->body;
      const auto data = nlohmann::json::parse(r->body)["data"];
      const auto pending = in_flight.find(id);
      if (pending != in_flight.end() && data == nlohmann::json::parse(pending->second)) {
        content = pending->second;  // It committed; it is what later rounds must find.
        continue;
      }
      EXPECT_EQ(data, nlohmann::json::parse(content)) << id;
    }
    in_flight.clear();
  }
  EXPECT_GT(acknowledged.size(), 50u);
  RecordProperty("acknowledged_writes", static_cast<int>(acknowledged.size()));
  RecordProperty("slowest_restart_ms", static_cast<int>(slowest_restart.count()));
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(15s), 0) << server->Stderr();
  const Completed verified =
      RunStrongroom({"audit", "verify", "--data-dir", data_.string(), "--json"}, scratch_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_EQ(restarts, kRounds);
}

}  // namespace
}  // namespace strongroom::testing
