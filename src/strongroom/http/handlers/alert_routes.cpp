#include "strongroom/http/handlers/alert_routes.hpp"

#include <nlohmann/json.hpp>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/detect/dispatcher.hpp"
#include "strongroom/http/json_body.hpp"

namespace strongroom::http {
namespace {

using access::Action;
using access::Target;
using nlohmann::json;

const RouteOptions kNoBody{};
const RouteOptions kSmallJson{.max_body_bytes = 8 * 1024, .json_body = true};

const Target kAlerts{std::nullopt, std::nullopt, "alerts"};

base::Result<Response> List(ApiServices& api, detect::AlertStore& alerts, const Request& request,
                            const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kAlertsRead, kAlerts));
  detect::AlertQuery query;
  if (auto status = request.QueryParam("status"); status && !status->empty()) {
    if (*status != "open" && *status != "acknowledged") {
      return base::InvalidArgumentError("status must be open or acknowledged");
    }
    query.acknowledged = *status == "acknowledged";
  }
  if (auto rule = request.QueryParam("rule"); rule && !rule->empty()) query.rule = *rule;
  if (auto tenant = request.QueryParam("tenant"); tenant && !tenant->empty()) {
    query.tenant_id = *tenant;
  }
  SR_ASSIGN_OR_RETURN(query.limit, LimitParam(request));
  if (auto cursor = request.QueryParam("cursor"); cursor && !cursor->empty()) {
    query.cursor = *cursor;
  }
  SR_ASSIGN_OR_RETURN(const detect::AlertPage page, alerts.List(query));
  json list = json::array();
  for (const auto& a : page.alerts) list.push_back(detect::AlertJson(a));
  return JsonResponse(
      200, {{"alerts", list},
            {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json(nullptr)}});
}

base::Result<Response> Get(ApiServices& api, detect::AlertStore& alerts, const Request& request,
                           const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kAlertsRead, kAlerts));
  SR_ASSIGN_OR_RETURN(const detect::Alert a, alerts.Get(request.path_params.at("id")));
  return JsonResponse(200, {{"alert", detect::AlertJson(a)}});
}

base::Result<Response> Acknowledge(ApiServices& api, detect::AlertStore& alerts,
                                   const Request& request, const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kAlertsAcknowledge,
                           Target{std::nullopt, std::nullopt, "alert:" + id}));
  std::optional<std::string> note;
  if (!request.body.empty()) {
    SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"note"}));
    SR_ASSIGN_OR_RETURN(note, OptionalString(body, "note"));
  }
  SR_ASSIGN_OR_RETURN(const detect::Alert a, alerts.Acknowledge(caller.actor, id, note));
  return JsonResponse(200, {{"alert", detect::AlertJson(a)}});
}

}  // namespace

void AddAlertRoutes(Router& router, ApiServices& api, detect::AlertStore& alerts) {
  const auto auth = [&api, &alerts](auto fn) {
    return Authenticated(api, [&api, &alerts, fn](const Request& r, const Caller& c) {
      return fn(api, alerts, r, c);
    });
  };
  router.Add("GET", "/api/v1/alerts", auth(List), kNoBody);
  router.Add("GET", "/api/v1/alerts/{id}", auth(Get), kNoBody);
  router.Add("POST", "/api/v1/alerts/{id}/acknowledge", auth(Acknowledge), kSmallJson);
}

}  // namespace strongroom::http
