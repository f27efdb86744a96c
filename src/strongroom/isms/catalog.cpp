#include "strongroom/isms/catalog.hpp"

#include <set>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;

std::string Quoted(std::string_view s) {
  return "'" + std::string(s.substr(0, 64)) + (s.size() > 64 ? "...'" : "'");
}

base::Result<json> ParseObject(std::string_view text, std::string_view what) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return base::InvalidArgumentError(std::string(what) + " is not a JSON object");
  }
  return doc;
}

// A string member: required (error when absent or not a string) or optional (empty when absent).
base::Result<std::string> StringField(const json& object, const char* key, std::string_view where,
                                      bool required) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) {
      return base::InvalidArgumentError(std::string(where) + ": \"" + key + "\" is missing");
    }
    return std::string();
  }
  if (!it->is_string()) {
    return base::InvalidArgumentError(std::string(where) + ": \"" + key + "\" must be a string");
  }
  return it->get<std::string>();
}

}  // namespace

base::Status ValidateFrameworkId(std::string_view id) {
  const auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  bool ok = !id.empty() && id.size() <= 64 && ok_char(id[0]) && id[0] != '.' && id[0] != '_' &&
            id[0] != '-';
  for (char c : id) ok = ok && ok_char(c);
  if (!ok) {
    return base::InvalidArgumentError("framework id " + Quoted(id) +
                                      " is not accepted: use 1 to 64 characters of a-z, 0-9, '.', "
                                      "'_' and '-', starting with a letter or digit");
  }
  return base::OkStatus();
}

base::Status ValidateCatalog(Catalog& catalog) {
  SR_RETURN_IF_ERROR(ValidateFrameworkId(catalog.framework.id));
  if (catalog.framework.name.empty()) {
    return base::InvalidArgumentError("the framework has no name");
  }
  if (catalog.items.empty()) return base::InvalidArgumentError("the catalog has no items");
  if (catalog.items.size() > kMaxCatalogItems) {
    return base::InvalidArgumentError("the catalog has " + std::to_string(catalog.items.size()) +
                                      " items; at most " + std::to_string(kMaxCatalogItems) +
                                      " are accepted");
  }
  std::set<std::string_view> seen;
  catalog.framework.counts.clear();
  for (const Requirement& r : catalog.items) {
    const std::string where = "item " + Quoted(r.id);
    if (r.id.empty() || r.id.size() > kMaxItemIdBytes) {
      return base::InvalidArgumentError("an item id must be 1 to " +
                                        std::to_string(kMaxItemIdBytes) + " bytes (" + where + ")");
    }
    for (unsigned char c : r.id) {
      if (c < 0x20 || c == 0x7f) {
        return base::InvalidArgumentError(where + ": the id holds a control character");
      }
    }
    if (r.parent && !seen.contains(*r.parent)) {
      return base::InvalidArgumentError(where + ": its parent " + Quoted(*r.parent) +
                                        " is not an earlier item (parents come before children)");
    }
    if (!seen.insert(r.id).second) {
      return base::InvalidArgumentError(where + " appears twice; item ids must be unique");
    }
    if (r.kind.empty() || r.kind.size() > 64) {
      return base::InvalidArgumentError(where + ": \"kind\" must be 1 to 64 characters");
    }
    if (r.title.size() > 1024) {
      return base::InvalidArgumentError(where + ": the title is longer than 1024 bytes");
    }
    if (r.text && r.text->size() > kMaxItemTextBytes) {
      return base::InvalidArgumentError(where + ": the text is longer than " +
                                        std::to_string(kMaxItemTextBytes) + " bytes");
    }
    if (!r.withdrawn) ++catalog.framework.counts[r.kind];
  }
  return base::OkStatus();
}

base::Result<Catalog> ParseCatalog(std::string_view text) {
  SR_ASSIGN_OR_RETURN(const json doc, ParseObject(text, "the catalog"));
  if (doc.value("schema", json()) != "catalog/v1") {
    return base::InvalidArgumentError(
        "not a catalog: \"schema\" must be \"catalog/v1\" (catalogs/README.md); for an OSCAL "
        "catalog use the OSCAL import");
  }
  const auto fw = doc.find("framework");
  if (fw == doc.end() || !fw->is_object()) {
    return base::InvalidArgumentError("the catalog has no \"framework\" object");
  }
  Catalog c;
  FrameworkInfo& f = c.framework;
  SR_ASSIGN_OR_RETURN(f.id, StringField(*fw, "id", "framework", true));
  SR_ASSIGN_OR_RETURN(f.name, StringField(*fw, "name", "framework", true));
  SR_ASSIGN_OR_RETURN(f.version, StringField(*fw, "version", "framework", false));
  SR_ASSIGN_OR_RETURN(f.publisher, StringField(*fw, "publisher", "framework", false));
  SR_ASSIGN_OR_RETURN(f.published, StringField(*fw, "published", "framework", false));
  SR_ASSIGN_OR_RETURN(f.source_url, StringField(*fw, "source_url", "framework", false));
  SR_ASSIGN_OR_RETURN(f.license, StringField(*fw, "license", "framework", false));
  SR_ASSIGN_OR_RETURN(f.text_policy, StringField(*fw, "text_policy", "framework", false));
  SR_ASSIGN_OR_RETURN(f.notes, StringField(*fw, "notes", "framework", false));

  const auto items = doc.find("items");
  if (items == doc.end() || !items->is_array()) {
    return base::InvalidArgumentError("the catalog has no \"items\" array");
  }
  if (items->size() > kMaxCatalogItems) {
    return base::InvalidArgumentError("the catalog has more than " +
                                      std::to_string(kMaxCatalogItems) + " items");
  }
  c.items.reserve(items->size());
  std::size_t index = 0;
  for (const json& item : *items) {
    const std::string where = "item " + std::to_string(index++);
    if (!item.is_object()) return base::InvalidArgumentError(where + " is not an object");
    Requirement r;
    SR_ASSIGN_OR_RETURN(r.id, StringField(item, "id", where, true));
    const std::string named = "item " + Quoted(r.id);
    SR_ASSIGN_OR_RETURN(std::string parent, StringField(item, "parent", named, false));
    if (!parent.empty()) r.parent = std::move(parent);
    SR_ASSIGN_OR_RETURN(r.kind, StringField(item, "kind", named, true));
    SR_ASSIGN_OR_RETURN(r.title, StringField(item, "title", named, true));
    if (const auto t = item.find("text"); t != item.end() && !t->is_null()) {
      if (!t->is_string()) return base::InvalidArgumentError(named + ": \"text\" must be a string");
      r.text = t->get<std::string>();
    }
    SR_ASSIGN_OR_RETURN(const std::string status, StringField(item, "status", named, false));
    if (!status.empty() && status != "active" && status != "withdrawn") {
      return base::InvalidArgumentError(named + ": \"status\" must be active or withdrawn");
    }
    r.withdrawn = status == "withdrawn";
    for (const auto& [key, value] : item.items()) {
      if (key != "id" && key != "parent" && key != "kind" && key != "title" && key != "text" &&
          key != "status") {
        r.extra[key] = value;
      }
    }
    c.items.push_back(std::move(r));
  }
  SR_RETURN_IF_ERROR(ValidateCatalog(c));
  // A file that states its counts must hold exactly that many active items of each kind.
  if (const auto counts = fw->find("counts"); counts != fw->end() && counts->is_object()) {
    for (const auto& [kind, n] : counts->items()) {
      const std::uint64_t have = c.framework.counts.contains(kind) ? c.framework.counts[kind] : 0;
      if (!n.is_number_unsigned() || n.get<std::uint64_t>() != have) {
        return base::InvalidArgumentError("the catalog states " + n.dump() +
                                          " active items of "
                                          "kind '" +
                                          kind + "' but holds " + std::to_string(have));
      }
    }
  }
  return c;
}

base::Result<Crosswalk> ParseCrosswalk(std::string_view text) {
  SR_ASSIGN_OR_RETURN(const json doc, ParseObject(text, "the crosswalk"));
  if (doc.value("schema", json()) != "crosswalk/v1") {
    return base::InvalidArgumentError("not a crosswalk: \"schema\" must be \"crosswalk/v1\"");
  }
  Crosswalk x;
  SR_ASSIGN_OR_RETURN(x.from, StringField(doc, "from", "crosswalk", true));
  SR_ASSIGN_OR_RETURN(x.to, StringField(doc, "to", "crosswalk", true));
  SR_RETURN_IF_ERROR(ValidateFrameworkId(x.from));
  SR_RETURN_IF_ERROR(ValidateFrameworkId(x.to));
  SR_ASSIGN_OR_RETURN(x.relationship, StringField(doc, "relationship", "crosswalk", true));
  SR_ASSIGN_OR_RETURN(x.source, StringField(doc, "source", "crosswalk", false));
  SR_ASSIGN_OR_RETURN(x.license, StringField(doc, "license", "crosswalk", false));
  const auto pairs = doc.find("pairs");
  if (pairs == doc.end() || !pairs->is_array()) {
    return base::InvalidArgumentError("the crosswalk has no \"pairs\" array");
  }
  if (pairs->size() > kMaxCrosswalkPairs) {
    return base::InvalidArgumentError("the crosswalk has more than " +
                                      std::to_string(kMaxCrosswalkPairs) + " pairs");
  }
  std::size_t index = 0;
  for (const json& p : *pairs) {
    const std::string where = "pair " + std::to_string(index++);
    const bool shape = p.is_array() && (p.size() == 2 || p.size() == 3) && p[0].is_string() &&
                       (p[1].is_string() || p[1].is_null()) && (p.size() == 2 || p[2].is_string());
    if (!shape) {
      return base::InvalidArgumentError(where +
                                        " must be [from_id, to_id or null] or [from_id, "
                                        "to_id or null, relation]");
    }
    CrosswalkPair pair;
    pair.from_id = p[0].get<std::string>();
    if (p[1].is_string()) pair.to_id = p[1].get<std::string>();
    if (p.size() == 3) pair.relation = p[2].get<std::string>();
    x.pairs.push_back(std::move(pair));
  }
  return x;
}

nlohmann::json RequirementJson(const Requirement& r) {
  json out = r.extra;
  out["id"] = r.id;
  out["parent"] = r.parent ? json(*r.parent) : json(nullptr);
  out["kind"] = r.kind;
  out["title"] = r.title;
  out["text"] = r.text ? json(*r.text) : json(nullptr);
  out["status"] = r.withdrawn ? "withdrawn" : "active";
  return out;
}

}  // namespace strongroom::isms
