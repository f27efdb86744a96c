#include "strongroom/http/handlers/health.hpp"

namespace strongroom::http {

void AddHealthRoutes(Router& router, const base::MetricsRegistry& metrics) {
  const RouteOptions in_memory{.max_body_bytes = 0, .json_body = false, .blocking = false};
  router.Add(
      "GET", "/healthz", [](const Request&) { return Response::Json(200, R"({"status":"ok"})"); },
      in_memory);
  router.Add(
      "GET", "/metrics",
      [&metrics](const Request&) {
        return Response::Text(200, "text/plain; version=0.0.4; charset=utf-8",
                              metrics.RenderPrometheus());
      },
      in_memory);
}

}  // namespace strongroom::http
