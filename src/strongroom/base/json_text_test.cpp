#include "strongroom/base/json_text.hpp"

#include <gtest/gtest.h>

namespace strongroom::base {
namespace {

TEST(JsonText, CountsNestingOutsideStringsOnly) {
  EXPECT_TRUE(CheckJsonText("{}", 1).ok());
  EXPECT_FALSE(CheckJsonText("[[]]", 1).ok());
  EXPECT_TRUE(CheckJsonText("[[]]", 2).ok());
  EXPECT_TRUE(CheckJsonText(R"({"a":[1,{"b":2}]})", 3).ok());
  EXPECT_FALSE(CheckJsonText(R"({"a":[1,{"b":2}]})", 2).ok());
  EXPECT_TRUE(CheckJsonText(R"({"a":"[[[[{{{{"})", 1).ok());
  EXPECT_TRUE(CheckJsonText(R"({"a":"\"[[[["})", 1).ok());  // Escaped quote stays in the string.
  EXPECT_TRUE(CheckJsonText(R"(["\\",[]])", 2).ok());       // Escaped backslash ends the escape.
  EXPECT_FALSE(CheckJsonText(R"(["\\",[[]]])", 2).ok());
  const base::Status s = CheckJsonText(std::string(100000, '['), 32);
  EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("32"), std::string::npos);
}

TEST(JsonText, RefusesARawNulAnywhere) {
  for (const std::string& text : {std::string("{}\0{\"a\":1}", 9),
                                  std::string("{\"a\":\"x\0y\"}", 11), std::string("\0", 1)}) {
    const base::Status s = CheckJsonText(text, 32);
    EXPECT_EQ(s.code(), base::ErrorCode::kInvalidArgument);
    EXPECT_NE(s.message().find("NUL"), std::string::npos);
  }
  EXPECT_TRUE(CheckJsonText(R"({"a":"\u0000"})", 32).ok());
}

}  // namespace
}  // namespace strongroom::base
