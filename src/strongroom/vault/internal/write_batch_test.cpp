#include "strongroom/vault/internal/write_batch.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::vault::internal {
namespace {

// The batcher on its own, over a real store and an in-memory audit sink, with batches small
// enough that most writers wait behind a full batch and leadership passes many times.
class WriteBatcherTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Execute("CREATE TABLE batch_test (id TEXT PRIMARY KEY)").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  // Inserts `id` and names it in the event; fails (after inserting) when `fail` is set.
  static WriteBatcher::Work Insert(const std::string& id, bool fail = false) {
    return [id, fail](storage::Transaction& tx, audit::Event& event) -> base::Status {
      if (auto s = tx.Execute("INSERT INTO batch_test (id) VALUES (?)", {storage::Text(id)});
          !s.ok()) {
        return s.status();
      }
      if (fail) return base::InvalidArgumentError("refused " + id);
      event.action = "batch.write";
      event.resource = id;
      return base::OkStatus();
    };
  }

  std::set<std::string> Stored() {
    std::set<std::string> out;
    auto tx = store_->BeginRead();
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query("SELECT id FROM batch_test");
    EXPECT_TRUE(rows.ok());
    for (const auto& row : *rows) out.insert(row.GetText(0).value());
    return out;
  }

  std::set<std::string> Audited() {
    std::set<std::string> out;
    for (const auto& e : audit_.With("batch.write")) {
      EXPECT_TRUE(out.insert(e.resource).second) << e.resource << " was recorded twice";
    }
    return out;
  }

  // Runs `per_thread` works on each of `threads` threads; id "t<thread>-<i>", failing where
  // `fails` says. Returns how many failed, by their own error.
  int RunAll(WriteBatcher& batcher, int threads, int per_thread,
             const std::function<bool(int, int)>& fails) {
    std::atomic<int> failed{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
          const base::Status s = batcher.Run(Insert(id, fails(t, i)));
          if (fails(t, i)) {
            EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument) << id << ": " << s.ToString();
            ++failed;
          } else {
            EXPECT_TRUE(s.ok()) << id << ": " << s.ToString();
          }
        }
      });
    }
    for (auto& th : pool) th.join();
    return failed.load();
  }
};

TEST_F(WriteBatcherTest, EveryWriteOfManyConcurrentWritersIsCommittedAndAuditedOnce) {
  WriteBatcher batcher(*store_, audit_, /*max_batch=*/3);
  RunAll(batcher, 16, 25, [](int, int) { return false; });
  std::set<std::string> expected;
  for (int t = 0; t < 16; ++t) {
    for (int i = 0; i < 25; ++i) expected.insert("t" + std::to_string(t) + "-" + std::to_string(i));
  }
  EXPECT_EQ(Stored(), expected);
  EXPECT_EQ(Audited(), expected);
}

TEST_F(WriteBatcherTest, WritersWaitingBehindAFullBatchAreLedWithoutAnyNewWriter) {
  WriteBatcher batcher(*store_, audit_, /*max_batch=*/1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto first = std::async(std::launch::async, [&] {
    return batcher.Run([&](storage::Transaction& tx, audit::Event& event) {
      released.wait();  // Holds the batch (and leadership) while the others queue.
      return Insert("first")(tx, event);
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<std::future<base::Status>> queued;
  for (int i = 0; i < 3; ++i) {
    queued.push_back(std::async(
        std::launch::async, [&, i] { return batcher.Run(Insert("queued-" + std::to_string(i))); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  release.set_value();
  queued.push_back(std::move(first));
  for (auto& f : queued) {
    if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      // The writers are stuck inside the batcher; nothing can end them cleanly.
      std::fprintf(stderr, "a queued writer was never led after the batch ahead of it\n");
      std::_Exit(1);
    }
    EXPECT_TRUE(f.get().ok());
  }
  EXPECT_EQ(Stored(), (std::set<std::string>{"first", "queued-0", "queued-1", "queued-2"}));
}

TEST_F(WriteBatcherTest, AFailedWorkChangesNothingAndDoesNotSinkItsBatch) {
  WriteBatcher batcher(*store_, audit_, /*max_batch=*/4);
  const auto fails = [](int t, int i) { return (t + i) % 3 == 0; };
  const int failed = RunAll(batcher, 12, 20, fails);
  std::set<std::string> expected;
  for (int t = 0; t < 12; ++t) {
    for (int i = 0; i < 20; ++i) {
      if (!fails(t, i)) expected.insert("t" + std::to_string(t) + "-" + std::to_string(i));
    }
  }
  EXPECT_GT(failed, 0);
  EXPECT_EQ(Stored(), expected);  // The failed works' own inserts were rolled back.
  EXPECT_EQ(Audited(), expected);
}

TEST_F(WriteBatcherTest, WhenTheAuditLogFailsNothingIsWrittenAndEveryWriterIsTold) {
  WriteBatcher batcher(*store_, audit_, /*max_batch=*/3);
  audit_.set_fail(true);
  std::vector<std::thread> pool;
  for (int t = 0; t < 8; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const base::Status s =
            batcher.Run(Insert("t" + std::to_string(t) + "-" + std::to_string(i)));
        EXPECT_EQ(s.code(), base::ErrorCode::kUnavailable) << s.ToString();
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_TRUE(Stored().empty());
  audit_.set_fail(false);
  // The batcher still works once the log does.
  EXPECT_TRUE(batcher.Run(Insert("after")).ok());
  EXPECT_EQ(Stored(), std::set<std::string>{"after"});
}

}  // namespace
}  // namespace strongroom::vault::internal
