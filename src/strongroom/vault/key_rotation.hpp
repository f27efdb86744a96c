#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/storage/store.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::vault {

// How far a tenant's data key has moved to its newest version.
struct KeyStatus {
  std::uint64_t key_id = 0;
  std::uint32_t current_version = 0;
  struct Version {
    std::uint32_t version = 0;
    std::uint64_t records = 0;  // Live records still sealed under it.
    std::uint64_t files = 0;    // Live files whose key is still sealed under it.
  };
  std::vector<Version> versions;  // Every version still held, oldest first.
};

struct ReencryptProgress {
  std::size_t reencrypted = 0;       // Records moved to the newest version in this run.
  std::size_t rewrapped = 0;         // File keys moved to the newest version in this run.
  std::size_t retired_versions = 0;  // Versions retired because nothing used them any more.
  bool done = true;                  // Nothing is left under an older version.
};

// Rotation of tenants' data keys. Rotate makes a new version that seals every write from then
// on; RunOnce, called by a background thread, re-encrypts records still under older versions in
// batches, re-seals the keys of files (their content is sealed under a key of its own, which does
// not change), and retires a version once nothing uses it. The work left is read from the records
// themselves, so it resumes where it stopped after a restart. Thread-safe.
class KeyRotation {
 public:
  KeyRotation(storage::Store& store, TenantKeys& keys, audit::Sink& audit, const base::Clock& clock)
      : store_(store), keys_(keys), audit_(audit), clock_(clock) {}

  // Makes a new version of the permit's tenant's data key (Permit: keys.rotate); returns it.
  // Audited as keys.rotate. Errors: kNotFound (tenant); kFailedPrecondition (shredded).
  base::Result<std::uint32_t> Rotate(const access::Permit& permit);
  // Permit: keys.read. A tenant that has written nothing yet has no key: key_id 0, no versions.
  base::Result<KeyStatus> Status(const access::Permit& permit);

  // Re-encrypts at most `batch` records of every tenant with older versions, each batch in one
  // transaction recorded as one audit event ("records.reencrypt", actor `actor`), and retires
  // versions nothing uses ("keys.retire"). Errors: store errors; kUnavailable (audit).
  base::Result<ReencryptProgress> RunOnce(const audit::Actor& actor, std::size_t batch = 200);

 private:
  storage::Store& store_;
  TenantKeys& keys_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

}  // namespace strongroom::vault
