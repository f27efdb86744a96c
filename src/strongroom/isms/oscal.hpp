#pragma once

#include <string_view>

#include "strongroom/base/result.hpp"
#include "strongroom/isms/catalog.hpp"

namespace strongroom::isms {

// Converts a NIST OSCAL catalog (JSON, {"catalog": {...}}, OSCAL 1.x) into a Catalog with the
// framework id `framework_id`. How the fields map (docs/isms.md, "Importing an OSCAL catalog"):
// - metadata.title -> name; metadata.version -> version; metadata.published (else
//   last-modified), date part -> published; the party named by the "creator" or "publisher"
//   responsible-party (else the first party) -> publisher; the catalog's uuid and oscal-version
//   -> notes;
// - each group -> an item of kind group.class (else "group"); a group without an id gets
//   "group-N" (its position); groups nest;
// - each control -> an item of kind control.class (else "control", or "enhancement" for a control
//   inside a control), id = control.id, title = control.title, text = the "statement" part's
//   prose with its sub-parts (each prefixed by its label) on their own lines; parameters are
//   written as NIST prints them: "[Assignment: label]", "[Selection (one or more): a; b]", or
//   their values;
// - the "label" prop -> extra.label; a "status" prop of "withdrawn" -> a withdrawn item; the
//   "guidance" part's prose -> extra.guidance; the OSCAL class -> extra.class;
// - back-matter, links and other props are not kept.
// Errors (kInvalidArgument) name the element and what was wrong; nesting deeper than 64 levels
// and more than kMaxCatalogItems items are refused.
base::Result<Catalog> ParseOscalCatalog(std::string_view text, std::string_view framework_id);

}  // namespace strongroom::isms
