#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "strongroom/audit/testing/memory_sink.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/crypto/key_provider.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/identity/accounts.hpp"
#include "strongroom/identity/login.hpp"
#include "strongroom/identity/sessions.hpp"
#include "strongroom/identity/tenants.hpp"
#include "strongroom/identity/two_factor.hpp"
#include "strongroom/storage/key_store.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity::testing {

// Cheap Argon2id parameters for tests (the real ones cost ~100 ms per hash).
inline constexpr crypto::Argon2idParams kFastArgon2{1, 8 * 1024};
// A passphrase that passes the policy.
inline constexpr const char* kGoodPassphrase = "violet tractor umbrella 1987 quietly";

// A real SQLite store in a temporary directory with the identity services wired the way
// server/app.cpp wires them, a fake clock and an in-memory audit sink. Not thread-safe.
class IdentityFixture : public ::testing::Test {
 protected:
  IdentityFixture();
  ~IdentityFixture() override;

  audit::Actor Operator() const { return {"usr_operator", "admin", "127.0.0.1", "req-test"}; }

  // Creates a user (with a 2FA enrolment when its role or tenant requires one).
  CreatedUser AddUser(const std::string& username, Role role,
                      std::optional<TenantId> tenant = std::nullopt,
                      const std::string& passphrase = kGoodPassphrase);
  Tenant AddTenant(const std::string& name);
  // The TOTP code of an enrolment at the fake clock's time (optionally some steps later).
  std::string CodeFor(const Enrollment& enrollment, int steps_ahead = 0) const;
  LoginResult SignIn(const std::string& username, const std::string& passphrase,
                     const std::string& code, const std::string& source = "198.51.100.7");

  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_{base::FromUnixMillis(1'800'000'000'000)};
  audit::testing::MemorySink audit_;
  std::unique_ptr<storage::Store> store_;
  crypto::RootKey root_ = crypto::GenerateRootKey();
  std::unique_ptr<storage::SqlKeyStore> key_store_;
  std::unique_ptr<crypto::KeyRing> ring_;
  std::unique_ptr<TwoFactor> two_factor_;
  std::unique_ptr<TenantStore> tenants_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Sessions> sessions_;
  std::unique_ptr<SourceThrottle> throttle_;
  std::unique_ptr<LoginService> login_;
};

}  // namespace strongroom::identity::testing
