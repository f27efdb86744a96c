#include "strongroom/isms/oscal.hpp"

#include <map>

#include "strongroom/base/json_text.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxJsonDepth = 64;

std::string Str(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The value of the first prop named `name`, or empty.
std::string Prop(const json& element, std::string_view name) {
  const auto props = element.find("props");
  if (props == element.end() || !props->is_array()) return "";
  for (const json& p : *props) {
    if (p.is_object() && Str(p, "name") == name) return Str(p, "value");
  }
  return "";
}

class Converter {
 public:
  explicit Converter(const json& catalog) { CollectParams(catalog); }

  base::Status Groups(const json& parent, const std::optional<std::string>& parent_id,
                      std::vector<Requirement>& out) {
    const auto groups = parent.find("groups");
    if (groups == parent.end()) return base::OkStatus();
    if (!groups->is_array()) return base::InvalidArgumentError("\"groups\" must be an array");
    for (const json& g : *groups) {
      if (!g.is_object()) return base::InvalidArgumentError("a group must be an object");
      SR_RETURN_IF_ERROR(Count(out));
      Requirement r;
      r.id = Str(g, "id");
      if (r.id.empty()) r.id = "group-" + std::to_string(++unnamed_groups_);
      r.parent = parent_id;
      r.kind = Str(g, "class").empty() ? "group" : Str(g, "class");
      r.title = Str(g, "title");
      if (r.title.empty()) {
        return base::InvalidArgumentError("group '" + r.id + "' has no title");
      }
      if (std::string overview = PartsProse(g, ""); !overview.empty()) r.text = overview;
      if (!Str(g, "class").empty()) r.extra["class"] = Str(g, "class");
      if (const std::string label = Prop(g, "label"); !label.empty()) r.extra["label"] = label;
      const std::string id = r.id;
      out.push_back(std::move(r));
      SR_RETURN_IF_ERROR(Groups(g, id, out));
      SR_RETURN_IF_ERROR(Controls(g, id, /*in_control=*/false, out));
    }
    return base::OkStatus();
  }

  base::Status Controls(const json& parent, const std::optional<std::string>& parent_id,
                        bool in_control, std::vector<Requirement>& out) {
    const auto controls = parent.find("controls");
    if (controls == parent.end()) return base::OkStatus();
    if (!controls->is_array()) return base::InvalidArgumentError("\"controls\" must be an array");
    for (const json& c : *controls) {
      if (!c.is_object()) return base::InvalidArgumentError("a control must be an object");
      SR_RETURN_IF_ERROR(Count(out));
      Requirement r;
      r.id = Str(c, "id");
      if (r.id.empty()) return base::InvalidArgumentError("a control has no id");
      r.title = Str(c, "title");
      if (r.title.empty()) {
        return base::InvalidArgumentError("control '" + r.id + "' has no title");
      }
      r.parent = parent_id;
      const std::string cls = Str(c, "class");
      r.kind = !cls.empty() ? cls : in_control ? "enhancement" : "control";
      if (!cls.empty()) r.extra["class"] = cls;
      if (const std::string label = Prop(c, "label"); !label.empty()) r.extra["label"] = label;
      r.withdrawn = Prop(c, "status") == "withdrawn";
      if (std::string statement = PartsProse(c, "statement"); !statement.empty()) {
        r.text = std::move(statement);
      }
      if (std::string guidance = PartsProse(c, "guidance"); !guidance.empty()) {
        r.extra["guidance"] = std::move(guidance);
      }
      const std::string id = r.id;
      out.push_back(std::move(r));
      SR_RETURN_IF_ERROR(Controls(c, id, /*in_control=*/true, out));
    }
    return base::OkStatus();
  }

 private:
  base::Status Count(const std::vector<Requirement>& out) const {
    if (out.size() >= kMaxCatalogItems) {
      return base::InvalidArgumentError("the catalog has more than " +
                                        std::to_string(kMaxCatalogItems) + " groups and controls");
    }
    return base::OkStatus();
  }

  void CollectParams(const json& element) {
    if (element.is_object()) {
      if (const auto params = element.find("params");
          params != element.end() && params->is_array()) {
        for (const json& p : *params) {
          if (p.is_object() && !Str(p, "id").empty()) params_[Str(p, "id")] = &p;
        }
      }
      for (const char* key : {"groups", "controls"}) {
        if (const auto it = element.find(key); it != element.end() && it->is_array()) {
          for (const json& child : *it) CollectParams(child);
        }
      }
    }
  }

  // How NIST prints a parameter in a control's text.
  std::string ParamText(const std::string& id) const {
    const auto it = params_.find(id);
    if (it == params_.end()) return "[" + id + "]";
    const json& p = *it->second;
    if (const auto values = p.find("values");
        values != p.end() && values->is_array() && !values->empty()) {
      std::string out;
      for (const json& v : *values) {
        if (!v.is_string()) continue;
        if (!out.empty()) out += ", ";
        out += v.get<std::string>();
      }
      return out;
    }
    if (const auto select = p.find("select"); select != p.end() && select->is_object()) {
      std::string out =
          Str(*select, "how-many") == "one-or-more" ? "[Selection (one or more): " : "[Selection: ";
      bool first = true;
      if (const auto choice = select->find("choice");
          choice != select->end() && choice->is_array()) {
        for (const json& c : *choice) {
          if (!c.is_string()) continue;
          out += (first ? "" : "; ") + Insert(c.get<std::string>());
          first = false;
        }
      }
      return out + "]";
    }
    const std::string label = Str(p, "label");
    return "[Assignment: " + (label.empty() ? id : label) + "]";
  }

  // Replaces every "{{ insert: param, ID }}" in `prose`.
  std::string Insert(const std::string& prose) const {
    std::string out;
    std::size_t at = 0;
    while (true) {
      const std::size_t open = prose.find("{{", at);
      const std::size_t close = open == std::string::npos ? open : prose.find("}}", open);
      if (close == std::string::npos) {
        out += prose.substr(at);
        return out;
      }
      out += prose.substr(at, open - at);
      std::string inner = prose.substr(open + 2, close - open - 2);
      const std::size_t comma = inner.find(',');
      const auto trim = [](std::string s) {
        const std::size_t b = s.find_first_not_of(" \t");
        const std::size_t e = s.find_last_not_of(" \t");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
      };
      if (comma != std::string::npos && trim(inner.substr(0, comma)) == "insert: param") {
        out += ParamText(trim(inner.substr(comma + 1)));
      } else {
        out += prose.substr(open, close + 2 - open);
      }
      at = close + 2;
    }
  }

  // The prose of `element`'s parts named `name` (every part when empty), sub-parts on their own
  // lines after their labels.
  std::string PartsProse(const json& element, std::string_view name) const {
    std::string out;
    const auto parts = element.find("parts");
    if (parts == element.end() || !parts->is_array()) return out;
    for (const json& part : *parts) {
      if (!part.is_object() || (!name.empty() && Str(part, "name") != name)) continue;
      AppendPart(part, out, /*top=*/true);
    }
    return out;
  }

  void AppendPart(const json& part, std::string& out, bool top) const {
    std::string line;
    if (!top) {
      if (const std::string label = Prop(part, "label"); !label.empty()) line = label + " ";
    }
    line += Insert(Str(part, "prose"));
    if (line.find_first_not_of(' ') != std::string::npos) {
      if (!out.empty()) out += "\n";
      out += line;
    }
    if (const auto sub = part.find("parts"); sub != part.end() && sub->is_array()) {
      for (const json& p : *sub) {
        if (p.is_object()) AppendPart(p, out, /*top=*/false);
      }
    }
  }

  std::map<std::string, const json*> params_;
  int unnamed_groups_ = 0;
};

std::string Publisher(const json& metadata) {
  std::map<std::string, std::string> party_names;
  std::string first;
  if (const auto parties = metadata.find("parties");
      parties != metadata.end() && parties->is_array()) {
    for (const json& p : *parties) {
      if (!p.is_object()) continue;
      party_names[Str(p, "uuid")] = Str(p, "name");
      if (first.empty()) first = Str(p, "name");
    }
  }
  if (const auto rp = metadata.find("responsible-parties");
      rp != metadata.end() && rp->is_array()) {
    for (const char* role : {"publisher", "creator"}) {
      for (const json& r : *rp) {
        if (!r.is_object() || Str(r, "role-id") != role) continue;
        const auto uuids = r.find("party-uuids");
        if (uuids == r.end() || !uuids->is_array() || uuids->empty() || !(*uuids)[0].is_string()) {
          continue;
        }
        const auto name = party_names.find((*uuids)[0].get<std::string>());
        if (name != party_names.end() && !name->second.empty()) return name->second;
      }
    }
  }
  return first;
}

}  // namespace

base::Result<Catalog> ParseOscalCatalog(std::string_view text, std::string_view framework_id) {
  SR_RETURN_IF_ERROR(ValidateFrameworkId(framework_id));
  SR_RETURN_IF_ERROR(base::CheckJsonText(text, kMaxJsonDepth));
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return base::InvalidArgumentError("the OSCAL catalog is not valid JSON");
  const auto catalog = doc.is_object() ? doc.find("catalog") : doc.end();
  if (!doc.is_object() || catalog == doc.end() || !catalog->is_object()) {
    return base::InvalidArgumentError(
        "not an OSCAL catalog: the document must be an object with a \"catalog\" object (OSCAL "
        "profiles, component definitions and SSPs are not catalogs)");
  }
  const auto metadata = catalog->find("metadata");
  if (metadata == catalog->end() || !metadata->is_object()) {
    return base::InvalidArgumentError("the OSCAL catalog has no \"metadata\" object");
  }
  Catalog c;
  FrameworkInfo& f = c.framework;
  f.id = std::string(framework_id);
  f.name = Str(*metadata, "title");
  if (f.name.empty())
    return base::InvalidArgumentError("the OSCAL catalog's metadata has no title");
  f.version = Str(*metadata, "version");
  std::string published = Str(*metadata, "published");
  if (published.empty()) published = Str(*metadata, "last-modified");
  f.published = published.substr(0, 10);
  f.publisher = Publisher(*metadata);
  f.text_policy = "as imported";
  f.notes = "Imported from OSCAL catalog " + Str(*catalog, "uuid") + " (OSCAL " +
            Str(*metadata, "oscal-version") + ")";
  Converter converter(*catalog);
  // OSCAL's order: the catalog's own controls, then its groups.
  SR_RETURN_IF_ERROR(converter.Controls(*catalog, std::nullopt, /*in_control=*/false, c.items));
  SR_RETURN_IF_ERROR(converter.Groups(*catalog, std::nullopt, c.items));
  SR_RETURN_IF_ERROR(ValidateCatalog(c));
  return c;
}

}  // namespace strongroom::isms
