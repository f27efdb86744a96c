#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "strongroom/access/authorizer.hpp"
#include "strongroom/access/grants.hpp"
#include "strongroom/audit/audit_log.hpp"
#include "strongroom/backup/backups.hpp"
#include "strongroom/backup/config.hpp"
#include "strongroom/crypto/testing/tls_client.hpp"
#include "strongroom/detect/alert_store.hpp"
#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/server.hpp"
#include "strongroom/identity/testing/identity_fixture.hpp"
#include "strongroom/isms/controls.hpp"
#include "strongroom/isms/coverage.hpp"
#include "strongroom/isms/evidence.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/vault/export.hpp"
#include "strongroom/vault/files.hpp"
#include "strongroom/vault/key_rotation.hpp"
#include "strongroom/vault/legal_holds.hpp"
#include "strongroom/vault/records.hpp"
#include "strongroom/vault/shred.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::http::testing {

// The identity fixture's services behind a real HTTPS server on a free port, wired as
// server/app.cpp wires them, with a client that speaks raw HTTP/1.1 over TLS. Not thread-safe.
class ApiFixture : public identity::testing::IdentityFixture {
 protected:
  ApiFixture();
  ~ApiFixture() override;

  struct Reply {
    int status = 0;
    nlohmann::json body;  // Null when the body is not JSON.
    std::string raw;
    crypto::testing::HttpReply http;
  };

  // One request on a fresh connection. `bearer` sets Authorization; `headers` adds more.
  Reply Call(const std::string& method, const std::string& path, const std::string& bearer = "",
             const std::optional<nlohmann::json>& body = std::nullopt,
             std::vector<std::pair<std::string, std::string>> headers = {});
  // Signs in over the API and returns the session token (empty on failure).
  std::string SignInToken(const std::string& username, const identity::Enrollment* enrollment,
                          const std::string& passphrase = identity::testing::kGoodPassphrase);
  // A session for `user` issued directly (no sign-in), for tests about other things.
  std::string SessionFor(const identity::User& user);

  base::MetricsRegistry metrics_;
  // A real audit log beside the identity fixture's memory sink: the grant store, the authorizer
  // and the API record into both; the audit routes serve the log.
  std::unique_ptr<storage::Store> audit_store_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<audit::TeeSink> tee_;
  std::unique_ptr<access::GrantStore> grants_;
  std::unique_ptr<access::Authorizer> authorizer_;
  std::unique_ptr<detect::AlertStore> alerts_;  // Records into the tee.
  std::unique_ptr<vault::TenantKeys> tenant_keys_;
  std::unique_ptr<vault::Records> records_;  // Records into the tee.
  std::unique_ptr<vault::LegalHolds> holds_;
  std::unique_ptr<vault::KeyRotation> rotation_;
  std::unique_ptr<vault::Shredder> shredder_;
  std::unique_ptr<vault::Files> files_;
  std::unique_ptr<vault::Exporter> exporter_;
  // Backups of the fixture's stores, to backup_config_'s one destination (temp_/backups).
  backup::BackupConfig backup_config_;
  std::unique_ptr<backup::Backups> backups_;  // Records into the tee.
  // The catalogs are not loaded: a test that needs them calls frameworks_->LoadShipped.
  std::unique_ptr<isms::Frameworks> frameworks_;   // Records into the tee.
  std::unique_ptr<isms::Controls> controls_;       // Records into the tee.
  std::unique_ptr<isms::EvidenceStore> evidence_;  // Records into the tee.
  std::unique_ptr<isms::CoverageCalculator> coverage_;
  std::unique_ptr<ApiServices> api_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

}  // namespace strongroom::http::testing
