#include "strongroom/isms/controls.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"
#include "strongroom/isms/frameworks.hpp"

namespace strongroom::isms {
namespace {

using identity::Role;
using namespace std::chrono_literals;

class ControlsTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(frameworks_.LoadShipped(CatalogLoaderActor()).ok());
    owner_ = AddUser("so-olga", Role::kSecurityOfficer).user.id.value();
    other_ = AddUser("stf-sam", Role::kStaff).user.id.value();
  }

  NewControl Encryption() const {
    NewControl n;
    n.title = "Encryption at rest";
    n.description = "Client data is encrypted with AES-256-GCM under per-tenant keys.";
    n.owner_id = owner_;
    n.status = ControlStatus::kImplemented;
    n.review_every_days = 90;
    n.requirements = {{"iso27001-2022", "A.8.24"},
                      {"nist-csf-2.0", "PR.DS-01"},
                      {"aicpa-tsc-2017", "CC6.1"},
                      {"iso27001-2022", "A.8.24"}};
    return n;
  }

  Frameworks frameworks_{*store_, audit_, clock_};
  Controls controls_{*store_, audit_, clock_};
  std::string owner_, other_;
};

TEST_F(ControlsTest, CreatesControlsWithOwnersRequirementsAndAReviewDate) {
  auto made = controls_.Create(Operator(), Encryption());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->id, "CTL-0001");
  EXPECT_EQ(made->version, 1);
  EXPECT_EQ(made->requirements.size(), 3u);  // The duplicate is folded.
  EXPECT_EQ(made->next_review,
            base::FormatRfc3339(clock_.Now() + std::chrono::days(90)).substr(0, 10));
  EXPECT_EQ(controls_.Create(Operator(), Encryption())->id, "CTL-0002");

  NewControl named = Encryption();
  named.id = "SR-CRY-01";
  ASSERT_TRUE(controls_.Create(Operator(), named).ok());
  auto again = controls_.Create(Operator(), named);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), base::ErrorCode::kAlreadyExists);

  const auto events = audit_.With("controls.create");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].resource, "control:SR-CRY-01");
  EXPECT_EQ(events[2].details.at("requirements"), "3");

  auto got = controls_.Get("SR-CRY-01");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->requirements, (std::vector<RequirementRef>{{"aicpa-tsc-2017", "CC6.1", "ours"},
                                                            {"iso27001-2022", "A.8.24", "ours"},
                                                            {"nist-csf-2.0", "PR.DS-01", "ours"}}));
  EXPECT_EQ(ControlJson(*got)["justification"], nullptr);
}

void ExpectRefused(const base::Result<Control>& r, const std::string& fragment) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::ErrorCode::kInvalidArgument) << r.status().ToString();
  EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
}

TEST_F(ControlsTest, RefusesABadControlSayingWhatIsAccepted) {
  NewControl n = Encryption();
  n.owner_id = "";
  ExpectRefused(controls_.Create(Operator(), n), "every control has an owner");
  const auto tenant = AddTenant("Acme");
  n.owner_id = AddUser("acme-cu", Role::kClientUser, tenant.id).user.id.value();
  ExpectRefused(controls_.Create(Operator(), n), "not an active provider user");
  n.owner_id = "usr_nobody";
  ExpectRefused(controls_.Create(Operator(), n), "not an active provider user");
  const identity::User leaver = AddUser("stf-leaver", Role::kStaff).user;
  ASSERT_TRUE(accounts_->Deactivate(Operator(), leaver.id).ok());
  n.owner_id = leaver.id.value();
  ExpectRefused(controls_.Create(Operator(), n), "not an active provider user");

  n = Encryption();
  n.status = ControlStatus::kNotApplicable;
  ExpectRefused(controls_.Create(Operator(), n), "needs a justification");
  n = Encryption();
  n.requirements = {{"iso27001-2022", "A.99.9"}};
  ExpectRefused(controls_.Create(Operator(), n), "'A.99.9' of framework 'iso27001-2022'");
  n.requirements = {{"nist-csf-2.0", "ID.BE-01"}};
  ExpectRefused(controls_.Create(Operator(), n), "is withdrawn");
  n.requirements = {{"nist-csf-2.0", "PR.DS-01", "guesswork"}};
  ExpectRefused(controls_.Create(Operator(), n), "\"ours\" or \"crosswalk:<id>\"");
  n = Encryption();
  n.id = "lower-case";
  ExpectRefused(controls_.Create(Operator(), n), "upper-case letter");
  n.id = "A--B";
  ExpectRefused(controls_.Create(Operator(), n), "upper-case letter");
  n = Encryption();
  n.next_review = "2027-02-30";
  ExpectRefused(controls_.Create(Operator(), n), "next_review must be a date");
  n = Encryption();
  n.review_every_days = 0;
  ExpectRefused(controls_.Create(Operator(), n), "from 1 to 1095");
  n = Encryption();
  n.title = "";
  ExpectRefused(controls_.Create(Operator(), n), "title must be 1 to 200");
  EXPECT_TRUE(audit_.With("controls.create").empty());
  EXPECT_TRUE(controls_.List({})->controls.empty());
}

TEST_F(ControlsTest, EveryChangeIsANewVersionAndThePastCanBeReadBack) {
  const Control v1 = *controls_.Create(Operator(), Encryption());
  const base::Time created = clock_.Now();
  clock_.Advance(24h);
  ControlChange change;
  change.status = ControlStatus::kNotApplicable;
  change.justification = "No data at rest in this deployment";
  change.requirements = std::vector<RequirementRef>{{"iso27001-2022", "A.8.24"}};
  change.expected_version = 1;
  auto v2 = controls_.Update(Operator(), v1.id, change);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);
  const auto updates = audit_.With("controls.update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].details.at("changed"), "status,justification,requirements");
  EXPECT_EQ(updates[0].details.at("status"), "not_applicable");

  // A stale writer is refused; a change that changes nothing records nothing.
  auto stale = controls_.Update(Operator(), v1.id, change);
  EXPECT_EQ(stale.status().code(), base::ErrorCode::kAborted);
  ControlChange same;
  same.status = ControlStatus::kNotApplicable;
  EXPECT_EQ(controls_.Update(Operator(), v1.id, same)->version, 2);
  EXPECT_EQ(audit_.With("controls.update").size(), 1u);

  // Back to implemented: the justification goes.
  clock_.Advance(24h);
  ControlChange back;
  back.status = ControlStatus::kImplemented;
  auto v3 = controls_.Update(Operator(), v1.id, back);
  ASSERT_TRUE(v3.ok());
  EXPECT_EQ(v3->justification, "");

  auto then = controls_.GetAsOf(v1.id, created + 1h);
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->version, 1);
  EXPECT_EQ(then->status, ControlStatus::kImplemented);
  EXPECT_EQ(then->requirements.size(), 3u);
  EXPECT_EQ(controls_.GetAsOf(v1.id, created + 25h)->status, ControlStatus::kNotApplicable);
  EXPECT_EQ(controls_.GetAsOf(v1.id, created - 1h).status().code(), base::ErrorCode::kNotFound);
  auto history = controls_.History(v1.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].requirements.size(), 1u);

  auto all_then = controls_.AllAsOf(created + 25h);
  ASSERT_TRUE(all_then.ok());
  ASSERT_EQ(all_then->size(), 1u);
  EXPECT_EQ((*all_then)[0].version, 2);
  EXPECT_EQ((*all_then)[0].requirements.size(), 1u);
  EXPECT_TRUE(controls_.AllAsOf(created - 1h)->empty());

  EXPECT_EQ(controls_.Update(Operator(), "CTL-9999", back).status().code(),
            base::ErrorCode::kNotFound);
}

TEST_F(ControlsTest, AReviewMovesTheNextReviewByTheFrequency) {
  const Control c = *controls_.Create(Operator(), Encryption());
  clock_.Advance(std::chrono::days(100));
  ControlChange reviewed;
  reviewed.reviewed = true;
  auto after = controls_.Update(Operator(), c.id, reviewed);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->next_review,
            base::FormatRfc3339(clock_.Now() + std::chrono::days(90)).substr(0, 10));
  EXPECT_EQ(audit_.With("controls.review").size(), 1u);
}

TEST_F(ControlsTest, ListsByOwnerStatusRequirementAndReviewDateInPages) {
  for (int i = 0; i < 5; ++i) {
    NewControl n = Encryption();
    n.owner_id = i % 2 == 0 ? owner_ : other_;
    n.status = i < 3 ? ControlStatus::kImplemented : ControlStatus::kPlanned;
    n.next_review = i == 4 ? "2020-01-01" : "2099-01-01";
    if (i == 0) n.requirements = {{"iso27001-2013", "A.10.1.1"}};
    ASSERT_TRUE(controls_.Create(Operator(), n).ok());
  }
  ControlQuery q;
  q.owner_id = other_;
  EXPECT_EQ(controls_.List(q)->controls.size(), 2u);
  q = {};
  q.status = ControlStatus::kPlanned;
  EXPECT_EQ(controls_.List(q)->controls.size(), 2u);
  q = {};
  q.framework = "iso27001-2013";
  ASSERT_EQ(controls_.List(q)->controls.size(), 1u);
  EXPECT_EQ(controls_.List(q)->controls[0].id, "CTL-0001");
  q.framework = "iso27001-2022";
  q.requirement = "A.8.24";
  EXPECT_EQ(controls_.List(q)->controls.size(), 4u);
  q = {};
  q.review_due_by = "2026-12-31";
  ASSERT_EQ(controls_.List(q)->controls.size(), 1u);
  EXPECT_EQ(controls_.List(q)->controls[0].id, "CTL-0005");
  q.review_due_by = "soon";
  EXPECT_EQ(controls_.List(q).status().code(), base::ErrorCode::kInvalidArgument);

  q = {};
  q.limit = 2;
  auto page = controls_.List(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->controls.size(), 2u);
  EXPECT_EQ(page->next, "CTL-0002");
  EXPECT_EQ(page->controls[1].requirements.size(), 3u);
  q.after = *page->next;
  q.limit = 10;
  page = controls_.List(q);
  EXPECT_EQ(page->controls.size(), 3u);
  EXPECT_FALSE(page->next.has_value());
}

}  // namespace
}  // namespace strongroom::isms
