#include "strongroom/http/testing/api_fixture.hpp"

#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/http/handlers/alert_routes.hpp"
#include "strongroom/http/handlers/audit_routes.hpp"
#include "strongroom/http/handlers/backup_routes.hpp"
#include "strongroom/http/handlers/health.hpp"
#include "strongroom/http/handlers/isms_routes.hpp"
#include "strongroom/http/handlers/vault_routes.hpp"

namespace strongroom::http::testing {

using crypto::testing::BuildRequest;
using crypto::testing::TlsClient;

ApiFixture::ApiFixture() {
  audit_store_ = std::move(audit::OpenAuditStore(temp_ / "audit.db", clock_)).value();
  crypto::Ed25519Seed seed;
  seed.mutable_value().fill(3);
  audit_log_ =
      std::move(audit::AuditLog::Open(*audit_store_, crypto::Ed25519KeyPair::FromSeed(seed),
                                      temp_ / "audit-checkpoints.jsonl", clock_))
          .value();
  tee_ = std::make_unique<audit::TeeSink>(audit_, *audit_log_);
  grants_ = std::make_unique<access::GrantStore>(*store_, *tee_, clock_);
  authorizer_ = std::make_unique<access::Authorizer>(*store_, *grants_, *tee_, clock_);
  api_.reset(new ApiServices{*sessions_, *accounts_, *tenants_, *login_, *grants_, *authorizer_,
                             *tee_, metrics_, clock_});
  Router router;
  AddHealthRoute(router);
  AddIdentityRoutes(router, *api_);
  AddAuditRoutes(router, *api_, *audit_log_);
  alerts_ = std::make_unique<detect::AlertStore>(*store_, *tee_, clock_);
  AddAlertRoutes(router, *api_, *alerts_);
  tenant_keys_ = std::make_unique<vault::TenantKeys>(*ring_);
  records_ = std::make_unique<vault::Records>(*store_, *tenant_keys_, *tee_, clock_);
  holds_ = std::make_unique<vault::LegalHolds>(*store_, *tee_, clock_);
  rotation_ = std::make_unique<vault::KeyRotation>(*store_, *tenant_keys_, *tee_, clock_);
  shredder_ = std::make_unique<vault::Shredder>(
      *store_, *tenant_keys_, *tee_, clock_, *audit::CheckpointSigningKey(*ring_), temp_ / "files");
  files_ = std::make_unique<vault::Files>(*store_, *tenant_keys_, *tee_, clock_, temp_ / "files");
  exporter_ = std::make_unique<vault::Exporter>(*records_, *files_, *tee_, clock_,
                                                *audit::CheckpointSigningKey(*ring_));
  AddVaultRoutes(router, *api_,
                 VaultServices{*records_, *holds_, *rotation_, *shredder_, *files_, *exporter_});
  backup::Sources sources;
  sources.store = store_.get();
  sources.audit_store = audit_store_.get();
  sources.checkpoint_file = temp_ / "audit-checkpoints.jsonl";
  sources.files_dir = temp_ / "files";
  sources.tls_dir = temp_ / "tls";
  sources.scratch_dir = temp_ / "backup-scratch";
  backups_ = std::make_unique<backup::Backups>(std::move(sources), root_.Clone(), *tee_, clock_,
                                               *audit::CheckpointSigningKey(*ring_));
  backup_config_.destinations = {temp_ / "backups"};
  AddBackupRoutes(router, *api_, BackupServices{*backups_, backup_config_});
  frameworks_ = std::make_unique<isms::Frameworks>(*store_, *tee_, clock_);
  controls_ = std::make_unique<isms::Controls>(*store_, *tee_, clock_);
  evidence_ = std::make_unique<isms::EvidenceStore>(*store_, *tee_, clock_);
  coverage_ = std::make_unique<isms::CoverageCalculator>(*frameworks_, *controls_, *evidence_);
  AddIsmsRoutes(router, *api_,
                IsmsServices{*frameworks_, *controls_, *evidence_, *files_, *coverage_,
                             temp_ / "export-tmp"});
  ServerOptions options;
  options.port = 0;
  static const crypto::TlsCredentials* creds = [] {
    auto c = crypto::GenerateSelfSignedCertificate(
        {"localhost"}, {"127.0.0.1"}, std::chrono::system_clock::now(), std::chrono::days(30));
    return new crypto::TlsCredentials(std::move(c).value());
  }();
  const crypto::TlsCredentials tls{creds->cert_chain_pem, creds->private_key_pem.Clone()};
  static base::NullLogger logger;
  auto server = Server::Create(options, tls, std::move(router), logger, metrics_);
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  server_ = std::move(server).value();
  EXPECT_TRUE(server_->Start().ok());
  port_ = server_->port();
}

ApiFixture::~ApiFixture() {
  server_.reset();
  (void)audit_log_->Close();
  (void)audit_store_->Close();
}

ApiFixture::Reply ApiFixture::Call(const std::string& method, const std::string& path,
                                   const std::string& bearer,
                                   const std::optional<nlohmann::json>& body,
                                   std::vector<std::pair<std::string, std::string>> headers) {
  Reply reply;
  auto client = TlsClient::Connect(port_);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  if (!client.ok()) return reply;
  if (!bearer.empty()) headers.emplace_back("Authorization", "Bearer " + bearer);
  std::optional<std::string> text;
  if (body) {
    headers.emplace_back("Content-Type", "application/json");
    text = body->dump();
  }
  EXPECT_TRUE((*client)->Send(BuildRequest(method, path, headers, text)).ok());
  auto http = (*client)->ReadReply();
  EXPECT_TRUE(http.ok()) << method << " " << path;
  if (!http.ok()) return reply;
  reply.http = *http;
  reply.status = http->status;
  reply.raw = http->body;
  reply.body = nlohmann::json::parse(http->body, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

std::string ApiFixture::SignInToken(const std::string& username,
                                    const identity::Enrollment* enrollment,
                                    const std::string& passphrase) {
  nlohmann::json body = {{"username", username}, {"password", passphrase}};
  if (enrollment != nullptr) body["totp"] = CodeFor(*enrollment);
  const Reply r = Call("POST", "/api/v1/auth/login", "", body);
  if (r.status != 200) return "";
  return r.body["token"].get<std::string>();
}

std::string ApiFixture::SessionFor(const identity::User& user) {
  auto tx = *store_->BeginWrite();
  auto session = sessions_->Issue(*tx, user.id, "127.0.0.1");
  EXPECT_TRUE(session.ok());
  EXPECT_TRUE(tx->Commit().ok());
  return session.ok() ? session->token.Reveal() : "";
}

}  // namespace strongroom::http::testing
