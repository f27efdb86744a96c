#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strongroom/base/result.hpp"

namespace strongroom::http {

// A request body that a handler reads as it arrives, for routes with RouteOptions::stream_body:
// the server reads from the connection only when the handler asks, so a body of any size passes
// through in the memory of one buffer. Used from the handler's (worker) thread only.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Fills `out` as far as the body allows and returns how many bytes it wrote: fewer than
  // out.size() only at the end of the body, 0 once the body is over. Blocks. Errors:
  // kDeadlineExceeded (no data within the server's body timeout), kResourceExhausted (the body
  // exceeds the route's limit), kInvalidArgument (malformed chunked encoding), kUnavailable (the
  // client went away or the server is stopping).
  virtual base::Result<std::size_t> Read(std::span<std::uint8_t> out) = 0;
  // The declared Content-Length; nullopt for a chunked body.
  virtual std::optional<std::uint64_t> content_length() const = 0;
};

// A response body produced while it is sent (Response::stream). The server calls Read from a
// worker thread until it returns 0; an error after the headers were sent aborts the connection,
// so the client sees a truncated response, never a complete wrong one.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Errors end the response (see above).
  virtual base::Result<std::size_t> Read(std::span<std::uint8_t> out) = 0;
};

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
  // For stream_body routes: the body, read as the handler goes (`body` stays empty). Valid while
  // the handler runs.
  BodyReader* body_stream = nullptr;

  // The first header with this (lower-case) name.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The first query parameter with this name, percent-decoded ('+' is a space).
  std::optional<std::string> QueryParam(std::string_view name) const;
  // The same, treating an empty value ("?owner=") as absent: for optional filters.
  std::optional<std::string> FilterParam(std::string_view name) const;
};

// A response from a handler; the server adds the security headers, Content-Length, the request
// id and the connection handling. Thread-compatible.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A body streamed from a worker thread instead of `body`; shared because Response is a
  // copyable value. `stream_length` becomes Content-Length (nullopt: chunked encoding).
  std::shared_ptr<BodySource> stream;
  std::optional<std::uint64_t> stream_length;

  static Response Json(int status, std::string body) {
    return Response{status, "application/json", {}, std::move(body), nullptr, std::nullopt};
  }
  static Response Text(int status, std::string content_type, std::string body) {
    return Response{status, std::move(content_type), {}, std::move(body), nullptr, std::nullopt};
  }
};

// Decodes %XX escapes; with `plus_is_space`, '+' becomes ' ' (query strings). Returns nullopt for
// a malformed escape or an encoded NUL.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace strongroom::http
