#include "strongroom/http/json_limits.hpp"

#include <gtest/gtest.h>

namespace strongroom::http {
namespace {

TEST(JsonDepth, CountsNestingOutsideStringsOnly) {
  EXPECT_TRUE(CheckJsonDepth("{}", 1).ok());
  EXPECT_FALSE(CheckJsonDepth("[[]]", 1).ok());
  EXPECT_TRUE(CheckJsonDepth("[[]]", 2).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a":[1,{"b":2}]})", 3).ok());
  EXPECT_FALSE(CheckJsonDepth(R"({"a":[1,{"b":2}]})", 2).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a":"[[[[{{{{"})", 1).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a":"\"[[[["})", 1).ok());  // Escaped quote stays in the string.
  EXPECT_TRUE(CheckJsonDepth(R"(["\\",[]])", 2).ok());       // Escaped backslash ends the escape.
  EXPECT_FALSE(CheckJsonDepth(R"(["\\",[[]]])", 2).ok());
  const base::Status s = CheckJsonDepth(std::string(100000, '['), 32);
  EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("32"), std::string::npos);
}

}  // namespace
}  // namespace strongroom::http
