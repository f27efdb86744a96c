#include "strongroom/storage/migrations/migrations.hpp"

namespace strongroom::storage {
namespace {

// STRICT tables make SQLite enforce the declared column types.
constexpr Migration kMigrations[] = {
    {1, "core: instance metadata, wrapped data keys, users",
     R"sql(
CREATE TABLE instance (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE data_keys (
  key_id INTEGER NOT NULL CHECK (key_id > 0),
  version INTEGER NOT NULL CHECK (version > 0),
  purpose TEXT NOT NULL,
  wrapped BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (key_id, version)
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  tenant_id TEXT,
  passphrase_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deactivated_at TEXT
) STRICT;
)sql"},
    {2, "identity: tenants, two-factor, lockout, sessions, API tokens, grants",
     R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
  require_client_2fa INTEGER NOT NULL DEFAULT 1 CHECK (require_client_2fa IN (0, 1)),
  created_at TEXT NOT NULL,
  suspended_at TEXT
) STRICT;

-- users gains a foreign key to tenants, so it is rebuilt (SQLite cannot add one in place).
CREATE TABLE users_v2 (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'security_officer', 'service', 'auditor', 'staff',
                                     'client_admin', 'client_user')),
  tenant_id TEXT REFERENCES tenants(id),
  passphrase_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deactivated_at TEXT,
  qualified INTEGER NOT NULL DEFAULT 0 CHECK (qualified IN (0, 1)),
  totp_secret BLOB,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  CHECK ((role IN ('client_admin', 'client_user')) = (tenant_id IS NOT NULL))
) STRICT;
INSERT INTO users_v2 (id, username, role, tenant_id, passphrase_hash, created_at, deactivated_at)
  SELECT id, username, role, tenant_id, passphrase_hash, created_at, deactivated_at FROM users;
DROP TABLE users;
ALTER TABLE users_v2 RENAME TO users;
CREATE INDEX users_tenant ON users(tenant_id);

-- Sign-in failures per attempted username, known or not, keyed by a keyed hash of the name: both
-- cases cost the same write (no timing difference tells which names exist) and a name typed by
-- mistake (perhaps a passphrase) is never stored.
CREATE TABLE login_failures (
  username_hash BLOB PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  lockouts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  last_failure_at TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_last ON login_failures(last_failure_at);

CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users(id),
  code_hash BLOB NOT NULL,
  used_at TEXT,
  PRIMARY KEY (user_id, code_hash)
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  source_address TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  permissions TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT,
  UNIQUE (user_id, name)
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('support', 'break_glass')),
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  grantee_id TEXT NOT NULL REFERENCES users(id),
  issued_by TEXT NOT NULL REFERENCES users(id),
  access TEXT NOT NULL CHECK (access IN ('read', 'read_write')),
  collections TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT REFERENCES users(id)
) STRICT;
CREATE INDEX grants_grantee ON grants(grantee_id);
CREATE INDEX grants_tenant ON grants(tenant_id);
)sql"},
    {3, "detect: alerts, the detection cursor, sign-in sources seen",
     R"sql(
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  subject TEXT NOT NULL,
  summary TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  event_seqs TEXT NOT NULL,
  event_time TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged')),
  acknowledged_by TEXT,
  acknowledged_at TEXT,
  note TEXT,
  delivery TEXT NOT NULL CHECK (delivery IN ('none', 'pending', 'delivered', 'failed')),
  delivery_attempts INTEGER NOT NULL DEFAULT 0,
  next_delivery_at TEXT,
  delivered_at TEXT,
  last_delivery_error TEXT
) STRICT;
CREATE INDEX alerts_by_seq ON alerts (seq, id);
CREATE INDEX alerts_due ON alerts (delivery, next_delivery_at);

CREATE TABLE detect_cursor (
  name TEXT PRIMARY KEY,
  next_seq INTEGER NOT NULL CHECK (next_seq >= 0)
) STRICT;

CREATE TABLE detect_seen_sources (
  user_id TEXT NOT NULL,
  address TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  PRIMARY KEY (user_id, address)
) STRICT, WITHOUT ROWID;
)sql"},
    {4, "vault: collections, encrypted records, blind index, legal holds; grants that unmask",
     R"sql(
ALTER TABLE tenants ADD COLUMN shredded_at TEXT;
ALTER TABLE grants ADD COLUMN unmask INTEGER NOT NULL DEFAULT 0 CHECK (unmask IN (0, 1));

-- A tenant's named collections. Names and declared field names are structure, not content, and
-- are stored in the clear; record contents never are.
CREATE TABLE vault_collections (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  classification TEXT NOT NULL
    CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
  retention_days INTEGER CHECK (retention_days IS NULL OR retention_days > 0),
  lookup_fields TEXT NOT NULL,
  restricted_fields TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, name)
) STRICT;

-- One row per record. The JSON document is sealed (AES-256-GCM under the tenant's data key)
-- with associated data binding tenant, collection, id and version. A deleted record keeps its
-- row without ciphertext, so a version number is never used twice for one record and an old
-- ciphertext can never be replayed as a later version.
CREATE TABLE vault_records (
  tenant_id TEXT NOT NULL,
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  key_id INTEGER NOT NULL,
  key_version INTEGER NOT NULL,
  ciphertext BLOB,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  PRIMARY KEY (tenant_id, collection, id),
  FOREIGN KEY (tenant_id, collection) REFERENCES vault_collections (tenant_id, name),
  CHECK ((ciphertext IS NULL) = (deleted_at IS NOT NULL))
) STRICT;
CREATE INDEX vault_records_key ON vault_records (key_id, key_version)
  WHERE ciphertext IS NOT NULL;
CREATE INDEX vault_records_updated ON vault_records (tenant_id, collection, updated_at)
  WHERE ciphertext IS NOT NULL;

-- The blind index: HMAC-SHA256 of each declared lookup field's normalised value under the
-- tenant's index key. Equal values match; the values themselves are not here.
CREATE TABLE vault_lookup (
  tenant_id TEXT NOT NULL,
  collection TEXT NOT NULL,
  field TEXT NOT NULL,
  token BLOB NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, collection, field, token, record_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX vault_lookup_record ON vault_lookup (tenant_id, collection, record_id);

-- Legal holds on a whole tenant (collection NULL) or one collection: while one is in force
-- nothing it covers is deleted, replaced, purged or shredded.
CREATE TABLE vault_legal_holds (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  collection TEXT,
  reason TEXT NOT NULL,
  placed_by TEXT NOT NULL,
  placed_at TEXT NOT NULL,
  lifted_by TEXT,
  lifted_at TEXT
) STRICT;
CREATE INDEX vault_legal_holds_tenant ON vault_legal_holds (tenant_id);
)sql"},
    {5, "vault: files, sealed in chunks outside the database",
     R"sql(
-- One row per file. The content is in files/<tenant>/<blob>, sealed in chunks under a key of
-- its own; that key, with the content's SHA-256, is sealed under the tenant's data key in
-- `sealed_key` (associated data: tenant, id, version, blob). A deleted file keeps its row
-- without key or blob, so its version keeps counting.
CREATE TABLE vault_files (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  blob TEXT,
  size INTEGER NOT NULL CHECK (size >= 0),
  content_type TEXT NOT NULL,
  chunk_size INTEGER NOT NULL CHECK (chunk_size > 0),
  key_id INTEGER NOT NULL,
  key_version INTEGER NOT NULL,
  sealed_key BLOB,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  PRIMARY KEY (tenant_id, id),
  CHECK ((sealed_key IS NULL) = (deleted_at IS NOT NULL)),
  CHECK ((blob IS NULL) = (deleted_at IS NOT NULL))
) STRICT;
CREATE INDEX vault_files_key ON vault_files (key_id, key_version) WHERE sealed_key IS NOT NULL;
)sql"},
    {6, "backups: destinations, backups made and verified, legal holds on backups",
     R"sql(
-- Every directory a backup was ever written to: a shred destroys the tenant's backup key in
-- each of them (docs/backup.md).
CREATE TABLE backup_destinations (
  path TEXT PRIMARY KEY,
  first_used_at TEXT NOT NULL
) STRICT;

-- The backups this instance made, where, and the outcome of the last verification.
CREATE TABLE backups (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  destinations TEXT NOT NULL,
  archive_bytes INTEGER NOT NULL CHECK (archive_bytes >= 0),
  payload_bytes INTEGER NOT NULL CHECK (payload_bytes >= 0),
  payload_sha256 TEXT NOT NULL,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  pruned_at TEXT,
  verified_at TEXT,
  verified_ok INTEGER CHECK (verified_ok IN (0, 1)),
  verify_summary TEXT
) STRICT;

-- The last outcome of each kind of backup operation, for /metrics and the dashboard.
CREATE TABLE backup_operations (
  operation TEXT PRIMARY KEY CHECK (operation IN ('create', 'prune', 'verify', 'restore')),
  successes INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  last_success_at TEXT,
  last_duration_ms INTEGER,
  last_bytes INTEGER,
  last_failure_at TEXT,
  last_error TEXT
) STRICT;

-- A backup under legal hold is never pruned, whatever the retention policy says.
CREATE TABLE backup_holds (
  backup_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  placed_by TEXT NOT NULL,
  placed_at TEXT NOT NULL
) STRICT;
)sql"},
    {7, "isms: framework catalogs and crosswalks",
     R"sql(
-- Framework catalogs: the shipped ones (catalogs/, loaded at every start and replaced when a
-- shipped file changes) and those imported from OSCAL. `revision` counts content changes;
-- `content_sha256` is the file's, so an auditor can match the catalog to its source.
CREATE TABLE isms_frameworks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  publisher TEXT NOT NULL,
  published TEXT NOT NULL,
  source_url TEXT NOT NULL,
  license TEXT NOT NULL,
  text_policy TEXT NOT NULL,
  notes TEXT NOT NULL,
  counts TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('shipped', 'imported')),
  content_sha256 TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision > 0),
  loaded_at TEXT NOT NULL,
  items INTEGER NOT NULL CHECK (items > 0)
) STRICT;

-- A catalog's items in document order, with the catalog's own ids.
CREATE TABLE isms_requirements (
  framework_id TEXT NOT NULL REFERENCES isms_frameworks (id),
  id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  parent TEXT,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  text TEXT,
  withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
  extra TEXT,
  PRIMARY KEY (framework_id, id)
) STRICT;
CREATE UNIQUE INDEX isms_requirements_order ON isms_requirements (framework_id, ordinal);

CREATE TABLE isms_crosswalks (
  id TEXT PRIMARY KEY,
  from_framework TEXT NOT NULL,
  to_framework TEXT NOT NULL,
  relationship TEXT NOT NULL,
  source TEXT NOT NULL,
  license TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision > 0),
  loaded_at TEXT NOT NULL,
  pairs INTEGER NOT NULL
) STRICT;

CREATE TABLE isms_crosswalk_pairs (
  crosswalk_id TEXT NOT NULL REFERENCES isms_crosswalks (id),
  ordinal INTEGER NOT NULL,
  from_id TEXT NOT NULL,
  to_id TEXT,
  relation TEXT NOT NULL,
  PRIMARY KEY (crosswalk_id, ordinal)
) STRICT;
)sql"},
    {8, "isms: controls, their versions and the requirements they address",
     R"sql(
-- The provider's controls. A control is never edited in place: each change adds a version valid
-- from the time it was made, so coverage can be computed as of any past date.
CREATE TABLE isms_controls (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('library', 'custom')),
  current_version INTEGER NOT NULL
) STRICT;

CREATE TABLE isms_control_versions (
  control_id TEXT NOT NULL REFERENCES isms_controls (id),
  version INTEGER NOT NULL CHECK (version > 0),
  valid_from TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users (id),
  status TEXT NOT NULL CHECK (status IN ('planned', 'implemented', 'not_applicable')),
  justification TEXT NOT NULL,
  review_every_days INTEGER NOT NULL CHECK (review_every_days BETWEEN 1 AND 1095),
  next_review TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  PRIMARY KEY (control_id, version),
  CHECK (status <> 'not_applicable' OR justification <> '')
) STRICT;

-- The requirements each version addresses: "ours", or derived through a crosswalk.
CREATE TABLE isms_control_requirements (
  control_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  framework_id TEXT NOT NULL,
  requirement_id TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (control_id, version, framework_id, requirement_id),
  FOREIGN KEY (control_id, version) REFERENCES isms_control_versions (control_id, version)
) STRICT;
CREATE INDEX isms_control_requirements_by_requirement
  ON isms_control_requirements (framework_id, requirement_id);
)sql"},
    {9, "isms: evidence",
     R"sql(
-- Evidence is never edited: a new version (same lineage, next version) supersedes it, and only
-- the superseded_by/superseded_at bookkeeping of the old row is ever written after insert.
CREATE TABLE isms_evidence (
  id TEXT PRIMARY KEY,
  control_id TEXT NOT NULL REFERENCES isms_controls (id),
  lineage TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  kind TEXT NOT NULL CHECK (kind IN ('file', 'link', 'attestation')),
  title TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  collected_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  file_id TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  url TEXT NOT NULL,
  attested_by TEXT NOT NULL,
  statement TEXT NOT NULL,
  superseded_by TEXT,
  superseded_at TEXT,
  UNIQUE (lineage, version),
  CHECK (kind <> 'file' OR file_id <> '')
) STRICT;
CREATE INDEX isms_evidence_by_control ON isms_evidence (control_id, recorded_at);
-- Coverage as of a time reads every row's times: a covering index keeps that off the table.
CREATE INDEX isms_evidence_in_force
  ON isms_evidence (expires_at, recorded_at, collected_at, superseded_at, control_id);
)sql"},
    {10, "isms: evidence indexes for coverage as of a date",
     R"sql(
-- Evidence in force per control streams in control order from one covering index (no table
-- reads, no sort); expired evidence is a range of expiry times.
DROP INDEX isms_evidence_in_force;
DROP INDEX isms_evidence_by_control;
CREATE INDEX isms_evidence_by_control
  ON isms_evidence (control_id, expires_at, recorded_at, collected_at, superseded_at);
CREATE INDEX isms_evidence_by_expiry ON isms_evidence (expires_at);
)sql"},
    {11, "identity: second-factor enrolment at first sign-in",
     R"sql(
-- 1 while the user has not finished enrolling: the TOTP secret (if any) is not confirmed yet and
-- the passphrase is the one an administrator chose.
ALTER TABLE users ADD COLUMN enrollment_pending INTEGER NOT NULL DEFAULT 0
  CHECK (enrollment_pending IN (0, 1));
)sql"},
};

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

}  // namespace strongroom::storage
