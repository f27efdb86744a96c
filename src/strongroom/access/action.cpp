#include "strongroom/access/action.hpp"

#include <string>

namespace strongroom::access {
namespace {

struct ActionInfo {
  Action action;
  std::string_view name;
  Scope scope;
};

constexpr ActionInfo kActions[] = {
    {Action::kSelfRead, "self.read", Scope::kGlobal},
    {Action::kTokensManage, "tokens.manage", Scope::kGlobal},
    {Action::kUsersCreate, "users.create", Scope::kUser},
    {Action::kUsersList, "users.list", Scope::kUser},
    {Action::kUsersRead, "users.read", Scope::kUser},
    {Action::kUsersUpdateRole, "users.update_role", Scope::kUser},
    {Action::kUsersSetQualified, "users.set_qualified", Scope::kUser},
    {Action::kUsersDeactivate, "users.deactivate", Scope::kUser},
    {Action::kUsersReactivate, "users.reactivate", Scope::kUser},
    {Action::kUsersResetTwoFactor, "users.reset_2fa", Scope::kUser},
    {Action::kTenantsCreate, "tenants.create", Scope::kGlobal},
    {Action::kTenantsList, "tenants.list", Scope::kGlobal},
    {Action::kTenantsRead, "tenants.read", Scope::kTenant},
    {Action::kTenantsSuspend, "tenants.suspend", Scope::kTenant},
    {Action::kTenantsResume, "tenants.resume", Scope::kTenant},
    {Action::kTenantsUpdateSettings, "tenants.update_settings", Scope::kTenant},
    {Action::kGrantsCreate, "grants.create", Scope::kTenant},
    {Action::kGrantsList, "grants.list", Scope::kTenant},
    {Action::kGrantsRevoke, "grants.revoke", Scope::kTenant},
    {Action::kBreakGlassOpen, "break_glass.open", Scope::kTenant},
    {Action::kCollectionsManage, "collections.manage", Scope::kTenant},
    {Action::kRecordsRead, "records.read", Scope::kTenant},
    {Action::kRecordsWrite, "records.write", Scope::kTenant},
    {Action::kRecordsDelete, "records.delete", Scope::kTenant},
    {Action::kRecordsUnmask, "records.unmask", Scope::kTenant},
    {Action::kLegalHoldsManage, "legal_holds.manage", Scope::kTenant},
    {Action::kLegalHoldsRead, "legal_holds.read", Scope::kTenant},
    {Action::kKeysRotate, "keys.rotate", Scope::kTenant},
    {Action::kKeysRead, "keys.read", Scope::kTenant},
    {Action::kTenantsShred, "tenants.shred", Scope::kTenant},
    {Action::kTenantsExport, "tenants.export", Scope::kTenant},
    {Action::kFilesRead, "files.read", Scope::kTenant},
    {Action::kFilesWrite, "files.write", Scope::kTenant},
    {Action::kAuditReadAll, "audit.read_all", Scope::kGlobal},
    {Action::kAuditReadTenant, "audit.read_tenant", Scope::kTenant},
    {Action::kAlertsRead, "alerts.read", Scope::kGlobal},
    {Action::kAlertsAcknowledge, "alerts.acknowledge", Scope::kGlobal},
    {Action::kIsmsRead, "isms.read", Scope::kGlobal},
    {Action::kIsmsWrite, "isms.write", Scope::kGlobal},
    {Action::kReportsRead, "reports.read", Scope::kGlobal},
    {Action::kMetricsRead, "metrics.read", Scope::kGlobal},
    {Action::kBackupsRead, "backups.read", Scope::kGlobal},
    {Action::kBackupsHold, "backups.hold", Scope::kGlobal},
};

constexpr Action kAll[] = {
    Action::kSelfRead,          Action::kTokensManage,
    Action::kUsersCreate,       Action::kUsersList,
    Action::kUsersRead,         Action::kUsersUpdateRole,
    Action::kUsersSetQualified, Action::kUsersDeactivate,
    Action::kUsersReactivate,   Action::kUsersResetTwoFactor,
    Action::kTenantsCreate,     Action::kTenantsList,
    Action::kTenantsRead,       Action::kTenantsSuspend,
    Action::kTenantsResume,     Action::kTenantsUpdateSettings,
    Action::kGrantsCreate,      Action::kGrantsList,
    Action::kGrantsRevoke,      Action::kBreakGlassOpen,
    Action::kCollectionsManage, Action::kRecordsRead,
    Action::kRecordsWrite,      Action::kRecordsDelete,
    Action::kRecordsUnmask,     Action::kLegalHoldsManage,
    Action::kLegalHoldsRead,    Action::kKeysRotate,
    Action::kKeysRead,          Action::kTenantsShred,
    Action::kTenantsExport,     Action::kFilesRead,
    Action::kFilesWrite,        Action::kAuditReadAll,
    Action::kAuditReadTenant,   Action::kAlertsRead,
    Action::kAlertsAcknowledge, Action::kIsmsRead,
    Action::kIsmsWrite,         Action::kReportsRead,
    Action::kMetricsRead,       Action::kBackupsRead,
    Action::kBackupsHold,
};

const ActionInfo& Info(Action action) {
  for (const ActionInfo& info : kActions) {
    if (info.action == action) return info;
  }
  return kActions[0];  // Unreachable: every enumerator is listed (tested).
}

}  // namespace

std::string_view ActionName(Action action) { return Info(action).name; }
Scope ActionScope(Action action) { return Info(action).scope; }
std::span<const Action> AllActions() { return kAll; }

base::Result<Action> ParseAction(std::string_view name) {
  for (const ActionInfo& info : kActions) {
    if (info.name == name) return info.action;
  }
  return base::InvalidArgumentError("unknown permission '" + std::string(name.substr(0, 64)) +
                                    "'; permissions are action names such as records.read (see "
                                    "docs/access.md)");
}

bool IsDataAction(Action action) {
  switch (action) {
    case Action::kRecordsRead:
    case Action::kRecordsWrite:
    case Action::kRecordsDelete:
    case Action::kRecordsUnmask:
    case Action::kFilesRead:
    case Action::kFilesWrite:
      return true;
    default:
      return false;
  }
}

bool IsWriteAction(Action action) {
  return action == Action::kRecordsWrite || action == Action::kRecordsDelete ||
         action == Action::kFilesWrite;
}

}  // namespace strongroom::access
