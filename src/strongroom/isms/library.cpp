#include "strongroom/isms/library.hpp"

#include <map>
#include <set>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;

constexpr std::string_view kIsoCrosswalk = "iso27001-2013_to_iso27001-2022";
constexpr std::string_view kCsfCrosswalk = "nist-csf-1.1_to_nist-csf-2.0";

std::string Str(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// target id -> the source ids a crosswalk links to it (only sources of `source_kind`, if given).
base::Result<std::map<std::string, std::vector<std::string>>> Reverse(
    Frameworks& frameworks, std::string_view crosswalk, const std::set<std::string>* sources) {
  SR_ASSIGN_OR_RETURN(const auto pairs, frameworks.CrosswalkPairs(crosswalk));
  std::map<std::string, std::vector<std::string>> out;
  for (const CrosswalkPair& p : pairs) {
    if (!p.to_id) continue;
    if (sources != nullptr && !sources->contains(p.from_id)) continue;
    out[*p.to_id].push_back(p.from_id);
  }
  return out;
}

}  // namespace

base::Result<ControlLibrary> ParseControlLibrary(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("schema", json()) != "control-library/v1") {
    return base::InvalidArgumentError(
        "not a control library: \"schema\" must be \"control-library/v1\"");
  }
  ControlLibrary lib;
  lib.id = Str(doc, "id");
  lib.version = Str(doc, "version");
  const auto controls = doc.find("controls");
  if (controls == doc.end() || !controls->is_array()) {
    return base::InvalidArgumentError("the control library has no \"controls\" array");
  }
  for (const json& c : *controls) {
    LibraryControl l;
    l.id = Str(c, "id");
    const std::string where = "library control '" + l.id + "'";
    l.title = Str(c, "title");
    l.description = Str(c, "description");
    l.commitment = Str(c, "commitment");
    if (l.id.empty() || l.title.empty() || l.commitment.empty()) {
      return base::InvalidArgumentError(where + " needs an id, a title and a commitment");
    }
    l.enforced_by_strongroom = c.value("enforced_by_strongroom", false);
    l.review_every_days = c.value("review_every_days", 365);
    const auto maps = c.find("maps");
    if (maps == c.end() || !maps->is_object()) {
      return base::InvalidArgumentError(where + " has no \"maps\" object");
    }
    for (const auto& [framework, ids] : maps->items()) {
      if (!ids.is_array()) {
        return base::InvalidArgumentError(where + ": maps." + framework + " must be an array");
      }
      for (const json& id : ids) {
        if (!id.is_string()) {
          return base::InvalidArgumentError(where + ": maps." + framework + " holds a non-string");
        }
        l.requirements.push_back({framework, id.get<std::string>(), "ours"});
      }
    }
    lib.controls.push_back(std::move(l));
  }
  return lib;
}

base::Result<ControlLibrary> ShippedControlLibrary() {
  const auto files = ShippedControlLibraryFiles();
  if (files.empty()) return base::InternalError("no control library is embedded");
  return ParseControlLibrary(files[0].data);
}

base::Result<CrosswalkMapper> CrosswalkMapper::Create(Frameworks& frameworks) {
  // CSF 1.1's subcategories: the transition also links functions and categories.
  SR_ASSIGN_OR_RETURN(const RequirementPage subcategories,
                      frameworks.Requirements("nist-csf-1.1", "subcategory", "", 1000));
  std::set<std::string> csf11;
  for (const Requirement& r : subcategories.items) csf11.insert(r.id);
  CrosswalkMapper m;
  SR_ASSIGN_OR_RETURN(m.iso_back_, Reverse(frameworks, kIsoCrosswalk, nullptr));
  SR_ASSIGN_OR_RETURN(m.csf_back_, Reverse(frameworks, kCsfCrosswalk, &csf11));
  return m;
}

std::vector<RequirementRef> CrosswalkMapper::Expand(const std::vector<RequirementRef>& ours) const {
  std::vector<RequirementRef> out = ours;
  const auto derive = [&out](const std::map<std::string, std::vector<std::string>>& back,
                             const RequirementRef& mapped, const char* framework,
                             std::string_view crosswalk) {
    const auto it = back.find(mapped.requirement);
    if (it == back.end()) return;
    for (const std::string& from : it->second) {
      out.push_back({framework, from, "crosswalk:" + std::string(crosswalk)});
    }
  };
  for (const RequirementRef& r : ours) {
    if (r.framework == "iso27001-2022") derive(iso_back_, r, "iso27001-2013", kIsoCrosswalk);
    if (r.framework == "nist-csf-2.0") derive(csf_back_, r, "nist-csf-1.1", kCsfCrosswalk);
  }
  return out;  // Controls::Create folds duplicates, keeping "ours".
}

base::Result<std::size_t> InstallControlLibrary(Controls& controls, Frameworks& frameworks,
                                                const audit::Actor& actor,
                                                const std::string& owner_id,
                                                const ControlLibrary& library) {
  SR_ASSIGN_OR_RETURN(const CrosswalkMapper mapper, CrosswalkMapper::Create(frameworks));
  std::size_t created = 0;
  for (const LibraryControl& l : library.controls) {
    auto existing = controls.Get(l.id);
    if (existing.ok()) continue;
    if (existing.status().code() != base::ErrorCode::kNotFound) return existing.status();
    NewControl n;
    n.id = l.id;
    n.title = l.title;
    n.description = l.description;
    n.owner_id = owner_id;
    n.status = l.enforced_by_strongroom ? ControlStatus::kImplemented : ControlStatus::kPlanned;
    n.review_every_days = l.review_every_days;
    n.origin = "library";
    n.requirements = mapper.Expand(l.requirements);
    auto made = controls.Create(actor, n);
    if (!made.ok()) {
      return base::Status(made.status().code(),
                          "library control " + l.id + ": " + made.status().message());
    }
    ++created;
  }
  return created;
}

}  // namespace strongroom::isms
