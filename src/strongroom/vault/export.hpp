#pragma once

#include <memory>
#include <string>

#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/sign.hpp"
#include "strongroom/vault/files.hpp"
#include "strongroom/vault/records.hpp"

namespace strongroom::vault {

// The decisions an export needs: to export at all, and to read (unmasked) every record and file.
struct ExportPermits {
  access::Permit export_permit;  // tenants.export
  access::Permit records;        // records.read, for no one collection
  access::Permit unmask;         // records.unmask
  access::Permit files;          // files.read
};

// A client's copy of everything its tenant holds, as one POSIX (pax) tar archive streamed in
// constant memory:
//   collections/<name>.json          each collection's declaration
//   records/<collection>/<id>.json   each record, unmasked: id, version, times, data
//   files/<id>                       each file's content, decrypted and verified
//   manifest.jsonl                   a header line (format, tenant, time, who, counts), then one
//                                    line per entry above: path, size, SHA-256
//   manifest.sig                     Ed25519 signature (base64url, by the instance's audit
//                                    checkpoint key) over "strongroom.export.v1\n" followed by
//                                    the hex SHA-256 of manifest.jsonl
// The reads are audited as they happen (one records.read per page of records, one files.read per
// file), and the export itself as tenants.export before the first byte. Thread-safe.
class Exporter {
 public:
  Exporter(Records& records, Files& files, audit::Sink& audit, const base::Clock& clock,
           crypto::Ed25519KeyPair signing_key)
      : records_(records),
        files_(files),
        audit_(audit),
        clock_(clock),
        signing_key_(std::move(signing_key)) {}

  // The archive as a stream. Errors: kInternal (permits for another tenant or action);
  // kUnavailable (audit). A failure while streaming (a file altered on disk, say) ends the
  // stream with that error; the archive is then incomplete, which a reader sees as a truncated
  // tar without its manifest.
  base::Result<std::unique_ptr<FileReader>> Export(const ExportPermits& permits);

  // Checks an archive's manifest signature (for tests and clients holding the public key).
  static bool VerifyManifest(const std::string& manifest, const std::string& signature,
                             const crypto::Ed25519PublicKey& key);

 private:
  Records& records_;
  Files& files_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const crypto::Ed25519KeyPair signing_key_;
};

}  // namespace strongroom::vault
