#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/testing/memory_sink.hpp"
#include "strongroom/audit/testing/tree.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/detect/alert_store.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::detect::testing {

// A real main store and a real audit log in a temporary directory, a fake clock, and an alert
// store that records into the audit log (or, with `alerts_audit_`, into a sink tests can fail).
// Not thread-safe.
class DetectFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteOptions options;
    options.path = temp_ / "strongroom.db";
    options.create = true;
    auto store = storage::OpenSqliteStore(options, clock_);
    ASSERT_TRUE(store.ok()) << store.error().message();
    store_ = std::move(*store);
    auto audit_store = audit::OpenAuditStore(temp_ / "audit.db", clock_);
    ASSERT_TRUE(audit_store.ok()) << audit_store.error().message();
    audit_store_ = std::move(*audit_store);
    auto log = audit::AuditLog::Open(*audit_store_, audit::testing::TestCheckpointKey(),
                                     temp_ / "audit-checkpoints.jsonl", clock_);
    ASSERT_TRUE(log.ok()) << log.error().message();
    log_ = std::move(*log);
    tee_ = std::make_unique<audit::TeeSink>(*log_, alerts_audit_);
    alerts_ = std::make_unique<AlertStore>(*store_, *tee_, clock_);
  }
  void TearDown() override {
    alerts_.reset();
    if (log_) {
      EXPECT_TRUE(log_->Close().ok());
    }
    log_.reset();
  }

  // Records an event at the fake clock's time and moves the clock on a second.
  void Record(std::string action, audit::Outcome outcome, std::string resource,
              std::string source = "198.51.100.7", std::string actor = "", std::string role = "",
              std::string tenant = "") {
    audit::Event e =
        audit::MakeEvent(audit::Actor{actor, role, source, "req"}, clock_.Now(), std::move(action),
                         std::move(resource), outcome, "", std::move(tenant));
    ASSERT_TRUE(log_->Record(e).ok());
    clock_.Advance(std::chrono::seconds(1));
  }
  void FailedSignIn(const std::string& account, const std::string& source = "198.51.100.7") {
    Record("auth.login", audit::Outcome::kDenied, account, source);
  }

  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_{base::FromUnixMillis(1'800'000'000'000)};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::Store> audit_store_;
  std::unique_ptr<audit::AuditLog> log_;
  audit::testing::MemorySink alerts_audit_;  // A copy of what the alert store records.
  std::unique_ptr<audit::TeeSink> tee_;
  std::unique_ptr<AlertStore> alerts_;
};

}  // namespace strongroom::detect::testing
