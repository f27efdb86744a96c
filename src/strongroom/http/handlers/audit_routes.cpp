#include "strongroom/http/handlers/audit_routes.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "strongroom/audit/export.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/http/json_body.hpp"

namespace strongroom::http {
namespace {

using access::Action;
using access::Target;
using nlohmann::json;

const RouteOptions kNoBody{};

// Reading one tenant's trail needs audit.read_tenant for it; the whole trail audit.read_all.
base::Status AllowTrail(ApiServices& api, const Caller& caller,
                        const std::optional<std::string>& tenant) {
  if (tenant && !tenant->empty()) {
    return Allow(api, caller, Action::kAuditReadTenant,
                 Target{identity::TenantId(*tenant), std::nullopt, "audit:tenant:" + *tenant});
  }
  return Allow(api, caller, Action::kAuditReadAll, Target{std::nullopt, std::nullopt, "audit"});
}

// The trail the caller asked for: ?tenant= for one tenant's, otherwise the whole trail.
std::optional<std::string> RequestedTenant(const Request& request) {
  return request.FilterParam("tenant");
}

base::Result<std::uint64_t> UnsignedParam(const Request& request, std::string_view name,
                                          std::optional<std::uint64_t> fallback) {
  const auto text = request.QueryParam(name);
  if (!text) {
    if (fallback) return *fallback;
    return base::InvalidArgumentError(std::string(name) + " is required");
  }
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return base::InvalidArgumentError(std::string(name) + " must be a non-negative integer");
  }
  return n;
}

// ?tree_size, by default the size of the newest checkpoint (required when there is none).
base::Result<std::uint64_t> TreeSizeParam(const Request& request, audit::AuditLog& log) {
  std::optional<std::uint64_t> latest;
  SR_ASSIGN_OR_RETURN(const auto checkpoint, log.LatestCheckpoint());
  if (checkpoint) latest = checkpoint->tree_size;
  return UnsignedParam(request, "tree_size", latest);
}

json HashList(const std::vector<audit::Hash>& hashes) {
  json out = json::array();
  for (const auto& h : hashes) out.push_back(base::HexEncode(h));
  return out;
}

json EventJson(const audit::StoredEvent& e) { return audit::EventToJson(e); }

json CheckpointJson(const audit::SignedCheckpoint& c, const audit::AuditLog& log) {
  return {{"tree_size", c.tree_size},
          {"root_hash", base::HexEncode(c.root)},
          {"time", c.time},
          {"key_id", c.key_id},
          {"signature", base::Base64UrlEncode(c.signature)},
          {"signed_note", audit::CheckpointNote(c.tree_size, c.root, c.time)},
          {"public_key", base::Base64UrlEncode(log.public_key())}};
}

base::Result<Response> Events(ApiServices& api, audit::AuditLog& log, const Request& request,
                              const Caller& caller) {
  audit::EventQuery query;
  query.tenant_id = RequestedTenant(request);
  SR_RETURN_IF_ERROR(AllowTrail(api, caller, query.tenant_id));
  if (auto since = request.QueryParam("since")) query.since = *since;
  query.action_prefix = request.FilterParam("action");
  query.outcome = request.FilterParam("outcome");
  query.actor_id = request.FilterParam("actor");
  SR_ASSIGN_OR_RETURN(query.limit, LimitParam(request));
  const std::string order = request.QueryParam("order").value_or("oldest");
  if (order != "oldest" && order != "newest") {
    return base::InvalidArgumentError("order must be oldest (the default) or newest");
  }
  query.newest_first = order == "newest";
  SR_ASSIGN_OR_RETURN(query.from_seq,
                      UnsignedParam(request, "cursor", query.newest_first ? audit::kNewestSeq : 0));
  SR_ASSIGN_OR_RETURN(const audit::EventPage page, log.Events(query));
  json list = json::array();
  for (const auto& e : page.events) list.push_back(EventJson(e));
  return JsonResponse(
      200, {{"events", list},
            {"next_cursor", page.next_seq ? json(std::to_string(*page.next_seq)) : json(nullptr)}});
}

base::Result<Response> Checkpoint(ApiServices& api, audit::AuditLog& log, const Request& request,
                                  const Caller& caller) {
  SR_RETURN_IF_ERROR(AllowTrail(api, caller, RequestedTenant(request)));
  SR_ASSIGN_OR_RETURN(const audit::SignedCheckpoint c, log.Checkpoint());
  return JsonResponse(200, {{"checkpoint", CheckpointJson(c, log)}});
}

base::Result<Response> Proof(ApiServices& api, audit::AuditLog& log, const Request& request,
                             const Caller& caller) {
  if (request.QueryParam("first") || request.QueryParam("second")) {
    // Two sizes of the tree say nothing about any event: anyone who may read a trail may ask.
    SR_RETURN_IF_ERROR(AllowTrail(api, caller, RequestedTenant(request)));
    SR_ASSIGN_OR_RETURN(const std::uint64_t first, UnsignedParam(request, "first", std::nullopt));
    SR_ASSIGN_OR_RETURN(const std::uint64_t second, UnsignedParam(request, "second", std::nullopt));
    SR_ASSIGN_OR_RETURN(const auto proof, log.ConsistencyProof(first, second));
    return JsonResponse(200,
                        {{"first", first}, {"second", second}, {"consistency", HashList(proof)}});
  }
  SR_ASSIGN_OR_RETURN(const std::uint64_t seq, UnsignedParam(request, "seq", std::nullopt));
  auto event = log.EventAt(seq);
  if (!event.ok()) {
    // Whether an event exists is itself only for those who may read the whole trail.
    SR_RETURN_IF_ERROR(AllowTrail(api, caller, std::nullopt));
    return event.error();
  }
  SR_RETURN_IF_ERROR(AllowTrail(api, caller, event->tenant_id));
  SR_ASSIGN_OR_RETURN(const std::uint64_t tree_size, TreeSizeParam(request, log));
  SR_ASSIGN_OR_RETURN(const auto proof, log.InclusionProof(seq, tree_size));
  return JsonResponse(200, {{"seq", seq},
                            {"tree_size", tree_size},
                            {"leaf_hash", base::HexEncode(audit::LeafOf(*event))},
                            {"inclusion", HashList(proof)},
                            {"event", EventJson(*event)}});
}

// The inclusion proofs of several events in one tree, for a client that checks a page of the
// trail: one authorization for the trail asked for, not one per event (each of which would be
// recorded in that very trail).
constexpr std::size_t kMaxProofsPerRequest = 200;

base::Result<std::vector<std::uint64_t>> SeqList(const Request& request) {
  const auto text = request.QueryParam("seqs");
  if (!text || text->empty()) {
    return base::InvalidArgumentError("seqs is required: event positions separated by commas");
  }
  std::vector<std::uint64_t> out;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) {
      return base::InvalidArgumentError("seqs must be non-negative integers separated by commas");
    }
    out.push_back(n);
    if (out.size() > kMaxProofsPerRequest) {
      return base::InvalidArgumentError("seqs lists at most " +
                                        std::to_string(kMaxProofsPerRequest) + " events");
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

base::Result<Response> Proofs(ApiServices& api, audit::AuditLog& log, const Request& request,
                              const Caller& caller) {
  const auto tenant = RequestedTenant(request);
  SR_RETURN_IF_ERROR(AllowTrail(api, caller, tenant));
  SR_ASSIGN_OR_RETURN(const std::vector<std::uint64_t> seqs, SeqList(request));
  SR_ASSIGN_OR_RETURN(const std::uint64_t tree_size, TreeSizeParam(request, log));
  json proofs = json::array();
  for (const std::uint64_t seq : seqs) {
    auto event = log.EventAt(seq);
    // Another tenant's event and no event at all get the same answer.
    if (!event.ok() || (tenant && event->tenant_id != *tenant)) {
      return base::NotFoundError("no audit event " + std::to_string(seq) +
                                 (tenant ? " in tenant " + *tenant + "'s trail" : ""));
    }
    SR_ASSIGN_OR_RETURN(const auto proof, log.InclusionProof(seq, tree_size));
    proofs.push_back({{"seq", seq},
                      {"leaf_hash", base::HexEncode(audit::LeafOf(*event))},
                      {"inclusion", HashList(proof)}});
  }
  return JsonResponse(200, {{"tree_size", tree_size}, {"proofs", proofs}});
}

}  // namespace

void AddAuditRoutes(Router& router, ApiServices& api, audit::AuditLog& log) {
  const auto auth = [&api, &log](auto fn) {
    return Authenticated(
        api, [&api, &log, fn](const Request& r, const Caller& c) { return fn(api, log, r, c); });
  };
  router.Add("GET", "/api/v1/audit/events", auth(Events), kNoBody);
  router.Add("GET", "/api/v1/audit/checkpoint", auth(Checkpoint), kNoBody);
  router.Add("GET", "/api/v1/audit/proof", auth(Proof), kNoBody);
  router.Add("GET", "/api/v1/audit/proofs", auth(Proofs), kNoBody);
}

}  // namespace strongroom::http
