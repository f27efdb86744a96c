#pragma once

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/router.hpp"

namespace strongroom::http {

// The audit trail and its proofs:
//   GET /api/v1/audit/events      events, oldest first (?tenant, ?since, ?limit, ?cursor)
//   GET /api/v1/audit/checkpoint  the newest signed checkpoint (made now if events arrived since)
//   GET /api/v1/audit/proof       ?seq=N[&tree_size=M]: inclusion; ?first=A&second=B: consistency
// Auditors and security officers (audit.read_all) see every event; a client_admin
// (audit.read_tenant) sees and proves only its own tenant's events.
void AddAuditRoutes(Router& router, ApiServices& api, audit::AuditLog& log);

}  // namespace strongroom::http
