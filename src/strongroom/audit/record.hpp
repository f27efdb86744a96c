#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/merkle.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"

namespace strongroom::audit {

// An event as the audit log keeps it: its position (from 0) and the exact text of every field.
// The leaf of the Merkle tree is LeafData() of this, so anything that changes a field, the time
// or the position changes the leaf hash.
struct StoredEvent {
  std::uint64_t seq = 0;
  std::string time;  // RFC 3339, UTC, milliseconds: exactly what was hashed.
  std::string actor_id;
  std::string actor_role;
  std::string tenant_id;
  std::string action;
  std::string resource;
  std::string outcome;  // "allowed", "denied" or "failed".
  std::string reason;
  std::string source_address;
  std::string request_id;
  std::string details;  // A JSON object with sorted keys; "{}" when there are none.
  // Past its retention the event's contents are removed (see retention.hpp): only seq, time,
  // action and outcome stay, and its leaf hash is the stored one, which the fields no longer
  // reproduce. Neither is part of the leaf.
  bool pruned = false;
  Hash stored_leaf{};  // Set when pruned.
};

// The stored form of `event` at `seq`.
StoredEvent ToStored(std::uint64_t seq, const Event& event);

// The leaf input: the byte 0x01 (format version), seq as 8 bytes big-endian, then each field in
// the order declared above as a 4-byte big-endian length and its UTF-8 bytes. Documented in
// docs/audit.md so anyone holding an event can recompute its leaf hash.
base::Bytes LeafData(const StoredEvent& event);

// The eleven text fields of the leaf, in leaf order, by reference: what verification reads
// straight from the store without building a StoredEvent.
using LeafFields = std::array<std::string_view, 11>;
inline LeafFields FieldsOf(const StoredEvent& e) {
  return {e.time,    e.actor_id, e.actor_role,     e.tenant_id,  e.action, e.resource,
          e.outcome, e.reason,   e.source_address, e.request_id, e.details};
}
// The same eleven fields, to fill in (reading an event back from the store).
inline std::array<std::string*, 11> MutableFieldsOf(StoredEvent& e) {
  return {&e.time,    &e.actor_id, &e.actor_role,     &e.tenant_id,  &e.action, &e.resource,
          &e.outcome, &e.reason,   &e.source_address, &e.request_id, &e.details};
}
// Appends LeafData of (seq, fields) to `out`.
void AppendLeafData(std::uint64_t seq, const LeafFields& fields, base::Bytes& out);
// HashLeaf(LeafData(...)) without allocating.
Hash LeafHashOfFields(std::uint64_t seq, const LeafFields& fields);
inline Hash LeafHashOf(const StoredEvent& event) {
  return LeafHashOfFields(event.seq, FieldsOf(event));
}
// The event's leaf in the tree: recomputed from the fields, or the stored one once pruned.
inline Hash LeafOf(const StoredEvent& event) {
  return event.pruned ? event.stored_leaf : LeafHashOf(event);
}

}  // namespace strongroom::audit
