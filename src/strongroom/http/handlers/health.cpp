#include "strongroom/http/handlers/health.hpp"

namespace strongroom::http {

void AddHealthRoute(Router& router) {
  router.Add(
      "GET", "/healthz", [](const Request&) { return Response::Json(200, R"({"status":"ok"})"); },
      RouteOptions{.max_body_bytes = 0, .json_body = false, .executor = Executor::kNetwork});
}

Response MetricsResponse(const base::MetricsRegistry& metrics) {
  return Response::Text(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.RenderPrometheus());
}

}  // namespace strongroom::http
