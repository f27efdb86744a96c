#include "strongroom/http/handlers/web_routes.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace strongroom::http {
namespace {

std::optional<std::string> HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return std::nullopt;
}

Response Get(const Router& router, const std::string& path, std::string accept_encoding = "") {
  const auto match = router.Find("GET", path);
  if (match.outcome != Router::Outcome::kFound) return Response::Json(404, "");
  Request request;
  request.method = "GET";
  request.path = path;
  request.target = path;
  request.path_params = match.params;
  if (!accept_encoding.empty()) request.headers.emplace_back("accept-encoding", accept_encoding);
  return match.route->handler(request);
}

const base::EmbeddedFile kFiles[] = {
    {"index.html", "<!doctype html><script type=module src=/assets/app-1.js></script>"},
    {"assets/app-1.js", "console.log(1)"},
    {"assets/app-1.js.gz", "GZIPPED"},
    {"assets/style-2.css", "body{}"},
};

TEST(WebRoutes, ServeThePageUnderTheStrictPolicyAndNeverCacheIt) {
  Router router;
  AddWebRoutes(router, kFiles);
  for (const char* path : {"/", "/index.html"}) {
    const Response r = Get(router, path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(r.body, kFiles[0].data);
    EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"), kWebContentSecurityPolicy);
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  }
  const std::string csp = kWebContentSecurityPolicy;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(csp.find("data:"), std::string::npos);
}

TEST(WebRoutes, ServeAssetsWithTheirTypeCacheableForAYear) {
  Router router;
  AddWebRoutes(router, kFiles);
  const Response css = Get(router, "/assets/style-2.css", "gzip");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(HeaderOf(css, "Content-Encoding"), std::nullopt);  // No .gz form.
  EXPECT_EQ(HeaderOf(css, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get(router, "/assets/missing.js").status, 404);
  EXPECT_EQ(Get(router, "/assets/app-1.js.gz").status, 404);  // Only as an encoding.
  EXPECT_EQ(router.Find("GET", "/index.htm").outcome, Router::Outcome::kNotFound);
}

TEST(WebRoutes, SendTheGzipFormOnlyToClientsThatAcceptIt) {
  Router router;
  AddWebRoutes(router, kFiles);
  for (const char* accepts : {"gzip", "deflate, gzip;q=0.8", "br,GZIP", "gzip; q=1"}) {
    const Response r = Get(router, "/assets/app-1.js", accepts);
    EXPECT_EQ(r.body, "GZIPPED") << accepts;
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "gzip") << accepts;
    EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");
  }
  for (const char* refuses : {"", "br", "gzip;q=0", "gzip; q=0.000", "xgzip"}) {
    const Response r = Get(router, "/assets/app-1.js", refuses);
    EXPECT_EQ(r.body, "console.log(1)") << refuses;
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), std::nullopt) << refuses;
    EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");
  }
}

TEST(WebRoutes, AddNothingWithoutAPage) {
  Router router;
  AddWebRoutes(router, std::span(kFiles).subspan(1));
  EXPECT_TRUE(router.routes().empty());
}

// The UI this binary was built with: its page loads only scripts and styles that are embedded,
// from this origin, and no embedded script evaluates strings as code (the CSP forbids it, so
// such a script would break in the browser).
TEST(WebRoutes, TheEmbeddedUiIsCompleteAndNeedsNoEval) {
  std::set<std::string, std::less<>> names;
  std::string_view page;
  for (const auto& f : WebAssets()) {
    names.insert(std::string(f.name));
    if (f.name == "index.html") page = f.data;
  }
  ASSERT_FALSE(page.empty()) << "web/ was not built into the binary";
  const std::regex ref(R"re((src|href)="([^"]*)")re");
  int references = 0;
  for (auto it = std::cregex_iterator(page.data(), page.data() + page.size(), ref);
       it != std::cregex_iterator(); ++it) {
    const std::string url = (*it)[2].str();
    ASSERT_TRUE(url.starts_with("/assets/")) << url << " is not one of the embedded assets";
    EXPECT_TRUE(names.contains(url.substr(1))) << url;
    ++references;
  }
  EXPECT_GE(references, 2);  // At least the script and the style sheet.
  EXPECT_EQ(page.find("<script>"), std::string_view::npos) << "inline script";
  EXPECT_EQ(page.find("style="), std::string_view::npos) << "inline style";
  for (const auto& f : WebAssets()) {
    if (!f.name.ends_with(".js")) continue;
    EXPECT_EQ(f.data.find("eval("), std::string_view::npos) << f.name;
    EXPECT_EQ(f.data.find("new Function("), std::string_view::npos) << f.name;
  }
}

}  // namespace
}  // namespace strongroom::http
