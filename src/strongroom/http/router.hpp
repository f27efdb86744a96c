#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/http/message.hpp"

namespace strongroom::http {

using Handler = std::function<Response(const Request&)>;

// Which threads run a route's handler.
enum class Executor {
  kNetwork,  // On the network thread: only handlers that touch nothing but memory.
  kWorkers,  // The general worker pool: store, files.
  kSignIn,   // The small sign-in pool (Argon2id), bounded so a flood of sign-ins waits there and
             // cannot occupy the workers every other route needs.
};

struct RouteOptions {
  // Largest accepted body; 0 means the route takes no body at all.
  std::size_t max_body_bytes = 0;
  // The body must be JSON (Content-Type application/json) no deeper than the server's limit.
  bool json_body = false;
  Executor executor = Executor::kWorkers;
  // The handler reads the body itself through Request::body_stream, up to max_body_bytes, as it
  // arrives (files). Needs Executor::kWorkers (Add checks). A body the handler leaves unread
  // closes the connection after the response. Streamed responses (Response::stream) likewise
  // come only from worker handlers.
  bool stream_body = false;
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/tenants/{tenant}/records/{id}"
  std::vector<std::string> segments;
  Handler handler;
  RouteOptions options;
};

// Maps (method, path) to a route. Patterns are literal segments and {name} segments that match
// one non-empty segment. Built once at start-up, then read concurrently: thread-compatible, and
// safe for concurrent Find calls.
class Router {
 public:
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed, kBadPath };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Route* route = nullptr;
    std::map<std::string, std::string> params;  // Percent-decoded.
    std::string allow;                          // For kMethodNotAllowed: "GET, PUT".
    std::string problem;                        // For kBadPath: what is wrong with the path.
  };

  // Adding the same method and pattern twice is a programming error.
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  // `path` is still percent-encoded. Paths are refused (kBadPath) rather than normalised when
  // they are ambiguous: dot segments, empty segments, encoded '/', '\' or NUL, control bytes.
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace strongroom::http
