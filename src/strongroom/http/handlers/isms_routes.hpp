#pragma once

#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/router.hpp"
#include "strongroom/isms/controls.hpp"
#include "strongroom/isms/frameworks.hpp"

namespace strongroom::http {

// The security program (docs/isms.md):
//   GET  /api/v1/frameworks                        every catalog and crosswalk in the store
//   POST /api/v1/frameworks?id=ID                  body: an OSCAL catalog (JSON), imported as ID
//   GET  /api/v1/frameworks/{id}                   one catalog's metadata
//   GET  /api/v1/frameworks/{id}/requirements      its items in document order (?kind, ?limit,
//                                                  ?cursor), with the catalog's ids, parents,
//                                                  kinds, titles and texts
//   GET   /api/v1/controls                        ?status, ?owner, ?framework, ?requirement,
//                                                 ?review_due_by, ?limit, ?cursor
//   POST  /api/v1/controls                        a new control
//   GET   /api/v1/controls/{id}                   ?as_of=RFC 3339 time: as it stood then
//   PATCH /api/v1/controls/{id}                   a change (a new version); {"reviewed": true}
//   GET   /api/v1/controls/{id}/history           every version
// Every provider role reads (isms.read): security officers, auditors and the admin every control,
// staff and service users only the controls they own. A security officer imports catalogs and
// creates and changes controls (isms.write).
struct IsmsServices {
  isms::Frameworks& frameworks;
  isms::Controls& controls;
};

void AddIsmsRoutes(Router& router, ApiServices& api, IsmsServices isms);

}  // namespace strongroom::http
