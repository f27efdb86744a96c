#include "strongroom/isms/evidence.hpp"

#include <gtest/gtest.h>

#include "strongroom/base/bytes.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/identity/testing/identity_fixture.hpp"
#include "strongroom/isms/controls.hpp"
#include "strongroom/isms/frameworks.hpp"

namespace strongroom::isms {
namespace {

using identity::Role;
using namespace std::chrono_literals;

class EvidenceTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(frameworks_.LoadShipped(CatalogLoaderActor()).ok());
    NewControl c;
    c.id = "SR-BAK-03";
    c.title = "Restores verified";
    c.owner_id = AddUser("so-olga", Role::kSecurityOfficer).user.id.value();
    ASSERT_TRUE(controls_.Create(Operator(), c).ok());
    c.id = "SR-OTHER";
    ASSERT_TRUE(controls_.Create(Operator(), c).ok());
  }

  std::string In(std::chrono::hours h) const { return base::FormatRfc3339(clock_.Now() + h); }

  NewEvidence Link() const {
    NewEvidence e;
    e.control_id = "SR-BAK-03";
    e.kind = EvidenceKind::kLink;
    e.title = "Restore test report, November";
    e.period_from = "2026-11-01";
    e.period_to = "2026-11-30";
    e.expires_at = In(24h * 30);
    e.url = "https://wiki.example/restore-2026-11";
    return e;
  }

  Frameworks frameworks_{*store_, audit_, clock_};
  Controls controls_{*store_, audit_, clock_};
  EvidenceStore evidence_{*store_, audit_, clock_};
};

TEST_F(EvidenceTest, RecordsLinksAttestationsAndFilesWithTheirHashAudited) {
  auto link = evidence_.Add(Operator(), Link());
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  EXPECT_TRUE(link->id.starts_with("ev_"));
  EXPECT_EQ(link->lineage, link->id);
  EXPECT_EQ(link->version, 1);
  EXPECT_EQ(link->sha256, base::HexEncode(crypto::Sha256(base::AsBytes(EvidenceContent(*link)))));
  EXPECT_EQ(link->collected_at, base::FormatRfc3339(clock_.Now()));

  NewEvidence a = Link();
  a.kind = EvidenceKind::kAttestation;
  a.url.clear();
  a.attested_by = "Olga Ivanova, Security Officer";
  a.statement = "I watched the November restore test succeed.";
  auto attested = evidence_.Add(Operator(), a);
  ASSERT_TRUE(attested.ok()) << attested.status().ToString();

  NewEvidence f = Link();
  f.kind = EvidenceKind::kFile;
  f.url.clear();
  f.file_id = "evidence-1";
  f.file_size = 1234;
  f.file_sha256 = std::string(64, 'a');
  f.media_type = "application/pdf";
  auto file = evidence_.Add(Operator(), f);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->sha256, std::string(64, 'a'));

  const auto events = audit_.With("evidence.add");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].details.at("sha256"), link->sha256);
  EXPECT_EQ(events[1].details.at("kind"), "attestation");
  EXPECT_EQ(events[2].details.at("sha256"), std::string(64, 'a'));
  EXPECT_EQ(events[2].details.at("control"), "SR-BAK-03");

  const auto listed = evidence_.ForControl("SR-BAK-03", false);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 3u);
  EXPECT_EQ(EvidenceJson(*file)["file"]["media_type"], "application/pdf");
  EXPECT_EQ(EvidenceJson(*attested)["attested_by"], "Olga Ivanova, Security Officer");
}

TEST_F(EvidenceTest, ANewVersionSupersedesAndThePastStaysReadable) {
  const Evidence v1 = *evidence_.Add(Operator(), Link());
  const base::Time t1 = clock_.Now();
  clock_.Advance(24h);
  NewEvidence next = Link();
  next.title = "Restore test report, November (corrected)";
  next.supersedes = v1.id;
  auto v2 = evidence_.Add(Operator(), next);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->lineage, v1.id);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(audit_.With("evidence.add")[1].details.at("supersedes"), v1.id);
  const Evidence old = *evidence_.Get(v1.id);
  EXPECT_EQ(old.superseded_by, v2->id);
  EXPECT_EQ(old.title, v1.title);  // Its content is as it was.
  EXPECT_EQ(old.sha256, v1.sha256);

  // Superseding the old one again is refused: there is one current version.
  const auto again = evidence_.Add(Operator(), next);
  EXPECT_EQ(again.status().code(), base::ErrorCode::kFailedPrecondition);
  NewEvidence elsewhere = Link();
  elsewhere.control_id = "SR-OTHER";
  elsewhere.supersedes = v2->id;
  EXPECT_EQ(evidence_.Add(Operator(), elsewhere).status().code(),
            base::ErrorCode::kFailedPrecondition);

  EXPECT_EQ(evidence_.ForControl("SR-BAK-03", false)->size(), 1u);
  EXPECT_EQ(evidence_.ForControl("SR-BAK-03", true)->size(), 2u);

  // In force: one piece at each time; none before it was recorded or after it expired.
  EXPECT_EQ(evidence_.InForceAt(t1)->at("SR-BAK-03"), 1u);
  EXPECT_EQ(evidence_.InForceAt(t1 + 25h)->at("SR-BAK-03"), 1u);
  EXPECT_TRUE(evidence_.InForceAt(t1 - 1h)->empty());
  EXPECT_TRUE(evidence_.InForceAt(t1 + 24h * 40)->empty());
  const auto expired = evidence_.ExpiredAt(t1 + 24h * 40);
  ASSERT_EQ(expired->size(), 1u);  // The current version only.
  EXPECT_EQ((*expired)[0].id, v2->id);
}

TEST_F(EvidenceTest, RefusesBadEvidenceSayingWhatIsAccepted) {
  const auto refused = [&](NewEvidence e, const std::string& fragment) {
    auto r = evidence_.Add(Operator(), e);
    ASSERT_FALSE(r.ok()) << fragment;
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
  };
  NewEvidence e = Link();
  e.control_id = "SR-NONE";
  refused(e, "no control SR-NONE");
  e = Link();
  e.title = "";
  refused(e, "title must be 1 to 200");
  e = Link();
  e.period_to = "2026-10-01";
  refused(e, "period_to must not be before period_from");
  e = Link();
  e.period_from = "November";
  refused(e, "period_from must be a date");
  e = Link();
  e.expires_at = base::FormatRfc3339(clock_.Now() - 1h);
  refused(e, "expires_at must be after collected_at");
  e = Link();
  e.expires_at = "next year";
  refused(e, "expires_at must be an RFC 3339 time");
  e = Link();
  e.collected_at = In(24h);
  refused(e, "collected_at is in the future");
  e = Link();
  e.url = "javascript:alert(1)";
  refused(e, "http:// or https://");
  e = Link();
  e.kind = EvidenceKind::kAttestation;
  refused(e, "names the person who attests");
  e.attested_by = "Olga";
  refused(e, "needs its statement");
  e = Link();
  e.kind = EvidenceKind::kFile;
  refused(e, "file's id and SHA-256");
  e = Link();
  e.supersedes = "ev_missing";
  refused(e, "no evidence ev_missing");
  EXPECT_TRUE(audit_.With("evidence.add").empty());
}

}  // namespace
}  // namespace strongroom::isms
