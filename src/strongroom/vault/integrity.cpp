#include "strongroom/vault/integrity.hpp"

#include "strongroom/base/status_macros.hpp"
#include "strongroom/vault/files.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::vault {
namespace {

using storage::Int;
using storage::Text;

base::Result<std::uint64_t> Count(storage::Transaction& tx, std::string_view sql,
                                  const std::string& tenant) {
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {Text(tenant)}));
  SR_ASSIGN_OR_RETURN(const std::int64_t n, rows.at(0).GetInt(0));
  return static_cast<std::uint64_t>(n);
}

}  // namespace

base::Result<std::vector<TenantIntegrity>> CheckTenants(storage::Store& store,
                                                        crypto::KeyRing& ring,
                                                        const std::filesystem::path& files_dir,
                                                        std::size_t sample) {
  SR_ASSIGN_OR_RETURN(auto tx, store.BeginRead());
  SR_ASSIGN_OR_RETURN(auto tenants,
                      tx->Query("SELECT id, name, shredded_at IS NOT NULL FROM tenants ORDER BY "
                                "name",
                                {}));
  std::vector<TenantIntegrity> out;
  for (const auto& row : tenants) {
    TenantIntegrity t;
    SR_ASSIGN_OR_RETURN(t.tenant_id, row.GetText(0));
    SR_ASSIGN_OR_RETURN(t.name, row.GetText(1));
    SR_ASSIGN_OR_RETURN(const std::int64_t shredded, row.GetInt(2));
    t.shredded = shredded != 0;
    const identity::TenantId tenant(t.tenant_id);
    SR_ASSIGN_OR_RETURN(t.records, Count(*tx,
                                         "SELECT COUNT(*) FROM vault_records WHERE tenant_id = ? "
                                         "AND ciphertext IS NOT NULL",
                                         t.tenant_id));
    SR_ASSIGN_OR_RETURN(t.files, Count(*tx,
                                       "SELECT COUNT(*) FROM vault_files WHERE tenant_id = ? AND "
                                       "sealed_key IS NOT NULL",
                                       t.tenant_id));
    if (t.shredded) {
      if (t.records != 0 || t.files != 0) {
        t.problems.push_back("tenant " + t.tenant_id + " is shredded but still holds data");
      }
      out.push_back(std::move(t));
      continue;
    }
    const auto n = static_cast<std::int64_t>(sample);
    SR_RETURN_IF_ERROR(tx->ForEach(
        // The sample is drawn by rowid first, so the sort never carries the ciphertexts.
        "SELECT collection, id, version, ciphertext FROM vault_records WHERE rowid IN (SELECT "
        "rowid FROM vault_records WHERE tenant_id = ? AND ciphertext IS NOT NULL ORDER BY "
        "random() LIMIT ?)",
        {Text(t.tenant_id), Int(n)}, [&](const storage::RowView& r) -> base::Status {
          SR_ASSIGN_OR_RETURN(const std::string_view collection, r.GetText(0));
          SR_ASSIGN_OR_RETURN(const std::string_view id, r.GetText(1));
          SR_ASSIGN_OR_RETURN(const std::int64_t version, r.GetInt(2));
          SR_ASSIGN_OR_RETURN(const base::ByteView ct, r.GetBlob(3));
          auto opened =
              ring.Open(RecordAad(tenant, collection, id, static_cast<std::uint64_t>(version)), ct);
          if (opened.ok()) {
            ++t.records_opened;
          } else {
            t.problems.push_back("record " + std::string(collection) + "/" + std::string(id) +
                                 " of tenant " + t.tenant_id +
                                 " does not decrypt: " + opened.status().message());
          }
          return base::OkStatus();
        }));
    SR_RETURN_IF_ERROR(tx->ForEach(
        "SELECT id, version, blob, sealed_key FROM vault_files WHERE rowid IN (SELECT rowid FROM "
        "vault_files WHERE tenant_id = ? AND sealed_key IS NOT NULL ORDER BY random() LIMIT ?)",
        {Text(t.tenant_id), Int(n)}, [&](const storage::RowView& r) -> base::Status {
          SR_ASSIGN_OR_RETURN(const std::string_view id, r.GetText(0));
          SR_ASSIGN_OR_RETURN(const std::int64_t version, r.GetInt(1));
          SR_ASSIGN_OR_RETURN(const std::string_view blob, r.GetText(2));
          SR_ASSIGN_OR_RETURN(const base::ByteView sealed, r.GetBlob(3));
          auto opened =
              ring.Open(FileKeyAad(tenant, id, static_cast<std::uint64_t>(version), blob), sealed);
          std::error_code ec;
          const bool present =
              std::filesystem::is_regular_file(files_dir / t.tenant_id / std::string(blob), ec);
          if (!opened.ok()) {
            t.problems.push_back("the key of file " + std::string(id) + " of tenant " +
                                 t.tenant_id + " does not open: " + opened.status().message());
          } else if (!present) {
            t.problems.push_back("the content of file " + std::string(id) + " of tenant " +
                                 t.tenant_id + " is missing");
          } else {
            ++t.files_opened;
          }
          return base::OkStatus();
        }));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace strongroom::vault
