#include "strongroom/vault/collections.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/vault/document.hpp"

namespace strongroom::vault {
namespace {

constexpr std::pair<Classification, std::string_view> kClassifications[] = {
    {Classification::kPublic, "public"},
    {Classification::kInternal, "internal"},
    {Classification::kConfidential, "confidential"},
    {Classification::kRestricted, "restricted"},
};

base::Status ValidateFieldList(const std::vector<std::string>& fields, std::string_view what) {
  if (fields.size() > kMaxDeclaredFields) {
    return base::InvalidArgumentError(std::string(what) + " lists at most " +
                                      std::to_string(kMaxDeclaredFields) + " fields");
  }
  std::set<std::string_view> seen;
  for (const std::string& f : fields) {
    if (base::Status s = ValidateFieldName(f); !s.ok()) {
      return s.WithContext(std::string(what));
    }
    if (!seen.insert(f).second) {
      return base::InvalidArgumentError(std::string(what) + " lists '" + f + "' twice");
    }
  }
  return base::OkStatus();
}

base::Result<std::vector<std::string>> FieldListFromText(const std::string& text,
                                                         const std::string& where) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return base::DataLossError(where + " holds an unreadable field list");
  std::vector<std::string> out;
  for (const auto& f : j) {
    if (!f.is_string()) return base::DataLossError(where + " holds an unreadable field list");
    out.push_back(f.get<std::string>());
  }
  return out;
}

}  // namespace

std::string_view ClassificationName(Classification c) {
  for (const auto& [value, name] : kClassifications) {
    if (value == c) return name;
  }
  return "restricted";
}

base::Result<Classification> ParseClassification(std::string_view name) {
  for (const auto& [value, n] : kClassifications) {
    if (n == name) return value;
  }
  return base::InvalidArgumentError(
      "classification must be one of public, internal, confidential, restricted");
}

base::Status ValidateCollectionName(std::string_view name) {
  const auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  if (name.empty() || name.size() > 64 || name[0] == '_' || name[0] == '-' ||
      !std::all_of(name.begin(), name.end(), ok_char)) {
    return base::InvalidArgumentError(
        "collection names are 1 to 64 characters of a-z, 0-9, '_' and '-', starting with a "
        "letter or digit");
  }
  return base::OkStatus();
}

base::Status ValidateCollectionSpec(const CollectionSpec& spec) {
  SR_RETURN_IF_ERROR(ValidateFieldList(spec.lookup_fields, "lookup_fields"));
  SR_RETURN_IF_ERROR(ValidateFieldList(spec.restricted_fields, "restricted_fields"));
  for (const std::string& f : spec.lookup_fields) {
    if (std::find(spec.restricted_fields.begin(), spec.restricted_fields.end(), f) !=
        spec.restricted_fields.end()) {
      return base::InvalidArgumentError(
          "field '" + f +
          "' cannot be both a lookup and a restricted field: a lookup would confirm the value "
          "that masking hides");
    }
  }
  if (spec.retention_days &&
      (*spec.retention_days < 1 || *spec.retention_days > kMaxRetentionDays)) {
    return base::InvalidArgumentError("retention_days must be from 1 to " +
                                      std::to_string(kMaxRetentionDays) +
                                      ", or null to keep records until they are deleted");
  }
  return base::OkStatus();
}

base::Result<Collection> CollectionFromRow(const storage::Row& row) {
  Collection c;
  SR_ASSIGN_OR_RETURN(const std::string tenant, row.GetText(0));
  c.tenant = identity::TenantId(tenant);
  SR_ASSIGN_OR_RETURN(c.name, row.GetText(1));
  const std::string where = "collection " + c.name;
  SR_ASSIGN_OR_RETURN(const std::string classification, row.GetText(2));
  auto parsed = ParseClassification(classification);
  if (!parsed.ok()) return base::DataLossError(where + " has an unknown classification");
  c.spec.classification = *parsed;
  if (!row.IsNull(3)) {
    SR_ASSIGN_OR_RETURN(const std::int64_t days, row.GetInt(3));
    c.spec.retention_days = static_cast<int>(days);
  }
  SR_ASSIGN_OR_RETURN(const std::string lookup, row.GetText(4));
  SR_ASSIGN_OR_RETURN(c.spec.lookup_fields, FieldListFromText(lookup, where));
  SR_ASSIGN_OR_RETURN(const std::string restricted, row.GetText(5));
  SR_ASSIGN_OR_RETURN(c.spec.restricted_fields, FieldListFromText(restricted, where));
  SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(6));
  SR_ASSIGN_OR_RETURN(c.created_at, base::ParseRfc3339(created));
  SR_ASSIGN_OR_RETURN(const std::string updated, row.GetText(7));
  SR_ASSIGN_OR_RETURN(c.updated_at, base::ParseRfc3339(updated));
  return c;
}

base::Result<Collection> LoadCollection(storage::Transaction& tx, const identity::TenantId& tenant,
                                        std::string_view name) {
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx.Query(std::string("SELECT ") + kCollectionColumns +
                                   " FROM vault_collections WHERE tenant_id = ? AND name = ?",
                               {storage::Text(tenant.value()), storage::Text(name)}));
  if (rows.empty()) {
    return base::NotFoundError("tenant " + tenant.value() + " has no collection '" +
                               std::string(name) + "'");
  }
  return CollectionFromRow(rows[0]);
}

}  // namespace strongroom::vault
