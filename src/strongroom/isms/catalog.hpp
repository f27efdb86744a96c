#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/result.hpp"

namespace strongroom::isms {

// A framework catalog and the crosswalks between catalogs, in the shapes of catalogs/README.md
// ("catalog/v1", "crosswalk/v1"). OSCAL catalogs are converted into the same shape (oscal.hpp).

struct FrameworkInfo {
  std::string id;  // Stable key: "nist-csf-2.0", "iso27001-2022"; [a-z0-9][a-z0-9._-]{0,63}.
  std::string name;
  std::string version;
  std::string publisher;
  std::string published;  // A date, or empty.
  std::string source_url;
  std::string license;
  std::string text_policy;
  std::string notes;
  std::map<std::string, std::uint64_t> counts;  // Active items per kind, as loaded.
};

struct Requirement {
  std::string id;
  std::optional<std::string> parent;
  std::string kind;
  std::string title;
  std::optional<std::string> text;  // Null where the owner's text may not be reproduced.
  bool withdrawn = false;
  // The catalog's other fields (informative_references, implementation_examples, ...): an object.
  nlohmann::json extra = nlohmann::json::object();
};

struct Catalog {
  FrameworkInfo framework;
  std::vector<Requirement> items;  // Document order; parents before children.
};

struct CrosswalkPair {
  std::string from_id;
  std::optional<std::string> to_id;  // Null only where the source gives no target.
  std::string relation;              // Empty, or the pair's label ("retained_identifier", ...).
};

struct Crosswalk {
  std::string from;  // Framework ids.
  std::string to;
  std::string relationship;  // What a pair means.
  std::string source;
  std::string license;
  std::vector<CrosswalkPair> pairs;
  std::string id() const { return from + "_to_" + to; }
};

// Limits on what a catalog may hold, so an import cannot exhaust the store.
inline constexpr std::size_t kMaxCatalogItems = 20000;
inline constexpr std::size_t kMaxCrosswalkPairs = 50000;
inline constexpr std::size_t kMaxItemIdBytes = 128;
inline constexpr std::size_t kMaxItemTextBytes = 64 * 1024;

// Checks a framework id: 1-64 characters of [a-z0-9._-], starting with a letter or digit.
base::Status ValidateFrameworkId(std::string_view id);

// Parses and checks a "catalog/v1" document: the schema tag, the framework's id and name, every
// item's id (unique, at most 128 bytes), parent (null or an earlier item), kind, title and text,
// and, when the file states counts, that they match its active items. Errors
// (kInvalidArgument) name the item and what was wrong.
base::Result<Catalog> ParseCatalog(std::string_view text);

// Parses a "crosswalk/v1" document. Pair ids are checked against the catalogs by the loader.
base::Result<Crosswalk> ParseCrosswalk(std::string_view text);

// Fills framework.counts from the items and checks the structure (the checks of ParseCatalog on
// a catalog built in memory, e.g. converted from OSCAL).
base::Status ValidateCatalog(Catalog& catalog);

// The JSON of one requirement as the API serves it: id, parent, kind, title, text, status, and
// the extra fields beside them.
nlohmann::json RequirementJson(const Requirement& r);

}  // namespace strongroom::isms
