#include "strongroom/isms/frameworks.hpp"

#include <charconv>
#include <set>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;
using storage::Int;
using storage::Null;
using storage::OptionalText;
using storage::Text;

std::string Sha256Hex(std::string_view data) {
  return base::HexEncode(crypto::Sha256(base::AsBytes(data)));
}

std::string CountsJson(const std::map<std::string, std::uint64_t>& counts) {
  json out = json::object();
  for (const auto& [kind, n] : counts) out[kind] = n;
  return out.dump();
}

constexpr std::string_view kFrameworkColumns =
    "id, name, version, publisher, published, source_url, license, text_policy, notes, counts, "
    "origin, content_sha256, revision, loaded_at, items";

base::Result<StoredFramework> FrameworkFromRow(const storage::Row& r) {
  StoredFramework f;
  SR_ASSIGN_OR_RETURN(f.info.id, r.GetText(0));
  SR_ASSIGN_OR_RETURN(f.info.name, r.GetText(1));
  SR_ASSIGN_OR_RETURN(f.info.version, r.GetText(2));
  SR_ASSIGN_OR_RETURN(f.info.publisher, r.GetText(3));
  SR_ASSIGN_OR_RETURN(f.info.published, r.GetText(4));
  SR_ASSIGN_OR_RETURN(f.info.source_url, r.GetText(5));
  SR_ASSIGN_OR_RETURN(f.info.license, r.GetText(6));
  SR_ASSIGN_OR_RETURN(f.info.text_policy, r.GetText(7));
  SR_ASSIGN_OR_RETURN(f.info.notes, r.GetText(8));
  SR_ASSIGN_OR_RETURN(const std::string counts, r.GetText(9));
  const json c = json::parse(counts, nullptr, false);
  if (c.is_object()) {
    for (const auto& [kind, n] : c.items()) {
      if (n.is_number_unsigned()) f.info.counts[kind] = n.get<std::uint64_t>();
    }
  }
  SR_ASSIGN_OR_RETURN(f.origin, r.GetText(10));
  SR_ASSIGN_OR_RETURN(f.content_sha256, r.GetText(11));
  SR_ASSIGN_OR_RETURN(f.revision, r.GetInt(12));
  SR_ASSIGN_OR_RETURN(f.loaded_at, r.GetText(13));
  SR_ASSIGN_OR_RETURN(const std::int64_t items, r.GetInt(14));
  f.items = static_cast<std::uint64_t>(items);
  return f;
}

// The stored SHA-256 and revision of a framework or crosswalk, if present.
struct Stored {
  std::string sha256;
  std::int64_t revision = 0;
  std::string origin;
};

base::Result<std::optional<Stored>> StoredVersion(storage::Transaction& tx, std::string_view table,
                                                  std::string_view id) {
  const std::string sql = "SELECT content_sha256, revision" +
                          std::string(table == "isms_frameworks" ? ", origin" : ", 'shipped'") +
                          " FROM " + std::string(table) + " WHERE id = ?";
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {Text(id)}));
  if (rows.empty()) return std::optional<Stored>();
  Stored s;
  SR_ASSIGN_OR_RETURN(s.sha256, rows[0].GetText(0));
  SR_ASSIGN_OR_RETURN(s.revision, rows[0].GetInt(1));
  SR_ASSIGN_OR_RETURN(s.origin, rows[0].GetText(2));
  return std::optional<Stored>(std::move(s));
}

base::Result<std::set<std::string>> RequirementIds(storage::Transaction& tx,
                                                   std::string_view framework) {
  std::set<std::string> ids;
  SR_RETURN_IF_ERROR(tx.ForEach("SELECT id FROM isms_requirements WHERE framework_id = ?",
                                {Text(framework)}, [&ids](const storage::RowView& r) {
                                  SR_ASSIGN_OR_RETURN(const std::string_view id, r.GetText(0));
                                  ids.emplace(id);
                                  return base::OkStatus();
                                }));
  return ids;
}

base::Result<bool> FrameworkExists(storage::Transaction& tx, std::string_view id) {
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT 1 FROM isms_frameworks WHERE id = ?", {Text(id)}));
  return !rows.empty();
}

}  // namespace

json FrameworkJson(const StoredFramework& f) {
  json counts = json::object();
  for (const auto& [kind, n] : f.info.counts) counts[kind] = n;
  return {{"id", f.info.id},
          {"name", f.info.name},
          {"version", f.info.version},
          {"publisher", f.info.publisher},
          {"published", f.info.published},
          {"source_url", f.info.source_url},
          {"license", f.info.license},
          {"text_policy", f.info.text_policy},
          {"notes", f.info.notes},
          {"counts", counts},
          {"items", f.items},
          {"origin", f.origin},
          {"revision", f.revision},
          {"content_sha256", f.content_sha256},
          {"loaded_at", f.loaded_at}};
}

json CrosswalkJson(const StoredCrosswalk& x) {
  return {{"id", x.id},
          {"from", x.from},
          {"to", x.to},
          {"relationship", x.relationship},
          {"source", x.source},
          {"license", x.license},
          {"pairs", x.pairs},
          {"revision", x.revision},
          {"content_sha256", x.content_sha256}};
}

Frameworks::Frameworks(storage::Store& store, audit::Sink& audit, const base::Clock& clock)
    : store_(store), audit_(audit), clock_(clock) {}

base::Result<LoadReport> Frameworks::LoadShipped(const audit::Actor& actor,
                                                 std::span<const EmbeddedFile> files) {
  if (files.empty()) files = ShippedCatalogFiles();
  LoadReport report;
  // Catalogs first, so the crosswalks between them can be checked.
  for (const bool crosswalks : {false, true}) {
    for (const EmbeddedFile& f : files) {
      if (!f.name.ends_with(".json") || f.name.starts_with("xwalk_") != crosswalks) continue;
      auto changed = crosswalks ? LoadCrosswalkFile(actor, f) : LoadCatalogFile(actor, f);
      if (!changed.ok()) {
        return base::Status(changed.status().code(),
                            std::string(f.name) + ": " + changed.status().message());
      }
      std::string name(f.name.substr(0, f.name.size() - 5));
      if (crosswalks && name.starts_with("xwalk_")) name = name.substr(6);
      (*changed ? report.loaded : report.unchanged).push_back(std::move(name));
    }
  }
  return report;
}

base::Result<bool> Frameworks::HoldsShipped(std::string_view sha256) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query("SELECT 1 FROM isms_frameworks WHERE origin = 'shipped' AND "
                                "content_sha256 = ?1 UNION ALL SELECT 1 FROM isms_crosswalks "
                                "WHERE content_sha256 = ?1 LIMIT 1",
                                {Text(sha256)}));
  return !rows.empty();
}

base::Result<bool> Frameworks::LoadCatalogFile(const audit::Actor& actor,
                                               const EmbeddedFile& file) {
  const std::string sha = Sha256Hex(file.data);
  // The common case, at every start: nothing changed, nothing to parse.
  SR_ASSIGN_OR_RETURN(const bool held, HoldsShipped(sha));
  if (held) return false;
  SR_ASSIGN_OR_RETURN(Catalog catalog, ParseCatalog(file.data));
  return StoreCatalog(actor, catalog, "shipped", sha, "frameworks.load");
}

base::Result<bool> Frameworks::StoreCatalog(const audit::Actor& actor, const Catalog& catalog,
                                            const std::string& origin, const std::string& sha256,
                                            const char* action) {
  const FrameworkInfo& f = catalog.framework;
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const auto stored, StoredVersion(*tx, "isms_frameworks", f.id));
  if (stored && stored->origin != origin) {
    return base::AlreadyExistsError(
        "framework '" + f.id + "' is " +
        (stored->origin == "shipped" ? "shipped with Strongroom" : "an imported catalog") +
        " and cannot be replaced by " +
        (origin == "shipped" ? "a shipped one" : "an import; import it under another id"));
  }
  // Another process (the server and a CLI command opening the same data directory after an
  // upgrade) may have loaded this very file since we looked: nothing to do then.
  if (stored && origin == "shipped" && stored->sha256 == sha256) return false;
  const std::int64_t revision = stored ? stored->revision + 1 : 1;
  const std::string now = base::FormatRfc3339(clock_.Now());
  // Audited before the change, so a catalog is never in use without its record.
  audit::Event e = audit::MakeEvent(actor, clock_.Now(), action, "framework:" + f.id,
                                    audit::Outcome::kAllowed, "");
  e.details["sha256"] = sha256;
  e.details["revision"] = std::to_string(revision);
  e.details["items"] = std::to_string(catalog.items.size());
  SR_RETURN_IF_ERROR(audit_.Record(e));

  SR_RETURN_IF_ERROR(
      tx->Execute("DELETE FROM isms_requirements WHERE framework_id = ?", {Text(f.id)}).status());
  SR_RETURN_IF_ERROR(
      tx->Execute(
            "INSERT INTO isms_frameworks (" + std::string(kFrameworkColumns) +
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                "SET name = excluded.name, version = excluded.version, publisher = "
                "excluded.publisher, published = excluded.published, source_url = "
                "excluded.source_url, license = excluded.license, text_policy = "
                "excluded.text_policy, notes = excluded.notes, counts = excluded.counts, "
                "content_sha256 = excluded.content_sha256, revision = excluded.revision, "
                "loaded_at = excluded.loaded_at, items = excluded.items",
            {Text(f.id), Text(f.name), Text(f.version), Text(f.publisher), Text(f.published),
             Text(f.source_url), Text(f.license), Text(f.text_policy), Text(f.notes),
             Text(CountsJson(f.counts)), Text(origin), Text(sha256), Int(revision), Text(now),
             Int(static_cast<std::int64_t>(catalog.items.size()))})
          .status());
  std::int64_t ordinal = 0;
  for (const Requirement& r : catalog.items) {
    SR_RETURN_IF_ERROR(
        tx->Execute("INSERT INTO isms_requirements (framework_id, id, ordinal, parent, kind, "
                    "title, text, withdrawn, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {Text(f.id), Text(r.id), Int(++ordinal), OptionalText(r.parent), Text(r.kind),
                     Text(r.title), OptionalText(r.text), Int(r.withdrawn ? 1 : 0),
                     r.extra.empty() ? Null() : Text(r.extra.dump())})
            .status());
  }
  SR_RETURN_IF_ERROR(tx->Commit());
  return true;
}

base::Result<bool> Frameworks::LoadCrosswalkFile(const audit::Actor& actor,
                                                 const EmbeddedFile& file) {
  const std::string sha = Sha256Hex(file.data);
  SR_ASSIGN_OR_RETURN(const bool held, HoldsShipped(sha));
  if (held) return false;
  SR_ASSIGN_OR_RETURN(const Crosswalk x, ParseCrosswalk(file.data));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const auto stored, StoredVersion(*tx, "isms_crosswalks", x.id()));
  if (stored && stored->sha256 == sha) return false;
  // Every id must resolve in the catalogs the crosswalk joins, when the store holds them.
  SR_ASSIGN_OR_RETURN(const bool have_from, FrameworkExists(*tx, x.from));
  SR_ASSIGN_OR_RETURN(const bool have_to, FrameworkExists(*tx, x.to));
  if (!have_from) {
    return base::InvalidArgumentError("the crosswalk's source framework '" + x.from +
                                      "' is not loaded");
  }
  SR_ASSIGN_OR_RETURN(const auto from_ids, RequirementIds(*tx, x.from));
  std::set<std::string> to_ids;
  if (have_to) {
    SR_ASSIGN_OR_RETURN(to_ids, RequirementIds(*tx, x.to));
  }
  for (const CrosswalkPair& p : x.pairs) {
    if (!from_ids.contains(p.from_id)) {
      return base::InvalidArgumentError("pair " + p.from_id + ": not an item of " + x.from);
    }
    if (have_to && p.to_id && !to_ids.contains(*p.to_id)) {
      return base::InvalidArgumentError("pair " + p.from_id + " -> " + *p.to_id +
                                        ": not an item of " + x.to);
    }
  }
  const std::int64_t revision = stored ? stored->revision + 1 : 1;
  audit::Event e = audit::MakeEvent(actor, clock_.Now(), "frameworks.load", "crosswalk:" + x.id(),
                                    audit::Outcome::kAllowed, "");
  e.details["sha256"] = sha;
  e.details["revision"] = std::to_string(revision);
  e.details["pairs"] = std::to_string(x.pairs.size());
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(
      tx->Execute("DELETE FROM isms_crosswalk_pairs WHERE crosswalk_id = ?", {Text(x.id())})
          .status());
  SR_RETURN_IF_ERROR(
      tx->Execute(
            "INSERT INTO isms_crosswalks (id, from_framework, to_framework, relationship, "
            "source, license, content_sha256, revision, loaded_at, pairs) VALUES (?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET relationship = "
            "excluded.relationship, source = excluded.source, license = excluded.license, "
            "content_sha256 = excluded.content_sha256, revision = excluded.revision, "
            "loaded_at = excluded.loaded_at, pairs = excluded.pairs",
            {Text(x.id()), Text(x.from), Text(x.to), Text(x.relationship), Text(x.source),
             Text(x.license), Text(sha), Int(revision), Text(base::FormatRfc3339(clock_.Now())),
             Int(static_cast<std::int64_t>(x.pairs.size()))})
          .status());
  std::int64_t ordinal = 0;
  for (const CrosswalkPair& p : x.pairs) {
    SR_RETURN_IF_ERROR(
        tx->Execute("INSERT INTO isms_crosswalk_pairs (crosswalk_id, ordinal, from_id, to_id, "
                    "relation) VALUES (?, ?, ?, ?, ?)",
                    {Text(x.id()), Int(++ordinal), Text(p.from_id), OptionalText(p.to_id),
                     Text(p.relation)})
            .status());
  }
  SR_RETURN_IF_ERROR(tx->Commit());
  return true;
}

base::Result<StoredFramework> Frameworks::Import(const audit::Actor& actor, Catalog catalog,
                                                 std::string_view content) {
  SR_RETURN_IF_ERROR(ValidateCatalog(catalog));
  SR_RETURN_IF_ERROR(
      StoreCatalog(actor, catalog, "imported", Sha256Hex(content), "frameworks.import").status());
  return Get(catalog.framework.id);
}

base::Result<std::vector<StoredFramework>> Frameworks::List() {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT " + std::string(kFrameworkColumns) +
                                               " FROM isms_frameworks ORDER BY origin DESC, id",
                                           {}));
  std::vector<StoredFramework> out;
  for (const auto& r : rows) {
    SR_ASSIGN_OR_RETURN(StoredFramework f, FrameworkFromRow(r));
    out.push_back(std::move(f));
  }
  return out;
}

base::Result<StoredFramework> Frameworks::Get(std::string_view id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT " + std::string(kFrameworkColumns) +
                                               " FROM isms_frameworks WHERE id = ?",
                                           {Text(id)}));
  if (rows.empty()) {
    return base::NotFoundError("no framework '" + std::string(id.substr(0, 64)) +
                               "'; GET /api/v1/frameworks lists them");
  }
  return FrameworkFromRow(rows[0]);
}

base::Result<RequirementPage> Frameworks::Requirements(std::string_view framework,
                                                       const std::optional<std::string>& kind,
                                                       const std::string& after, std::size_t limit,
                                                       bool with_extra) {
  std::int64_t from = 0;
  if (!after.empty()) {
    const auto [end, ec] = std::from_chars(after.data(), after.data() + after.size(), from);
    if (ec != std::errc() || end != after.data() + after.size() || from < 0) {
      return base::InvalidArgumentError("the cursor is not one this API returned");
    }
  }
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(const bool exists, FrameworkExists(*tx, framework));
  if (!exists) {
    return base::NotFoundError("no framework '" + std::string(framework.substr(0, 64)) +
                               "'; GET /api/v1/frameworks lists them");
  }
  std::string sql =
      "SELECT ordinal, id, parent, kind, title, text, withdrawn, extra FROM isms_requirements "
      "WHERE framework_id = ? AND ordinal > ?";
  std::vector<storage::Value> params{Text(framework), Int(from)};
  if (kind) {
    sql += " AND kind = ?";
    params.push_back(Text(*kind));
  }
  sql += " ORDER BY ordinal LIMIT ?";
  params.push_back(Int(static_cast<std::int64_t>(limit) + 1));
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query(sql, params));
  RequirementPage page;
  std::int64_t last = 0;
  for (const auto& row : rows) {
    if (page.items.size() == limit) {
      page.next = std::to_string(last);
      break;
    }
    Requirement r;
    SR_ASSIGN_OR_RETURN(last, row.GetInt(0));
    SR_ASSIGN_OR_RETURN(r.id, row.GetText(1));
    SR_ASSIGN_OR_RETURN(r.parent, row.GetOptionalText(2));
    SR_ASSIGN_OR_RETURN(r.kind, row.GetText(3));
    SR_ASSIGN_OR_RETURN(r.title, row.GetText(4));
    SR_ASSIGN_OR_RETURN(r.text, row.GetOptionalText(5));
    SR_ASSIGN_OR_RETURN(const std::int64_t withdrawn, row.GetInt(6));
    r.withdrawn = withdrawn != 0;
    SR_ASSIGN_OR_RETURN(const auto extra, row.GetOptionalText(7));
    if (extra && with_extra) {
      r.extra = json::parse(*extra, nullptr, false);
      if (!r.extra.is_object()) r.extra = json::object();
    }
    page.items.push_back(std::move(r));
  }
  return page;
}

base::Result<std::vector<StoredCrosswalk>> Frameworks::Crosswalks() {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT id, from_framework, to_framework, "
                                           "relationship, source, license, content_sha256, "
                                           "revision, pairs FROM isms_crosswalks ORDER BY id",
                                           {}));
  std::vector<StoredCrosswalk> out;
  for (const auto& r : rows) {
    StoredCrosswalk x;
    SR_ASSIGN_OR_RETURN(x.id, r.GetText(0));
    SR_ASSIGN_OR_RETURN(x.from, r.GetText(1));
    SR_ASSIGN_OR_RETURN(x.to, r.GetText(2));
    SR_ASSIGN_OR_RETURN(x.relationship, r.GetText(3));
    SR_ASSIGN_OR_RETURN(x.source, r.GetText(4));
    SR_ASSIGN_OR_RETURN(x.license, r.GetText(5));
    SR_ASSIGN_OR_RETURN(x.content_sha256, r.GetText(6));
    SR_ASSIGN_OR_RETURN(x.revision, r.GetInt(7));
    SR_ASSIGN_OR_RETURN(const std::int64_t pairs, r.GetInt(8));
    x.pairs = static_cast<std::uint64_t>(pairs);
    out.push_back(std::move(x));
  }
  return out;
}

base::Result<std::vector<CrosswalkPair>> Frameworks::CrosswalkPairs(std::string_view crosswalk_id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  std::vector<CrosswalkPair> out;
  SR_RETURN_IF_ERROR(tx->ForEach(
      "SELECT from_id, to_id, relation FROM isms_crosswalk_pairs WHERE crosswalk_id = ? ORDER BY "
      "ordinal",
      {Text(crosswalk_id)}, [&out](const storage::RowView& r) {
        CrosswalkPair p;
        SR_ASSIGN_OR_RETURN(const std::string_view from, r.GetText(0));
        p.from_id = std::string(from);
        if (!r.IsNull(1)) {
          SR_ASSIGN_OR_RETURN(const std::string_view to, r.GetText(1));
          p.to_id = std::string(to);
        }
        SR_ASSIGN_OR_RETURN(const std::string_view relation, r.GetText(2));
        p.relation = std::string(relation);
        out.push_back(std::move(p));
        return base::OkStatus();
      }));
  return out;
}

}  // namespace strongroom::isms
