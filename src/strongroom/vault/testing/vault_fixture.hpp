#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "strongroom/access/authorizer.hpp"
#include "strongroom/access/grants.hpp"
#include "strongroom/base/check.hpp"
#include "strongroom/identity/testing/identity_fixture.hpp"
#include "strongroom/vault/records.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::vault::testing {

// The identity fixture plus the access layer and the vault over the same store: a tenant with a
// client admin and a client user, a qualified service user without grants, and a way to get the
// Permit the Authorizer would give each of them. Not thread-safe.
class VaultFixture : public identity::testing::IdentityFixture {
 protected:
  VaultFixture() {
    tenant_ = AddTenant("Acme");
    admin_ = AddUser("acme-admin", identity::Role::kClientAdmin, tenant_.id).user;
    user_ = AddUser("acme-user", identity::Role::kClientUser, tenant_.id).user;
    const identity::User svc = AddUser("svc-anna", identity::Role::kService).user;
    service_ = *accounts_->SetQualified(Operator(), svc.id, true);
    grants_ = std::make_unique<access::GrantStore>(*store_, audit_, clock_);
    authorizer_ = std::make_unique<access::Authorizer>(*store_, *grants_, audit_, clock_);
    keys_ = std::make_unique<TenantKeys>(*ring_);
    records_ = std::make_unique<Records>(*store_, *keys_, audit_, clock_);
  }

  identity::Principal As(const identity::User& u) const {
    identity::Principal p;
    p.user = u;
    p.credential_id = "ses_test";
    return p;
  }
  audit::Actor Actor(const identity::User& u) const {
    return {u.id.value(), std::string(identity::RoleName(u.role)), "198.51.100.9", "req-vault"};
  }
  // The permit `user` gets for `action` on `collection` of its tenant (or `tenant`); fails the
  // test when the Authorizer refuses.
  access::Permit Permit(const identity::User& user, access::Action action,
                        std::optional<std::string> collection,
                        std::optional<identity::TenantId> tenant = std::nullopt) {
    const identity::TenantId t = tenant ? *tenant : user.tenant ? *user.tenant : tenant_.id;
    auto p = authorizer_->Admit(As(user), Actor(user), action,
                                access::Target{t, collection, "tenant:" + t.value()});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    SR_CHECK(p.ok());
    return *p;
  }

  // Declares collection `name` of `as`'s tenant; fails the test if it cannot.
  void Declare(const std::string& name, const CollectionSpec& spec = {},
               const std::optional<identity::User>& as = std::nullopt) {
    const identity::User& who = as ? *as : admin_;
    auto c = records_->DeclareCollection(Permit(who, access::Action::kCollectionsManage, name),
                                         name, spec);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }

  identity::Tenant tenant_;
  identity::User admin_, user_, service_;
  std::unique_ptr<access::GrantStore> grants_;
  std::unique_ptr<access::Authorizer> authorizer_;
  std::unique_ptr<TenantKeys> keys_;
  std::unique_ptr<Records> records_;
};

}  // namespace strongroom::vault::testing
