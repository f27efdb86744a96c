#include "strongroom/http/error_mapping.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace strongroom::http {
namespace {

TEST(ErrorMapping, EveryCodeHasAnHttpStatus) {
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(base::ErrorCode::kDataLoss), 500);
}

TEST(ErrorMapping, ClientErrorsKeepTheirMessageServerErrorsDoNot) {
  Response r = ErrorResponse(base::InvalidArgumentError("limit must be 1..1000"), "req1");
  EXPECT_EQ(r.status, 400);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "invalid_argument");
  EXPECT_EQ(j["error"]["message"], "limit must be 1..1000");

  r = ErrorResponse(base::DataLossError("row 7 of users is corrupt at /var/lib/x"), "req2");
  EXPECT_EQ(r.status, 500);
  j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "internal");
  EXPECT_EQ(r.body.find("/var/lib"), std::string::npos);
  EXPECT_NE(r.body.find("req2"), std::string::npos);
}

TEST(ErrorMapping, InvalidUtf8InAMessageStillYieldsValidJson) {
  const Response r = ErrorResponse(400, "bad_request", "bad byte \xff here");
  EXPECT_TRUE(nlohmann::json::accept(r.body));
}

}  // namespace
}  // namespace strongroom::http
