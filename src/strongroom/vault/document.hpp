#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/status.hpp"

namespace strongroom::vault {

// What a record may be. Each violation is refused with a message naming the limit.
struct RecordLimits {
  std::size_t max_bytes = 1024 * 1024;  // The compact JSON text.
  std::size_t max_depth = 16;           // Nesting of objects and arrays, the record itself 1.
  std::size_t max_fields = 1000;        // Object members at every level together.
};

// Checks that `document` is a JSON object within `limits` and `serialized` (its compact text)
// within max_bytes. Errors (kInvalidArgument) name the limit that was exceeded.
base::Status CheckDocument(const nlohmann::json& document, std::size_t serialized_bytes,
                           const RecordLimits& limits);

// Record ids: 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '~' and '-', not "." or "..".
// Ids are stored in the clear and appear in the audit log: they name records, they are not
// record content. Errors (kInvalidArgument) say what is accepted.
base::Status ValidateRecordId(std::string_view id);
// Field names declared for lookup or restriction: top-level member names of 1 to 128 characters
// without control characters.
base::Status ValidateFieldName(std::string_view name);

// What a caller without the right to see restricted fields gets instead of each value.
inline constexpr std::string_view kMaskedValue = "***";

// Replaces the value of each top-level field of `restricted` present in `document` with
// kMaskedValue; returns the names replaced, in the order of `restricted`.
std::vector<std::string> MaskFields(nlohmann::json& document,
                                    const std::vector<std::string>& restricted);
// For a writer who cannot see restricted fields: each restricted field whose new value is
// kMaskedValue keeps its previous value (or is dropped if there was none), so a record read
// masked can be edited and written back without erasing what the writer never saw.
void KeepMaskedFields(nlohmann::json& document, const nlohmann::json* previous,
                      const std::vector<std::string>& restricted);

// The normalised forms under which a lookup field's value is indexed, each tagged with its JSON
// type so "42" and 42 differ: strings "s:" with surrounding white space removed and ASCII letters
// lower-cased; numbers "n:" in canonical JSON; booleans "b:true"/"b:false". An array indexes
// each scalar element; null, objects and nested arrays are not indexed.
std::vector<std::string> IndexTerms(const nlohmann::json& value);
// The terms a lookup for `text` (from ?where=field:text) matches: the string, and the number or
// boolean `text` spells, if any.
std::vector<std::string> QueryTerms(std::string_view text);

}  // namespace strongroom::vault
