#include "strongroom/audit/log_sink.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/memory_logger.hpp"

namespace strongroom::audit {
namespace {

TEST(LogSink, WritesOneAuditLineWithEveryField) {
  base::testing::FakeClock clock;
  base::testing::MemoryLogger logger(clock);
  LogSink sink(logger);
  Event e;
  e.time = base::FromUnixMillis(0);
  e.actor_id = "usr_1";
  e.actor_role = "admin";
  e.action = "users.deactivate";
  e.resource = "user:usr_2";
  e.outcome = Outcome::kAllowed;
  e.reason = "role:admin";
  e.source_address = "127.0.0.1";
  e.request_id = "r1";
  e.details["username"] = "bob";
  ASSERT_TRUE(sink.Record(e).ok());
  ASSERT_EQ(logger.lines().size(), 1u);
  const auto j = nlohmann::json::parse(logger.lines()[0]);
  EXPECT_EQ(j["event"], "audit");
  EXPECT_EQ(j["time"], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(j["actor_id"], "usr_1");
  EXPECT_EQ(j["action"], "users.deactivate");
  EXPECT_EQ(j["outcome"], "allowed");
  EXPECT_EQ(j["detail.username"], "bob");
}

}  // namespace
}  // namespace strongroom::audit
