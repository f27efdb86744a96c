#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strongroom::http {

// An HTTP request as handlers see it: parsed, size-checked and routed. Header names are lower
// case. Thread-compatible.
struct Request {
  std::string method;
  std::string target;  // As received: path and query.
  std::string path;    // Without the query string, still percent-encoded.
  std::string query;   // Without the '?'.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;
  std::string request_id;
  std::string route;                               // The matched pattern, e.g. "/healthz".
  std::map<std::string, std::string> path_params;  // Percent-decoded.

  // The first header with this (lower-case) name.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The first query parameter with this name, percent-decoded ('+' is a space).
  std::optional<std::string> QueryParam(std::string_view name) const;
};

// A response from a handler; the server adds the security headers, Content-Length, the request
// id and the connection handling. Thread-compatible.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response Json(int status, std::string body) {
    return Response{status, "application/json", {}, std::move(body)};
  }
  static Response Text(int status, std::string content_type, std::string body) {
    return Response{status, std::move(content_type), {}, std::move(body)};
  }
};

// Decodes %XX escapes; with `plus_is_space`, '+' becomes ' ' (query strings). Returns nullopt for
// a malformed escape or an encoded NUL.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace strongroom::http
