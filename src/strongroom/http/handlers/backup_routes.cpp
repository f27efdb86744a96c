#include "strongroom/http/handlers/backup_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "strongroom/backup/json.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/http/json_body.hpp"

namespace strongroom::http {
namespace {

using access::Action;
using access::Target;
using nlohmann::json;

const RouteOptions kNoBody{};
const RouteOptions kSmallJson{.max_body_bytes = 8 * 1024, .json_body = true};

Target BackupTarget(const std::string& id) {
  return Target{std::nullopt, std::nullopt, "backup:" + id};
}

base::Result<Response> List(const BackupServices& b, ApiServices& api, const Request&,
                            const Caller& caller) {
  SR_RETURN_IF_ERROR(
      Allow(api, caller, Action::kBackupsRead, Target{std::nullopt, std::nullopt, "backups"}));
  // The configured destinations and every one a backup was ever written to (the CLI's --to).
  std::vector<std::filesystem::path> destinations = b.config.destinations;
  SR_ASSIGN_OR_RETURN(const auto known, b.backups.KnownDestinations());
  for (const auto& d : known) {
    if (std::find(destinations.begin(), destinations.end(), d) == destinations.end()) {
      destinations.push_back(d);
    }
  }
  SR_ASSIGN_OR_RETURN(const auto listed, b.backups.List(destinations));
  SR_ASSIGN_OR_RETURN(const auto stats, b.backups.Stats());
  json backups = json::array();
  for (const auto& info : listed) backups.push_back(backup::BackupInfoJson(info));
  json operations = json::array();
  for (const auto& s : stats) operations.push_back(backup::OperationStatsJson(s));
  return JsonResponse(200, {{"backups", backups},
                            {"operations", operations},
                            {"schedule", backup::ScheduleJson(b.config)}});
}

base::Result<Response> Hold(const BackupServices& b, ApiServices& api, const Request& request,
                            const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kBackupsHold, BackupTarget(id)));
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"reason"}));
  SR_ASSIGN_OR_RETURN(const std::string reason, RequiredString(body, "reason"));
  SR_RETURN_IF_ERROR(b.backups.Hold(caller.actor, id, reason));
  return JsonResponse(200, {{"id", id}, {"legal_hold", true}, {"reason", reason}});
}

base::Result<Response> Release(const BackupServices& b, ApiServices& api, const Request& request,
                               const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kBackupsHold, BackupTarget(id)));
  SR_RETURN_IF_ERROR(b.backups.Release(caller.actor, id));
  return JsonResponse(200, {{"id", id}, {"legal_hold", false}});
}

}  // namespace

void AddBackupRoutes(Router& router, ApiServices& api, BackupServices backups) {
  const auto auth = [&api, backups](auto fn) {
    return Authenticated(api, [&api, backups, fn](const Request& r, const Caller& c) {
      return fn(backups, api, r, c);
    });
  };
  router.Add("GET", "/api/v1/backups", auth(List), kNoBody);
  router.Add("PUT", "/api/v1/backups/{id}/legal-hold", auth(Hold), kSmallJson);
  router.Add("DELETE", "/api/v1/backups/{id}/legal-hold", auth(Release), kNoBody);
}

}  // namespace strongroom::http
