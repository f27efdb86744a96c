#pragma once

#include <filesystem>

#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/router.hpp"
#include "strongroom/isms/controls.hpp"
#include "strongroom/isms/coverage.hpp"
#include "strongroom/isms/evidence.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/vault/files.hpp"

namespace strongroom::http {

// The security program (docs/isms.md):
//   GET  /api/v1/frameworks                        every catalog and crosswalk in the store
//   POST /api/v1/frameworks?id=ID                  body: an OSCAL catalog (JSON), imported as ID
//   GET  /api/v1/frameworks/{id}                   one catalog's metadata
//   GET  /api/v1/frameworks/{id}/requirements      its items in document order (?kind, ?limit,
//                                                  ?cursor), with the catalog's ids, parents,
//                                                  kinds, titles and texts
//   GET  /api/v1/frameworks/{id}/coverage          ?as_of=DATE or TIME: per requirement, with
//                                                  reasons; overdue reviews, expired evidence
//                                                  (reports.read: security officers, auditors)
//   GET  /api/v1/frameworks/{id}/soa.xlsx|.csv     ISO 27001 Statement of Applicability
//   GET  /api/v1/frameworks/{id}/control-matrix.xlsx|.csv   SOC 2 control matrix
//   GET  /api/v1/frameworks/{id}/profile.xlsx|.csv  NIST CSF current profile
//   GET  /api/v1/frameworks/{id}/assessment-results.json   coverage as OSCAL assessment results
//                                                  (each ?as_of; reports.read)
//   GET   /api/v1/controls                        ?status, ?owner, ?framework, ?requirement,
//                                                 ?review_due_by, ?limit, ?cursor
//   POST  /api/v1/controls                        a new control
//   GET   /api/v1/controls/{id}                   ?as_of=RFC 3339 time: as it stood then
//   PATCH /api/v1/controls/{id}                   a change (a new version); {"reviewed": true}
//   GET   /api/v1/controls/{id}/history           every version
//   POST  /api/v1/controls/{id}/evidence          a link or attestation (JSON), or a file (the
//                                                 body itself; its details in the query)
//   GET   /api/v1/controls/{id}/evidence          ?include_superseded=true
//   GET   /api/v1/evidence/{id}                   one piece of evidence
//   GET   /api/v1/evidence/{id}/file              a file's content, checked against its SHA-256
// Every provider role reads (isms.read): security officers, auditors and the admin every control
// and its evidence, staff and service users only the controls they own. A security officer
// imports catalogs, creates and changes controls and adds evidence (isms.write). Evidence files
// are kept encrypted in the provider's own tenant of the vault.
struct IsmsServices {
  isms::Frameworks& frameworks;
  isms::Controls& controls;
  isms::EvidenceStore& evidence;
  vault::Files& files;
  isms::CoverageCalculator& coverage;
  std::filesystem::path export_scratch;  // XLSX workbooks are written here, then removed.
};

void AddIsmsRoutes(Router& router, ApiServices& api, IsmsServices isms);

}  // namespace strongroom::http
