#pragma once

#include <span>
#include <string_view>

#include "strongroom/base/result.hpp"

namespace strongroom::access {

// Everything a principal can ask to do. Names ("records.read") are what API tokens list as
// permissions and what audit events call actions.
enum class Action {
  kSelfRead,
  kTokensManage,
  kUsersCreate,
  kUsersList,
  kUsersRead,
  kUsersUpdateRole,
  kUsersSetQualified,
  kUsersDeactivate,
  kUsersReactivate,
  kUsersResetTwoFactor,
  kTenantsCreate,
  kTenantsList,
  kTenantsRead,
  kTenantsSuspend,
  kTenantsResume,
  kTenantsUpdateSettings,
  kGrantsCreate,
  kGrantsList,
  kGrantsRevoke,
  kBreakGlassOpen,
  kCollectionsManage,
  kRecordsRead,
  kRecordsWrite,
  kRecordsDelete,
  kRecordsUnmask,
  kLegalHoldsManage,
  kLegalHoldsRead,
  kKeysRotate,
  kKeysRead,
  kTenantsShred,
  kTenantsExport,
  kFilesRead,
  kFilesWrite,
  kAuditReadAll,
  kAuditReadTenant,
  kAlertsRead,
  kAlertsAcknowledge,
  kIsmsRead,
  kIsmsWrite,
  kReportsRead,
  kMetricsRead,
  kBackupsRead,
  kBackupsHold,
};

// How an action relates to tenants, which decides what its resource must say.
enum class Scope {
  kGlobal,  // No tenant involved (the resource's tenant is ignored).
  kTenant,  // About one tenant: the resource must name it.
  kUser,    // About a user account: the resource names the user's tenant, or none for provider
            // accounts.
};

std::string_view ActionName(Action action);
Scope ActionScope(Action action);
std::span<const Action> AllActions();
// Errors (kInvalidArgument) list nothing but say where the list is (docs), as there are many.
base::Result<Action> ParseAction(std::string_view name);
// Data actions read or change client data; only client users, grants and break-glass reach it.
bool IsDataAction(Action action);
// Whether an action changes data (a read-only grant does not allow it).
bool IsWriteAction(Action action);

}  // namespace strongroom::access
