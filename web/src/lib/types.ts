// The shapes the API returns (docs/openapi.yaml), as far as the UI reads them.

export type Role =
  | "admin"
  | "security_officer"
  | "service"
  | "auditor"
  | "staff"
  | "client_admin"
  | "client_user";

export interface User {
  id: string;
  username: string;
  role: Role;
  tenant_id: string | null;
  active: boolean;
  qualified: boolean;
  two_factor_enrolled: boolean;
  enrollment_pending: boolean;
  created_at: string;
  deactivated_at: string | null;
}

export interface Me {
  user: User;
  credential: { kind: string; id: string; expires_at: string };
  csrf_token?: string;
}

export interface LoginReply {
  token: string;
  csrf_token: string;
  expires_at: string;
  user: User;
  recovery_codes_left?: number;
}

export interface Enrollment {
  totp_secret: string;
  otpauth_uri: string;
  totp_qr_svg: string;
  recovery_codes: string[];
}

export interface Tenant {
  id: string;
  name: string;
  status: "active" | "suspended";
  require_client_2fa: boolean;
  created_at: string;
  suspended_at: string | null;
}

export interface Framework {
  id: string;
  name: string;
  version: string;
  publisher: string;
  counts: Record<string, number>;
  items: number;
  origin: string;
}

export interface Requirement {
  id: string;
  parent: string | null;
  kind: string;
  title: string;
  text: string | null;
  status: string;
}

export interface RequirementRef {
  framework: string;
  requirement: string;
  source?: string;
}

export type ControlStatus = "planned" | "implemented" | "not_applicable";

export interface Control {
  id: string;
  title: string;
  description: string;
  owner_id: string;
  status: ControlStatus;
  justification: string | null;
  review_every_days: number;
  next_review: string;
  requirements: RequirementRef[];
  origin: string;
  version: number;
  valid_from: string;
  changed_by: string;
  created_at: string;
}

export interface Evidence {
  id: string;
  control_id: string;
  lineage: string;
  version: number;
  kind: "file" | "link" | "attestation";
  title: string;
  period_from: string;
  period_to: string;
  collected_at: string;
  expires_at: string;
  recorded_at: string;
  recorded_by: string;
  sha256: string;
  superseded_by: string | null;
  file?: { size: number; media_type: string };
  url?: string;
  attested_by?: string;
  statement?: string;
}

export type CoverageStatus = "met" | "partly_met" | "not_met" | "not_applicable";

export interface CoverageReason {
  control_id: string;
  control_title: string;
  control_status: ControlStatus;
  evidence_in_force: number;
  via: string;
  note?: string;
}

export interface CoverageRow {
  id: string;
  parent: string | null;
  kind: string;
  title: string;
  status: CoverageStatus;
  basis: "mapped" | "crosswalk" | "children" | "none";
  reasons: CoverageReason[];
}

export interface Coverage {
  framework: string;
  as_of: string;
  summary: Record<CoverageStatus, number>;
  requirements: CoverageRow[];
  overdue_reviews: { control_id: string; title: string; owner_id: string; next_review: string }[];
  expired_evidence: { evidence_id: string; control_id: string; title: string; expires_at: string }[];
}

export interface Alert {
  id: string;
  rule: string;
  severity: "low" | "medium" | "high" | "critical";
  subject: string;
  summary: string;
  tenant_id: string | null;
  event_seqs: number[];
  event_time: string;
  raised_at: string;
  status: "open" | "acknowledged";
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  note: string | null;
}

export interface AuditEvent {
  seq: number;
  time: string;
  actor_id: string;
  actor_role: string;
  tenant_id: string;
  action: string;
  resource: string;
  outcome: "allowed" | "denied" | "failed";
  reason: string;
  source_address: string;
  request_id: string;
  details: Record<string, unknown> | string;
  leaf_hash: string;
  pruned: boolean;
}

export interface Checkpoint {
  tree_size: number;
  root_hash: string;
  time: string;
  key_id: string;
  signature: string;
  signed_note: string;
  public_key: string;
}

export interface InclusionProof {
  seq: number;
  leaf_hash: string;
  inclusion: string[];
}

export interface Backup {
  id: string;
  created_at: string;
  destinations: string[];
  payload_bytes: number;
  legal_hold: boolean;
  verified_at: string | null;
  verified_ok: boolean | null;
  problem?: string;
}

export interface BackupOperation {
  operation: "create" | "prune" | "verify" | "restore";
  successes: number;
  failures: number;
  last_success_at: string | null;
  last_failure_at: string | null;
}

export interface Backups {
  backups: Backup[];
  operations: BackupOperation[];
  schedule: { scheduled: boolean; destinations: string[]; create_every_hours: number };
}

export interface Collection {
  name: string;
  tenant_id: string;
  classification: string;
  retention_days: number | null;
  lookup_fields: string[];
  restricted_fields: string[];
  created_at: string;
  updated_at: string;
}

export interface VaultRecord {
  id: string;
  collection: string;
  version: number;
  etag: string;
  created_at: string;
  updated_at: string;
  masked: string[];
  data: Record<string, unknown>;
}

export interface VaultFile {
  id: string;
  version: number;
  etag: string;
  size: number;
  content_type: string;
  sha256?: string;
  created_at: string;
  updated_at: string;
}

export interface Grant {
  id: string;
  kind: "support" | "break_glass";
  tenant_id: string;
  grantee_id: string;
  issued_by: string;
  access: "read" | "read_write";
  collections: string[];
  reason: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  unmask: boolean;
  active: boolean;
}
