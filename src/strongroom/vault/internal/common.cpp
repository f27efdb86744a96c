#include "strongroom/vault/internal/common.hpp"

#include "strongroom/vault/records.hpp"

namespace strongroom::vault::internal {

void AppendField(base::Bytes& out, std::string_view field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  out.insert(out.end(), field.begin(), field.end());
}

void AppendU64(base::Bytes& out, std::uint64_t value) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

base::Status CheckPermit(const access::Permit& permit, access::Action action,
                         std::optional<std::string_view> collection) {
  if (permit.action() != action) {
    return base::InternalError("a permit for " + std::string(access::ActionName(permit.action())) +
                               " was used for " + std::string(access::ActionName(action)));
  }
  if (collection && permit.collection() && *permit.collection() != *collection) {
    return base::InternalError("a permit for collection " + *permit.collection() +
                               " was used for collection " + std::string(*collection));
  }
  return base::OkStatus();
}

base::Status CheckConditions(bool exists, std::uint64_t version, const WriteConditions& c) {
  const std::string now =
      exists ? "it is at version " + std::to_string(version) : "it does not exist";
  if (c.if_absent && exists) {
    return base::AbortedError("If-None-Match: * requires that it not exist; " + now);
  }
  if (c.if_exists && !exists) return base::AbortedError("If-Match requires that it exist; " + now);
  if (c.if_version && (!exists || version != *c.if_version)) {
    return base::AbortedError("If-Match asked for version " + std::to_string(*c.if_version) + "; " +
                              now);
  }
  return base::OkStatus();
}

std::string ReasonCode(const base::Status& s) {
  switch (s.code()) {
    case base::ErrorCode::kNotFound:
      return "not_found";
    case base::ErrorCode::kAborted:
      return "condition_failed";
    case base::ErrorCode::kFailedPrecondition:
      return "legal_hold";
    case base::ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case base::ErrorCode::kResourceExhausted:
      return "too_large";
    case base::ErrorCode::kDataLoss:
      return "integrity";
    default:
      return "error";
  }
}

base::Status RecordFailure(audit::Sink& audit, base::Time now, const access::Permit& permit,
                           std::string_view action, std::string resource,
                           std::string_view collection, std::string_view id,
                           const base::Status& failure) {
  if (failure.ok()) return failure;
  audit::Event e = permit.Event(now, std::string(action), std::move(resource),
                                audit::Outcome::kFailed, ReasonCode(failure));
  if (!collection.empty()) e.details["collection"] = std::string(collection);
  if (!id.empty()) e.details["id"] = std::string(id);
  if (base::Status s = audit.Record(e); !s.ok()) return s;
  return failure;
}

}  // namespace strongroom::vault::internal
