#include "strongroom/cli/output.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "strongroom/identity/json.hpp"
#include "strongroom/identity/qr_code.hpp"

namespace strongroom::cli {
namespace {

std::string Fingerprint(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

std::string Padded(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

void PrintEnrollmentText(const identity::Enrollment& e, std::ostream& out) {
  out << "  TOTP secret  " << e.secret_base32.Reveal() << "\n"
      << "  otpauth URI  " << e.otpauth_uri.Reveal() << "\n";
  if (auto qr = identity::QrCodeText(e.otpauth_uri.Reveal()); qr.ok()) {
    out << "  Scan this with an authenticator app:\n" << *qr;
  }
  out << "  Recovery codes (each works once; keep them apart from the authenticator):\n";
  for (const auto& code : e.recovery_codes) out << "    " << code.Reveal() << "\n";
}

void PrintInitReport(const InitReport& r, bool json, std::ostream& out) {
  if (json) {
    nlohmann::json admin = {{"username", r.admin_username}, {"id", r.admin_id.value()}};
    if (r.generated_password) admin["password"] = r.generated_password->Reveal();
    admin.update(identity::EnrollmentToJsonRevealingSecrets(r.admin_two_factor));
    const nlohmann::json j = {
        {"data_dir", r.data_dir.string()},
        {"instance_id", r.instance_id},
        {"root_key_file", r.root_key_file.string()},
        {"store", {{"file", r.store_file.string()}, {"schema_version", r.schema_version}}},
        {"tls",
         {{"cert_file", r.tls_cert_file.string()},
          {"key_file", r.tls_key_file.string()},
          {"self_signed", r.tls_self_signed},
          {"sha256_fingerprint", r.tls_sha256_fingerprint},
          {"not_after", base::FormatRfc3339(r.tls_not_after)}}},
        {"admin", admin},
    };
    out << j.dump(2) << "\n";
    return;
  }
  out << "Created the Strongroom data directory " << r.data_dir.string() << "\n"
      << "  root key     " << r.root_key_file.string()
      << "  (mode 0600; back it up apart from the data: without it nothing can be decrypted)\n"
      << "  store        " << r.store_file.string() << "  (schema version " << r.schema_version
      << ")\n"
      << "  TLS          "
      << (r.tls_self_signed ? "self-signed certificate for localhost"
                            : "the certificate you supplied")
      << ", valid until " << base::FormatRfc3339(r.tls_not_after) << "\n"
      << "               SHA-256 " << Fingerprint(r.tls_sha256_fingerprint) << "\n"
      << "  admin        " << r.admin_username << "\n";
  if (r.generated_password) {
    out << "  password     " << r.generated_password->Reveal()
        << "  (shown only now: keep it in a password manager)\n";
  }
  out << "The admin signs in with the password and a code from an authenticator app:\n";
  PrintEnrollmentText(r.admin_two_factor, out);
}

void PrintUsers(const std::vector<identity::User>& users, bool json, std::ostream& out) {
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& u : users) list.push_back(identity::ToJson(u));
    out << nlohmann::json{{"users", list}}.dump(2) << "\n";
    return;
  }
  out << Padded("USERNAME", 24) << Padded("ROLE", 18) << Padded("TENANT", 38) << Padded("2FA", 5)
      << "STATE\n";
  for (const auto& u : users) {
    out << Padded(u.username, 24) << Padded(std::string(identity::RoleName(u.role)), 18)
        << Padded(u.tenant ? u.tenant->value() : "-", 38)
        << Padded(u.two_factor_enrolled ? "yes" : "no", 5)
        << (u.active() ? (u.qualified ? "active, qualified" : "active") : "deactivated") << "\n";
  }
}

void PrintTenants(const std::vector<identity::Tenant>& tenants, bool json, std::ostream& out) {
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : tenants) list.push_back(identity::ToJson(t));
    out << nlohmann::json{{"tenants", list}}.dump(2) << "\n";
    return;
  }
  out << Padded("ID", 38) << Padded("NAME", 32) << Padded("STATUS", 11) << "CLIENT 2FA\n";
  for (const auto& t : tenants) {
    out << Padded(t.id.value(), 38) << Padded(t.name, 32)
        << Padded(std::string(identity::TenantStatusName(t.status)), 11)
        << (t.require_client_2fa ? "required" : "optional") << "\n";
  }
}

}  // namespace strongroom::cli
