#include "strongroom/http/handlers/web_routes.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <unordered_map>

namespace strongroom::http {
namespace {

struct Asset {
  std::string_view data;
  std::string_view gzip;  // Empty when gzip does not shrink the file.
  const char* content_type = "application/octet-stream";
};

using AssetMap = std::unordered_map<std::string_view, Asset>;

const char* ContentTypeOf(std::string_view name) {
  static constexpr std::pair<std::string_view, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

// Whether Accept-Encoding lists gzip with a non-zero quality.
bool AcceptsGzip(const Request& request) {
  const auto header = request.Header("accept-encoding");
  if (!header) return false;
  std::string value(*header);
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find(',', start), value.size());
    std::string_view item = std::string_view(value).substr(start, end - start);
    const std::size_t semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding == "gzip") {
      // "gzip;q=0" (or q=0.0, ...) refuses the coding; any other weight accepts it.
      const std::size_t q = semi == std::string_view::npos ? semi : item.find("q=", semi);
      if (q == std::string_view::npos) return true;
      std::string_view weight = item.substr(q + 2);
      while (!weight.empty() && weight.back() == ' ') weight.remove_suffix(1);
      return weight.find_first_not_of("0.") != std::string_view::npos;
    }
    start = end + 1;
  }
  return false;
}

Response Serve(const Asset& asset, const Request& request) {
  const bool gzip = !asset.gzip.empty() && AcceptsGzip(request);
  Response r = Response::Text(200, asset.content_type, std::string(gzip ? asset.gzip : asset.data));
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  if (!asset.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  return r;
}

}  // namespace

void AddWebRoutes(Router& router, std::span<const base::EmbeddedFile> files) {
  // Shared by the route handlers, which the router copies.
  auto assets = std::make_shared<AssetMap>();
  for (const base::EmbeddedFile& f : files) {
    if (f.name.ends_with(".gz")) continue;
    (*assets)[f.name] = Asset{f.data, {}, ContentTypeOf(f.name)};
  }
  for (const base::EmbeddedFile& f : files) {
    if (!f.name.ends_with(".gz")) continue;
    const auto it = assets->find(f.name.substr(0, f.name.size() - 3));
    if (it != assets->end()) it->second.gzip = f.data;
  }
  const auto index = assets->find("index.html");
  if (index == assets->end()) return;

  const RouteOptions options{
      .max_body_bytes = 0, .json_body = false, .executor = Executor::kNetwork};
  const auto page = [page = index->second](const Request& request) {
    Response r = Serve(page, request);
    r.headers.emplace_back("Content-Security-Policy", kWebContentSecurityPolicy);
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  };
  router.Add("GET", "/", page, options);
  router.Add("GET", "/index.html", page, options);
  router.Add(
      "GET", "/assets/{file}",
      [assets](const Request& request) {
        const auto it = assets->find("assets/" + request.path_params.at("file"));
        if (it == assets->end()) {
          return Response::Json(404, R"({"error":{"code":"not_found","message":"no such file"}})");
        }
        Response r = Serve(it->second, request);
        r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
        return r;
      },
      options);
}

}  // namespace strongroom::http
