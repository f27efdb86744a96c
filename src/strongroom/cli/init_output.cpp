#include "strongroom/cli/init_output.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

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

}  // namespace

void PrintInitReport(const InitReport& r, bool json, std::ostream& out) {
  if (json) {
    nlohmann::json j = {
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
        {"admin", {{"username", r.admin_username}, {"id", r.admin_id.value()}}},
    };
    if (r.generated_password) j["admin"]["password"] = r.generated_password->Reveal();
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
}

}  // namespace strongroom::cli
