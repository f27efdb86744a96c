// The client data vault over HTTP: collections, records, files, legal holds, keys, the client
// export and shredding. Each handler parses its input, asks the Authorizer for the Permits it
// needs (a denial is audited there), and calls the vault, which validates, encrypts, writes and
// audits the access itself.
#include "strongroom/http/handlers/vault_routes.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/http/error_mapping.hpp"
#include "strongroom/http/handlers/file_bodies.hpp"
#include "strongroom/http/json_body.hpp"

namespace strongroom::http {
namespace {

using access::Action;
using identity::TenantId;
using nlohmann::json;

struct VaultApi {
  ApiServices& api;
  VaultServices vault;
};

base::Result<access::Permit> Admit(VaultApi& v, const Caller& caller, Action action,
                                   const TenantId& tenant,
                                   const std::optional<std::string>& collection) {
  return v.api.authorizer.Admit(
      caller.principal, caller.actor, action,
      access::Target{tenant, collection,
                     collection ? "collection:" + *collection : "tenant:" + tenant.value()});
}

TenantId TenantParam(const Request& request) { return TenantId(request.path_params.at("tenant")); }

json CollectionJson(const vault::Collection& c) {
  return {{"name", c.name},
          {"tenant_id", c.tenant.value()},
          {"classification", vault::ClassificationName(c.spec.classification)},
          {"retention_days", c.spec.retention_days ? json(*c.spec.retention_days) : json(nullptr)},
          {"lookup_fields", c.spec.lookup_fields},
          {"restricted_fields", c.spec.restricted_fields},
          {"created_at", base::FormatRfc3339(c.created_at)},
          {"updated_at", base::FormatRfc3339(c.updated_at)}};
}

std::string ETag(std::uint64_t version) { return "\"" + std::to_string(version) + "\""; }

json RecordJson(const vault::Record& r) {
  return {{"id", r.id},
          {"collection", r.collection},
          {"version", r.version},
          {"etag", ETag(r.version)},
          {"created_at", base::FormatRfc3339(r.created_at)},
          {"updated_at", base::FormatRfc3339(r.updated_at)},
          {"masked", r.masked},
          {"data", r.data}};
}

Response RecordResponse(int status, const vault::Record& r) {
  Response response = JsonResponse(status, RecordJson(r));
  response.headers.emplace_back("ETag", ETag(r.version));
  return response;
}

// If-Match: "N" or *; If-None-Match: * (the only form a write can use). Weak tags never match a
// write (RFC 9110 13.1.1), so they are refused rather than ignored.
base::Result<vault::WriteConditions> Conditions(const Request& request, bool allow_none_match) {
  vault::WriteConditions c;
  if (auto match = request.Header("if-match")) {
    std::string_view v = *match;
    if (v == "*") {
      c.if_exists = true;
    } else {
      std::uint64_t version = 0;
      const bool quoted = v.size() >= 3 && v.front() == '"' && v.back() == '"';
      const auto [end, ec] = quoted
                                 ? std::from_chars(v.data() + 1, v.data() + v.size() - 1, version)
                                 : std::from_chars_result{v.data(), std::errc::invalid_argument};
      if (!quoted || ec != std::errc() || end != v.data() + v.size() - 1 || version == 0) {
        return base::InvalidArgumentError(
            "If-Match must be * or one strong entity tag as this API returns it, such as \"3\"");
      }
      c.if_version = version;
    }
  }
  if (auto none = request.Header("if-none-match")) {
    if (!allow_none_match || *none != "*") {
      return base::InvalidArgumentError(allow_none_match
                                            ? "If-None-Match accepts only * (create only if absent)"
                                            : "If-None-Match is not accepted here");
    }
    if (c.if_exists || c.if_version) {
      return base::InvalidArgumentError("send If-Match or If-None-Match, not both");
    }
    c.if_absent = true;
  }
  return c;
}

// A condition that did not hold is 412 (RFC 9110 13.1); every other error maps as usual.
Response ConditionalError(const base::Status& s, const Request& request) {
  if (s.code() == base::ErrorCode::kAborted) {
    return ErrorResponse(412, "precondition_failed", s.message());
  }
  return ErrorFor(s, request);
}

// ?unmask=true asks for restricted fields in the clear: a separate, audited decision.
base::Result<std::optional<access::Permit>> UnmaskPermit(VaultApi& v, const Request& request,
                                                         const Caller& caller,
                                                         const TenantId& tenant,
                                                         const std::string& collection) {
  const auto flag = request.QueryParam("unmask");
  if (!flag || *flag == "false") return std::optional<access::Permit>();
  if (*flag != "true") return base::InvalidArgumentError("unmask must be true or false");
  SR_ASSIGN_OR_RETURN(access::Permit p,
                      Admit(v, caller, Action::kRecordsUnmask, tenant, collection));
  return std::optional<access::Permit>(std::move(p));
}

base::Result<Response> DeclareCollection(VaultApi& v, const Request& request,
                                         const Caller& caller) {
  const TenantId tenant = TenantParam(request);
  const std::string name = request.path_params.at("collection");
  SR_ASSIGN_OR_RETURN(const json body,
                      JsonObjectBody(request, {"classification", "retention_days", "lookup_fields",
                                               "restricted_fields"}));
  vault::CollectionSpec spec;
  SR_ASSIGN_OR_RETURN(const std::string classification, RequiredString(body, "classification"));
  SR_ASSIGN_OR_RETURN(spec.classification, vault::ParseClassification(classification));
  if (body.contains("retention_days") && !body["retention_days"].is_null()) {
    SR_ASSIGN_OR_RETURN(const auto days, OptionalInt(body, "retention_days"));
    if (*days < 1 || *days > vault::kMaxRetentionDays) {
      return base::InvalidArgumentError("retention_days must be from 1 to " +
                                        std::to_string(vault::kMaxRetentionDays) +
                                        ", or null to keep records until they are deleted");
    }
    spec.retention_days = static_cast<int>(*days);
  }
  SR_ASSIGN_OR_RETURN(spec.lookup_fields, StringList(body, "lookup_fields", false));
  SR_ASSIGN_OR_RETURN(spec.restricted_fields, StringList(body, "restricted_fields", false));
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kCollectionsManage, tenant, name));
  SR_ASSIGN_OR_RETURN(const vault::Collection c,
                      v.vault.records.DeclareCollection(permit, name, spec));
  return JsonResponse(200, {{"collection", CollectionJson(c)}});
}

base::Result<Response> GetCollection(VaultApi& v, const Request& request, const Caller& caller) {
  const TenantId tenant = TenantParam(request);
  const std::string name = request.path_params.at("collection");
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kRecordsRead, tenant, name));
  SR_ASSIGN_OR_RETURN(const vault::Collection c, v.vault.records.GetCollection(permit, name));
  return JsonResponse(200, {{"collection", CollectionJson(c)}});
}

base::Result<Response> ListCollections(VaultApi& v, const Request& request, const Caller& caller) {
  const TenantId tenant = TenantParam(request);
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kRecordsRead, tenant, std::nullopt));
  SR_ASSIGN_OR_RETURN(const auto list, v.vault.records.ListCollections(permit));
  json out = json::array();
  for (const vault::Collection& c : list) out.push_back(CollectionJson(c));
  return JsonResponse(200, {{"collections", out}, {"next_cursor", nullptr}});
}

Response PutRecord(VaultApi& v, const Request& request, const Caller& caller) {
  const auto run = [&]() -> base::Result<Response> {
    const TenantId tenant = TenantParam(request);
    const std::string collection = request.path_params.at("collection");
    const std::string id = request.path_params.at("id");
    SR_ASSIGN_OR_RETURN(const vault::WriteConditions conditions, Conditions(request, true));
    json document = json::parse(request.body, nullptr, false);
    if (document.is_discarded()) {
      return base::InvalidArgumentError("the body is not JSON; a record is one JSON object");
    }
    SR_ASSIGN_OR_RETURN(const access::Permit permit,
                        Admit(v, caller, Action::kRecordsWrite, tenant, collection));
    SR_ASSIGN_OR_RETURN(const auto unmask, UnmaskPermit(v, request, caller, tenant, collection));
    SR_ASSIGN_OR_RETURN(const vault::Record r,
                        v.vault.records.Put(permit, collection, id, std::move(document), conditions,
                                            unmask ? &*unmask : nullptr));
    return RecordResponse(r.version == 1 ? 201 : 200, r);
  };
  auto r = run();
  return r.ok() ? std::move(r).value() : ConditionalError(r.error(), request);
}

base::Result<Response> GetRecord(VaultApi& v, const Request& request, const Caller& caller) {
  const TenantId tenant = TenantParam(request);
  const std::string collection = request.path_params.at("collection");
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kRecordsRead, tenant, collection));
  SR_ASSIGN_OR_RETURN(const auto unmask, UnmaskPermit(v, request, caller, tenant, collection));
  SR_ASSIGN_OR_RETURN(const vault::Record r,
                      v.vault.records.Get(permit, collection, request.path_params.at("id"),
                                          unmask ? &*unmask : nullptr));
  return RecordResponse(200, r);
}

Response DeleteRecord(VaultApi& v, const Request& request, const Caller& caller) {
  const auto run = [&]() -> base::Result<Response> {
    const TenantId tenant = TenantParam(request);
    const std::string collection = request.path_params.at("collection");
    SR_ASSIGN_OR_RETURN(const vault::WriteConditions conditions, Conditions(request, false));
    SR_ASSIGN_OR_RETURN(const access::Permit permit,
                        Admit(v, caller, Action::kRecordsDelete, tenant, collection));
    SR_RETURN_IF_ERROR(
        v.vault.records.Delete(permit, collection, request.path_params.at("id"), conditions)
            .status());
    return NoContent();
  };
  auto r = run();
  return r.ok() ? std::move(r).value() : ConditionalError(r.error(), request);
}

base::Result<Response> ListRecords(VaultApi& v, const Request& request, const Caller& caller) {
  const TenantId tenant = TenantParam(request);
  const std::string collection = request.path_params.at("collection");
  SR_ASSIGN_OR_RETURN(const PageRequest page, Page(request));
  const auto where = request.QueryParam("where");
  std::string field, value;
  if (where) {
    const std::size_t colon = where->find(':');
    if (colon == std::string::npos || colon == 0) {
      return base::InvalidArgumentError(
          "where must be FIELD:VALUE, naming one of the collection's lookup fields");
    }
    field = where->substr(0, colon);
    value = where->substr(colon + 1);
  }
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kRecordsRead, tenant, collection));
  SR_ASSIGN_OR_RETURN(const auto unmask, UnmaskPermit(v, request, caller, tenant, collection));
  const access::Permit* u = unmask ? &*unmask : nullptr;
  SR_ASSIGN_OR_RETURN(
      const vault::RecordPage result,
      where ? v.vault.records.Lookup(permit, collection, field, value, page.limit, page.after, u)
            : v.vault.records.List(permit, collection, page.limit, page.after, u));
  json list = json::array();
  for (const vault::Record& r : result.records) list.push_back(RecordJson(r));
  return JsonResponse(200, {{"records", list}, {"next_cursor", Cursor(result.next_after)}});
}

json HoldJson(const vault::LegalHold& h) {
  return {{"id", h.id},
          {"tenant_id", h.tenant.value()},
          {"collection", h.collection ? json(*h.collection) : json(nullptr)},
          {"reason", h.reason},
          {"placed_by", h.placed_by},
          {"placed_at", base::FormatRfc3339(h.placed_at)},
          {"lifted_by", h.lifted_by ? json(*h.lifted_by) : json(nullptr)},
          {"lifted_at", h.lifted_at ? json(base::FormatRfc3339(*h.lifted_at)) : json(nullptr)},
          {"active", h.active()}};
}

base::Result<Response> PlaceHold(VaultApi& v, const Request& request, const Caller& caller) {
  const TenantId tenant = TenantParam(request);
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"collection", "reason"}));
  SR_ASSIGN_OR_RETURN(const std::optional<std::string> collection,
                      OptionalString(body, "collection"));
  SR_ASSIGN_OR_RETURN(const std::string reason, RequiredString(body, "reason"));
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kLegalHoldsManage, tenant, std::nullopt));
  SR_ASSIGN_OR_RETURN(const vault::LegalHold h, v.vault.holds.Place(permit, collection, reason));
  return JsonResponse(201, {{"id", h.id}, {"legal_hold", HoldJson(h)}});
}

base::Result<Response> ListHolds(VaultApi& v, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const access::Permit permit, Admit(v, caller, Action::kLegalHoldsRead,
                                                         TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(const auto holds, v.vault.holds.List(permit));
  json list = json::array();
  for (const vault::LegalHold& h : holds) list.push_back(HoldJson(h));
  return JsonResponse(200, {{"legal_holds", list}, {"next_cursor", nullptr}});
}

base::Result<Response> LiftHold(VaultApi& v, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const access::Permit permit, Admit(v, caller, Action::kLegalHoldsManage,
                                                         TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(const vault::LegalHold h,
                      v.vault.holds.Lift(permit, request.path_params.at("id")));
  return JsonResponse(200, {{"legal_hold", HoldJson(h)}});
}

json KeyStatusJson(const vault::KeyStatus& s) {
  json versions = json::array();
  bool done = true;
  for (const auto& version : s.versions) {
    versions.push_back(
        {{"version", version.version}, {"records", version.records}, {"files", version.files}});
    if (version.version != s.current_version && (version.records > 0 || version.files > 0)) {
      done = false;
    }
  }
  return {{"key_id", s.key_id == 0 ? json(nullptr) : json(std::to_string(s.key_id))},
          {"current_version", s.current_version},
          {"versions", versions},
          {"reencryption_done", done}};
}

base::Result<Response> RotateKey(VaultApi& v, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kKeysRotate, TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(const std::uint32_t version, v.vault.rotation.Rotate(permit));
  SR_ASSIGN_OR_RETURN(const access::Permit read,
                      Admit(v, caller, Action::kKeysRead, TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(const vault::KeyStatus status, v.vault.rotation.Status(read));
  json body = KeyStatusJson(status);
  body["rotated_to"] = version;
  return JsonResponse(200, body);
}

base::Result<Response> GetKeyStatus(VaultApi& v, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kKeysRead, TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(const vault::KeyStatus status, v.vault.rotation.Status(permit));
  return JsonResponse(200, KeyStatusJson(status));
}

base::Result<Response> ShredTenant(VaultApi& v, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"confirm"}));
  SR_ASSIGN_OR_RETURN(const std::string confirm, RequiredString(body, "confirm"));
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kTenantsShred, TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(const vault::ShredReceipt r, v.vault.shredder.Shred(permit, confirm));
  return JsonResponse(200, {{"receipt", json::parse(r.receipt)},
                            {"receipt_text", r.receipt},
                            {"signature", r.signature},
                            {"key_id", r.key_id},
                            {"public_key", r.public_key}});
}

// Standard base64 with padding (RFC 4648 section 4), as structured fields carry byte sequences.
std::string StandardBase64(base::ByteView bytes) {
  std::string s = base::Base64UrlEncode(bytes);
  for (char& c : s) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (s.size() % 4 != 0) s += '=';
  return s;
}

json FileJson(const vault::FileInfo& f) {
  json j = {{"id", f.id},
            {"version", f.version},
            {"etag", ETag(f.version)},
            {"size", f.size},
            {"content_type", f.content_type},
            {"created_at", base::FormatRfc3339(f.created_at)},
            {"updated_at", base::FormatRfc3339(f.updated_at)}};
  if (!f.sha256.empty()) j["sha256"] = f.sha256;
  return j;
}

// The body's own errors keep their meaning: too large is 413 and a stall is 408.
Response UploadError(const base::Status& s, const Request& request) {
  if (s.code() == base::ErrorCode::kResourceExhausted) {
    return ErrorResponse(413, "payload_too_large", s.message());
  }
  if (s.code() == base::ErrorCode::kDeadlineExceeded) {
    return ErrorResponse(408, "request_timeout", s.message());
  }
  return ConditionalError(s, request);
}

Response PutFile(VaultApi& v, const Request& request, const Caller& caller) {
  const auto run = [&]() -> base::Result<Response> {
    const TenantId tenant = TenantParam(request);
    SR_ASSIGN_OR_RETURN(const vault::WriteConditions conditions, Conditions(request, true));
    SR_ASSIGN_OR_RETURN(const access::Permit permit,
                        Admit(v, caller, Action::kFilesWrite, tenant, std::nullopt));
    const std::string type =
        std::string(request.Header("content-type").value_or("application/octet-stream"));
    RequestBody body(*request.body_stream);
    SR_ASSIGN_OR_RETURN(
        const vault::FileInfo f,
        v.vault.files.Put(permit, request.path_params.at("id"), type, body, conditions));
    Response r = JsonResponse(f.version == 1 ? 201 : 200, {{"file", FileJson(f)}});
    r.headers.emplace_back("ETag", ETag(f.version));
    return r;
  };
  auto r = run();
  return r.ok() ? std::move(r).value() : UploadError(r.error(), request);
}

base::Result<Response> GetFile(VaultApi& v, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kFilesRead, TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(vault::FileDownload d,
                      v.vault.files.Open(permit, request.path_params.at("id")));
  // Always served as an attachment of no particular type: a stored file never runs as a page
  // of this origin, whatever it claims to be. The declared type is in the metadata.
  Response r = Response::Text(200, "application/octet-stream", "");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + d.info.id + "\"");
  r.headers.emplace_back("ETag", ETag(d.info.version));
  r.headers.emplace_back("X-Content-SHA256", d.info.sha256);
  const auto digest = base::HexDecode(d.info.sha256);
  if (digest.ok()) {
    r.headers.emplace_back("Repr-Digest", "sha-256=:" + StandardBase64(*digest) + ":");
  }
  r.headers.emplace_back("X-Declared-Content-Type", d.info.content_type);
  r.stream = std::make_shared<FileBody>(std::move(d.reader));
  r.stream_length = d.info.size;
  return r;
}

Response DeleteFile(VaultApi& v, const Request& request, const Caller& caller) {
  const auto run = [&]() -> base::Result<Response> {
    SR_ASSIGN_OR_RETURN(const vault::WriteConditions conditions, Conditions(request, false));
    SR_ASSIGN_OR_RETURN(const access::Permit permit,
                        Admit(v, caller, Action::kFilesWrite, TenantParam(request), std::nullopt));
    SR_RETURN_IF_ERROR(v.vault.files.Delete(permit, request.path_params.at("id"), conditions));
    return NoContent();
  };
  auto r = run();
  return r.ok() ? std::move(r).value() : ConditionalError(r.error(), request);
}

base::Result<Response> ListFiles(VaultApi& v, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const PageRequest page, Page(request));
  SR_ASSIGN_OR_RETURN(const access::Permit permit,
                      Admit(v, caller, Action::kFilesRead, TenantParam(request), std::nullopt));
  SR_ASSIGN_OR_RETURN(const vault::FilePage result,
                      v.vault.files.List(permit, page.limit, page.after));
  json list = json::array();
  for (const vault::FileInfo& f : result.files) list.push_back(FileJson(f));
  return JsonResponse(200, {{"files", list}, {"next_cursor", Cursor(result.next_after)}});
}

base::Result<Response> ExportTenant(VaultApi& v, const Request& request, const Caller& caller) {
  const TenantId tenant = TenantParam(request);
  SR_ASSIGN_OR_RETURN(access::Permit export_permit,
                      Admit(v, caller, Action::kTenantsExport, tenant, std::nullopt));
  SR_ASSIGN_OR_RETURN(access::Permit records,
                      Admit(v, caller, Action::kRecordsRead, tenant, std::nullopt));
  SR_ASSIGN_OR_RETURN(access::Permit unmask,
                      Admit(v, caller, Action::kRecordsUnmask, tenant, std::nullopt));
  SR_ASSIGN_OR_RETURN(access::Permit files,
                      Admit(v, caller, Action::kFilesRead, tenant, std::nullopt));
  SR_ASSIGN_OR_RETURN(
      std::unique_ptr<vault::FileReader> archive,
      v.vault.exporter.Export(vault::ExportPermits{std::move(export_permit), std::move(records),
                                                   std::move(unmask), std::move(files)}));
  Response r = Response::Text(200, "application/x-tar", "");
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + tenant.value() + "-export.tar\"");
  r.stream = std::make_shared<FileBody>(std::move(archive));  // Chunked: the length is not known.
  return r;
}

}  // namespace

void AddVaultRoutes(Router& router, ApiServices& api, const VaultServices& vault) {
  // Shared by every handler, which the router keeps as long as it lives.
  const auto v = std::make_shared<VaultApi>(VaultApi{api, vault});
  const auto auth = [&api, v](auto fn) {
    return Authenticated(api, [v, fn](const Request& r, const Caller& c) -> base::Result<Response> {
      return fn(*v, r, c);
    });
  };
  const RouteOptions no_body{};
  const RouteOptions small_json{.max_body_bytes = 16 * 1024, .json_body = true};
  // A record's limit is on its compact form; the body may carry white space as well.
  const RouteOptions record_json{.max_body_bytes = 2 * vault.records.limits().max_bytes + 4096,
                                 .json_body = true};
  // Literal paths, so the OpenAPI check (tests/tools/openapi_routes_test.py) can read them.
  router.Add("GET", "/api/v1/tenants/{tenant}/collections", auth(ListCollections), no_body);
  router.Add("GET", "/api/v1/tenants/{tenant}/collections/{collection}", auth(GetCollection),
             no_body);
  router.Add("PUT", "/api/v1/tenants/{tenant}/collections/{collection}", auth(DeclareCollection),
             small_json);
  router.Add("GET", "/api/v1/tenants/{tenant}/collections/{collection}/records", auth(ListRecords),
             no_body);
  router.Add("GET", "/api/v1/tenants/{tenant}/collections/{collection}/records/{id}",
             auth(GetRecord), no_body);
  router.Add("PUT", "/api/v1/tenants/{tenant}/collections/{collection}/records/{id}",
             auth(PutRecord), record_json);
  router.Add("DELETE", "/api/v1/tenants/{tenant}/collections/{collection}/records/{id}",
             auth(DeleteRecord), no_body);
  router.Add("POST", "/api/v1/tenants/{tenant}/legal-holds", auth(PlaceHold), small_json);
  router.Add("GET", "/api/v1/tenants/{tenant}/legal-holds", auth(ListHolds), no_body);
  router.Add("DELETE", "/api/v1/tenants/{tenant}/legal-holds/{id}", auth(LiftHold), no_body);
  router.Add("GET", "/api/v1/tenants/{tenant}/files", auth(ListFiles), no_body);
  router.Add("GET", "/api/v1/tenants/{tenant}/files/{id}", auth(GetFile), no_body);
  router.Add("PUT", "/api/v1/tenants/{tenant}/files/{id}", auth(PutFile),
             RouteOptions{.max_body_bytes = vault.files.limits().max_bytes, .stream_body = true});
  router.Add("DELETE", "/api/v1/tenants/{tenant}/files/{id}", auth(DeleteFile), no_body);
  router.Add("GET", "/api/v1/tenants/{tenant}/export", auth(ExportTenant), no_body);
  router.Add("GET", "/api/v1/tenants/{tenant}/keys", auth(GetKeyStatus), no_body);
  router.Add("POST", "/api/v1/tenants/{tenant}/keys/rotate", auth(RotateKey), no_body);
  router.Add("POST", "/api/v1/tenants/{tenant}/shred", auth(ShredTenant), small_json);
}

}  // namespace strongroom::http
