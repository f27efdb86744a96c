#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/result.hpp"
#include "strongroom/isms/controls.hpp"
#include "strongroom/isms/frameworks.hpp"

namespace strongroom::isms {

// The default control library (catalogs/strongroom-control-library.json, "control-library/v1"):
// controls derived from the commitments table of the product brief, each mapped by us to NIST
// CSF 2.0, ISO/IEC 27001:2022 and the SOC 2 criteria (and, where no crosswalk reaches, to CSF 1.1
// and ISO/IEC 27001:2013 directly). See docs/isms.md, "The default control library".

struct LibraryControl {
  std::string id;
  std::string title;
  std::string description;
  std::string commitment;  // The row of the product brief's commitments table it serves.
  bool enforced_by_strongroom = false;
  int review_every_days = 365;
  std::vector<RequirementRef> requirements;  // Ours.
};

struct ControlLibrary {
  std::string id;
  std::string version;
  std::vector<LibraryControl> controls;
};

// The library file embedded in the binary.
std::span<const EmbeddedFile> ShippedControlLibraryFiles();

// Errors (kInvalidArgument) name the control and the field.
base::Result<ControlLibrary> ParseControlLibrary(std::string_view text);
// The shipped library, parsed.
base::Result<ControlLibrary> ShippedControlLibrary();

// Adds to mappings of ours those derived through the shipped crosswalks: every ISO/IEC
// 27001:2013 control that the 2013->2022 correspondence links to a mapped 2022 control, and every
// CSF 1.1 subcategory that NIST's 1.1->2.0 transition links to a mapped 2.0 subcategory, each
// with source "crosswalk:<id>". A requirement mapped by us keeps "ours".
class CrosswalkMapper {
 public:
  static base::Result<CrosswalkMapper> Create(Frameworks& frameworks);
  std::vector<RequirementRef> Expand(const std::vector<RequirementRef>& ours) const;

 private:
  std::map<std::string, std::vector<std::string>> iso_back_;  // 2022 control -> 2013 controls.
  std::map<std::string, std::vector<std::string>> csf_back_;  // 2.0 -> 1.1 subcategories.
};

// Creates every library control the store does not have yet (by id), owned by `owner_id`:
// implemented when Strongroom itself enforces it, planned otherwise, due for review after its
// frequency. Returns how many were created. Each creation is audited (controls.create).
base::Result<std::size_t> InstallControlLibrary(Controls& controls, Frameworks& frameworks,
                                                const audit::Actor& actor,
                                                const std::string& owner_id,
                                                const ControlLibrary& library);

}  // namespace strongroom::isms
