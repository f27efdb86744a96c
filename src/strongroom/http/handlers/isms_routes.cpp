#include "strongroom/http/handlers/isms_routes.hpp"

#include <functional>
#include <nlohmann/json.hpp>

#include "strongroom/base/json_text.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/http/error_mapping.hpp"
#include "strongroom/http/handlers/file_bodies.hpp"
#include "strongroom/http/json_body.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/isms/dates.hpp"
#include "strongroom/isms/export.hpp"
#include "strongroom/isms/oscal.hpp"

namespace strongroom::http {
namespace {

using access::Action;
using access::Target;
using nlohmann::json;

const RouteOptions kNoBody{};
// NIST's SP 800-53 rev. 5 catalog is about 10 MiB of JSON.
const RouteOptions kControlBody{.max_body_bytes = 256 * 1024, .json_body = true};
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

// ?as_of: a date (the end of that day, UTC) or an RFC 3339 time; default now.
base::Result<base::Time> AsOf(const Request& request, const base::Clock& clock) {
  const auto as_of = request.QueryParam("as_of");
  if (!as_of || as_of->empty()) return clock.Now();
  return isms::ParseAsOf("as_of", *as_of);
}

base::Result<Response> GetCoverage(const IsmsServices& s, ApiServices& api, const Request& request,
                                   const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kReportsRead, IsmsTarget("coverage:" + id)));
  SR_ASSIGN_OR_RETURN(const base::Time as_of, AsOf(request, api.clock));
  SR_ASSIGN_OR_RETURN(const isms::Coverage c, s.coverage.Compute(id, as_of));
  return JsonResponse(200, {{"coverage", isms::CoverageJson(c)}});
}

enum class Report { kSoa, kControlMatrix, kProfile };
enum class Format { kXlsx, kCsv };

// An export of coverage as of ?as_of, as a download.
base::Result<Response> Export(const IsmsServices& s, ApiServices& api, const Request& request,
                              const Caller& caller, Report report, Format format) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kReportsRead, IsmsTarget("report:" + id)));
  SR_ASSIGN_OR_RETURN(const base::Time as_of, AsOf(request, api.clock));
  SR_ASSIGN_OR_RETURN(const isms::Coverage c, s.coverage.Compute(id, as_of));
  const auto build = [&c, report]() -> base::Result<isms::Table> {
    switch (report) {
      case Report::kSoa:
        return isms::StatementOfApplicability(c);
      case Report::kControlMatrix:
        return isms::ControlMatrix(c);
      case Report::kProfile:
        return isms::CsfProfile(c);
    }
    return base::InternalError("unknown report");
  };
  SR_ASSIGN_OR_RETURN(const isms::Table table, build());
  const std::string name = report == Report::kSoa             ? "soa"
                           : report == Report::kControlMatrix ? "control-matrix"
                                                              : "profile";
  const std::string file =
      name + "-" + id + "-" + c.as_of.substr(0, 10) + (format == Format::kXlsx ? ".xlsx" : ".csv");
  Response r;
  if (format == Format::kXlsx) {
    SR_ASSIGN_OR_RETURN(std::string bytes, isms::RenderXlsx(table, s.export_scratch));
    r = Response::Text(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       std::move(bytes));
  } else {
    r = Response::Text(200, "text/csv; charset=utf-8", isms::RenderCsv(table));
  }
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + "\"");
  return r;
}

base::Result<Response> AssessmentResults(const IsmsServices& s, ApiServices& api,
                                         const Request& request, const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kReportsRead, IsmsTarget("report:" + id)));
  SR_ASSIGN_OR_RETURN(const base::Time as_of, AsOf(request, api.clock));
  SR_ASSIGN_OR_RETURN(const isms::StoredFramework f, s.frameworks.Get(id));
  SR_ASSIGN_OR_RETURN(const isms::Coverage c, s.coverage.Compute(id, as_of));
  Response r = JsonResponse(200, isms::OscalAssessmentResults(c, f.info.name));
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"assessment-results-" + id +
                                                    "-" + c.as_of.substr(0, 10) + ".json\"");
  return r;
}

// Security officers, auditors and the admin read every control; other provider roles only the
// controls they own.
bool SeesEveryControl(const Caller& caller) {
  const identity::Role role = caller.principal.user.role;
  return role == identity::Role::kSecurityOfficer || role == identity::Role::kAuditor ||
         role == identity::Role::kAdmin;
}

base::Status CheckOwnerSees(const Caller& caller, const isms::Control& c) {
  if (SeesEveryControl(caller) || c.owner_id == caller.principal.user.id.value()) {
    return base::OkStatus();
  }
  // As if it did not exist: staff see the controls they own.
  return base::NotFoundError("no control " + c.id + " among the controls you own");
}

const std::initializer_list<std::string_view> kControlFields = {
    "id",          "title",         "description",       "owner_id",
    "status",      "justification", "review_every_days", "next_review",
    "requirements"};

base::Result<std::vector<isms::RequirementRef>> RequirementList(const json& body) {
  const auto it = body.find("requirements");
  if (!it->is_array()) {
    return base::InvalidArgumentError(
        "requirements must be an array of {\"framework\", \"requirement\"} objects");
  }
  std::vector<isms::RequirementRef> out;
  for (const json& r : *it) {
    const bool shape = r.is_object() && r.contains("framework") && r["framework"].is_string() &&
                       r.contains("requirement") && r["requirement"].is_string() &&
                       (!r.contains("source") || r["source"].is_string()) &&
                       r.size() == (r.contains("source") ? 3u : 2u);
    if (!shape) {
      return base::InvalidArgumentError(
          "each requirement is {\"framework\": ID, \"requirement\": ID} (and optionally "
          "\"source\"), e.g. {\"framework\": \"iso27001-2022\", \"requirement\": \"A.8.24\"}");
    }
    out.push_back({r["framework"].get<std::string>(), r["requirement"].get<std::string>(),
                   r.value("source", std::string("ours"))});
  }
  return out;
}

base::Result<std::optional<int>> ReviewDays(const json& body) {
  SR_ASSIGN_OR_RETURN(const auto days, OptionalInt(body, "review_every_days"));
  if (!days) return std::optional<int>();
  if (*days < 1 || *days > 1095) {
    return base::InvalidArgumentError("review_every_days must be from 1 to 1095 (three years)");
  }
  return std::optional<int>(static_cast<int>(*days));
}

base::Result<Response> ListControls(const IsmsServices& s, ApiServices& api, const Request& request,
                                    const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("controls")));
  SR_ASSIGN_OR_RETURN(const PageRequest page, Page(request));
  isms::ControlQuery q;
  q.after = page.after;
  q.limit = page.limit;
  q.owner_id = request.FilterParam("owner");
  if (!SeesEveryControl(caller)) q.owner_id = caller.principal.user.id.value();
  if (auto status = request.FilterParam("status")) {
    SR_ASSIGN_OR_RETURN(q.status, isms::ParseControlStatus(*status));
  }
  q.framework = request.FilterParam("framework");
  q.requirement = request.FilterParam("requirement");
  if (q.requirement && !q.framework) {
    return base::InvalidArgumentError("?requirement needs ?framework too");
  }
  q.review_due_by = request.FilterParam("review_due_by");
  SR_ASSIGN_OR_RETURN(const isms::ControlPage found, s.controls.List(q));
  json list = json::array();
  for (const auto& c : found.controls) list.push_back(isms::ControlJson(c));
  return JsonResponse(200, {{"controls", list}, {"next_cursor", Cursor(found.next)}});
}

base::Result<Response> CreateControl(const IsmsServices& s, ApiServices& api,
                                     const Request& request, const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsWrite, IsmsTarget("controls")));
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, kControlFields));
  isms::NewControl n;
  SR_ASSIGN_OR_RETURN(const auto id, OptionalString(body, "id"));
  n.id = id.value_or("");
  SR_ASSIGN_OR_RETURN(n.title, RequiredString(body, "title"));
  SR_ASSIGN_OR_RETURN(const auto description, OptionalString(body, "description"));
  n.description = description.value_or("");
  SR_ASSIGN_OR_RETURN(n.owner_id, RequiredString(body, "owner_id"));
  SR_ASSIGN_OR_RETURN(const auto status, OptionalString(body, "status"));
  if (status) {
    SR_ASSIGN_OR_RETURN(n.status, isms::ParseControlStatus(*status));
  }
  SR_ASSIGN_OR_RETURN(const auto justification, OptionalString(body, "justification"));
  n.justification = justification.value_or("");
  SR_ASSIGN_OR_RETURN(const auto days, ReviewDays(body));
  if (days) n.review_every_days = *days;
  SR_ASSIGN_OR_RETURN(n.next_review, OptionalString(body, "next_review"));
  if (body.contains("requirements")) {
    SR_ASSIGN_OR_RETURN(n.requirements, RequirementList(body));
  }
  SR_ASSIGN_OR_RETURN(const isms::Control c, s.controls.Create(caller.actor, n));
  return JsonResponse(201, {{"control", isms::ControlJson(c)}});
}

base::Result<Response> GetControl(const IsmsServices& s, ApiServices& api, const Request& request,
                                  const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("control:" + id)));
  isms::Control c;
  if (auto as_of = request.QueryParam("as_of"); as_of && !as_of->empty()) {
    SR_ASSIGN_OR_RETURN(const base::Time time, AsOf(request, api.clock));
    SR_ASSIGN_OR_RETURN(c, s.controls.GetAsOf(id, time));
  } else {
    SR_ASSIGN_OR_RETURN(c, s.controls.Get(id));
  }
  SR_RETURN_IF_ERROR(CheckOwnerSees(caller, c));
  return JsonResponse(200, {{"control", isms::ControlJson(c)}});
}

base::Result<Response> UpdateControl(const IsmsServices& s, ApiServices& api,
                                     const Request& request, const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsWrite, IsmsTarget("control:" + id)));
  SR_ASSIGN_OR_RETURN(const json body,
                      JsonObjectBody(request, {"title", "description", "owner_id", "status",
                                               "justification", "review_every_days", "next_review",
                                               "requirements", "reviewed", "version"}));
  isms::ControlChange change;
  SR_ASSIGN_OR_RETURN(change.title, OptionalString(body, "title"));
  SR_ASSIGN_OR_RETURN(change.description, OptionalString(body, "description"));
  SR_ASSIGN_OR_RETURN(change.owner_id, OptionalString(body, "owner_id"));
  SR_ASSIGN_OR_RETURN(const auto status, OptionalString(body, "status"));
  if (status) {
    SR_ASSIGN_OR_RETURN(change.status, isms::ParseControlStatus(*status));
  }
  SR_ASSIGN_OR_RETURN(change.justification, OptionalString(body, "justification"));
  SR_ASSIGN_OR_RETURN(change.review_every_days, ReviewDays(body));
  SR_ASSIGN_OR_RETURN(change.next_review, OptionalString(body, "next_review"));
  if (body.contains("requirements")) {
    SR_ASSIGN_OR_RETURN(change.requirements, RequirementList(body));
  }
  SR_ASSIGN_OR_RETURN(const auto reviewed, OptionalBool(body, "reviewed"));
  change.reviewed = reviewed.value_or(false);
  SR_ASSIGN_OR_RETURN(change.expected_version, OptionalInt(body, "version"));
  SR_ASSIGN_OR_RETURN(const isms::Control c, s.controls.Update(caller.actor, id, change));
  return JsonResponse(200, {{"control", isms::ControlJson(c)}});
}

base::Result<Response> ControlHistory(const IsmsServices& s, ApiServices& api,
                                      const Request& request, const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("control:" + id)));
  SR_ASSIGN_OR_RETURN(const auto versions, s.controls.History(id));
  SR_RETURN_IF_ERROR(CheckOwnerSees(caller, versions.back()));
  json list = json::array();
  for (const auto& v : versions) list.push_back(isms::ControlJson(v));
  return JsonResponse(200, {{"versions", list}, {"next_cursor", nullptr}});
}

// The details of evidence common to every kind, from a JSON body or the query of a file upload.
struct EvidenceFields {
  std::function<base::Result<std::optional<std::string>>(std::string_view)> get;
};

base::Result<isms::NewEvidence> EvidenceDetails(const std::string& control_id,
                                                const EvidenceFields& f) {
  isms::NewEvidence n;
  n.control_id = control_id;
  const auto required = [&f](std::string_view name) -> base::Result<std::string> {
    SR_ASSIGN_OR_RETURN(auto v, f.get(name));
    if (!v || v->empty()) {
      return base::InvalidArgumentError(std::string(name) + " is required");
    }
    return *v;
  };
  SR_ASSIGN_OR_RETURN(n.title, required("title"));
  SR_ASSIGN_OR_RETURN(n.period_from, required("period_from"));
  SR_ASSIGN_OR_RETURN(n.period_to, required("period_to"));
  SR_ASSIGN_OR_RETURN(n.expires_at, required("expires_at"));
  SR_ASSIGN_OR_RETURN(n.collected_at, f.get("collected_at"));
  SR_ASSIGN_OR_RETURN(n.supersedes, f.get("supersedes"));
  return n;
}

// A JSON body read from the stream, at most 64 KiB.
base::Result<json> SmallJsonBody(const Request& request,
                                 std::initializer_list<std::string_view> accepted) {
  std::string text;
  std::uint8_t buf[16 * 1024];
  for (;;) {
    SR_ASSIGN_OR_RETURN(const std::size_t n, request.body_stream->Read(buf));
    if (n == 0) break;
    text.append(reinterpret_cast<const char*>(buf), n);
    if (text.size() > 64 * 1024) {
      return base::ResourceExhaustedError(
          "a JSON evidence body is at most 64 KiB; upload a file as the body itself");
    }
  }
  SR_RETURN_IF_ERROR(base::CheckJsonText(text, 16));
  Request copy;
  copy.body = std::move(text);
  return JsonObjectBody(copy, accepted);
}

base::Result<Response> AddEvidenceOrFail(const IsmsServices& s, ApiServices& api,
                                         const Request& request, const Caller& caller) {
  const std::string& control_id = request.path_params.at("id");
  const std::string type =
      std::string(request.Header("content-type").value_or("application/octet-stream"));
  if (type.starts_with("application/json")) {
    SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsWrite, IsmsTarget("control:" + control_id)));
    SR_ASSIGN_OR_RETURN(
        const json body,
        SmallJsonBody(request, {"kind", "title", "period_from", "period_to", "collected_at",
                                "expires_at", "supersedes", "url", "attested_by", "statement"}));
    SR_ASSIGN_OR_RETURN(isms::NewEvidence n,
                        EvidenceDetails(control_id, {[&body](std::string_view name) {
                                          return OptionalString(body, name);
                                        }}));
    SR_ASSIGN_OR_RETURN(const std::string kind, RequiredString(body, "kind"));
    SR_ASSIGN_OR_RETURN(n.kind, isms::ParseEvidenceKind(kind));
    if (n.kind == isms::EvidenceKind::kFile) {
      return base::InvalidArgumentError(
          "a file is uploaded as the request body itself (any Content-Type but JSON), with "
          "title, period_from, period_to and expires_at in the query");
    }
    SR_ASSIGN_OR_RETURN(const auto url, OptionalString(body, "url"));
    n.url = url.value_or("");
    SR_ASSIGN_OR_RETURN(const auto by, OptionalString(body, "attested_by"));
    n.attested_by = by.value_or("");
    SR_ASSIGN_OR_RETURN(const auto statement, OptionalString(body, "statement"));
    n.statement = statement.value_or("");
    SR_ASSIGN_OR_RETURN(const isms::Evidence e, s.evidence.Add(caller.actor, n));
    return JsonResponse(201, {{"evidence", isms::EvidenceJson(e)}});
  }

  // A file: authorised through isms.write, stored in the provider's own tenant.
  SR_ASSIGN_OR_RETURN(
      const access::Permit permit,
      api.authorizer.AdmitIsmsEvidence(caller.principal, caller.actor, Action::kIsmsWrite,
                                       "control:" + control_id));
  SR_ASSIGN_OR_RETURN(isms::NewEvidence n,
                      EvidenceDetails(control_id, {[&request](std::string_view name)
                                                       -> base::Result<std::optional<std::string>> {
                                        return request.FilterParam(name);
                                      }}));
  n.kind = isms::EvidenceKind::kFile;
  n.media_type = type;
  SR_RETURN_IF_ERROR(s.evidence.Check(n));  // Before the upload: nothing to undo.
  SR_RETURN_IF_ERROR(api.tenants.EnsureProviderTenant(caller.actor).status());
  RequestBody body(*request.body_stream);
  const std::string file_id = identity::NewRandomId("evidence");
  SR_ASSIGN_OR_RETURN(const vault::FileInfo f,
                      s.files.Put(permit, file_id, type, body, vault::WriteConditions{}));
  n.file_id = f.id;
  n.file_size = f.size;
  n.file_sha256 = f.sha256;
  auto added = s.evidence.Add(caller.actor, n);
  if (!added.ok()) {
    (void)s.files.Delete(permit, file_id, vault::WriteConditions{});  // Nothing half-written.
    return added.status();
  }
  return JsonResponse(201, {{"evidence", isms::EvidenceJson(*added)}});
}

// Always a response: the body's own errors are mapped here.
base::Result<Response> AddEvidence(const IsmsServices& s, ApiServices& api, const Request& request,
                                   const Caller& caller) {
  auto r = AddEvidenceOrFail(s, api, request, caller);
  if (r.ok()) return std::move(r).value();
  // The body's own errors keep their meaning: too large is 413 and a stall is 408.
  if (r.error().code() == base::ErrorCode::kResourceExhausted) {
    return ErrorResponse(413, "payload_too_large", r.error().message());
  }
  if (r.error().code() == base::ErrorCode::kDeadlineExceeded) {
    return ErrorResponse(408, "request_timeout", r.error().message());
  }
  return ErrorFor(r.error(), request);
}

base::Result<Response> ListEvidence(const IsmsServices& s, ApiServices& api, const Request& request,
                                    const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("control:" + id)));
  SR_ASSIGN_OR_RETURN(const isms::Control c, s.controls.Get(id));
  SR_RETURN_IF_ERROR(CheckOwnerSees(caller, c));
  const bool all = request.QueryParam("include_superseded").value_or("") == "true";
  SR_ASSIGN_OR_RETURN(const auto found, s.evidence.ForControl(id, all));
  json list = json::array();
  for (const auto& e : found) list.push_back(isms::EvidenceJson(e));
  return JsonResponse(200, {{"evidence", list}, {"next_cursor", nullptr}});
}

// The evidence, if the caller may see its control.
base::Result<isms::Evidence> VisibleEvidence(const IsmsServices& s, const Caller& caller,
                                             const std::string& id) {
  SR_ASSIGN_OR_RETURN(isms::Evidence e, s.evidence.Get(id));
  SR_ASSIGN_OR_RETURN(const isms::Control c, s.controls.Get(e.control_id));
  if (!CheckOwnerSees(caller, c).ok()) return base::NotFoundError("no evidence " + id);
  return e;
}

base::Result<Response> GetEvidence(const IsmsServices& s, ApiServices& api, const Request& request,
                                   const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kIsmsRead, IsmsTarget("evidence:" + id)));
  SR_ASSIGN_OR_RETURN(const isms::Evidence e, VisibleEvidence(s, caller, id));
  return JsonResponse(200, {{"evidence", isms::EvidenceJson(e)}});
}

base::Result<Response> GetEvidenceFile(const IsmsServices& s, ApiServices& api,
                                       const Request& request, const Caller& caller) {
  const std::string& id = request.path_params.at("id");
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      api.authorizer.AdmitIsmsEvidence(caller.principal, caller.actor,
                                                       Action::kIsmsRead, "evidence:" + id));
  SR_ASSIGN_OR_RETURN(const isms::Evidence e, VisibleEvidence(s, caller, id));
  if (e.kind != isms::EvidenceKind::kFile) {
    return base::NotFoundError("evidence " + id + " is a " +
                               std::string(isms::EvidenceKindName(e.kind)) + ", not a file");
  }
  SR_ASSIGN_OR_RETURN(vault::FileDownload d, s.files.Open(permit, e.file_id));
  if (d.info.sha256 != e.sha256) {
    return base::DataLossError("evidence " + id + " does not match the SHA-256 recorded for it");
  }
  Response r = Response::Text(200, "application/octet-stream", "");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + e.id + "\"");
  r.headers.emplace_back("X-Content-SHA256", e.sha256);
  r.headers.emplace_back("X-Declared-Content-Type", e.media_type);
  r.stream = std::make_shared<FileBody>(std::move(d.reader));
  r.stream_length = d.info.size;
  return r;
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
  router.Add("GET", "/api/v1/frameworks/{id}/coverage", auth(GetCoverage), kNoBody);
  const auto report = [&auth](Report rep, Format fmt) {
    return auth([rep, fmt](const IsmsServices& s, ApiServices& a, const Request& r,
                           const Caller& c) { return Export(s, a, r, c, rep, fmt); });
  };
  // Literal paths, so the OpenAPI check (tests/tools/openapi_routes_test.py) can read them.
  router.Add("GET", "/api/v1/frameworks/{id}/soa.xlsx", report(Report::kSoa, Format::kXlsx),
             kNoBody);
  router.Add("GET", "/api/v1/frameworks/{id}/soa.csv", report(Report::kSoa, Format::kCsv), kNoBody);
  router.Add("GET", "/api/v1/frameworks/{id}/control-matrix.xlsx",
             report(Report::kControlMatrix, Format::kXlsx), kNoBody);
  router.Add("GET", "/api/v1/frameworks/{id}/control-matrix.csv",
             report(Report::kControlMatrix, Format::kCsv), kNoBody);
  router.Add("GET", "/api/v1/frameworks/{id}/profile.xlsx", report(Report::kProfile, Format::kXlsx),
             kNoBody);
  router.Add("GET", "/api/v1/frameworks/{id}/profile.csv", report(Report::kProfile, Format::kCsv),
             kNoBody);
  router.Add("GET", "/api/v1/frameworks/{id}/assessment-results.json", auth(AssessmentResults),
             kNoBody);
  router.Add("GET", "/api/v1/controls", auth(ListControls), kNoBody);
  router.Add("POST", "/api/v1/controls", auth(CreateControl), kControlBody);
  router.Add("GET", "/api/v1/controls/{id}", auth(GetControl), kNoBody);
  router.Add("PATCH", "/api/v1/controls/{id}", auth(UpdateControl), kControlBody);
  router.Add("GET", "/api/v1/controls/{id}/history", auth(ControlHistory), kNoBody);
  router.Add("POST", "/api/v1/controls/{id}/evidence", auth(AddEvidence),
             RouteOptions{.max_body_bytes = isms.files.limits().max_bytes, .stream_body = true});
  router.Add("GET", "/api/v1/controls/{id}/evidence", auth(ListEvidence), kNoBody);
  router.Add("GET", "/api/v1/evidence/{id}", auth(GetEvidence), kNoBody);
  router.Add("GET", "/api/v1/evidence/{id}/file", auth(GetEvidenceFile), kNoBody);
}

}  // namespace strongroom::http
