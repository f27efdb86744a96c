#include <gtest/gtest.h>

#include "strongroom/audit/merkle.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/http/testing/api_fixture.hpp"

namespace strongroom::http {
namespace {

using identity::Role;
using nlohmann::json;

audit::Hash HashFromHex(const json& hex) {
  const auto bytes = base::HexDecode(hex.get<std::string>());
  audit::Hash h{};
  EXPECT_TRUE(bytes.ok() && bytes->size() == h.size());
  if (bytes.ok() && bytes->size() == h.size()) std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

std::vector<audit::Hash> HashesFrom(const json& list) {
  std::vector<audit::Hash> out;
  for (const auto& h : list) out.push_back(HashFromHex(h));
  return out;
}

class AuditApiTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    tenant_a_ = AddTenant("Acme");
    tenant_b_ = AddTenant("Beta");
    officer_ = SessionFor(AddUser("so-sven", Role::kSecurityOfficer).user);
    auditor_ = SessionFor(AddUser("aud-ann", Role::kAuditor).user);
    acme_admin_ = SessionFor(AddUser("acme-boss", Role::kClientAdmin, tenant_a_.id).user);
    service_user_ = AddUser("svc-sally", Role::kService).user;
    ASSERT_TRUE(accounts_->SetQualified(Operator(), service_user_.id, true).ok());
    service_ = SessionFor(service_user_);
    // Staff activity in both tenants: a break-glass into Acme and a denied read of Beta.
    const Reply opened = Call("POST", "/api/v1/tenants/" + tenant_a_.id.value() + "/break-glass",
                              officer_, json{{"incident", "INC-7"}, {"duration_minutes", 60}});
    ASSERT_EQ(opened.status, 201) << opened.raw;
    ASSERT_EQ(Call("GET", "/api/v1/tenants/" + tenant_b_.id.value() + "/grants", service_).status,
              403);
  }

  json AllEvents(const std::string& token, const std::string& query = "") {
    json all = json::array();
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      std::string path = "/api/v1/audit/events?limit=3" + query;
      if (!cursor.empty()) path += "&cursor=" + cursor;
      const Reply r = Call("GET", path, token);
      EXPECT_EQ(r.status, 200) << r.raw;
      for (const auto& e : r.body["events"]) all.push_back(e);
      if (r.body["next_cursor"].is_null()) break;
      cursor = r.body["next_cursor"];
    }
    return all;
  }

  identity::Tenant tenant_a_, tenant_b_;
  std::string officer_, auditor_, acme_admin_, service_;
  identity::User service_user_;
};

TEST_F(AuditApiTest, AuditorsAndOfficersSeeEveryEventInOrder) {
  const json events = AllEvents(auditor_);
  ASSERT_GE(events.size(), 4u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i]["seq"], i);
  bool saw_break_glass = false, saw_denied_beta = false;
  for (const auto& e : events) {
    saw_break_glass |= e["action"] == "break_glass.open" && e["outcome"] == "allowed";
    saw_denied_beta |= e["tenant_id"] == tenant_b_.id.value() && e["outcome"] == "denied";
  }
  EXPECT_TRUE(saw_break_glass);
  EXPECT_TRUE(saw_denied_beta);
  // Reading the trail is itself in the trail.
  const json later = AllEvents(officer_);
  EXPECT_GT(later.size(), events.size());
  bool saw_read = false;
  for (const auto& e : later) {
    saw_read |= e["action"] == "access.allowed" && e["actor_role"] == "auditor" &&
                e["details"]["requested"] == "audit.read_all";
  }
  EXPECT_TRUE(saw_read);
}

TEST_F(AuditApiTest, NewestFirstPagesGoBackwardsThroughTheSameEvents) {
  const std::string tenant = "&tenant=" + tenant_a_.id.value();
  const json oldest = AllEvents(acme_admin_, tenant);
  const json newest = AllEvents(acme_admin_, tenant + "&order=newest");
  // Reading adds events, so the newest-first walk sees at least those of the first walk.
  ASSERT_GE(newest.size(), oldest.size());
  for (std::size_t i = 1; i < newest.size(); ++i) {
    EXPECT_LT(newest[i]["seq"].get<std::uint64_t>(), newest[i - 1]["seq"].get<std::uint64_t>());
  }
  EXPECT_EQ(newest.back()["seq"], oldest.front()["seq"]);
  for (const auto& e : newest) EXPECT_EQ(e["tenant_id"], tenant_a_.id.value());
  const Reply bad = Call("GET", "/api/v1/audit/events?order=sideways" + tenant, acme_admin_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.raw.find("oldest (the default) or newest"), std::string::npos);
}

TEST_F(AuditApiTest, FiltersByActionPrefixOutcomeAndActor) {
  const json all = AllEvents(auditor_);
  const json denied = AllEvents(auditor_, "&outcome=denied");
  ASSERT_FALSE(denied.empty());
  for (const auto& e : denied) EXPECT_EQ(e["outcome"], "denied");
  const json glass = AllEvents(auditor_, "&action=break_glass.");
  ASSERT_FALSE(glass.empty());
  for (const auto& e : glass) {
    EXPECT_TRUE(e["action"].get<std::string>().starts_with("break_glass.")) << e["action"];
  }
  // The prefix is text, not a pattern: '%' and '_' match only themselves.
  EXPECT_TRUE(AllEvents(auditor_, "&action=%25").empty());
  const std::string actor = all[0]["actor_id"];
  for (const auto& e : AllEvents(auditor_, "&actor=" + actor)) EXPECT_EQ(e["actor_id"], actor);
  const Reply bad = Call("GET", "/api/v1/audit/events?outcome=maybe", auditor_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.raw.find("allowed, denied or failed"), std::string::npos);
}

TEST_F(AuditApiTest, AClientAdminSeesOnlyItsTenantIncludingStaffAccess) {
  EXPECT_EQ(Call("GET", "/api/v1/audit/events", acme_admin_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/audit/events?tenant=" + tenant_b_.id.value(), acme_admin_).status,
            403);
  const json events = AllEvents(acme_admin_, "&tenant=" + tenant_a_.id.value());
  ASSERT_FALSE(events.empty());
  bool saw_staff_break_glass = false;
  for (const auto& e : events) {
    EXPECT_EQ(e["tenant_id"], tenant_a_.id.value());
    saw_staff_break_glass |=
        e["action"] == "break_glass.open" && e["actor_role"] == "security_officer";
  }
  EXPECT_TRUE(saw_staff_break_glass);
  // Staff without audit permissions see nothing.
  EXPECT_EQ(Call("GET", "/api/v1/audit/events", service_).status, 403);
}

TEST_F(AuditApiTest, ProofsVerifyAgainstTheSignedCheckpoint) {
  const Reply cp =
      Call("GET", "/api/v1/audit/checkpoint?tenant=" + tenant_a_.id.value(), acme_admin_);
  ASSERT_EQ(cp.status, 200) << cp.raw;
  const json& checkpoint = cp.body["checkpoint"];
  const std::uint64_t size = checkpoint["tree_size"];
  const audit::Hash root = HashFromHex(checkpoint["root_hash"]);
  // The signature is over the signed note, with the published key.
  const auto public_key = base::Base64UrlDecode(checkpoint["public_key"].get<std::string>());
  const auto signature = base::Base64UrlDecode(checkpoint["signature"].get<std::string>());
  ASSERT_TRUE(public_key.ok() && signature.ok());
  crypto::Ed25519PublicKey pk{};
  crypto::Ed25519Signature sig{};
  std::copy(public_key->begin(), public_key->end(), pk.begin());
  std::copy(signature->begin(), signature->end(), sig.begin());
  EXPECT_TRUE(
      crypto::Ed25519Verify(pk, base::AsBytes(checkpoint["signed_note"].get<std::string>()), sig));

  // The client admin proves each of its tenant's events is in the signed tree.
  const json events = AllEvents(acme_admin_, "&tenant=" + tenant_a_.id.value());
  int proved = 0;
  for (const auto& e : events) {
    const std::uint64_t seq = e["seq"];
    if (seq >= size) continue;
    const Reply proof = Call(
        "GET",
        "/api/v1/audit/proof?seq=" + std::to_string(seq) + "&tree_size=" + std::to_string(size),
        acme_admin_);
    ASSERT_EQ(proof.status, 200) << proof.raw;
    EXPECT_EQ(proof.body["leaf_hash"], e["leaf_hash"]);
    EXPECT_TRUE(audit::VerifyInclusion(seq, size, HashFromHex(e["leaf_hash"]),
                                       HashesFrom(proof.body["inclusion"]), root));
    ++proved;
  }
  EXPECT_GT(proved, 0);
  // But not another tenant's, nor a position that does not exist.
  const json all = AllEvents(auditor_);
  for (const auto& e : all) {
    if (e["tenant_id"] != tenant_b_.id.value()) continue;
    EXPECT_EQ(
        Call("GET", "/api/v1/audit/proof?seq=" + std::to_string(e["seq"].get<int>()), acme_admin_)
            .status,
        403);
  }
  EXPECT_EQ(Call("GET", "/api/v1/audit/proof?seq=99999", acme_admin_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/audit/proof?seq=99999", auditor_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/audit/proof?seq=x", auditor_).status, 400);

  // A later checkpoint is consistent with the earlier one.
  const Reply later = Call("GET", "/api/v1/audit/checkpoint", auditor_);
  ASSERT_EQ(later.status, 200);
  const std::uint64_t size2 = later.body["checkpoint"]["tree_size"];
  ASSERT_GT(size2, size);
  const Reply consistency =
      Call("GET",
           "/api/v1/audit/proof?first=" + std::to_string(size) + "&second=" + std::to_string(size2),
           auditor_);
  ASSERT_EQ(consistency.status, 200) << consistency.raw;
  EXPECT_TRUE(audit::VerifyConsistency(size, size2, HashesFrom(consistency.body["consistency"]),
                                       root, HashFromHex(later.body["checkpoint"]["root_hash"])));
}

TEST_F(AuditApiTest, ManyProofsInOneRequestVerifyAndStayInTheirTenant) {
  const Reply cp =
      Call("GET", "/api/v1/audit/checkpoint?tenant=" + tenant_a_.id.value(), acme_admin_);
  ASSERT_EQ(cp.status, 200) << cp.raw;
  const std::uint64_t size = cp.body["checkpoint"]["tree_size"];
  const audit::Hash root = HashFromHex(cp.body["checkpoint"]["root_hash"]);
  std::string seqs;
  std::vector<std::string> leaves;
  for (const auto& e : AllEvents(acme_admin_, "&tenant=" + tenant_a_.id.value())) {
    if (e["seq"].get<std::uint64_t>() >= size) continue;
    seqs += (seqs.empty() ? "" : ",") + std::to_string(e["seq"].get<std::uint64_t>());
    leaves.push_back(e["leaf_hash"]);
  }
  ASSERT_FALSE(leaves.empty());
  const std::string base = "/api/v1/audit/proofs?tenant=" + tenant_a_.id.value() +
                           "&tree_size=" + std::to_string(size) + "&seqs=";
  const Reply r = Call("GET", base + seqs, acme_admin_);
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["proofs"].size(), leaves.size());
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const json& p = r.body["proofs"][i];
    EXPECT_EQ(p["leaf_hash"], leaves[i]);
    EXPECT_TRUE(audit::VerifyInclusion(p["seq"], size, HashFromHex(p["leaf_hash"]),
                                       HashesFrom(p["inclusion"]), root));
  }
  // Another tenant's event is not there, exactly as an event that does not exist.
  for (const auto& e : AllEvents(auditor_)) {
    if (e["tenant_id"] != tenant_b_.id.value()) continue;
    const Reply other = Call("GET", base + std::to_string(e["seq"].get<int>()), acme_admin_);
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(Call("GET", base + "99999", acme_admin_).status, 404);
    break;
  }
  EXPECT_EQ(Call("GET", base + "1,x", acme_admin_).status, 400);
  EXPECT_EQ(Call("GET", base, acme_admin_).status, 400);
  std::string too_many = "0";
  for (int i = 1; i <= 200; ++i) too_many += ",0";
  EXPECT_EQ(Call("GET", base + too_many, acme_admin_).status, 400);
}

TEST_F(AuditApiTest, FailedAuthenticationIsAuditedAndTheLogFailingClosedGives503) {
  EXPECT_EQ(Call("GET", "/api/v1/me", "srs_not-a-real-token").status, 401);
  const json events = AllEvents(auditor_);
  bool saw = false;
  for (const auto& e : events) {
    saw |= e["action"] == "auth.authenticate" && e["outcome"] == "denied" &&
           e["resource"] == "route:GET /api/v1/me";
    EXPECT_EQ(e.dump().find("srs_not-a-real-token"), std::string::npos);  // No credential.
  }
  EXPECT_TRUE(saw);

  audit_.set_fail(true);  // Events can no longer be recorded.
  EXPECT_EQ(Call("GET", "/api/v1/me", "srs_not-a-real-token").status, 503);
  const Reply read = Call("GET", "/api/v1/audit/events", auditor_);
  EXPECT_EQ(read.status, 503);
  EXPECT_FALSE(read.body.contains("events"));  // No data without its audit event.
}

}  // namespace
}  // namespace strongroom::http
