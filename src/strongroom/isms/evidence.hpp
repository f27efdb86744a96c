#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::isms {

// Evidence that a control operates: a file (stored encrypted in the provider's own tenant of the
// vault; the http layer uploads it and passes its id, size and SHA-256 here), a link, or an
// attestation by a named person. Each covers a period (from/to dates), was collected at a time
// and expires at a time. Evidence is never edited: a new version supersedes it, and every version's
// SHA-256 goes into the audit log ("evidence.add"), so an auditor can check it was not altered.

enum class EvidenceKind { kFile, kLink, kAttestation };
std::string_view EvidenceKindName(EvidenceKind k);
base::Result<EvidenceKind> ParseEvidenceKind(std::string_view name);

struct Evidence {
  std::string id;  // ev_<random>
  std::string control_id;
  std::string lineage;  // The first version's id: every version of one piece of evidence.
  std::int64_t version = 1;
  EvidenceKind kind = EvidenceKind::kLink;
  std::string title;
  std::string period_from;  // Dates, YYYY-MM-DD.
  std::string period_to;
  std::string collected_at;  // RFC 3339.
  std::string expires_at;
  std::string recorded_at;
  std::string recorded_by;
  // Of the file's bytes; for a link or an attestation, of its canonical JSON (EvidenceContent).
  std::string sha256;
  std::string file_id;  // kFile: the vault file in the provider's tenant.
  std::uint64_t file_size = 0;
  std::string media_type;
  std::string url;          // kLink.
  std::string attested_by;  // kAttestation: the person who attests.
  std::string statement;
  std::optional<std::string> superseded_by;
  std::optional<std::string> superseded_at;
};

struct NewEvidence {
  std::string control_id;
  EvidenceKind kind = EvidenceKind::kLink;
  std::string title;
  std::string period_from;
  std::string period_to;
  std::optional<std::string> collected_at;  // Default: now.
  std::string expires_at;
  std::optional<std::string> supersedes;  // The evidence this is a new version of.
  std::string file_id;
  std::uint64_t file_size = 0;
  std::string file_sha256;
  std::string media_type;
  std::string url;
  std::string attested_by;
  std::string statement;
};

// The canonical JSON of what a piece of evidence says about itself: a link's or an attestation's
// SHA-256 is taken over it; for every kind its SHA-256 is also audited as record_sha256 (for a
// file, with the file's own SHA-256 inside), so no detail can change unseen.
std::string EvidenceContent(const Evidence& e);

// How many pieces of evidence are in force for each control at a time: recorded and collected
// by then, not yet superseded, not yet expired.
using EvidenceInForce = std::map<std::string, std::uint64_t>;

struct ExpiredEvidence {
  std::string id;
  std::string control_id;
  std::string title;
  std::string expires_at;
};

// Thread-safe (the store serialises writes).
class EvidenceStore {
 public:
  EvidenceStore(storage::Store& store, audit::Sink& audit, const base::Clock& clock);

  // Checks everything but the file (for a file, before its upload). Errors (kInvalidArgument)
  // name the field and what is accepted; kNotFound (control, superseded evidence);
  // kFailedPrecondition (superseding evidence already superseded, or of another control).
  base::Status Check(const NewEvidence& e);
  // Records it (and marks what it supersedes). Errors: as Check.
  base::Result<Evidence> Add(const audit::Actor& actor, const NewEvidence& e);
  base::Result<Evidence> Get(const std::string& id);
  // A control's evidence, newest first; superseded versions only when asked.
  base::Result<std::vector<Evidence>> ForControl(const std::string& control_id,
                                                 bool include_superseded);
  base::Result<EvidenceInForce> InForceAt(base::Time time);
  // Evidence that, at `time`, was recorded, was the current version of its lineage, and had
  // expired, oldest expiry first.
  base::Result<std::vector<ExpiredEvidence>> ExpiredAt(base::Time time);
  // Every piece of evidence, every version, in the order recorded.
  base::Result<std::vector<Evidence>> All();

 private:
  base::Status CheckIn(storage::Transaction& tx, const NewEvidence& e);

  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

nlohmann::json EvidenceJson(const Evidence& e);

struct EvidenceProblem {
  std::string evidence_id;
  std::string problem;
};

struct EvidenceVerification {
  std::uint64_t checked = 0;
  std::uint64_t past_retention = 0;  // Their evidence.add events were pruned: not comparable.
  std::vector<EvidenceProblem> problems;
};

// Checks every piece of evidence against the audit log: its evidence.add event exists and names
// the same control, version, SHA-256 and record SHA-256 (EvidenceContent), and a link's or an
// attestation's SHA-256 is recomputed from what is stored. (A file's bytes are checked against its
// SHA-256 whenever it is read.)
// Run `audit verify` too: this trusts the log, which that checks.
base::Result<EvidenceVerification> VerifyEvidence(EvidenceStore& evidence, audit::AuditLog& log);

}  // namespace strongroom::isms
