#pragma once

#include "strongroom/base/metrics.hpp"
#include "strongroom/http/router.hpp"

namespace strongroom::http {

// GET /healthz: liveness, no authentication, answered on the network thread.
void AddHealthRoute(Router& router);

// Renders `metrics` in the Prometheus text format 0.0.4. The API serves it at GET /metrics
// behind authentication (AddIdentityRoutes).
Response MetricsResponse(const base::MetricsRegistry& metrics);

}  // namespace strongroom::http
