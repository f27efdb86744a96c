#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/embedded_file.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/isms/catalog.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::isms {

// A file of catalogs/ embedded in the binary at build time (scripts/embed_files.py).
using base::EmbeddedFile;
// The catalogs and crosswalks Strongroom ships, catalogs before the crosswalks between them.
std::span<const EmbeddedFile> ShippedCatalogFiles();

// Who loads the shipped catalogs at init and at every start.
inline audit::Actor CatalogLoaderActor() { return {"catalog-loader", "system", "local", ""}; }

// A catalog as the store holds it.
struct StoredFramework {
  FrameworkInfo info;
  std::string origin;          // "shipped" (catalogs/) or "imported" (OSCAL).
  std::string content_sha256;  // Of the file it was loaded from, hex.
  std::int64_t revision = 0;   // 1 when first loaded; +1 each time its content changed.
  std::string loaded_at;
  std::uint64_t items = 0;  // All items, withdrawn included.
};

struct StoredCrosswalk {
  std::string id;  // "<from>_to_<to>".
  std::string from;
  std::string to;
  std::string relationship;
  std::string source;
  std::string license;
  std::string content_sha256;
  std::int64_t revision = 0;
  std::uint64_t pairs = 0;
};

struct LoadReport {
  std::vector<std::string> loaded;     // Framework and crosswalk ids (re)loaded.
  std::vector<std::string> unchanged;  // Already in the store with the same content.
};

struct RequirementPage {
  std::vector<Requirement> items;
  std::optional<std::string> next;  // Where the next page starts (opaque to callers).
};

// The JSON the API serves for a framework (its metadata, counts, origin, revision and hash) and a
// crosswalk.
nlohmann::json FrameworkJson(const StoredFramework& f);
nlohmann::json CrosswalkJson(const StoredCrosswalk& x);

// The framework catalogs and crosswalks in the store: loaded from the shipped files at every
// start (a no-op unless a file changed: the upgrade path) and imported from OSCAL. Every load
// and import is audited ("frameworks.load", "frameworks.import") with the content's SHA-256 and
// revision. Requirements keep the catalog's ids, parents, kinds, titles and texts. Thread-safe
// (the store serialises writes).
class Frameworks {
 public:
  Frameworks(storage::Store& store, audit::Sink& audit, const base::Clock& clock);

  // Loads `files` (default: the shipped ones): a catalog or crosswalk whose SHA-256 matches the
  // stored one is left alone; a changed one replaces the stored copy in one transaction with
  // its revision raised. Crosswalk ids must resolve in the catalogs they join (when the store
  // has them). Errors: kInvalidArgument (a file does not parse; names the file), store errors.
  base::Result<LoadReport> LoadShipped(const audit::Actor& actor,
                                       std::span<const EmbeddedFile> files = {});

  // Stores an imported catalog under its framework id: a new one, or a new revision of an
  // earlier import. `content` is the document it came from (its SHA-256 is kept and audited).
  // Errors: kAlreadyExists (the id is a shipped catalog's), kInvalidArgument, store errors.
  base::Result<StoredFramework> Import(const audit::Actor& actor, Catalog catalog,
                                       std::string_view content);

  base::Result<std::vector<StoredFramework>> List();
  // kNotFound names the id and where the list of frameworks is.
  base::Result<StoredFramework> Get(std::string_view id);
  // Requirements of one framework in document order; `kind` filters; `after` is a previous
  // page's `next`. Errors: kNotFound (framework), kInvalidArgument (after).
  // `with_extra` false leaves each item's extra fields out (coverage does not need them).
  base::Result<RequirementPage> Requirements(std::string_view framework,
                                             const std::optional<std::string>& kind,
                                             const std::string& after, std::size_t limit,
                                             bool with_extra = true);
  base::Result<std::vector<StoredCrosswalk>> Crosswalks();
  base::Result<std::vector<CrosswalkPair>> CrosswalkPairs(std::string_view crosswalk_id);

 private:
  // Whether a shipped catalog or crosswalk with this content is already in the store.
  base::Result<bool> HoldsShipped(std::string_view sha256);
  base::Result<bool> LoadCatalogFile(const audit::Actor& actor, const EmbeddedFile& file);
  base::Result<bool> LoadCrosswalkFile(const audit::Actor& actor, const EmbeddedFile& file);
  // False when the store already holds this shipped file (loaded meanwhile by another process).
  base::Result<bool> StoreCatalog(const audit::Actor& actor, const Catalog& catalog,
                                  const std::string& origin, const std::string& sha256,
                                  const char* action);

  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

}  // namespace strongroom::isms
