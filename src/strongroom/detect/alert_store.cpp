#include "strongroom/detect/alert_store.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::detect {
namespace {

using storage::Int;
using storage::Null;
using storage::Text;

constexpr std::string_view kColumns =
    "id, seq, rule, severity, subject, summary, tenant_id, event_seqs, event_time, raised_at, "
    "status, acknowledged_by, acknowledged_at, note, delivery, delivery_attempts, "
    "next_delivery_at, delivered_at, last_delivery_error";

constexpr std::string_view kDeliveryNames[] = {"none", "pending", "delivered", "failed"};

base::Result<Alert> FromRow(const storage::Row& row) {
  Alert a;
  SR_ASSIGN_OR_RETURN(a.id, row.GetText(0));
  SR_ASSIGN_OR_RETURN(const std::int64_t seq, row.GetInt(1));
  a.seq = static_cast<std::uint64_t>(seq);
  SR_ASSIGN_OR_RETURN(a.rule, row.GetText(2));
  SR_ASSIGN_OR_RETURN(const std::string severity, row.GetText(3));
  auto parsed = ParseSeverity(severity);
  if (!parsed.ok()) return base::DataLossError("alert " + a.id + " has an unknown severity");
  a.severity = *parsed;
  SR_ASSIGN_OR_RETURN(a.subject, row.GetText(4));
  SR_ASSIGN_OR_RETURN(a.summary, row.GetText(5));
  SR_ASSIGN_OR_RETURN(a.tenant_id, row.GetText(6));
  SR_ASSIGN_OR_RETURN(const std::string seqs, row.GetText(7));
  const auto j = nlohmann::json::parse(seqs, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return base::DataLossError("alert " + a.id + " has malformed event_seqs");
  for (const auto& v : j) {
    if (!v.is_number_unsigned()) {
      return base::DataLossError("alert " + a.id + " has malformed event_seqs");
    }
    a.event_seqs.push_back(v.get<std::uint64_t>());
  }
  SR_ASSIGN_OR_RETURN(a.event_time, row.GetText(8));
  SR_ASSIGN_OR_RETURN(a.raised_at, row.GetText(9));
  SR_ASSIGN_OR_RETURN(const std::string status, row.GetText(10));
  a.acknowledged = status == "acknowledged";
  SR_ASSIGN_OR_RETURN(a.acknowledged_by, row.GetOptionalText(11));
  SR_ASSIGN_OR_RETURN(a.acknowledged_at, row.GetOptionalText(12));
  SR_ASSIGN_OR_RETURN(a.note, row.GetOptionalText(13));
  SR_ASSIGN_OR_RETURN(const std::string delivery, row.GetText(14));
  for (int i = 0; i < 4; ++i) {
    if (kDeliveryNames[i] == delivery) a.delivery = static_cast<Delivery>(i);
  }
  SR_ASSIGN_OR_RETURN(a.delivery_attempts, row.GetInt(15));
  SR_ASSIGN_OR_RETURN(a.next_delivery_at, row.GetOptionalText(16));
  SR_ASSIGN_OR_RETURN(a.delivered_at, row.GetOptionalText(17));
  SR_ASSIGN_OR_RETURN(a.last_delivery_error, row.GetOptionalText(18));
  return a;
}

std::string AlertId(std::uint64_t seq, std::string_view rule) {
  return "alr_" + std::to_string(seq) + "_" + std::string(rule);
}

base::Result<std::pair<std::int64_t, std::string>> ParseCursor(std::string_view cursor) {
  const std::size_t colon = cursor.find(':');
  std::int64_t seq = -1;
  if (colon != std::string_view::npos) {
    const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + colon, seq);
    if (ec != std::errc() || end != cursor.data() + colon) seq = -1;
  }
  if (seq < 0 || colon + 1 >= cursor.size()) {
    return base::InvalidArgumentError("cursor must be a next_cursor value from a previous page");
  }
  return std::make_pair(seq, std::string(cursor.substr(colon + 1)));
}

audit::Actor DetectionActor() { return audit::Actor{"detect", "system", "local", ""}; }

}  // namespace

std::string_view DeliveryName(Delivery delivery) {
  return kDeliveryNames[static_cast<int>(delivery)];
}

base::Result<bool> AlertStore::Raise(storage::Transaction& tx, const Hit& hit, std::uint64_t seq,
                                     bool deliver) {
  const std::string id = AlertId(seq, hit.rule);
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(
      const std::int64_t inserted,
      tx.Execute(
          "INSERT OR IGNORE INTO alerts (id, seq, rule, severity, subject, summary, "
          "tenant_id, event_seqs, event_time, raised_at, status, delivery, "
          "next_delivery_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
          {Text(id), Int(static_cast<std::int64_t>(seq)), Text(hit.rule),
           Text(SeverityName(hit.severity)), Text(hit.subject), Text(hit.summary),
           Text(hit.tenant_id), Text(nlohmann::json(hit.event_seqs).dump()),
           Text(base::FormatRfc3339(hit.time)), Text(base::FormatRfc3339(now)),
           Text(deliver ? "pending" : "none"), deliver ? Text(base::FormatRfc3339(now)) : Null()}));
  if (inserted == 0) return false;
  audit::Event e = audit::MakeEvent(DetectionActor(), now, "alerts.raise", "alert:" + id,
                                    audit::Outcome::kAllowed, hit.rule, hit.tenant_id);
  e.details["severity"] = SeverityName(hit.severity);
  e.details["subject"] = hit.subject;
  e.details["events"] = std::to_string(hit.event_seqs.size());
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return true;
}

base::Result<AlertPage> AlertStore::List(const AlertQuery& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return base::InvalidArgumentError("limit must be an integer from 1 to 1000");
  }
  std::string sql = "SELECT " + std::string(kColumns) + " FROM alerts WHERE 1 = 1";
  std::vector<storage::Value> params;
  if (query.acknowledged) {
    sql += " AND status = ?";
    params.push_back(Text(*query.acknowledged ? "acknowledged" : "open"));
  }
  if (query.rule) {
    sql += " AND rule = ?";
    params.push_back(Text(*query.rule));
  }
  if (query.tenant_id) {
    sql += " AND tenant_id = ?";
    params.push_back(Text(*query.tenant_id));
  }
  if (query.cursor) {
    SR_ASSIGN_OR_RETURN(const auto cursor, ParseCursor(*query.cursor));
    sql += " AND (seq, id) < (?, ?)";
    params.push_back(Int(cursor.first));
    params.push_back(Text(cursor.second));
  }
  sql += " ORDER BY seq DESC, id DESC LIMIT ?";
  params.push_back(Int(static_cast<std::int64_t>(query.limit + 1)));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(const auto rows, tx->Query(sql, params));
  AlertPage page;
  for (const auto& row : rows) {
    if (page.alerts.size() == query.limit) {
      const Alert& last = page.alerts.back();
      page.next_cursor = std::to_string(last.seq) + ":" + last.id;
      break;
    }
    SR_ASSIGN_OR_RETURN(Alert a, FromRow(row));
    page.alerts.push_back(std::move(a));
  }
  return page;
}

base::Result<Alert> AlertStore::Get(const std::string& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(
      const auto rows,
      tx->Query("SELECT " + std::string(kColumns) + " FROM alerts WHERE id = ?", {Text(id)}));
  if (rows.empty()) return base::NotFoundError("no alert " + id);
  return FromRow(rows[0]);
}

base::Result<Alert> AlertStore::Acknowledge(const audit::Actor& actor, const std::string& id,
                                            std::optional<std::string> note) {
  if (note && note->size() > 2000) {
    return base::InvalidArgumentError("note must be at most 2000 characters");
  }
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const auto rows,
                      tx->Query("SELECT status FROM alerts WHERE id = ?", {Text(id)}));
  if (rows.empty()) return base::NotFoundError("no alert " + id);
  if (rows[0].GetText(0).value_or("") == "acknowledged") {
    return base::FailedPreconditionError("alert " + id + " is already acknowledged");
  }
  SR_RETURN_IF_ERROR(tx->Execute(
      "UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?, "
      "note = ? WHERE id = ?",
      {Text(actor.id), Text(base::FormatRfc3339(now)), storage::OptionalText(note), Text(id)}));
  audit::Event e = audit::MakeEvent(actor, now, "alerts.acknowledge", "alert:" + id,
                                    audit::Outcome::kAllowed, "");
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return Get(id);
}

base::Result<std::vector<Alert>> AlertStore::DueForDelivery(base::Time now, std::size_t limit) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(
      const auto rows,
      tx->Query("SELECT " + std::string(kColumns) +
                    " FROM alerts WHERE delivery = 'pending' AND next_delivery_at <= ? "
                    "ORDER BY next_delivery_at, seq LIMIT ?",
                {Text(base::FormatRfc3339(now)), Int(static_cast<std::int64_t>(limit))}));
  std::vector<Alert> out;
  for (const auto& row : rows) {
    SR_ASSIGN_OR_RETURN(Alert a, FromRow(row));
    out.push_back(std::move(a));
  }
  return out;
}

base::Result<std::optional<base::Time>> AlertStore::NextDeliveryDue() {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(const auto rows,
                      tx->Query("SELECT MIN(next_delivery_at) FROM alerts WHERE delivery = "
                                "'pending'"));
  if (rows.empty() || rows[0].IsNull(0)) return std::optional<base::Time>();
  SR_ASSIGN_OR_RETURN(const std::string text, rows[0].GetText(0));
  SR_ASSIGN_OR_RETURN(const base::Time t, base::ParseRfc3339(text));
  return std::optional<base::Time>(t);
}

base::Status AlertStore::MarkDelivered(const std::string& id) {
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const std::int64_t changed,
                      tx->Execute("UPDATE alerts SET delivery = 'delivered', delivered_at = ?, "
                                  "next_delivery_at = NULL, delivery_attempts = "
                                  "delivery_attempts + 1 WHERE id = ? AND delivery = 'pending'",
                                  {Text(base::FormatRfc3339(now)), Text(id)}));
  if (changed == 0) return base::OkStatus();
  SR_RETURN_IF_ERROR(
      audit_.Record(audit::MakeEvent(DetectionActor(), now, "alerts.deliver", "alert:" + id,
                                     audit::Outcome::kAllowed, "delivered")));
  return tx->Commit();
}

base::Status AlertStore::MarkAttemptFailed(const std::string& id, const std::string& error,
                                           std::optional<base::Time> retry_at) {
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(
      const std::int64_t changed,
      tx->Execute("UPDATE alerts SET delivery = ?, next_delivery_at = ?, last_delivery_error = ?, "
                  "delivery_attempts = delivery_attempts + 1 WHERE id = ? AND delivery = "
                  "'pending'",
                  {Text(retry_at ? "pending" : "failed"),
                   retry_at ? Text(base::FormatRfc3339(*retry_at)) : Null(),
                   Text(error.substr(0, 500)), Text(id)}));
  if (changed == 0) return base::OkStatus();
  if (!retry_at) {
    audit::Event e = audit::MakeEvent(DetectionActor(), now, "alerts.deliver", "alert:" + id,
                                      audit::Outcome::kFailed, "gave_up");
    e.details["error"] = error.substr(0, 200);
    SR_RETURN_IF_ERROR(audit_.Record(e));
  }
  return tx->Commit();
}

}  // namespace strongroom::detect
