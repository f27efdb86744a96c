#pragma once

#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/router.hpp"
#include "strongroom/vault/export.hpp"
#include "strongroom/vault/files.hpp"
#include "strongroom/vault/key_rotation.hpp"
#include "strongroom/vault/legal_holds.hpp"
#include "strongroom/vault/records.hpp"
#include "strongroom/vault/shred.hpp"

namespace strongroom::http {

// A tenant's collections and records:
//   GET    /api/v1/tenants/{tenant}/collections                       the tenant's collections
//   GET    /api/v1/tenants/{tenant}/collections/{collection}          one collection
//   PUT    /api/v1/tenants/{tenant}/collections/{collection}          declare or change one
//   GET    .../collections/{collection}/records?limit&cursor&where=F:V  list, or exact lookup
//   GET    .../collections/{collection}/records/{id}                  one record (ETag)
//   PUT    .../collections/{collection}/records/{id}                  create or replace
//                                                                     (If-Match, If-None-Match)
//   DELETE .../collections/{collection}/records/{id}                  delete (If-Match)
//   POST   /api/v1/tenants/{tenant}/legal-holds                        place a hold
//   GET    /api/v1/tenants/{tenant}/legal-holds                        the tenant's holds
//   DELETE /api/v1/tenants/{tenant}/legal-holds/{id}                   lift a hold
//   GET    /api/v1/tenants/{tenant}/files                              the tenant's files
//   PUT    /api/v1/tenants/{tenant}/files/{id}                         upload (streamed)
//   GET    /api/v1/tenants/{tenant}/files/{id}                         download (streamed)
//   DELETE /api/v1/tenants/{tenant}/files/{id}                         delete
//   GET    /api/v1/tenants/{tenant}/export                             the client's archive (tar)
//   GET    /api/v1/tenants/{tenant}/keys                               data key versions, progress
//   POST   /api/v1/tenants/{tenant}/keys/rotate                        rotate the data key
//   POST   /api/v1/tenants/{tenant}/shred                              crypto-shred (signed
//   receipt)
// Reads take ?unmask=true to see restricted fields, which needs records.unmask and is audited.
// The vault's services, owned by the composition root; they must outlive the router.
struct VaultServices {
  vault::Records& records;
  vault::LegalHolds& holds;
  vault::KeyRotation& rotation;
  vault::Shredder& shredder;
  vault::Files& files;
  vault::Exporter& exporter;
};
void AddVaultRoutes(Router& router, ApiServices& api, const VaultServices& vault);

}  // namespace strongroom::http
