#include "strongroom/audit/record.hpp"

#include <nlohmann/json.hpp>

namespace strongroom::audit {
namespace {

void PutU32(base::Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void PutU64(base::Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void PutString(base::Bytes& out, const std::string& s) {
  PutU32(out, static_cast<std::uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

}  // namespace

StoredEvent ToStored(std::uint64_t seq, const Event& e) {
  nlohmann::json details = nlohmann::json::object();
  for (const auto& [k, v] : e.details) details[k] = v;
  return StoredEvent{seq, base::FormatRfc3339(e.time), e.actor_id, e.actor_role, e.tenant_id,
                     e.action, e.resource, std::string(OutcomeName(e.outcome)), e.reason,
                     e.source_address, e.request_id,
                     // Invalid UTF-8 is replaced rather than refused: an event is never lost.
                     details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

base::Bytes LeafData(const StoredEvent& e) {
  base::Bytes out;
  out.reserve(9 + 11 * 4 + e.time.size() + e.actor_id.size() + e.actor_role.size() +
              e.tenant_id.size() + e.action.size() + e.resource.size() + e.outcome.size() +
              e.reason.size() + e.source_address.size() + e.request_id.size() + e.details.size());
  out.push_back(0x01);
  PutU64(out, e.seq);
  for (const std::string* field :
       {&e.time, &e.actor_id, &e.actor_role, &e.tenant_id, &e.action, &e.resource, &e.outcome,
        &e.reason, &e.source_address, &e.request_id, &e.details}) {
    PutString(out, *field);
  }
  return out;
}

}  // namespace strongroom::audit
