#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "strongroom/base/result.hpp"
#include "strongroom/isms/coverage.hpp"

namespace strongroom::isms {

// The reports an auditor asks for, built from coverage as of a date (docs/isms.md, "Exports"):
// - the ISO/IEC 27001 Statement of Applicability (2013 or 2022): every Annex A control, whether
//   it applies and why, the controls implementing it and its status;
// - the SOC 2 control matrix: every criterion with the controls addressing it, their status and
//   evidence in force;
// - a NIST CSF profile: the current state of every subcategory (CSF 1.1 or 2.0);
// - coverage as OSCAL assessment results (JSON).

struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Errors: kNotFound when the framework has no such report (the message says which do).
base::Result<Table> StatementOfApplicability(const Coverage& coverage);
base::Result<Table> ControlMatrix(const Coverage& coverage);
base::Result<Table> CsfProfile(const Coverage& coverage);

// RFC 4180 CSV (CRLF line ends). A cell that a spreadsheet would run as a formula (=, +, -, @,
// tab, CR) is prefixed with an apostrophe.
std::string RenderCsv(const Table& table);
// An XLSX workbook of one sheet (libxlsxwriter), built in `scratch_dir` and returned as bytes;
// nothing is left in `scratch_dir`. Cells are cut at Excel's 32,767 characters.
base::Result<std::string> RenderXlsx(const Table& table, const std::filesystem::path& scratch_dir);

// OSCAL 1.1 assessment results: one result for the date, one finding per assessed requirement
// (target status satisfied / not-satisfied, our status and reasons as props and remarks).
nlohmann::json OscalAssessmentResults(const Coverage& coverage, const std::string& framework_name);

}  // namespace strongroom::isms
