#include "strongroom/audit/export.hpp"

#include "strongroom/base/bytes.hpp"

namespace strongroom::audit {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// RFC 5424 PARAM-VALUE: '"', '\' and ']' are escaped with a backslash.
std::string SdEscape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

// HEADER fields are PRINTUSASCII (33..126) and bounded; anything else becomes '_'.
std::string HeaderField(std::string_view value, std::size_t max) {
  if (value.empty()) return "-";
  std::string out;
  for (char c : value.substr(0, max)) {
    out += (c >= 33 && c <= 126) ? c : '_';
  }
  return out;
}

std::string Header(int facility, int severity, std::string_view time, const SyslogIdentity& id,
                   std::string_view msgid) {
  return "<" + std::to_string(facility * 8 + severity) + ">1 " + std::string(time) + " " +
         HeaderField(id.hostname, 255) + " " + HeaderField(id.app_name, 48) + " " +
         HeaderField(id.proc_id, 128) + " " + HeaderField(msgid, 32);
}

}  // namespace

nlohmann::json EventToJson(const StoredEvent& e) {
  nlohmann::json details = nlohmann::json::parse(e.details, nullptr, /*allow_exceptions=*/false);
  if (details.is_discarded()) details = e.details;
  return {{"seq", e.seq},
          {"time", e.time},
          {"actor_id", e.actor_id},
          {"actor_role", e.actor_role},
          {"tenant_id", e.tenant_id},
          {"action", e.action},
          {"resource", e.resource},
          {"outcome", e.outcome},
          {"reason", e.reason},
          {"source_address", e.source_address},
          {"request_id", e.request_id},
          {"details", details},
          {"leaf_hash", base::HexEncode(LeafOf(e))},
          {"pruned", e.pruned}};
}

std::string SyslogEventMessage(const StoredEvent& e, const SyslogIdentity& id,
                               std::size_t max_bytes) {
  const int severity = e.outcome == "allowed" ? 6 : e.outcome == "denied" ? 4 : 3;
  std::string sd = "[audit@32473 seq=\"" + std::to_string(e.seq) + "\"";
  const std::pair<const char*, const std::string*> params[] = {
      {"actor", &e.actor_id}, {"role", &e.actor_role},    {"tenant", &e.tenant_id},
      {"action", &e.action},  {"resource", &e.resource},  {"outcome", &e.outcome},
      {"reason", &e.reason},  {"src", &e.source_address}, {"request", &e.request_id}};
  for (const auto& [name, value] : params) {
    sd += " " + std::string(name) + "=\"" + SdEscape(*value) + "\"";
  }
  sd += " leaf=\"" + base::HexEncode(LeafOf(e)) + "\"]";
  const std::string head = Header(id.facility, severity, e.time, id, e.action) + " " + sd + " ";
  std::string message = head + std::string(kBom) + EventToJson(e).dump();
  if (message.size() > max_bytes) {
    message = head + std::string(kBom) + "{\"seq\":" + std::to_string(e.seq) +
              ",\"truncated\":true,\"fetch\":\"/api/v1/audit/proof?seq=" + std::to_string(e.seq) +
              "\"}";
  }
  return message;
}

std::string SyslogCheckpointMessage(const SignedCheckpoint& c, const SyslogIdentity& id) {
  return Header(id.facility, 5, c.time, id, "checkpoint") + " [checkpoint@32473 tree_size=\"" +
         std::to_string(c.tree_size) + "\" root_hash=\"" + base::HexEncode(c.root) +
         "\" key_id=\"" + SdEscape(c.key_id) + "\" signature=\"" +
         base::Base64UrlEncode(c.signature) + "\"] " + std::string(kBom) + CheckpointToJson(c);
}

}  // namespace strongroom::audit
