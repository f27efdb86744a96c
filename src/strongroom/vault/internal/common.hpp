#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status.hpp"

namespace strongroom::vault {
struct WriteConditions;
}  // namespace strongroom::vault

namespace strongroom::vault::internal {

// Appends a 4-byte big-endian length and the bytes: unambiguous concatenation for associated
// data and MAC inputs.
void AppendField(base::Bytes& out, std::string_view field);
void AppendU64(base::Bytes& out, std::uint64_t value);

// The permit must be for `action` and, if it names a collection and `collection` is given, for
// that collection: a permit for anything else reaching the vault is a bug in the caller, never a
// user error (kInternal).
base::Status CheckPermit(const access::Permit& permit, access::Action action,
                         std::optional<std::string_view> collection = std::nullopt);

// If-Match / If-None-Match against the current state: `exists` and, when it does, `version`.
// Errors (kAborted) say what was asked and what holds.
base::Status CheckConditions(bool exists, std::uint64_t version, const WriteConditions& c);

// The audit reason code for a failed vault operation.
std::string ReasonCode(const base::Status& s);

// Records `failure` (when it is an error) as a failed `action` on `resource` by the permit's
// actor, naming `collection` and `id` when given, with ReasonCode as the reason. Returns
// `failure`, or kUnavailable when even that cannot be recorded.
base::Status RecordFailure(audit::Sink& audit, base::Time now, const access::Permit& permit,
                           std::string_view action, std::string resource,
                           std::string_view collection, std::string_view id,
                           const base::Status& failure);

}  // namespace strongroom::vault::internal
