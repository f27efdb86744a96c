#pragma once

#include "strongroom/detect/alert_store.hpp"
#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/router.hpp"

namespace strongroom::http {

// Detection output:
//   GET  /api/v1/alerts                    newest first (?status=open|acknowledged, ?rule,
//                                          ?tenant, ?limit, ?cursor)
//   GET  /api/v1/alerts/{id}               one alert
//   POST /api/v1/alerts/{id}/acknowledge   {"note"?}: by a security officer, once
// Security officers and auditors read alerts (alerts.read); only security officers acknowledge
// them (alerts.acknowledge).
void AddAlertRoutes(Router& router, ApiServices& api, detect::AlertStore& alerts);

}  // namespace strongroom::http
