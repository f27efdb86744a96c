#include "strongroom/isms/evidence.hpp"

#include <map>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/isms/dates.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;
using storage::Int;
using storage::Null;
using storage::OptionalText;
using storage::Text;

constexpr std::string_view kColumns =
    "id, control_id, lineage, version, kind, title, period_from, period_to, collected_at, "
    "expires_at, recorded_at, recorded_by, sha256, file_id, file_size, media_type, url, "
    "attested_by, statement, superseded_by, superseded_at";

base::Result<Evidence> FromRow(const storage::Row& r) {
  Evidence e;
  SR_ASSIGN_OR_RETURN(e.id, r.GetText(0));
  SR_ASSIGN_OR_RETURN(e.control_id, r.GetText(1));
  SR_ASSIGN_OR_RETURN(e.lineage, r.GetText(2));
  SR_ASSIGN_OR_RETURN(e.version, r.GetInt(3));
  SR_ASSIGN_OR_RETURN(const std::string kind, r.GetText(4));
  SR_ASSIGN_OR_RETURN(e.kind, ParseEvidenceKind(kind));
  SR_ASSIGN_OR_RETURN(e.title, r.GetText(5));
  SR_ASSIGN_OR_RETURN(e.period_from, r.GetText(6));
  SR_ASSIGN_OR_RETURN(e.period_to, r.GetText(7));
  SR_ASSIGN_OR_RETURN(e.collected_at, r.GetText(8));
  SR_ASSIGN_OR_RETURN(e.expires_at, r.GetText(9));
  SR_ASSIGN_OR_RETURN(e.recorded_at, r.GetText(10));
  SR_ASSIGN_OR_RETURN(e.recorded_by, r.GetText(11));
  SR_ASSIGN_OR_RETURN(e.sha256, r.GetText(12));
  SR_ASSIGN_OR_RETURN(e.file_id, r.GetText(13));
  SR_ASSIGN_OR_RETURN(const std::int64_t size, r.GetInt(14));
  e.file_size = static_cast<std::uint64_t>(size);
  SR_ASSIGN_OR_RETURN(e.media_type, r.GetText(15));
  SR_ASSIGN_OR_RETURN(e.url, r.GetText(16));
  SR_ASSIGN_OR_RETURN(e.attested_by, r.GetText(17));
  SR_ASSIGN_OR_RETURN(e.statement, r.GetText(18));
  SR_ASSIGN_OR_RETURN(e.superseded_by, r.GetOptionalText(19));
  SR_ASSIGN_OR_RETURN(e.superseded_at, r.GetOptionalText(20));
  return e;
}

base::Result<std::vector<Evidence>> Select(storage::Transaction& tx, const std::string& where,
                                           const std::vector<storage::Value>& params) {
  SR_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT " + std::string(kColumns) + " FROM isms_evidence " + where, params));
  std::vector<Evidence> out;
  for (const auto& r : rows) {
    SR_ASSIGN_OR_RETURN(Evidence e, FromRow(r));
    out.push_back(std::move(e));
  }
  return out;
}

base::Result<base::Time> Time(std::string_view field, std::string_view text) {
  auto t = base::ParseRfc3339(text);
  if (!t.ok()) {
    return base::InvalidArgumentError(std::string(field) +
                                      " must be an RFC 3339 time such as 2027-12-31T23:59:59Z");
  }
  return *t;
}

bool Printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string_view EvidenceKindName(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::kFile:
      return "file";
    case EvidenceKind::kLink:
      return "link";
    case EvidenceKind::kAttestation:
      return "attestation";
  }
  return "link";
}

base::Result<EvidenceKind> ParseEvidenceKind(std::string_view name) {
  for (EvidenceKind k : {EvidenceKind::kFile, EvidenceKind::kLink, EvidenceKind::kAttestation}) {
    if (EvidenceKindName(k) == name) return k;
  }
  return base::InvalidArgumentError("kind must be file, link or attestation");
}

std::string EvidenceContent(const Evidence& e) {
  json j = {{"kind", EvidenceKindName(e.kind)},
            {"control_id", e.control_id},
            {"title", e.title},
            {"period_from", e.period_from},
            {"period_to", e.period_to},
            {"collected_at", e.collected_at}};
  if (e.kind == EvidenceKind::kLink) j["url"] = e.url;
  if (e.kind == EvidenceKind::kAttestation) {
    j["attested_by"] = e.attested_by;
    j["statement"] = e.statement;
  }
  if (e.kind == EvidenceKind::kFile) {  // The file's own bytes are hashed in sha256.
    j["file_sha256"] = e.sha256;
    j["file_size"] = e.file_size;
    j["media_type"] = e.media_type;
    j["expires_at"] = e.expires_at;
  }
  return j.dump();  // nlohmann orders object keys: canonical.
}

json EvidenceJson(const Evidence& e) {
  json j = {{"id", e.id},
            {"control_id", e.control_id},
            {"lineage", e.lineage},
            {"version", e.version},
            {"kind", EvidenceKindName(e.kind)},
            {"title", e.title},
            {"period_from", e.period_from},
            {"period_to", e.period_to},
            {"collected_at", e.collected_at},
            {"expires_at", e.expires_at},
            {"recorded_at", e.recorded_at},
            {"recorded_by", e.recorded_by},
            {"sha256", e.sha256},
            {"superseded_by", e.superseded_by ? json(*e.superseded_by) : json(nullptr)},
            {"superseded_at", e.superseded_at ? json(*e.superseded_at) : json(nullptr)}};
  switch (e.kind) {
    case EvidenceKind::kFile:
      j["file"] = {{"size", e.file_size}, {"media_type", e.media_type}};
      break;
    case EvidenceKind::kLink:
      j["url"] = e.url;
      break;
    case EvidenceKind::kAttestation:
      j["attested_by"] = e.attested_by;
      j["statement"] = e.statement;
      break;
  }
  return j;
}

EvidenceStore::EvidenceStore(storage::Store& store, audit::Sink& audit, const base::Clock& clock)
    : store_(store), audit_(audit), clock_(clock) {}

base::Status EvidenceStore::CheckIn(storage::Transaction& tx, const NewEvidence& e) {
  SR_ASSIGN_OR_RETURN(auto control,
                      tx.Query("SELECT 1 FROM isms_controls WHERE id = ?", {Text(e.control_id)}));
  if (control.empty()) {
    return base::NotFoundError("no control " + e.control_id.substr(0, 64) +
                               "; GET /api/v1/controls lists them");
  }
  if (e.title.empty() || e.title.size() > 200 || !Printable(e.title)) {
    return base::InvalidArgumentError("title must be 1 to 200 printable characters");
  }
  SR_RETURN_IF_ERROR(ValidateDate("period_from", e.period_from));
  SR_RETURN_IF_ERROR(ValidateDate("period_to", e.period_to));
  if (e.period_to < e.period_from) {
    return base::InvalidArgumentError("period_to must not be before period_from");
  }
  const base::Time now = clock_.Now();
  base::Time collected = now;
  if (e.collected_at) {
    SR_ASSIGN_OR_RETURN(collected, Time("collected_at", *e.collected_at));
    if (collected > now + std::chrono::minutes(5)) {
      return base::InvalidArgumentError("collected_at is in the future");
    }
  }
  SR_ASSIGN_OR_RETURN(const base::Time expires, Time("expires_at", e.expires_at));
  if (expires <= collected) {
    return base::InvalidArgumentError("expires_at must be after collected_at");
  }
  switch (e.kind) {
    case EvidenceKind::kFile:
      break;  // The upload's own checks; Add checks the result.
    case EvidenceKind::kLink:
      if (!(e.url.starts_with("https://") || e.url.starts_with("http://")) || e.url.size() > 2000 ||
          !Printable(e.url) || e.url.find(' ') != std::string::npos) {
        return base::InvalidArgumentError(
            "url must be an http:// or https:// address of at most 2000 characters");
      }
      break;
    case EvidenceKind::kAttestation:
      if (e.attested_by.empty() || e.attested_by.size() > 200 || !Printable(e.attested_by)) {
        return base::InvalidArgumentError(
            "an attestation names the person who attests: attested_by, 1 to 200 characters");
      }
      if (e.statement.empty() || e.statement.size() > 10000) {
        return base::InvalidArgumentError(
            "an attestation needs its statement: 1 to 10000 characters");
      }
      break;
  }
  if (e.supersedes) {
    SR_ASSIGN_OR_RETURN(auto old, Select(tx, "WHERE id = ?", {Text(*e.supersedes)}));
    if (old.empty()) return base::NotFoundError("no evidence " + e.supersedes->substr(0, 64));
    if (old[0].control_id != e.control_id) {
      return base::FailedPreconditionError("evidence " + *e.supersedes + " belongs to control " +
                                           old[0].control_id + ", not " + e.control_id);
    }
    if (old[0].superseded_by) {
      return base::FailedPreconditionError("evidence " + *e.supersedes +
                                           " was already superseded by " + *old[0].superseded_by +
                                           "; supersede that one");
    }
  }
  return base::OkStatus();
}

base::Status EvidenceStore::Check(const NewEvidence& e) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return CheckIn(*tx, e);
}

base::Result<Evidence> EvidenceStore::Add(const audit::Actor& actor, const NewEvidence& n) {
  if (n.kind == EvidenceKind::kFile) {
    const bool hex = n.file_sha256.size() == 64 &&
                     n.file_sha256.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (n.file_id.empty() || !hex) {
      return base::InvalidArgumentError("file evidence needs the stored file's id and SHA-256");
    }
  }
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_RETURN_IF_ERROR(CheckIn(*tx, n));
  Evidence e;
  e.id = identity::NewRandomId("ev");
  e.control_id = n.control_id;
  e.lineage = e.id;
  e.kind = n.kind;
  e.title = n.title;
  e.period_from = n.period_from;
  e.period_to = n.period_to;
  e.collected_at = base::FormatRfc3339(n.collected_at ? *base::ParseRfc3339(*n.collected_at) : now);
  e.expires_at = base::FormatRfc3339(*base::ParseRfc3339(n.expires_at));
  e.recorded_at = base::FormatRfc3339(now);
  e.recorded_by = actor.id;
  if (n.supersedes) {
    SR_ASSIGN_OR_RETURN(auto old, Select(*tx, "WHERE id = ?", {Text(*n.supersedes)}));
    e.lineage = old.at(0).lineage;
    e.version = old.at(0).version + 1;
  }
  switch (e.kind) {
    case EvidenceKind::kFile:
      e.file_id = n.file_id;
      e.file_size = n.file_size;
      e.media_type = n.media_type;
      e.sha256 = n.file_sha256;
      break;
    case EvidenceKind::kLink:
      e.url = n.url;
      e.sha256 = base::HexEncode(crypto::Sha256(base::AsBytes(EvidenceContent(e))));
      break;
    case EvidenceKind::kAttestation:
      e.attested_by = n.attested_by;
      e.statement = n.statement;
      e.sha256 = base::HexEncode(crypto::Sha256(base::AsBytes(EvidenceContent(e))));
      break;
  }
  // The hash is in the audit log before the evidence exists.
  audit::Event event = audit::MakeEvent(actor, now, "evidence.add", "evidence:" + e.id,
                                        audit::Outcome::kAllowed, "");
  event.details["control"] = e.control_id;
  event.details["kind"] = std::string(EvidenceKindName(e.kind));
  event.details["sha256"] = e.sha256;
  // What the evidence says about itself (title, period, ...), so none of it can change unseen.
  event.details["record_sha256"] =
      base::HexEncode(crypto::Sha256(base::AsBytes(EvidenceContent(e))));
  event.details["version"] = std::to_string(e.version);
  if (n.supersedes) event.details["supersedes"] = *n.supersedes;
  SR_RETURN_IF_ERROR(audit_.Record(event));
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO isms_evidence (" + std::string(kColumns) +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
      {Text(e.id), Text(e.control_id), Text(e.lineage), Int(e.version),
       Text(EvidenceKindName(e.kind)), Text(e.title), Text(e.period_from), Text(e.period_to),
       Text(e.collected_at), Text(e.expires_at), Text(e.recorded_at), Text(e.recorded_by),
       Text(e.sha256), Text(e.file_id), Int(static_cast<std::int64_t>(e.file_size)),
       Text(e.media_type), Text(e.url), Text(e.attested_by), Text(e.statement)}));
  if (n.supersedes) {
    SR_RETURN_IF_ERROR(
        tx->Execute("UPDATE isms_evidence SET superseded_by = ?, superseded_at = ? WHERE id = ?",
                    {Text(e.id), Text(e.recorded_at), Text(*n.supersedes)}));
  }
  SR_RETURN_IF_ERROR(tx->Commit());
  return e;
}

base::Result<Evidence> EvidenceStore::Get(const std::string& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto found, Select(*tx, "WHERE id = ?", {Text(id)}));
  if (found.empty()) return base::NotFoundError("no evidence " + id.substr(0, 64));
  return std::move(found[0]);
}

base::Result<std::vector<Evidence>> EvidenceStore::ForControl(const std::string& control_id,
                                                              bool include_superseded) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return Select(*tx,
                std::string("WHERE control_id = ?") +
                    (include_superseded ? "" : " AND superseded_by IS NULL") +
                    " ORDER BY recorded_at DESC, id",
                {Text(control_id)});
}

base::Result<EvidenceInForce> EvidenceStore::InForceAt(base::Time time) {
  const std::string at = base::FormatRfc3339(time);
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  EvidenceInForce out;
  SR_RETURN_IF_ERROR(tx->ForEach(
      "SELECT control_id, COUNT(*) FROM isms_evidence WHERE recorded_at <= ?1 AND collected_at "
      "<= ?1 AND expires_at > ?1 AND (superseded_at IS NULL OR superseded_at > ?1) GROUP BY "
      "control_id",
      {Text(at)}, [&out](const storage::RowView& r) -> base::Status {
        SR_ASSIGN_OR_RETURN(const std::string_view control, r.GetText(0));
        SR_ASSIGN_OR_RETURN(const std::int64_t n, r.GetInt(1));
        out[std::string(control)] = static_cast<std::uint64_t>(n);
        return base::OkStatus();
      }));
  return out;
}

base::Result<std::vector<ExpiredEvidence>> EvidenceStore::ExpiredAt(base::Time time) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  std::vector<ExpiredEvidence> out;
  SR_RETURN_IF_ERROR(tx->ForEach(
      "SELECT id, control_id, title, expires_at FROM isms_evidence WHERE expires_at <= ?1 AND "
      "recorded_at <= ?1 AND (superseded_at IS NULL OR superseded_at > ?1) ORDER BY expires_at, "
      "id",
      {Text(base::FormatRfc3339(time))}, [&out](const storage::RowView& r) -> base::Status {
        ExpiredEvidence e;
        for (std::size_t i = 0; i < 4; ++i) {
          SR_ASSIGN_OR_RETURN(const std::string_view v, r.GetText(i));
          (i == 0   ? e.id
           : i == 1 ? e.control_id
           : i == 2 ? e.title
                    : e.expires_at) = std::string(v);
        }
        out.push_back(std::move(e));
        return base::OkStatus();
      }));
  return out;
}

base::Result<std::vector<Evidence>> EvidenceStore::All() {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return Select(*tx, "ORDER BY recorded_at, id", {});
}

base::Result<EvidenceVerification> VerifyEvidence(EvidenceStore& store, audit::AuditLog& log) {
  SR_ASSIGN_OR_RETURN(const std::vector<Evidence> all, store.All());
  EvidenceVerification out;
  if (all.empty()) return out;
  // The evidence.add events from the first evidence on (each is recorded with its evidence).
  SR_ASSIGN_OR_RETURN(const base::Time first, base::ParseRfc3339(all.front().recorded_at));
  SR_ASSIGN_OR_RETURN(std::uint64_t seq, log.FirstSeqAtOrAfter(first - std::chrono::minutes(1)));
  std::map<std::string, audit::StoredEvent> events;  // By evidence id.
  std::uint64_t pruned = 0;
  for (;;) {
    audit::EventQuery q;
    q.from_seq = seq;
    q.limit = 1000;
    SR_ASSIGN_OR_RETURN(audit::EventPage page, log.Events(q));
    for (audit::StoredEvent& e : page.events) {
      if (e.action != "evidence.add") continue;
      if (e.pruned) {
        ++pruned;
        continue;
      }
      if (e.resource.starts_with("evidence:")) events[e.resource.substr(9)] = std::move(e);
    }
    if (!page.next_seq) break;
    seq = *page.next_seq;
  }
  for (const Evidence& e : all) {
    ++out.checked;
    const auto it = events.find(e.id);
    if (it == events.end()) {
      if (pruned > 0) {
        ++out.past_retention;
      } else {
        out.problems.push_back({e.id, "no evidence.add event in the audit log"});
      }
      continue;
    }
    const json details = json::parse(it->second.details, nullptr, false);
    const auto detail = [&details](const char* key) {
      return details.is_object() ? details.value(key, std::string()) : std::string();
    };
    if (detail("sha256") != e.sha256) {
      out.problems.push_back(
          {e.id, "its SHA-256 is not the one recorded in the audit log at " + it->second.time});
    }
    if (detail("control") != e.control_id || detail("version") != std::to_string(e.version)) {
      out.problems.push_back({e.id,
                              "its control or version is not the one recorded in the "
                              "audit log"});
    }
    const std::string record = base::HexEncode(crypto::Sha256(base::AsBytes(EvidenceContent(e))));
    if (e.kind != EvidenceKind::kFile && record != e.sha256) {
      out.problems.push_back({e.id, "its content does not hash to its SHA-256: it was changed"});
    } else if (!detail("record_sha256").empty() && detail("record_sha256") != record) {
      // (Events recorded before record_sha256 existed do not carry it; the log cannot lose it.)
      out.problems.push_back({e.id,
                              "its title, period or other details are not those recorded "
                              "in the audit log: they were changed"});
    }
  }
  return out;
}

}  // namespace strongroom::isms
