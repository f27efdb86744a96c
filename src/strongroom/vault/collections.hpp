#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::vault {

// How sensitive a collection's records are: the label the provider's classification policy
// (ISMS asset classification) refers to.
enum class Classification { kPublic, kInternal, kConfidential, kRestricted };
std::string_view ClassificationName(Classification c);
// Errors (kInvalidArgument) list the four accepted names.
base::Result<Classification> ParseClassification(std::string_view name);

// What a client admin declares for a collection.
struct CollectionSpec {
  Classification classification = Classification::kConfidential;
  // Records are purged once this many days have passed since their last write; nullopt keeps
  // them until deleted.
  std::optional<int> retention_days;
  std::vector<std::string> lookup_fields;      // Top-level fields with a blind index.
  std::vector<std::string> restricted_fields;  // Top-level fields masked unless unmasked.
};

inline constexpr int kMaxRetentionDays = 36500;
inline constexpr std::size_t kMaxDeclaredFields = 32;

// Collection names: 1 to 64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit.
// Names are structure, stored in the clear and named in the audit log. Errors (kInvalidArgument)
// say what is accepted.
base::Status ValidateCollectionName(std::string_view name);

// Field names valid (vault/document.hpp), none listed twice, at most kMaxDeclaredFields of each
// kind, none both a lookup and a restricted field (a lookup would confirm a masked value), and
// retention 1 to kMaxRetentionDays days. Errors (kInvalidArgument) say which rule failed.
base::Status ValidateCollectionSpec(const CollectionSpec& spec);

struct Collection {
  identity::TenantId tenant;
  std::string name;
  CollectionSpec spec;
  base::Time created_at;
  base::Time updated_at;
};

inline constexpr const char* kCollectionColumns =
    "tenant_id, name, classification, retention_days, lookup_fields, restricted_fields, "
    "created_at, updated_at";
base::Result<Collection> CollectionFromRow(const storage::Row& row);

// The collection `name` of `tenant`, read in `tx`. Errors: kNotFound.
base::Result<Collection> LoadCollection(storage::Transaction& tx, const identity::TenantId& tenant,
                                        std::string_view name);

}  // namespace strongroom::vault
