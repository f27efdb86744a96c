#pragma once

#include <filesystem>

namespace strongroom::cli {

// Where things live inside a data directory.
class DataDirLayout {
 public:
  explicit DataDirLayout(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path root_key() const { return root_ / "root.key"; }
  std::filesystem::path store() const { return root_ / "strongroom.db"; }
  // The audit log's own store, and the append-only file its signed checkpoints also go to.
  std::filesystem::path audit_store() const { return root_ / "audit.db"; }
  std::filesystem::path audit_checkpoints() const { return root_ / "audit-checkpoints.jsonl"; }
  // Tenants' file contents, sealed, one directory per tenant (docs/vault.md).
  std::filesystem::path files_dir() const { return root_ / "files"; }
  std::filesystem::path tls_dir() const { return root_ / "tls"; }
  std::filesystem::path tls_cert() const { return tls_dir() / "cert.pem"; }
  std::filesystem::path tls_key() const { return tls_dir() / "key.pem"; }
  // Optional: the detection rules' thresholds and the alert webhook (docs/detection.md).
  std::filesystem::path detection_config() const { return root_ / "detection.json"; }
  // Optional: backup destinations, schedule and retention (docs/backup.md).
  std::filesystem::path backup_config() const { return root_ / "backup.json"; }
  // Snapshots and verification restores are made here, on the data's own disk.
  std::filesystem::path backup_scratch() const { return root_ / "backup-tmp"; }
  std::filesystem::path export_scratch() const { return root_ / "export-tmp"; }
  // Written by `demo` only, so repeated demo runs can show the same credentials.
  std::filesystem::path demo_credentials() const { return root_ / "demo-credentials.json"; }

 private:
  std::filesystem::path root_;
};

}  // namespace strongroom::cli
