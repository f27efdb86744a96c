#include "strongroom/http/handlers/isms_routes.hpp"

#include <nlohmann/json.hpp>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/http/json_body.hpp"
#include "strongroom/isms/oscal.hpp"

namespace strongroom::http {
namespace {

using access::Action;
using access::Target;
using nlohmann::json;

const RouteOptions kNoBody{};
// NIST's SP 800-53 rev. 5 catalog is about 10 MiB of JSON.
const RouteOptions kOscalBody{.max_body_bytes = 16 * 1024 * 1024, .json_body = true};

Target IsmsTarget(std::string resource) {
  return Target{std::nullopt, std::nullopt, std::move(resource)};
}

base::Result<Response> ListFrameworks(const IsmsServices& s, ApiServices& api, const Request&,
                                      const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("frameworks")));
  SR_ASSIGN_OR_RETURN(const auto frameworks, s.frameworks.List());
  SR_ASSIGN_OR_RETURN(const auto crosswalks, s.frameworks.Crosswalks());
  json list = json::array();
  for (const auto& f : frameworks) list.push_back(isms::FrameworkJson(f));
  json xwalks = json::array();
  for (const auto& x : crosswalks) xwalks.push_back(isms::CrosswalkJson(x));
  return JsonResponse(200,
                      {{"frameworks", list}, {"crosswalks", xwalks}, {"next_cursor", nullptr}});
}

base::Result<Response> ImportFramework(const IsmsServices& s, ApiServices& api,
                                       const Request& request, const Caller& caller) {
  const std::string id = request.QueryParam("id").value_or("");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsWrite, IsmsTarget("framework:" + id)));
  if (id.empty()) {
    return base::InvalidArgumentError(
        "name the framework with ?id= (1 to 64 characters of a-z, 0-9, '.', '_' and '-'); the "
        "body is the OSCAL catalog");
  }
  SR_ASSIGN_OR_RETURN(isms::Catalog catalog, isms::ParseOscalCatalog(request.body, id));
  SR_ASSIGN_OR_RETURN(const isms::StoredFramework stored,
                      s.frameworks.Import(caller.actor, std::move(catalog), request.body));
  return JsonResponse(201, {{"framework", isms::FrameworkJson(stored)}});
}

base::Result<Response> GetFramework(const IsmsServices& s, ApiServices& api, const Request& request,
                                    const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("framework:" + id)));
  SR_ASSIGN_OR_RETURN(const isms::StoredFramework f, s.frameworks.Get(id));
  return JsonResponse(200, {{"framework", isms::FrameworkJson(f)}});
}

base::Result<Response> ListRequirements(const IsmsServices& s, ApiServices& api,
                                        const Request& request, const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("framework:" + id)));
  SR_ASSIGN_OR_RETURN(const PageRequest page, Page(request));
  std::optional<std::string> kind;
  if (auto k = request.QueryParam("kind"); k && !k->empty()) kind = *k;
  SR_ASSIGN_OR_RETURN(const isms::RequirementPage found,
                      s.frameworks.Requirements(id, kind, page.after, page.limit));
  json list = json::array();
  for (const auto& r : found.items) list.push_back(isms::RequirementJson(r));
  return JsonResponse(
      200, {{"framework", id}, {"requirements", list}, {"next_cursor", Cursor(found.next)}});
}

}  // namespace

void AddIsmsRoutes(Router& router, ApiServices& api, IsmsServices isms) {
  const auto auth = [&api, isms](auto fn) {
    return Authenticated(
        api, [&api, isms, fn](const Request& r, const Caller& c) { return fn(isms, api, r, c); });
  };
  router.Add("GET", "/api/v1/frameworks", auth(ListFrameworks), kNoBody);
  router.Add("POST", "/api/v1/frameworks", auth(ImportFramework), kOscalBody);
  router.Add("GET", "/api/v1/frameworks/{id}", auth(GetFramework), kNoBody);
  router.Add("GET", "/api/v1/frameworks/{id}/requirements", auth(ListRequirements), kNoBody);
}

}  // namespace strongroom::http
