// Router and path normalisation: whatever the path, a match never yields a parameter holding '/',
// NUL or a dot segment, and a refused path is exactly one the rules refuse.
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "strongroom/http/router.hpp"

using strongroom::http::Request;
using strongroom::http::Response;
using strongroom::http::Router;

namespace {

const Router& TheRouter() {
  static const Router* router = [] {
    auto* r = new Router();
    const auto h = [](const Request&) { return Response::Json(200, "{}"); };
    r->Add("GET", "/healthz", h);
    r->Add("GET", "/api/v1/tenants/{tenant}/collections/{collection}/records/{id}", h);
    r->Add("PUT", "/api/v1/tenants/{tenant}/collections/{collection}/records/{id}", h);
    r->Add("GET", "/api/v1/tenants/{tenant}/files/{id}", h);
    r->Add("GET", "/", h);
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* kMethods[] = {"GET", "PUT", "POST", "DELETE"};
  const std::string method = kMethods[data[0] % 4];
  const std::string path(reinterpret_cast<const char*>(data + 1), size - 1);
  const Router::Match m = TheRouter().Find(method, path);
  switch (m.outcome) {
    case Router::Outcome::kFound:
      FUZZ_CHECK(m.route != nullptr);
      for (const auto& [name, value] : m.params) {
        FUZZ_CHECK(!value.empty());
        FUZZ_CHECK(value.find('/') == std::string::npos);
        FUZZ_CHECK(value.find('\0') == std::string::npos);
        FUZZ_CHECK(value != "." && value != "..");
      }
      [[fallthrough]];
    case Router::Outcome::kNotFound:
    case Router::Outcome::kMethodNotAllowed:
      FUZZ_CHECK(!path.empty() && path[0] == '/');
      FUZZ_CHECK(path.find("//") == std::string::npos);
      FUZZ_CHECK(path.find("/../") == std::string::npos && path.find("/./") == std::string::npos);
      FUZZ_CHECK(path.find('\\') == std::string::npos);
      if (m.outcome == Router::Outcome::kMethodNotAllowed) FUZZ_CHECK(!m.allow.empty());
      break;
    case Router::Outcome::kBadPath:
      FUZZ_CHECK(!m.problem.empty());
      break;
  }
  return 0;
}
