#include "strongroom/isms/controls.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/isms/dates.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;
using storage::Int;
using storage::Text;

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxDescription = 10000;
constexpr std::size_t kMaxJustification = 2000;
constexpr std::size_t kMaxRequirements = 500;

bool IsUpperOrDigit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

base::Status ValidateControlId(std::string_view id) {
  // [A-Z][A-Z0-9]{0,9}(-[A-Z0-9]{1,10}){0,3}
  bool ok = !id.empty() && id[0] >= 'A' && id[0] <= 'Z';
  std::size_t part = 0, parts = 0;
  for (char c : id) {
    if (c == '-') {
      ok = ok && part > 0 && ++parts <= 3;
      part = 0;
    } else {
      ok = ok && IsUpperOrDigit(c) && ++part <= 10;
    }
  }
  ok = ok && part > 0;
  if (!ok) {
    return base::InvalidArgumentError(
        "control id '" + std::string(id.substr(0, 40)) +
        "' is not accepted: use an upper-case letter, up to 9 more letters or digits, then up to "
        "three '-' parts of 1 to 10 letters or digits (e.g. SR-AC-01); or leave it out");
  }
  return base::OkStatus();
}

std::string DatePlusDays(base::Time t, int days) {
  return base::FormatRfc3339(t + std::chrono::days(days)).substr(0, 10);
}

std::vector<RequirementRef> Normalised(std::vector<RequirementRef> refs) {
  std::sort(refs.begin(), refs.end());
  // One row per requirement: "ours" wins over a crosswalk-derived duplicate.
  std::vector<RequirementRef> out;
  for (RequirementRef& r : refs) {
    if (!out.empty() && out.back().framework == r.framework &&
        out.back().requirement == r.requirement) {
      if (r.source == "ours") out.back().source = "ours";
      continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

constexpr std::string_view kVersionColumns =
    "v.control_id, v.version, v.valid_from, v.title, v.description, v.owner_id, v.status, "
    "v.justification, v.review_every_days, v.next_review, v.changed_by, c.origin, c.created_at";

base::Result<Control> ControlFromRow(const storage::Row& r) {
  Control c;
  SR_ASSIGN_OR_RETURN(c.id, r.GetText(0));
  SR_ASSIGN_OR_RETURN(c.version, r.GetInt(1));
  SR_ASSIGN_OR_RETURN(c.valid_from, r.GetText(2));
  SR_ASSIGN_OR_RETURN(c.title, r.GetText(3));
  SR_ASSIGN_OR_RETURN(c.description, r.GetText(4));
  SR_ASSIGN_OR_RETURN(c.owner_id, r.GetText(5));
  SR_ASSIGN_OR_RETURN(const std::string status, r.GetText(6));
  SR_ASSIGN_OR_RETURN(c.status, ParseControlStatus(status));
  SR_ASSIGN_OR_RETURN(c.justification, r.GetText(7));
  SR_ASSIGN_OR_RETURN(const std::int64_t every, r.GetInt(8));
  c.review_every_days = static_cast<int>(every);
  SR_ASSIGN_OR_RETURN(c.next_review, r.GetText(9));
  SR_ASSIGN_OR_RETURN(c.changed_by, r.GetText(10));
  SR_ASSIGN_OR_RETURN(c.origin, r.GetText(11));
  SR_ASSIGN_OR_RETURN(c.created_at, r.GetText(12));
  return c;
}

// Fills each control's requirements (the rows of its version).
base::Status LoadRequirements(storage::Transaction& tx, std::vector<Control>& controls) {
  if (controls.empty()) return base::OkStatus();
  std::map<std::pair<std::string, std::int64_t>, Control*> by_key;
  for (Control& c : controls) by_key[{c.id, c.version}] = &c;
  const auto visit = [&by_key](const storage::RowView& r) -> base::Status {
    SR_ASSIGN_OR_RETURN(const std::string_view id, r.GetText(0));
    SR_ASSIGN_OR_RETURN(const std::int64_t version, r.GetInt(1));
    const auto it = by_key.find({std::string(id), version});
    if (it == by_key.end()) return base::OkStatus();
    RequirementRef ref;
    SR_ASSIGN_OR_RETURN(const std::string_view framework, r.GetText(2));
    SR_ASSIGN_OR_RETURN(const std::string_view requirement, r.GetText(3));
    SR_ASSIGN_OR_RETURN(const std::string_view source, r.GetText(4));
    ref.framework = std::string(framework);
    ref.requirement = std::string(requirement);
    ref.source = std::string(source);
    it->second->requirements.push_back(std::move(ref));
    return base::OkStatus();
  };
  // The mappings of every version of the controls from the first id to the last (the primary
  // key's range); `by_key` keeps those of the versions asked for.
  const auto [lo, hi] =
      std::minmax_element(controls.begin(), controls.end(),
                          [](const Control& a, const Control& b) { return a.id < b.id; });
  SR_RETURN_IF_ERROR(tx.ForEach(
      "SELECT control_id, version, framework_id, requirement_id, source FROM "
      "isms_control_requirements WHERE control_id BETWEEN ? AND ? ORDER BY control_id, version, "
      "framework_id, requirement_id",
      {Text(lo->id), Text(hi->id)}, visit));
  return base::OkStatus();
}

base::Result<std::vector<Control>> QueryControls(storage::Transaction& tx, const std::string& sql,
                                                 const std::vector<storage::Value>& params) {
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<Control> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    SR_ASSIGN_OR_RETURN(Control c, ControlFromRow(r));
    out.push_back(std::move(c));
  }
  return out;
}

// The current version of a control, with its mappings. Errors: kNotFound.
base::Result<Control> Current(storage::Transaction& tx, const std::string& id) {
  SR_ASSIGN_OR_RETURN(auto found,
                      QueryControls(tx,
                                    "SELECT " + std::string(kVersionColumns) +
                                        " FROM isms_controls c JOIN isms_control_versions v ON "
                                        "v.control_id = c.id AND v.version = c.current_version "
                                        "WHERE c.id = ?",
                                    {Text(id)}));
  if (found.empty()) {
    return base::NotFoundError("no control " + id.substr(0, 64) +
                               "; GET /api/v1/controls lists them");
  }
  SR_RETURN_IF_ERROR(LoadRequirements(tx, found));
  return std::move(found[0]);
}

// What changed between two versions, for the audit event (names only, never contents).
std::string ChangedFields(const Control& before, const Control& after) {
  std::vector<std::string> fields;
  if (before.title != after.title) fields.push_back("title");
  if (before.description != after.description) fields.push_back("description");
  if (before.owner_id != after.owner_id) fields.push_back("owner");
  if (before.status != after.status) fields.push_back("status");
  if (before.justification != after.justification) fields.push_back("justification");
  if (before.review_every_days != after.review_every_days) fields.push_back("review_every_days");
  if (before.next_review != after.next_review) fields.push_back("next_review");
  if (before.requirements != after.requirements) fields.push_back("requirements");
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

}  // namespace

std::string_view ControlStatusName(ControlStatus s) {
  switch (s) {
    case ControlStatus::kPlanned:
      return "planned";
    case ControlStatus::kImplemented:
      return "implemented";
    case ControlStatus::kNotApplicable:
      return "not_applicable";
  }
  return "planned";
}

base::Result<ControlStatus> ParseControlStatus(std::string_view name) {
  for (ControlStatus s :
       {ControlStatus::kPlanned, ControlStatus::kImplemented, ControlStatus::kNotApplicable}) {
    if (ControlStatusName(s) == name) return s;
  }
  return base::InvalidArgumentError("status must be planned, implemented or not_applicable");
}

json ControlJson(const Control& c) {
  json requirements = json::array();
  for (const RequirementRef& r : c.requirements) {
    requirements.push_back(
        {{"framework", r.framework}, {"requirement", r.requirement}, {"source", r.source}});
  }
  json out = {{"id", c.id},
              {"title", c.title},
              {"description", c.description},
              {"owner_id", c.owner_id},
              {"status", ControlStatusName(c.status)},
              {"justification",
               c.status == ControlStatus::kNotApplicable ? json(c.justification) : json(nullptr)},
              {"review_every_days", c.review_every_days},
              {"next_review", c.next_review},
              {"requirements", requirements},
              {"origin", c.origin},
              {"version", c.version},
              {"valid_from", c.valid_from},
              {"changed_by", c.changed_by},
              {"created_at", c.created_at}};
  return out;
}

Controls::Controls(storage::Store& store, audit::Sink& audit, const base::Clock& clock)
    : store_(store), audit_(audit), clock_(clock) {}

base::Status Controls::Validate(storage::Transaction& tx, const Control& c) {
  SR_RETURN_IF_ERROR(ValidateControlId(c.id));
  if (c.title.empty() || c.title.size() > kMaxTitle) {
    return base::InvalidArgumentError("title must be 1 to " + std::to_string(kMaxTitle) +
                                      " characters");
  }
  if (c.description.size() > kMaxDescription) {
    return base::InvalidArgumentError("description must be at most " +
                                      std::to_string(kMaxDescription) + " characters");
  }
  if (c.owner_id.empty()) {
    return base::InvalidArgumentError("owner_id is required: every control has an owner");
  }
  SR_ASSIGN_OR_RETURN(
      auto owner,
      tx.Query("SELECT tenant_id, deactivated_at FROM users WHERE id = ?", {Text(c.owner_id)}));
  if (owner.empty() || !owner[0].IsNull(0) || !owner[0].IsNull(1)) {
    return base::InvalidArgumentError("owner_id '" + c.owner_id.substr(0, 64) +
                                      "' is not an active provider user; a control's owner is "
                                      "one of the provider's own active accounts");
  }
  if (c.status == ControlStatus::kNotApplicable &&
      (c.justification.empty() || c.justification.size() > kMaxJustification)) {
    return base::InvalidArgumentError(
        "a control that is not_applicable needs a justification of 1 to " +
        std::to_string(kMaxJustification) + " characters");
  }
  if (c.review_every_days < 1 || c.review_every_days > 1095) {
    return base::InvalidArgumentError("review_every_days must be from 1 to 1095 (three years)");
  }
  SR_RETURN_IF_ERROR(ValidateDate("next_review", c.next_review));
  if (c.requirements.size() > kMaxRequirements) {
    return base::InvalidArgumentError("a control may address at most " +
                                      std::to_string(kMaxRequirements) + " requirements");
  }
  for (const RequirementRef& r : c.requirements) {
    SR_ASSIGN_OR_RETURN(auto found, tx.Query("SELECT withdrawn FROM isms_requirements WHERE "
                                             "framework_id = ? AND id = ?",
                                             {Text(r.framework), Text(r.requirement)}));
    if (found.empty()) {
      return base::InvalidArgumentError(
          "requirement '" + r.requirement.substr(0, 64) + "' of framework '" +
          r.framework.substr(0, 64) +
          "' does not exist; GET /api/v1/frameworks/{id}/requirements lists them");
    }
    if (found[0].GetInt(0).value_or(0) != 0) {
      return base::InvalidArgumentError("requirement '" + r.requirement + "' of " + r.framework +
                                        " is withdrawn; map the control to its successor");
    }
    if (r.source != "ours") {
      const std::string prefix = "crosswalk:";
      bool known = false;
      if (r.source.starts_with(prefix)) {
        SR_ASSIGN_OR_RETURN(auto x, tx.Query("SELECT 1 FROM isms_crosswalks WHERE id = ?",
                                             {Text(r.source.substr(prefix.size()))}));
        known = !x.empty();
      }
      if (!known) {
        return base::InvalidArgumentError(
            "a mapping's source is \"ours\" or "
            "\"crosswalk:<id>\" of a loaded crosswalk, not '" +
            r.source.substr(0, 64) + "'");
      }
    }
  }
  return base::OkStatus();
}

base::Status Controls::Write(storage::Transaction& tx, const Control& c) {
  SR_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO isms_control_versions (control_id, version, valid_from, title, description, "
      "owner_id, status, justification, review_every_days, next_review, changed_by) VALUES (?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Text(c.id), Int(c.version), Text(c.valid_from), Text(c.title), Text(c.description),
       Text(c.owner_id), Text(ControlStatusName(c.status)), Text(c.justification),
       Int(c.review_every_days), Text(c.next_review), Text(c.changed_by)}));
  for (const RequirementRef& r : c.requirements) {
    SR_RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO isms_control_requirements (control_id, version, framework_id, "
        "requirement_id, source) VALUES (?, ?, ?, ?, ?)",
        {Text(c.id), Int(c.version), Text(r.framework), Text(r.requirement), Text(r.source)}));
  }
  return tx
      .Execute("UPDATE isms_controls SET current_version = ? WHERE id = ?",
               {Int(c.version), Text(c.id)})
      .status();
}

base::Result<Control> Controls::Create(const audit::Actor& actor, const NewControl& n) {
  const base::Time now = clock_.Now();
  Control c;
  c.id = n.id;
  c.title = n.title;
  c.description = n.description;
  c.owner_id = n.owner_id;
  c.status = n.status;
  c.justification = n.status == ControlStatus::kNotApplicable ? n.justification : "";
  c.review_every_days = n.review_every_days;
  c.next_review = n.next_review ? *n.next_review : DatePlusDays(now, n.review_every_days);
  c.requirements = Normalised(n.requirements);
  c.origin = n.origin;
  c.version = 1;
  c.valid_from = base::FormatRfc3339(now);
  c.created_at = c.valid_from;
  c.changed_by = actor.id;
  if (c.origin != "library" && c.origin != "custom") {
    return base::InvalidArgumentError("origin must be library or custom");
  }

  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  if (c.id.empty()) {
    SR_ASSIGN_OR_RETURN(auto last, tx->Query("SELECT id FROM isms_controls WHERE id LIKE 'CTL-%' "
                                             "ORDER BY length(id) DESC, id DESC LIMIT 1",
                                             {}));
    int next = 1;
    if (!last.empty()) {
      SR_ASSIGN_OR_RETURN(const std::string id, last[0].GetText(0));
      int n_last = 0;
      std::from_chars(id.data() + 4, id.data() + id.size(), n_last);
      next = n_last + 1;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "CTL-%04d", next);
    c.id = buf;
  }
  SR_RETURN_IF_ERROR(Validate(*tx, c));
  SR_ASSIGN_OR_RETURN(auto exists,
                      tx->Query("SELECT 1 FROM isms_controls WHERE id = ?", {Text(c.id)}));
  if (!exists.empty()) {
    return base::AlreadyExistsError("a control " + c.id + " already exists");
  }
  audit::Event e = audit::MakeEvent(actor, now, "controls.create", "control:" + c.id,
                                    audit::Outcome::kAllowed, "");
  e.details["status"] = std::string(ControlStatusName(c.status));
  e.details["owner"] = c.owner_id;
  e.details["requirements"] = std::to_string(c.requirements.size());
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(
      tx->Execute("INSERT INTO isms_controls (id, created_at, created_by, origin, "
                  "current_version) VALUES (?, ?, ?, ?, 0)",
                  {Text(c.id), Text(c.created_at), Text(actor.id), Text(c.origin)}));
  SR_RETURN_IF_ERROR(Write(*tx, c));
  SR_RETURN_IF_ERROR(tx->Commit());
  return c;
}

base::Result<Control> Controls::Update(const audit::Actor& actor, const std::string& id,
                                       const ControlChange& change) {
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const Control before, Current(*tx, id));
  if (change.expected_version && *change.expected_version != before.version) {
    return base::AbortedError("control " + id + " is at version " + std::to_string(before.version) +
                              ", not " + std::to_string(*change.expected_version) +
                              "; read it again and reapply the change");
  }
  Control c = before;
  if (change.title) c.title = *change.title;
  if (change.description) c.description = *change.description;
  if (change.owner_id) c.owner_id = *change.owner_id;
  if (change.status) c.status = *change.status;
  if (change.justification) c.justification = *change.justification;
  if (c.status != ControlStatus::kNotApplicable) c.justification.clear();
  if (change.review_every_days) c.review_every_days = *change.review_every_days;
  if (change.reviewed) c.next_review = DatePlusDays(now, c.review_every_days);
  if (change.next_review) c.next_review = *change.next_review;
  if (change.requirements) c.requirements = Normalised(*change.requirements);
  const std::string changed = ChangedFields(before, c);
  if (changed.empty() && !change.reviewed) return before;  // Nothing to record.
  c.version = before.version + 1;
  c.valid_from = base::FormatRfc3339(now);
  c.changed_by = actor.id;
  SR_RETURN_IF_ERROR(Validate(*tx, c));
  audit::Event e =
      audit::MakeEvent(actor, now, change.reviewed ? "controls.review" : "controls.update",
                       "control:" + c.id, audit::Outcome::kAllowed, "");
  e.details["changed"] = changed;
  e.details["version"] = std::to_string(c.version);
  if (before.status != c.status) e.details["status"] = std::string(ControlStatusName(c.status));
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(Write(*tx, c));
  SR_RETURN_IF_ERROR(tx->Commit());
  return c;
}

base::Result<Control> Controls::Get(const std::string& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return Current(*tx, id);
}

base::Result<Control> Controls::GetAsOf(const std::string& id, base::Time time) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto found,
                      QueryControls(*tx,
                                    "SELECT " + std::string(kVersionColumns) +
                                        " FROM isms_controls c JOIN isms_control_versions v ON "
                                        "v.control_id = c.id WHERE c.id = ? AND v.valid_from <= ? "
                                        "ORDER BY v.version DESC LIMIT 1",
                                    {Text(id), Text(base::FormatRfc3339(time))}));
  if (found.empty()) {
    return base::NotFoundError("control " + id.substr(0, 64) + " did not exist at " +
                               base::FormatRfc3339(time));
  }
  SR_RETURN_IF_ERROR(LoadRequirements(*tx, found));
  return std::move(found[0]);
}

base::Result<std::vector<Control>> Controls::History(const std::string& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto versions,
                      QueryControls(*tx,
                                    "SELECT " + std::string(kVersionColumns) +
                                        " FROM isms_controls c JOIN isms_control_versions v ON "
                                        "v.control_id = c.id WHERE c.id = ? ORDER BY v.version",
                                    {Text(id)}));
  if (versions.empty()) {
    return base::NotFoundError("no control " + id.substr(0, 64) +
                               "; GET /api/v1/controls lists them");
  }
  SR_RETURN_IF_ERROR(LoadRequirements(*tx, versions));
  return versions;
}

base::Result<ControlPage> Controls::List(const ControlQuery& q) {
  std::string sql = "SELECT " + std::string(kVersionColumns) +
                    " FROM isms_controls c JOIN isms_control_versions v ON v.control_id = c.id "
                    "AND v.version = c.current_version WHERE c.id > ?";
  std::vector<storage::Value> params{Text(q.after)};
  if (q.owner_id) {
    sql += " AND v.owner_id = ?";
    params.push_back(Text(*q.owner_id));
  }
  if (q.status) {
    sql += " AND v.status = ?";
    params.push_back(Text(ControlStatusName(*q.status)));
  }
  if (q.review_due_by) {
    SR_RETURN_IF_ERROR(ValidateDate("review_due_by", *q.review_due_by));
    sql += " AND v.next_review <= ? AND v.status <> 'not_applicable'";
    params.push_back(Text(*q.review_due_by));
  }
  if (q.framework) {
    sql +=
        " AND EXISTS (SELECT 1 FROM isms_control_requirements r WHERE r.control_id = c.id AND "
        "r.version = c.current_version AND r.framework_id = ?";
    params.push_back(Text(*q.framework));
    if (q.requirement) {
      sql += " AND r.requirement_id = ?";
      params.push_back(Text(*q.requirement));
    }
    sql += ")";
  }
  sql += " ORDER BY c.id LIMIT ?";
  params.push_back(Int(static_cast<std::int64_t>(q.limit) + 1));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto controls, QueryControls(*tx, sql, params));
  ControlPage page;
  if (controls.size() > q.limit) {
    controls.resize(q.limit);
    page.next = controls.back().id;
  }
  SR_RETURN_IF_ERROR(LoadRequirements(*tx, controls));
  page.controls = std::move(controls);
  return page;
}

base::Result<std::vector<Control>> Controls::AllAsOf(base::Time time) {
  const std::string at = base::FormatRfc3339(time);
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  // Each control's newest version made by then.
  SR_ASSIGN_OR_RETURN(
      auto controls,
      QueryControls(*tx,
                    "WITH latest AS (SELECT control_id, MAX(version) AS version FROM "
                    "isms_control_versions WHERE valid_from <= ? GROUP BY control_id) SELECT " +
                        std::string(kVersionColumns) +
                        " FROM latest JOIN isms_control_versions v ON v.control_id = "
                        "latest.control_id AND v.version = latest.version JOIN isms_controls c ON "
                        "c.id = v.control_id ORDER BY c.id",
                    {Text(at)}));
  SR_RETURN_IF_ERROR(LoadRequirements(*tx, controls));
  return controls;
}

}  // namespace strongroom::isms
