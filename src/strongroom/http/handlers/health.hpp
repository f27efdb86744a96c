#pragma once

#include "strongroom/base/metrics.hpp"
#include "strongroom/http/router.hpp"

namespace strongroom::http {

// GET /healthz (liveness, no authentication) and GET /metrics (Prometheus text format 0.0.4).
// Both only read memory, so they run on the network threads.
void AddHealthRoutes(Router& router, const base::MetricsRegistry& metrics);

}  // namespace strongroom::http
