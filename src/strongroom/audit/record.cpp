#include "strongroom/audit/record.hpp"

#include <cstring>
#include <nlohmann/json.hpp>

#include "strongroom/crypto/hash.hpp"

namespace strongroom::audit {
StoredEvent ToStored(std::uint64_t seq, const Event& e) {
  nlohmann::json details = nlohmann::json::object();
  for (const auto& [k, v] : e.details) details[k] = v;
  return StoredEvent{seq, base::FormatRfc3339(e.time), e.actor_id, e.actor_role, e.tenant_id,
                     e.action, e.resource, std::string(OutcomeName(e.outcome)), e.reason,
                     e.source_address, e.request_id,
                     // Invalid UTF-8 is replaced rather than refused: an event is never lost.
                     details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

void AppendLeafData(std::uint64_t seq, const LeafFields& fields, base::Bytes& out) {
  // Sized once and written in place: verification encodes every leaf of the log.
  std::size_t size = 1 + 8 + 4 * fields.size();
  for (std::string_view field : fields) size += field.size();
  const std::size_t start = out.size();
  out.resize(start + size);
  std::uint8_t* p = out.data() + start;
  *p++ = 0x01;
  for (int shift = 56; shift >= 0; shift -= 8) *p++ = static_cast<std::uint8_t>(seq >> shift);
  for (std::string_view field : fields) {
    const auto n = static_cast<std::uint32_t>(field.size());
    for (int shift = 24; shift >= 0; shift -= 8) *p++ = static_cast<std::uint8_t>(n >> shift);
    if (n > 0) std::memcpy(p, field.data(), n);
    p += n;
  }
}

base::Bytes LeafData(const StoredEvent& e) {
  base::Bytes out;
  out.reserve(9 + 11 * 4 + e.time.size() + e.actor_id.size() + e.actor_role.size() +
              e.tenant_id.size() + e.action.size() + e.resource.size() + e.outcome.size() +
              e.reason.size() + e.source_address.size() + e.request_id.size() + e.details.size());
  AppendLeafData(e.seq, FieldsOf(e), out);
  return out;
}

Hash LeafHashOfFields(std::uint64_t seq, const LeafFields& fields) {
  // The RFC 6962 leaf prefix, then the leaf input, in one buffer reused by this thread.
  thread_local base::Bytes buffer;
  buffer.clear();
  buffer.push_back(0x00);
  AppendLeafData(seq, fields, buffer);
  return crypto::Sha256(buffer);
}

}  // namespace strongroom::audit
