#include "strongroom/http/router.hpp"

#include <algorithm>

#include "strongroom/base/check.hpp"

namespace strongroom::http {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;  // Skip the leading '/'.
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Why a path cannot be routed unambiguously, or empty when it can.
std::string PathProblem(std::string_view path) {
  if (path.empty() || path.front() != '/') return "the path must start with '/'";
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7F || c == '\\') return "the path holds a control character or '\\'";
  }
  if (path.size() > 1) {
    for (const std::string& segment : SplitPath(path)) {
      if (segment.empty()) return "the path has an empty segment ('//' or a trailing '/')";
      // Decoded, so that "%2e%2E" and ".%2e" are caught like "..".
      const auto decoded = PercentDecode(segment, false);
      if (decoded && (*decoded == "." || *decoded == "..")) {
        return "the path has a '.' or '..' segment";
      }
      std::string lower = segment;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      if (lower.find("%2f") != std::string::npos || lower.find("%5c") != std::string::npos ||
          lower.find("%00") != std::string::npos) {
        return "the path has an encoded '/', '\\' or NUL";
      }
    }
  }
  return "";
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  SR_CHECK(!pattern.empty() && pattern.front() == '/');
  for (const Route& r : routes_) SR_CHECK(!(r.method == method && r.pattern == pattern));
  // A streamed body is read by a worker that waits on the network thread: it must not be one.
  SR_CHECK(!options.stream_body || options.executor == Executor::kWorkers);
  Route route;
  route.method = std::move(method);
  route.segments = pattern == "/" ? std::vector<std::string>{} : SplitPath(pattern);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  route.options = options;
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  if (std::string problem = PathProblem(path); !problem.empty()) {
    match.outcome = Outcome::kBadPath;
    match.problem = std::move(problem);
    return match;
  }
  const std::vector<std::string> segments =
      path == "/" ? std::vector<std::string>{} : SplitPath(path);
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      const std::string& want = route.segments[i];
      if (IsParam(want)) {
        auto decoded = PercentDecode(segments[i], false);
        if (!decoded || decoded->empty()) {
          matched = false;
        } else {
          params[want.substr(1, want.size() - 2)] = std::move(*decoded);
        }
      } else {
        matched = want == segments[i];
      }
    }
    if (!matched) continue;
    if (route.method == method) {
      match.outcome = Outcome::kFound;
      match.route = &route;
      match.params = std::move(params);
      return match;
    }
    allowed.push_back(route.method);
  }
  if (allowed.empty()) return match;
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  match.outcome = Outcome::kMethodNotAllowed;
  for (const std::string& m : allowed) match.allow += (match.allow.empty() ? "" : ", ") + m;
  return match;
}

}  // namespace strongroom::http
