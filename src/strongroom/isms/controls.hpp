#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::isms {

// The provider's own controls. A control is never edited in place: every change is a new version
// valid from the moment it was made, so the control as it stood on any past date (its status,
// owner and the requirements it addressed) can be read back, which coverage as of a date needs.

enum class ControlStatus { kPlanned, kImplemented, kNotApplicable };
std::string_view ControlStatusName(ControlStatus s);
// Errors (kInvalidArgument) list the accepted names.
base::Result<ControlStatus> ParseControlStatus(std::string_view name);

// One requirement a control addresses, and where that mapping comes from: "ours" (the provider's
// or Strongroom's own judgement) or "crosswalk:<crosswalk id>" (derived through a shipped
// crosswalk from a mapping of ours).
struct RequirementRef {
  std::string framework;
  std::string requirement;
  std::string source = "ours";
  friend bool operator==(const RequirementRef&, const RequirementRef&) = default;
  friend auto operator<=>(const RequirementRef&, const RequirementRef&) = default;
};

struct Control {
  std::string id;  // "SR-AC-01": [A-Z][A-Z0-9]{0,9} then up to three "-" parts of [A-Z0-9]{1,10}.
  std::string title;
  std::string description;
  std::string owner_id;  // An active provider user.
  ControlStatus status = ControlStatus::kPlanned;
  std::string justification;                 // Required (and only kept) when not applicable.
  int review_every_days = 365;               // 1..1095.
  std::string next_review;                   // A date, YYYY-MM-DD.
  std::vector<RequirementRef> requirements;  // Sorted, unique.
  std::string origin = "custom";             // "library" (the default library) or "custom".
  // Set by the store.
  std::int64_t version = 0;
  std::string valid_from;  // When this version was made (RFC 3339).
  std::string changed_by;
  std::string created_at;
};

// A new control. `id` may be empty: the store then names it CTL-0001, CTL-0002, ...
struct NewControl {
  std::string id;
  std::string title;
  std::string description;
  std::string owner_id;
  ControlStatus status = ControlStatus::kPlanned;
  std::string justification;
  int review_every_days = 365;
  std::optional<std::string> next_review;  // Default: today + review_every_days.
  std::vector<RequirementRef> requirements;
  std::string origin = "custom";
};

// A change: only what is set changes. `reviewed` records that the control was reviewed now: the
// next review moves to today + review_every_days (unless next_review is set too).
struct ControlChange {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> owner_id;
  std::optional<ControlStatus> status;
  std::optional<std::string> justification;
  std::optional<int> review_every_days;
  std::optional<std::string> next_review;
  std::optional<std::vector<RequirementRef>> requirements;
  bool reviewed = false;
  std::optional<std::int64_t> expected_version;  // Optimistic concurrency: kAborted if stale.
};

struct ControlQuery {
  std::optional<std::string> owner_id;
  std::optional<ControlStatus> status;
  std::optional<std::string> framework;      // Controls mapped to this framework...
  std::optional<std::string> requirement;    // ...and this requirement of it.
  std::optional<std::string> review_due_by;  // Next review on or before this date.
  std::string after;                         // The last id of the previous page.
  std::size_t limit = 100;
};

struct ControlPage {
  std::vector<Control> controls;
  std::optional<std::string> next;
};

// Controls in the store; every change is audited (controls.create, controls.update) before it is
// made. Thread-safe (the store serialises writes).
class Controls {
 public:
  Controls(storage::Store& store, audit::Sink& audit, const base::Clock& clock);

  // Errors: kInvalidArgument (names the field and what is accepted: an unknown requirement, an
  // owner who is not an active provider user, a missing justification, ...), kAlreadyExists.
  base::Result<Control> Create(const audit::Actor& actor, const NewControl& control);
  // Errors: as Create; kNotFound; kAborted when expected_version is not the current version.
  base::Result<Control> Update(const audit::Actor& actor, const std::string& id,
                               const ControlChange& change);
  base::Result<Control> Get(const std::string& id);
  // The control as it stood at `time` (kNotFound if it did not exist yet).
  base::Result<Control> GetAsOf(const std::string& id, base::Time time);
  // Every version, oldest first.
  base::Result<std::vector<Control>> History(const std::string& id);
  // Current versions in id order.
  base::Result<ControlPage> List(const ControlQuery& query);
  // Every control as it stood at `time` (for coverage).
  base::Result<std::vector<Control>> AllAsOf(base::Time time);

 private:
  base::Status Validate(storage::Transaction& tx, const Control& c);
  base::Status Write(storage::Transaction& tx, const Control& c);

  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

// The JSON of a control as the API serves it.
nlohmann::json ControlJson(const Control& c);

}  // namespace strongroom::isms
