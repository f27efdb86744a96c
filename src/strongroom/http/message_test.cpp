#include "strongroom/http/message.hpp"

#include <gtest/gtest.h>

namespace strongroom::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndRejectsMalformedOnes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("abc%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%00", false), std::nullopt);
}

TEST(Request, FindsHeadersAndQueryParameters) {
  Request r;
  r.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
  r.query = "limit=10&cursor=a%2Bb&where=name%3Abob&flag&e=";
  EXPECT_EQ(r.Header("x-a"), "1");
  EXPECT_EQ(r.Header("missing"), std::nullopt);
  EXPECT_EQ(r.QueryParam("limit"), "10");
  EXPECT_EQ(r.QueryParam("cursor"), "a+b");
  EXPECT_EQ(r.QueryParam("where"), "name:bob");
  EXPECT_EQ(r.QueryParam("flag"), "");
  EXPECT_EQ(r.QueryParam("e"), "");
  EXPECT_EQ(r.QueryParam("nope"), std::nullopt);
  // As a filter, an empty value is no filter.
  EXPECT_EQ(r.FilterParam("limit"), "10");
  EXPECT_EQ(r.FilterParam("e"), std::nullopt);
  EXPECT_EQ(r.FilterParam("flag"), std::nullopt);
  EXPECT_EQ(r.FilterParam("nope"), std::nullopt);
}

}  // namespace
}  // namespace strongroom::http
