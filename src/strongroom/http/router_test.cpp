#include "strongroom/http/router.hpp"

#include <gtest/gtest.h>

namespace strongroom::http {
namespace {

Handler Named(std::string name) {
  return [name](const Request&) { return Response::Json(200, name); };
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Add("GET", "/api/v1/tenants/{tenant}/records/{id}", Named("get"));
  router.Add("PUT", "/api/v1/tenants/{tenant}/records/{id}", Named("put"));
  router.Add("GET", "/api/v1/tenants", Named("list"));
  router.Add("GET", "/", Named("root"));

  auto m = router.Find("GET", "/api/v1/tenants/t%201/records/r-9");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/tenants/{tenant}/records/{id}");
  EXPECT_EQ(m.params.at("tenant"), "t 1");
  EXPECT_EQ(m.params.at("id"), "r-9");
  EXPECT_EQ(router.Find("GET", "/api/v1/tenants").outcome, Router::Outcome::kFound);
  EXPECT_EQ(router.Find("GET", "/").outcome, Router::Outcome::kFound);
  EXPECT_EQ(router.Find("GET", "/api/v1/tenants/x").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(router.Find("GET", "/api/v1/tenant").outcome, Router::Outcome::kNotFound);
}

TEST(Router, ReportsAllowedMethods) {
  Router router;
  router.Add("PUT", "/r/{id}", Named("put"));
  router.Add("GET", "/r/{id}", Named("get"));
  router.Add("DELETE", "/r/{id}", Named("del"));
  const auto m = router.Find("POST", "/r/1");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "DELETE, GET, PUT");
}

TEST(Router, RefusesAmbiguousPaths) {
  Router router;
  router.Add("GET", "/r/{id}", Named("get"));
  for (const char* path : {"r/1", "/r/../r/1", "/r/./1", "//r/1", "/r/1/", "/r/%2e%2E", "/r/a%2Fb",
                           "/r/a%5cb", "/r/a\\b", "/r/%00", "/r/a\tb"}) {
    const auto m = router.Find("GET", path);
    EXPECT_EQ(m.outcome, Router::Outcome::kBadPath) << path;
    EXPECT_FALSE(m.problem.empty());
  }
  // A malformed escape in a parameter does not match.
  EXPECT_EQ(router.Find("GET", "/r/%zz").outcome, Router::Outcome::kNotFound);
}

TEST(RouterDeathTest, DuplicateRoutesAreAProgrammingError) {
  Router router;
  router.Add("GET", "/x", Named("a"));
  EXPECT_DEATH(router.Add("GET", "/x", Named("b")), "SR_CHECK failed");
}

TEST(RouterDeathTest, AStreamedBodyOnTheNetworkThreadIsAProgrammingError) {
  Router router;
  EXPECT_DEATH(
      router.Add(
          "PUT", "/f", Named("f"),
          RouteOptions{.max_body_bytes = 10, .executor = Executor::kNetwork, .stream_body = true}),
      "SR_CHECK failed");
  router.Add("PUT", "/f", Named("f"), RouteOptions{.max_body_bytes = 10, .stream_body = true});
}

}  // namespace
}  // namespace strongroom::http
