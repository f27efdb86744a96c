#include "strongroom/identity/json.hpp"

#include <nlohmann/json.hpp>

namespace strongroom::identity {
namespace {

nlohmann::json TimeOrNull(const std::optional<base::Time>& t) {
  return t ? nlohmann::json(base::FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json ToJson(const User& u) {
  return {{"id", u.id.value()},
          {"username", u.username},
          {"role", RoleName(u.role)},
          {"tenant_id", u.tenant ? nlohmann::json(u.tenant->value()) : nlohmann::json(nullptr)},
          {"active", u.active()},
          {"qualified", u.qualified},
          {"two_factor_enrolled", u.two_factor_enrolled},
          {"enrollment_pending", u.enrollment_pending},
          {"created_at", base::FormatRfc3339(u.created_at)},
          {"deactivated_at", TimeOrNull(u.deactivated_at)}};
}

nlohmann::json ToJson(const Tenant& t) {
  return {{"id", t.id.value()},
          {"name", t.name},
          {"status", TenantStatusName(t.status)},
          {"require_client_2fa", t.require_client_2fa},
          {"created_at", base::FormatRfc3339(t.created_at)},
          {"suspended_at", TimeOrNull(t.suspended_at)}};
}

nlohmann::json ToJson(const ApiTokenInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"permissions", t.permissions},
          {"created_at", base::FormatRfc3339(t.created_at)},
          {"expires_at", base::FormatRfc3339(t.expires_at)},
          {"last_used_at", TimeOrNull(t.last_used_at)},
          {"revoked_at", TimeOrNull(t.revoked_at)}};
}

nlohmann::json EnrollmentToJsonRevealingSecrets(const Enrollment& e) {
  nlohmann::json codes = nlohmann::json::array();
  for (const auto& c : e.recovery_codes) codes.push_back(c.Reveal());
  return {{"totp_secret", e.secret_base32.Reveal()},
          {"otpauth_uri", e.otpauth_uri.Reveal()},
          {"totp_qr_svg", e.qr_svg.Reveal()},
          {"recovery_codes", codes}};
}

}  // namespace strongroom::identity
