#include "strongroom/isms/export.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <fstream>
#include <sstream>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;

std::string ControlsCell(const RequirementCoverage& r) {
  std::string out;
  for (const CoverageReason& why : r.reasons) {
    if (!out.empty()) out += "\n";
    out += why.control_id + " " + why.control_title + " (" +
           std::string(ControlStatusName(why.control_status)) + ")";
    if (why.via != "ours") out += " [" + why.via + "]";
  }
  return out;
}

std::string EvidenceCell(const RequirementCoverage& r) {
  std::uint64_t n = 0;
  for (const CoverageReason& why : r.reasons) n += why.evidence_in_force;
  return std::to_string(n);
}

std::string NotesCell(const RequirementCoverage& r) {
  if (r.basis == "none") return "No control addresses it.";
  std::string out;
  for (const CoverageReason& why : r.reasons) {
    if (!out.empty()) out += "\n";
    out += why.control_id + ": " + why.note;
  }
  return out;
}

std::string StatusCell(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::kMet:
      return "Met";
    case CoverageStatus::kPartlyMet:
      return "Partly met";
    case CoverageStatus::kNotMet:
      return "Not met";
    case CoverageStatus::kNotApplicable:
      return "Not applicable";
  }
  return "Not met";
}

std::string NewUuid() {
  std::array<std::uint8_t, 16> b;
  crypto::FillRandom(b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // Version 4.
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant.
  const std::string h = base::HexEncode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

}  // namespace

base::Result<Table> StatementOfApplicability(const Coverage& c) {
  if (c.framework != "iso27001-2013" && c.framework != "iso27001-2022") {
    return base::NotFoundError(
        "a Statement of Applicability is made for iso27001-2013 and iso27001-2022");
  }
  Table t;
  t.title =
      "Statement of Applicability, ISO/IEC 27001:" + c.framework.substr(10) + ", as of " + c.as_of;
  t.header = {"Annex A control",       "Title",  "Applicable",       "Justification",
              "Implementing controls", "Status", "Evidence in force"};
  for (const RequirementCoverage& r : c.requirements) {
    if (r.kind != "control") continue;
    const bool applicable = r.status != CoverageStatus::kNotApplicable;
    std::string justification;
    if (!applicable) {
      justification = NotesCell(r);
    } else if (r.reasons.empty()) {
      justification = "Applicable by default: no decision recorded and no control implements it.";
    } else {
      justification = "Applicable: addressed by the controls listed.";
    }
    t.rows.push_back({r.id, r.title, applicable ? "Yes" : "No", justification, ControlsCell(r),
                      StatusCell(r.status), EvidenceCell(r)});
  }
  return t;
}

base::Result<Table> ControlMatrix(const Coverage& c) {
  if (c.framework != "aicpa-tsc-2017") {
    return base::NotFoundError("the SOC 2 control matrix is made for aicpa-tsc-2017");
  }
  Table t;
  t.title = "SOC 2 control matrix (Trust Services Criteria 2017), as of " + c.as_of;
  t.header = {"Criterion", "Title", "Controls", "Status", "Evidence in force", "Notes"};
  for (const RequirementCoverage& r : c.requirements) {
    if (r.kind != "criterion") continue;
    t.rows.push_back(
        {r.id, r.title, ControlsCell(r), StatusCell(r.status), EvidenceCell(r), NotesCell(r)});
  }
  return t;
}

base::Result<Table> CsfProfile(const Coverage& c) {
  if (c.framework != "nist-csf-1.1" && c.framework != "nist-csf-2.0") {
    return base::NotFoundError("a CSF profile is made for nist-csf-1.1 and nist-csf-2.0");
  }
  Table t;
  t.title = "NIST CSF " + c.framework.substr(9) + " current profile, as of " + c.as_of;
  t.header = {"Function",      "Category", "Subcategory",       "Title",
              "Current state", "Controls", "Evidence in force", "Notes"};
  std::map<std::string, std::string> parent;
  for (const RequirementCoverage& r : c.requirements) {
    if (r.parent) parent[r.id] = *r.parent;
  }
  for (const RequirementCoverage& r : c.requirements) {
    if (r.kind != "subcategory") continue;
    const std::string category = parent.contains(r.id) ? parent[r.id] : "";
    const std::string function = parent.contains(category) ? parent[category] : "";
    t.rows.push_back({function, category, r.id, r.title, StatusCell(r.status), ControlsCell(r),
                      EvidenceCell(r), NotesCell(r)});
  }
  return t;
}

std::string RenderCsv(const Table& t) {
  std::string out;
  const auto cell = [&out](const std::string& v) {
    std::string text = v;
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                          text[0] == '\t' || text[0] == '\r')) {
      text = "'" + text;
    }
    out += '"';
    for (char ch : text) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  };
  const auto row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      cell(cells[i]);
    }
    out += "\r\n";
  };
  row(t.header);
  for (const auto& r : t.rows) row(r);
  return out;
}

base::Result<std::string> RenderXlsx(const Table& t, const std::filesystem::path& scratch_dir) {
  std::error_code ec;
  std::filesystem::create_directories(scratch_dir, ec);
  if (!ec) {  // The workbook holds the security program's state: the owner's eyes only.
    std::filesystem::permissions(scratch_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  if (ec) {
    return base::UnavailableError("cannot create " + scratch_dir.string() + ": " + ec.message());
  }
  std::array<std::uint8_t, 12> r;
  crypto::FillRandom(r);
  const std::filesystem::path file = scratch_dir / ("export-" + base::HexEncode(r) + ".xlsx");
  struct Remove {
    std::filesystem::path p;
    ~Remove() {
      std::error_code ignored;
      std::filesystem::remove(p, ignored);
    }
  } remove{file};
  std::string tmpdir = scratch_dir.string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = tmpdir.data();
  lxw_workbook* book = workbook_new_opt(file.c_str(), &options);
  if (book == nullptr) return base::UnavailableError("cannot start the XLSX workbook");
  std::string title = t.title;
  std::string author = "Strongroom";
  lxw_doc_properties props{};
  props.title = title.data();
  props.author = author.data();
  workbook_set_properties(book, &props);
  lxw_worksheet* sheet = workbook_add_worksheet(book, "Report");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  format_set_text_wrap(bold);
  lxw_format* wrap = workbook_add_format(book);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  const auto write = [sheet](lxw_row_t row, lxw_col_t col, const std::string& text,
                             lxw_format* format) {
    const std::string cut = text.size() > 32767 ? text.substr(0, 32767) : text;
    worksheet_write_string(sheet, row, col, cut.c_str(), format);
  };
  write(0, 0, t.title, bold);
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    write(2, static_cast<lxw_col_t>(c), t.header[c], bold);
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         c == 0 ? 14 : 36, nullptr);
  }
  for (std::size_t r_i = 0; r_i < t.rows.size(); ++r_i) {
    for (std::size_t c = 0; c < t.rows[r_i].size(); ++c) {
      write(static_cast<lxw_row_t>(r_i + 3), static_cast<lxw_col_t>(c), t.rows[r_i][c], wrap);
    }
  }
  worksheet_freeze_panes(sheet, 3, 1);
  if (!t.header.empty()) {
    worksheet_autofilter(sheet, 2, 0, static_cast<lxw_row_t>(2 + t.rows.size()),
                         static_cast<lxw_col_t>(t.header.size() - 1));
  }
  if (const lxw_error e = workbook_close(book); e != LXW_NO_ERROR) {
    return base::UnavailableError(std::string("cannot write the XLSX workbook: ") +
                                  lxw_strerror(e));
  }
  return base::ReadSmallFile(file, 64u << 20);
}

json OscalAssessmentResults(const Coverage& c, const std::string& framework_name) {
  json findings = json::array();
  for (const RequirementCoverage& r : c.requirements) {
    const bool satisfied =
        r.status == CoverageStatus::kMet || r.status == CoverageStatus::kNotApplicable;
    json finding = {{"uuid", NewUuid()},
                    {"title", r.id + " " + r.title},
                    {"description", StatusCell(r.status) + " (" + r.basis + ")"},
                    {"props", json::array({{{"name", "strongroom-status"},
                                            {"ns", "https://strongroom.example/ns/oscal"},
                                            {"value", std::string(CoverageStatusName(r.status))}},
                                           {{"name", "strongroom-basis"},
                                            {"ns", "https://strongroom.example/ns/oscal"},
                                            {"value", r.basis}}})},
                    {"target",
                     {{"type", "objective-id"},
                      {"target-id", r.id},
                      {"status", {{"state", satisfied ? "satisfied" : "not-satisfied"}}}}}};
    if (!r.reasons.empty() || r.basis == "none") finding["remarks"] = NotesCell(r);
    findings.push_back(std::move(finding));
  }
  const std::string now = c.as_of;
  return {
      {"assessment-results",
       {{"uuid", NewUuid()},
        {"metadata",
         {{"title", "Coverage of " + framework_name + " as of " + c.as_of},
          {"last-modified", now},
          {"version", "1"},
          {"oscal-version", "1.1.2"}}},
        {"import-ap", {{"href", "#strongroom-continuous-assessment"}}},
        {"results",
         json::array({{{"uuid", NewUuid()},
                       {"title", "Strongroom coverage of " + c.framework},
                       {"description",
                        "Computed from the controls as they stood and the evidence in force "
                        "at the date; see docs/isms.md."},
                       {"start", c.as_of},
                       {"reviewed-controls",
                        {{"control-selections", json::array({{{"include-all", json::object()}}})}}},
                       {"findings", findings}}})}}}};
}

}  // namespace strongroom::isms
