#include "strongroom/base/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::base {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgumentError("must be positive");
  return v;
}

Result<int> DoublePositive(int v) {
  SR_ASSIGN_OR_RETURN(const int parsed, ParsePositive(v));
  return parsed * 2;
}

Status CheckBoth(int a, int b) {
  SR_RETURN_IF_ERROR(ParsePositive(a));
  SR_RETURN_IF_ERROR(ParsePositive(b).status());
  return OkStatus();
}

TEST(Result, HoldsValueOrError) {
  Result<int> ok = 5;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  EXPECT_TRUE(ok.status().ok());

  Result<int> bad = NotFoundError("no such thing");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, MovesOnlyTypes) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(3);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> taken = std::move(r).value();
  EXPECT_EQ(*taken, 3);
}

TEST(StatusMacros, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*DoublePositive(4), 8);
  const Result<int> r = DoublePositive(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "must be positive");
}

TEST(StatusMacros, ReturnIfErrorStopsAtTheFailingCall) {
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  EXPECT_EQ(CheckBoth(1, 0).code(), ErrorCode::kInvalidArgument);
}

TEST(Status, NamesAndContext) {
  const Status s = PermissionDeniedError("role staff may not read tenant data");
  EXPECT_EQ(s.ToString(), "permission_denied: role staff may not read tenant data");
  EXPECT_EQ(s.WithContext("GET record").message(),
            "GET record: role staff may not read tenant data");
  EXPECT_TRUE(OkStatus().WithContext("x").ok());
  EXPECT_EQ(ErrnoError("open", ENOENT).code(), ErrorCode::kNotFound);
  EXPECT_EQ(ErrnoError("write", ENOSPC).code(), ErrorCode::kResourceExhausted);
}

TEST(ResultDeathTest, ValueOfAnErrorAborts) {
  Result<int> bad = InternalError("x");
  EXPECT_DEATH((void)bad.value(), "SR_CHECK failed");
}

}  // namespace
}  // namespace strongroom::base
