#pragma once

#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/router.hpp"
#include "strongroom/isms/frameworks.hpp"

namespace strongroom::http {

// The security program (docs/isms.md):
//   GET  /api/v1/frameworks                        every catalog and crosswalk in the store
//   POST /api/v1/frameworks?id=ID                  body: an OSCAL catalog (JSON), imported as ID
//   GET  /api/v1/frameworks/{id}                   one catalog's metadata
//   GET  /api/v1/frameworks/{id}/requirements      its items in document order (?kind, ?limit,
//                                                  ?cursor), with the catalog's ids, parents,
//                                                  kinds, titles and texts
// Every provider role reads the catalogs (isms.read); a security officer imports (isms.write).
struct IsmsServices {
  isms::Frameworks& frameworks;
};

void AddIsmsRoutes(Router& router, ApiServices& api, IsmsServices isms);

}  // namespace strongroom::http
